package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"slices"
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
			Usage: "folder holding bigcommerce/, erp/, wms/ and payouts/ (see docs/formats.md); empty for the bundled demo; overrides the config's data",
		},
		&cli.StringFlag{
			Name:  "db",
			Value: defaultDB,
			Usage: "DuckDB file to create or add the run to; overrides the config's db",
		},
		&cli.StringFlag{
			Name:  "report",
			Value: defaultReport,
			Usage: "exceptions workbook to write; overrides the config's report",
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
	flags = append(flags, storeOnly(append(storeFlags(), planFlags()...))...)
	return &cli.Command{
		Name:  "run",
		Usage: "snapshot every system, flag the drift and write the exceptions workbook",
		Description: "Reads every system's data, loads it into the DuckDB file as one " +
			"atomic set of snapshots, evaluates every rule and writes the exceptions " +
			"workbook. Without --data it reconciles the demo business bundled with recon. " +
			"The exit code is 0 when the run succeeds, whether or not it finds exceptions, " +
			"and 130 when it is interrupted. Once the snapshots are loaded, an interrupt " +
			"takes effect after the run is stored; a run whose rules fail is removed again.",
		Flags:  flags,
		Action: runAction,
	}
}

// storeOnly marks the help of each flag in flags as applying only with
// --store, and returns flags.
func storeOnly(flags []cli.Flag) []cli.Flag {
	for _, f := range flags {
		switch f := f.(type) {
		case *cli.StringFlag:
			f.Usage = "only with --store: " + f.Usage
		case *cli.IntFlag:
			f.Usage = "only with --store: " + f.Usage
		case *cli.BoolFlag:
			f.Usage = "only with --store: " + f.Usage
		}
	}
	return flags
}

// checkStoreOnly rejects a flag of the live store given to `recon run`
// without --store, which would otherwise be ignored.
func checkStoreOnly(cmd *cli.Command) error {
	if cmd.Bool("store") {
		return nil
	}
	for _, f := range append(storeFlags(), planFlags()...) {
		name := f.Names()[0]
		if cmd.IsSet(name) {
			return fmt.Errorf("--%s applies only with --store: add --store to read BigCommerce live, "+
				"or drop --%s (see 'recon run --help')", name, name)
		}
	}
	return nil
}

func runAction(ctx context.Context, cmd *cli.Command) error {
	logger, cfg, err := runSettings(cmd)
	if err != nil {
		return err
	}
	fsys, origin, err := dataFS(cfg)
	if err != nil {
		return err
	}
	var live *liveSource
	if cmd.Bool("store") {
		if live, err = liveSourceFrom(cmd, cfg, logger); err != nil {
			return err
		}
		fsys = withoutFolder{fsys, "bigcommerce"}
	}

	summary, err := reconcile(ctx, reconcileJob{
		live:        live,
		data:        fsys,
		origin:      origin,
		dbPath:      cfg.db,
		reportPath:  cfg.report,
		keepParquet: cmd.Bool("keep-parquet"),
		config:      cfg,
		logger:      logger,
	})
	if err != nil {
		return err
	}

	if err := summary.print(cmd.Root().Writer); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted after run %d was stored: %w", summary.runID, ctx.Err())
	}
	return nil
}

// runSettings checks the arguments of `recon run` and returns its logger
// and settings, rejecting a database or report path that would fail or
// be lost only after the run was stored.
func runSettings(cmd *cli.Command) (*slog.Logger, config, error) {
	if err := checkNoArgs(cmd); err != nil {
		return nil, config{}, err
	}
	if err := checkStoreOnly(cmd); err != nil {
		return nil, config{}, err
	}
	logger, err := newLogger(cmd)
	if err != nil {
		return nil, config{}, err
	}
	cfg, err := loadSettings(cmd)
	if err != nil {
		return nil, config{}, err
	}
	if err := checkDBPath(cfg.db); err != nil {
		return nil, config{}, err
	}
	if err := checkReportPath(cfg.report); err != nil {
		return nil, config{}, err
	}
	if err := checkCustomDir(cfg); err != nil {
		return nil, config{}, err
	}
	return logger, cfg, nil
}

// dataFS returns the folder of cfg.data to read, or the bundled demo
// when it is empty. Errors name the flag or config key that set it.
func dataFS(cfg config) (fs.FS, string, error) {
	dir := cfg.data
	if dir == "" {
		return fixtures.Demo, "bundled demo", nil
	}
	name := "data"
	if slices.Contains(cfg.flags, "data") {
		name = "--data"
	}
	hint := "give the folder that holds bigcommerce/, erp/, wms/ and payouts/ (see docs/formats.md), " +
		"or leave " + name + " out to reconcile the bundled demo"
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", fmt.Errorf("%s folder %s does not exist: %s", cfg.source("data"), dir, hint)
	}
	if err != nil {
		return nil, "", fmt.Errorf("%s folder %s: %w", cfg.source("data"), dir, err)
	}
	if !info.IsDir() {
		return nil, "", fmt.Errorf("%s folder %s is not a folder: %s", cfg.source("data"), dir, hint)
	}
	return os.DirFS(dir), dir, nil
}

// reconcileJob is one reconciliation: where to read, where to write and
// the config, which holds the rule parameters and custom rules.
type reconcileJob struct {
	live        *liveSource // nil to read BigCommerce from data
	data        fs.FS
	origin      string
	dbPath      string
	reportPath  string
	keepParquet bool
	config      config
	logger      *slog.Logger
	// stored, when set, is called once the run is stored for good.
	stored func()
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
	store, err := openStore(ctx, job.dbPath, job.logger, opts...)
	if err != nil {
		return runSummary{}, err
	}
	defer store.Close()
	if job.live != nil {
		read, err := job.live.read(ctx, store.Store, job.dbPath)
		if err != nil {
			return runSummary{}, store.abandon(err, job.logger)
		}
		snaps = append([]extract.Snapshot{read.snap}, snaps...)
		job.stored = func() { read.commit(job.logger) }
	}
	return evaluateRun(ctx, store, snaps, job)
}

// evaluateRun loads the snapshots as a new run, then evaluates the rules,
// finishes the run and writes its report.
func evaluateRun(ctx context.Context, store *commandStore, snaps []extract.Snapshot, job reconcileJob) (runSummary, error) {
	set, err := ruleSet(ctx, store.DB(), job.config)
	if err != nil {
		return runSummary{}, store.abandon(err, job.logger)
	}
	if err := rules.CreateSchema(ctx, store.DB()); err != nil {
		return runSummary{}, store.abandon(err, job.logger)
	}
	runID, infos, err := store.LoadRun(ctx, "run", snaps)
	if err != nil {
		return runSummary{}, store.abandon(err, job.logger)
	}
	result, err := completeRun(ctx, store.Store, runID, set, asOf(snaps), job)
	if errors.As(err, new(discardedRunError)) {
		return runSummary{}, store.abandon(err, job.logger)
	}
	if err != nil {
		return runSummary{}, err
	}
	return runSummary{runID: runID, snapshots: infos, result: result, rules: set,
		db: job.dbPath, report: job.reportPath}, nil
}

// completeRun evaluates the rules of a loaded run, finishes it and writes
// its report. An interrupt no longer stops it, because a run whose
// snapshots are stored without findings would be half a run: it is
// logged and takes effect once the run is stored. If the rules or
// FinishRun fail, the run and everything it stored are discarded.
func completeRun(ctx context.Context, store *load.Store, runID int64, set []rules.Rule,
	asOf time.Time, job reconcileJob) (rules.Result, error) {
	stop := logInterrupt(ctx, job.logger, runID)
	defer stop()
	ctx = context.WithoutCancel(ctx)

	result, err := rules.EvaluateRules(ctx, store.DB(), runID, job.config.params, set, job.logger)
	if err == nil {
		err = store.FinishRun(ctx, runID, load.RunSucceeded, asOf)
	}
	if err != nil {
		return rules.Result{}, discardRun(ctx, store, runID, err, job.logger)
	}
	if job.stored != nil {
		job.stored()
	}

	if err := reports.WriteExceptions(ctx, store.DB(), runID, job.reportPath, set, result.Rules); err != nil {
		return rules.Result{}, fmt.Errorf("run %d is stored in %s, but its report failed: %w", runID, job.dbPath, err)
	}
	return result, nil
}

// logInterrupt logs an interrupt that arrives while run runID is being
// completed. The returned function stops watching.
func logInterrupt(ctx context.Context, logger *slog.Logger, runID int64) func() bool {
	return context.AfterFunc(ctx, func() {
		logger.Warn("interrupt received: recon stops once the run is stored", "run_id", runID)
	})
}

// discardRun removes a run that failed after its snapshots were loaded
// and returns cause, with what became of the run.
func discardRun(ctx context.Context, store *load.Store, runID int64, cause error, logger *slog.Logger) error {
	if err := store.DiscardRun(ctx, runID); err != nil {
		logger.Error("discard failed run", "run_id", runID, "error", err)
		return fmt.Errorf("run %d: %w (removing the run also failed, so it stays in the database marked %s: %v)",
			runID, cause, load.RunLoaded, err)
	}
	return discardedRunError{runID: runID, cause: cause}
}

// discardedRunError is the error of a run that failed after its
// snapshots were loaded and was removed again, so the database holds
// nothing of it.
type discardedRunError struct {
	runID int64
	cause error
}

func (e discardedRunError) Error() string {
	return fmt.Sprintf("run %d failed and was removed from the database: %v", e.runID, e.cause)
}

func (e discardedRunError) Unwrap() error { return e.cause }

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
