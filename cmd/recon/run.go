package main

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/fixtures"
	"github.com/recon-tools/recon/load"
	"github.com/recon-tools/recon/reports"
	"github.com/recon-tools/recon/rules"
)

func runCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{
			Name:  "data",
			Usage: "folder holding bigcommerce/, erp/, wms/ and payouts/ (see docs/formats.md); empty for the bundled demo",
		},
		&cli.StringFlag{
			Name:  "db",
			Value: "recon.duckdb",
			Usage: "DuckDB file to create or add the run to",
		},
		&cli.StringFlag{
			Name:  "report",
			Value: "recon-report.xlsx",
			Usage: "exceptions workbook to write",
		},
		&cli.BoolFlag{
			Name:  "keep-parquet",
			Value: true,
			Usage: "keep each snapshot's Parquet files in a folder beside the DuckDB file (on by default; --keep-parquet=false turns it off)",
		},
		&cli.BoolFlag{
			Name: "store",
			Usage: "read BigCommerce live through its API, configured as for 'recon extract bigcommerce', " +
				"instead of the bigcommerce/ folder",
		},
	}
	flags = append(flags, storeFlags()...)
	flags = append(flags, planFlags()...)
	return &cli.Command{
		Name:  "run",
		Usage: "snapshot every system, flag the drift and write the exceptions workbook",
		Description: "Reads every system's data, loads it into the DuckDB file as one " +
			"atomic set of snapshots, evaluates every rule and writes the exceptions " +
			"workbook. Without --data it reconciles the demo business bundled with recon. " +
			"The exit code is 0 when the run succeeds, whether or not it finds exceptions.",
		Flags:  flags,
		Action: runAction,
	}
}

func runAction(ctx context.Context, cmd *cli.Command) error {
	logger, err := newLogger(cmd)
	if err != nil {
		return err
	}
	fsys, origin, err := dataFS(cmd.String("data"))
	if err != nil {
		return err
	}
	var live *liveSource
	if cmd.Bool("store") {
		if live, err = liveSourceFrom(cmd, logger); err != nil {
			return err
		}
		fsys = withoutFolder{fsys, "bigcommerce"}
	}
	summary, err := reconcile(ctx, reconcileJob{
		live:        live,
		data:        fsys,
		origin:      origin,
		dbPath:      cmd.String("db"),
		reportPath:  cmd.String("report"),
		keepParquet: cmd.Bool("keep-parquet"),
		params:      rules.DefaultParams(),
		logger:      logger,
	})
	if err != nil {
		return err
	}
	return summary.print(cmd.Root().Writer)
}

// dataFS returns the folder to read, or the bundled demo when dir is empty.
func dataFS(dir string) (fs.FS, string, error) {
	if dir == "" {
		return fixtures.Demo, "bundled demo", nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, "", fmt.Errorf("data folder: %w", err)
	}
	if !info.IsDir() {
		return nil, "", fmt.Errorf("data folder %s is not a directory", dir)
	}
	return os.DirFS(dir), dir, nil
}

// reconcileJob is one reconciliation: where to read, where to write and
// the rule parameters.
type reconcileJob struct {
	live        *liveSource // nil to read BigCommerce from data
	data        fs.FS
	origin      string
	dbPath      string
	reportPath  string
	keepParquet bool
	params      rules.Params
	logger      *slog.Logger
}

// reconcile reads every system, loads the snapshots, evaluates the rules
// and writes the workbook.
func reconcile(ctx context.Context, job reconcileJob) (runSummary, error) {
	started := time.Now()
	snaps, err := extract.ReadDir(ctx, job.data)
	if err != nil {
		return runSummary{}, fmt.Errorf("read %s: %w", job.origin, err)
	}
	if len(snaps) == 0 && job.live == nil {
		return runSummary{}, fmt.Errorf("read %s: no bigcommerce/, erp/, wms/ or payouts/ folder found", job.origin)
	}
	job.logger.Info("extracted", "origin", job.origin, "snapshots", len(snaps), "duration", time.Since(started))

	var opts []load.Option
	if !job.keepParquet {
		opts = append(opts, load.WithoutParquetCopies())
	}
	store, err := load.Open(ctx, job.dbPath, job.logger, opts...)
	if err != nil {
		return runSummary{}, err
	}
	defer store.Close()
	if job.live != nil {
		snap, _, err := job.live.read(ctx, store)
		if err != nil {
			return runSummary{}, err
		}
		snaps = append([]extract.Snapshot{snap}, snaps...)
	}
	return evaluateRun(ctx, store, snaps, job)
}

func evaluateRun(ctx context.Context, store *load.Store, snaps []extract.Snapshot, job reconcileJob) (runSummary, error) {
	runID, infos, err := store.LoadRun(ctx, "run", snaps)
	if err != nil {
		return runSummary{}, err
	}
	if err := rules.CreateSchema(ctx, store.DB()); err != nil {
		return runSummary{}, err
	}
	result, err := rules.Evaluate(ctx, store.DB(), runID, job.params, job.logger)
	if err != nil {
		return runSummary{}, fmt.Errorf("run %d: %w", runID, err)
	}
	if err := store.FinishRun(ctx, runID, load.RunSucceeded, asOf(snaps)); err != nil {
		return runSummary{}, err
	}
	if err := reports.WriteExceptions(ctx, store.DB(), runID, job.reportPath); err != nil {
		return runSummary{}, fmt.Errorf("run %d is stored in %s, but its report failed: %w", runID, job.dbPath, err)
	}
	return runSummary{runID: runID, snapshots: infos, result: result, db: job.dbPath, report: job.reportPath}, nil
}

// asOf returns the moment a run's findings hold: the latest extraction
// time among its snapshots.
func asOf(snaps []extract.Snapshot) time.Time {
	var latest time.Time
	for _, s := range snaps {
		if s.ExtractedAt.After(latest) {
			latest = s.ExtractedAt
		}
	}
	return latest
}
