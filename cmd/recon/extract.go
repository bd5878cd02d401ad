package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/load"
)

func extractCommand() *cli.Command {
	return &cli.Command{
		Name:  "extract",
		Usage: "snapshot one live system into the DuckDB file",
		Commands: []*cli.Command{
			extractBigCommerceCommand(),
		},
	}
}

func extractBigCommerceCommand() *cli.Command {
	flags := []cli.Flag{
		&cli.StringFlag{
			Name:  "db",
			Value: defaultDB,
			Usage: "DuckDB file to create or add the snapshot to; overrides the config's db",
		},
	}
	flags = append(flags, storeFlags()...)
	flags = append(flags, planFlags()...)
	return &cli.Command{
		Name:  "bigcommerce",
		Usage: "snapshot a live BigCommerce store through its REST API",
		Description: "Reads the store's orders with their products, shipments and transactions, " +
			"its refunds, variants, locations and inventory, and loads them into the DuckDB " +
			"file as a run of their own. After the first extract, only orders modified and " +
			"refunds created since the previous snapshot are read, and the rest is carried " +
			"over from it; --full reads everything again. Responses are staged in a folder " +
			"beside the database until the snapshot is stored, so an interrupted extract " +
			"resumes on the next run. The store comes from the flags, else the config's " +
			"bigcommerce section, else " + envStoreHash + ". The access token is read from the " +
			"environment variable that bigcommerce.token_env names, default " + envToken +
			", never from a flag, so it stays out of shell history.",
		Flags:  flags,
		Action: extractBigCommerceAction,
	}
}

// planFlags returns the flags that choose between a full and an
// incremental extract.
func planFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name: "since",
			Usage: "read only orders modified and refunds created since this RFC 3339 date (2026-11-01, read as " +
				"midnight UTC) or date-time (2026-11-01T09:30:00+01:00); default: when the previous " +
				"BigCommerce snapshot was extracted, or full history when there is none",
		},
		&cli.BoolFlag{
			Name:  "full",
			Usage: "read the whole store even when the database holds an earlier snapshot",
		},
	}
}

func extractBigCommerceAction(ctx context.Context, cmd *cli.Command) error {
	if err := checkNoArgs(cmd); err != nil {
		return err
	}
	logger, err := newLogger(cmd)
	if err != nil {
		return err
	}
	cfg, err := loadSettings(cmd)
	if err != nil {
		return err
	}
	if err := checkDBPath(cfg.db); err != nil {
		return err
	}
	live, err := liveSourceFrom(cmd, cfg, logger)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.db, logger)
	if err != nil {
		return err
	}
	defer store.Close()

	read, err := live.read(ctx, store.Store, cfg.db)
	if err != nil {
		return store.abandon(err, logger)
	}
	runID, infos, err := store.LoadRun(ctx, "extract bigcommerce", []extract.Snapshot{read.snap})
	if err != nil {
		return store.abandon(err, logger)
	}
	if err := finishExtract(ctx, store.Store, runID, read, logger); err != nil {
		return err
	}
	if err := printExtract(cmd.Root().Writer, runID, infos[0], read.stats, cfg.db); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted after run %d was stored: %w", runID, ctx.Err())
	}
	return nil
}

// finishExtract marks the run of a loaded extract succeeded, even when
// an interrupt arrives meanwhile, and commits its staging folder. If
// FinishRun fails, the run is discarded and the staging folder kept, so
// the next extract resumes from it.
func finishExtract(ctx context.Context, store *load.Store, runID int64, read liveRead, logger *slog.Logger) error {
	stop := logInterrupt(ctx, logger, runID)
	defer stop()
	ctx = context.WithoutCancel(ctx)
	if err := store.FinishRun(ctx, runID, load.RunSucceeded, read.snap.ExtractedAt); err != nil {
		return discardRun(ctx, store, runID, err, logger)
	}
	read.commit(logger)
	return nil
}

// liveSource is a BigCommerce store to read over the API, with the
// choice between a full and an incremental extract.
type liveSource struct {
	cfg      storeConfig
	since    time.Time // from --since, or zero
	full     bool
	logger   *slog.Logger
	progress func(limits func() extract.RateLimitStats) progressReporter
}

// liveSourceFrom reads the store settings, from the flags over the
// config, and --since and --full.
func liveSourceFrom(cmd *cli.Command, settings config, logger *slog.Logger) (*liveSource, error) {
	cfg := storeConfigFrom(cmd, settings)
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	since, err := parseSince(cmd.String("since"))
	if err != nil {
		return nil, err
	}
	if cmd.Bool("full") && !since.IsZero() {
		return nil, fmt.Errorf("--full and --since conflict: use --full to read everything, or --since to read changes")
	}
	errOut := cmd.Root().ErrWriter
	return &liveSource{
		cfg:    cfg,
		since:  since,
		full:   cmd.Bool("full"),
		logger: logger,
		progress: func(limits func() extract.RateLimitStats) progressReporter {
			return newProgress(errOut, logger, limits)
		},
	}, nil
}

// parseSince parses --since: an RFC 3339 date-time, or a date alone read
// as midnight UTC. An empty value gives the zero time.
func parseSince(value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, value); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, value); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("invalid --since %q: use an RFC 3339 date (2026-11-01) or date-time (2026-11-01T09:30:00Z)", value)
}

// extractPlan is the scope of one extract: the whole store, or the
// changes since a moment.
type extractPlan struct {
	since   time.Time // zero for a full extract
	overlap time.Duration
}

func (p extractPlan) incremental() bool { return !p.since.IsZero() }

// plan decides between a full and an incremental extract. An incremental
// one needs an earlier BigCommerce snapshot in store to complete it, so
// --since without one is rejected before any request is sent.
func (l *liveSource) plan(ctx context.Context, store *load.Store) (extractPlan, error) {
	plan := extractPlan{overlap: extract.DefaultOverlap}
	if l.full {
		return plan, nil
	}
	previous, ok, err := store.LatestExtractedAt(ctx, extract.SourceBigCommerce, l.cfg.origin())
	if err != nil {
		return plan, err
	}
	switch {
	case !ok && !l.since.IsZero():
		return plan, fmt.Errorf("--since needs an earlier BigCommerce snapshot in the database to complete: " +
			"run a full extract first, without --since")
	case !ok:
		return plan, nil
	case !l.since.IsZero():
		plan.since = l.since
	default:
		plan.since = previous
	}
	return plan, nil
}

// liveRead is the outcome of one live extract: its snapshot, the
// fetcher's counters and the staging folder that holds its responses
// until the snapshot is stored for good.
type liveRead struct {
	snap    extract.Snapshot
	stats   extract.RateLimitStats
	staging *extract.BigCommerceStaging
}

// commit removes the staging folder once the snapshot is stored, and the
// staging root above it once that is empty. A failure only leaves a
// folder behind, so it is logged, not returned.
func (r liveRead) commit(logger *slog.Logger) {
	if err := r.staging.Commit(); err != nil {
		logger.Warn("staging folder left behind; remove it before the next extract",
			"dir", r.staging.Dir(), "error", err)
		return
	}
	removeEmptyFolder(filepath.Dir(r.staging.Dir()), logger)
}

// stagingRoot returns the folder beside the database file that contains
// the staging folder of each source.
func stagingRoot(dbPath string) string {
	return dbPath + ".staging"
}

// stagingDir returns the folder beside the database file that keeps the
// responses of an unfinished BigCommerce extract.
func stagingDir(dbPath string) string {
	return filepath.Join(stagingRoot(dbPath), "bigcommerce")
}

// removeEmptyFolder removes dir when it exists and contains nothing. A
// failure only leaves an empty folder behind, so it is logged.
func removeEmptyFolder(dir string, logger *slog.Logger) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err == nil && len(entries) > 0 {
		return
	}
	if err == nil {
		err = os.Remove(dir)
	}
	if err != nil {
		logger.Warn("empty staging folder left behind", "dir", dir, "error", err)
	}
}

// read plans the extract and reads the store through the staging folder
// beside dbPath, so an interrupted extract resumes on the next run.
func (l *liveSource) read(ctx context.Context, store *load.Store, dbPath string) (liveRead, error) {
	plan, err := l.plan(ctx, store)
	if err != nil {
		return liveRead{}, err
	}
	api, err := l.cfg.fetcher(l.logger)
	if err != nil {
		return liveRead{}, err
	}
	opt := extract.BigCommerceOptions{
		Origin:  l.cfg.origin(),
		Logger:  l.logger,
		Workers: l.cfg.Workers,
		Since:   plan.since,
		Overlap: plan.overlap,
		Live:    true,
	}
	staging, err := l.openStaging(stagingDir(dbPath), api, opt)
	if err != nil {
		return liveRead{}, err
	}
	l.logPlan(plan)

	started := time.Now()
	progress := l.progress(api.Limiter().Stats)
	opt.Progress = progress
	snap, err := extract.ReadBigCommerce(ctx, staging, opt)
	progress.finish()
	stats := api.Limiter().Stats()
	if err != nil {
		counts := staging.Stats()
		hadResponse := counts.Stored+counts.Served > 0
		l.stopStaging(staging)
		return liveRead{}, fmt.Errorf("extract bigcommerce from %s: %w%s", l.cfg.origin(), err,
			statusHint(err, l.cfg.TokenEnv, hadResponse))
	}
	l.logger.Info("extracted", "origin", snap.Origin, "mode", modeName(plan), "requests", stats.Requests,
		"rate_limited", stats.RateLimited, "retries", stats.Retries, "from_staging", staging.Stats().Served,
		"duration", time.Since(started))
	return liveRead{snap: snap, stats: stats, staging: staging}, nil
}

// stopStaging keeps the staging folder of a failed extract when it
// contains responses for the next extract to resume from, and otherwise
// removes it with the staging root above it, if that is then empty.
func (l *liveSource) stopStaging(staging *extract.BigCommerceStaging) {
	stored := staging.Stats().Stored
	if staging.Resumed() || stored > 0 {
		l.logger.Info("bigcommerce extract stopped; the next extract resumes from the staging folder",
			"dir", staging.Dir(), "responses_staged", stored)
		return
	}
	if err := staging.Discard(); err != nil {
		l.logger.Warn("empty staging folder left behind", "dir", staging.Dir(), "error", err)
		return
	}
	removeEmptyFolder(filepath.Dir(staging.Dir()), l.logger)
}

// openStaging opens the staging folder dir. A folder left by an extract
// of another store or window cannot be resumed, so it is discarded and the
// extract starts afresh.
func (l *liveSource) openStaging(dir string, api extract.Fetcher, opt extract.BigCommerceOptions) (*extract.BigCommerceStaging, error) {
	staging, err := extract.OpenBigCommerceStaging(dir, api, opt)
	if errors.Is(err, extract.ErrStagingWindow) {
		l.logger.Warn("discarding the unfinished extract in the staging folder: it read another store or window",
			"dir", dir, "error", err)
		if err := extract.DiscardBigCommerceStaging(dir); err != nil {
			return nil, err
		}
		staging, err = extract.OpenBigCommerceStaging(dir, api, opt)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: remove the folder %s to start the extract afresh", err, dir)
	}
	return staging, nil
}

// statusHint returns what to check after a 401, 403 or 404 from the API,
// or "" for other errors. TokenEnv is the variable the token was read
// from. HadResponse reports whether the store returned any response
// before, which rules out a wrong store hash or base URL behind a 404.
func statusHint(err error, tokenEnv string, hadResponse bool) string {
	var apiErr *extract.APIError
	if !errors.As(err, &apiErr) {
		return ""
	}
	switch apiErr.Status {
	case http.StatusUnauthorized:
		return ": check that " + tokenEnv + " holds the store's access token and --store-hash its store hash"
	case http.StatusForbidden:
		return ": check that the API account has the read-only scopes for orders, transactions, products, inventory and store information"
	case http.StatusNotFound:
		hint := ": the API found no " + apiErr.URLPath
		if hadResponse {
			return hint
		}
		return hint + ": check that --store-hash is the store's hash and --base-url the API host " +
			"without /stores/{hash}, such as " + extract.DefaultBaseURL
	}
	return ""
}

func (l *liveSource) logPlan(plan extractPlan) {
	if !plan.incremental() {
		l.logger.Info("extracting bigcommerce", "mode", "full", "origin", l.cfg.origin())
		return
	}
	l.logger.Info("extracting bigcommerce", "mode", "incremental", "origin", l.cfg.origin(),
		"since", plan.since.Format(time.RFC3339), "overlap", plan.overlap)
}

func modeName(plan extractPlan) string {
	if plan.incremental() {
		return "incremental"
	}
	return "full"
}

// printExtract writes what `recon extract bigcommerce` loaded.
func printExtract(w io.Writer, runID int64, info load.SnapshotInfo, stats extract.RateLimitStats, db string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "run %d: %s snapshot %d of bigcommerce", runID, info.Mode(), info.ID)
	if info.BaseID != 0 {
		fmt.Fprintf(tw, ", completed from snapshot %d", info.BaseID)
	}
	fmt.Fprintln(tw, "\n\nTABLE\tROWS\tCARRIED OVER")
	for _, def := range extract.Tables {
		if def.Source != extract.SourceBigCommerce {
			continue
		}
		carried := "-"
		if n, ok := info.Carried[def.Name]; ok {
			carried = fmt.Sprint(n)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", def.Name, info.RowCounts[def.Name], carried)
	}
	fmt.Fprintf(tw, "\nrequests\t%d (%d rate limited, %d retried)\n", stats.Requests, stats.RateLimited, stats.Retries)
	fmt.Fprintf(tw, "database\t%s\n", db)
	return tw.Flush()
}

// withoutFolder hides one top-level folder of an fs.FS, so that
// extract.ReadDir skips the saved BigCommerce responses when `recon run
// --store` reads the store live.
type withoutFolder struct {
	fsys   fs.FS
	folder string
}

func (w withoutFolder) Open(name string) (fs.File, error) {
	if name == w.folder || strings.HasPrefix(name, w.folder+"/") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return w.fsys.Open(name)
}
