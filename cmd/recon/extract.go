package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/load"
)

// sinceOverlap is how far before --since, or before the previous
// snapshot, an incremental extract starts. It covers records written
// while the previous extract ran and small clock differences.
const sinceOverlap = 5 * time.Minute

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
			Value: "recon.duckdb",
			Usage: "DuckDB file to create or add the snapshot to",
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
			"over from it; --full reads everything again. The access token is read from " +
			envToken + ", never from a flag, so it stays out of shell history.",
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
	logger, err := newLogger(cmd)
	if err != nil {
		return err
	}
	live, err := liveSourceFrom(cmd, logger)
	if err != nil {
		return err
	}
	store, err := load.Open(ctx, cmd.String("db"), logger)
	if err != nil {
		return err
	}
	defer store.Close()

	snap, stats, err := live.read(ctx, store)
	if err != nil {
		return err
	}
	runID, infos, err := store.LoadRun(ctx, "extract bigcommerce", []extract.Snapshot{snap})
	if err != nil {
		return err
	}
	if err := store.FinishRun(ctx, runID, load.RunSucceeded, snap.ExtractedAt); err != nil {
		return err
	}
	return printExtract(cmd.Root().Writer, runID, infos[0], stats, cmd.String("db"))
}

// liveSource is a BigCommerce store to read over the API, with the
// choice between a full and an incremental extract.
type liveSource struct {
	cfg      storeConfig
	since    time.Time // from --since, or zero
	full     bool
	logger   *slog.Logger
	progress func(limits func() extract.RateLimitStats) extractProgress
}

// liveSourceFrom reads the store settings and --since and --full.
func liveSourceFrom(cmd *cli.Command, logger *slog.Logger) (*liveSource, error) {
	cfg := storeConfigFrom(cmd)
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
		progress: func(limits func() extract.RateLimitStats) extractProgress {
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
	workers int
}

func (p extractPlan) incremental() bool { return !p.since.IsZero() }

// plan decides between a full and an incremental extract. An incremental
// one needs an earlier BigCommerce snapshot in store to complete it, so
// --since without one is rejected before any request is sent.
func (l *liveSource) plan(ctx context.Context, store *load.Store) (extractPlan, error) {
	plan := extractPlan{overlap: sinceOverlap, workers: l.cfg.Workers}
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

// read plans the extract and reads the store.
func (l *liveSource) read(ctx context.Context, store *load.Store) (extract.Snapshot, extract.RateLimitStats, error) {
	plan, err := l.plan(ctx, store)
	if err != nil {
		return extract.Snapshot{}, extract.RateLimitStats{}, err
	}
	fetcher, err := l.cfg.fetcher(l.logger)
	if err != nil {
		return extract.Snapshot{}, extract.RateLimitStats{}, err
	}
	l.logPlan(plan)

	started := time.Now()
	progress := &progressFetcher{next: fetcher, progress: l.progress(fetcher.Limiter().Stats)}
	snap, err := readBigCommerce(ctx, progress, plan, l.cfg.origin(), l.logger)
	progress.finish()
	stats := fetcher.Limiter().Stats()
	if err != nil {
		return extract.Snapshot{}, stats, fmt.Errorf("extract bigcommerce from %s: %w%s", l.cfg.origin(), err, accessHint(err))
	}
	l.logger.Info("extracted", "origin", snap.Origin, "mode", modeName(plan), "requests", stats.Requests,
		"rate_limited", stats.RateLimited, "retries", stats.Retries, "duration", time.Since(started))
	return snap, stats, nil
}

// accessHint returns what to check after a 401 or 403 from the API, or
// "" for other errors.
func accessHint(err error) string {
	var apiErr *extract.APIError
	if !errors.As(err, &apiErr) {
		return ""
	}
	switch apiErr.Status {
	case http.StatusUnauthorized:
		return ": check that " + envToken + " holds the store's access token and --store-hash its store hash"
	case http.StatusForbidden:
		return ": check that the API account has the read-only scopes for orders, transactions, products, inventory and store information"
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

// readBigCommerce is the one place that turns a plan into the walker's
// options. Today's walker reads every order, so an incremental plan
// filters the two change-tracked lists through sinceFetcher.
//
// TODO: when BigCommerceOptions gains Since, Overlap and Workers, set
// them from plan here and drop sinceFetcher. Until then plan.workers is
// unused, so requests go one at a time.
func readBigCommerce(ctx context.Context, f extract.Fetcher, plan extractPlan, origin string, logger *slog.Logger) (extract.Snapshot, error) {
	if plan.incremental() {
		f = sinceFetcher{next: f, since: plan.since.Add(-plan.overlap)}
	}
	snap, err := extract.ReadBigCommerce(ctx, f, extract.BigCommerceOptions{Origin: origin, Logger: logger})
	if err != nil {
		return extract.Snapshot{}, err
	}
	snap.Incremental = plan.incremental()
	return snap, nil
}

// sinceFetcher adds the change filters to the lists an incremental
// extract narrows: min_date_modified to GET /v2/orders, so the walker
// reads the products, shipments and transactions of changed orders only,
// and created:min to GET /v3/orders/payment_actions/refunds. Both
// filters are inclusive.
type sinceFetcher struct {
	next  extract.Fetcher
	since time.Time
}

func (f sinceFetcher) Get(ctx context.Context, path string, query url.Values) (extract.Response, error) {
	// BigCommerce takes ISO 8601 in min_date_modified and RFC 3339 in
	// created:min; this layout is both.
	at := f.since.UTC().Format("2006-01-02T15:04:05-07:00")
	switch path {
	case "/v2/orders":
		query = cloneWith(query, "min_date_modified", at)
	case "/v3/orders/payment_actions/refunds":
		query = cloneWith(query, "created:min", at)
	}
	return f.next.Get(ctx, path, query)
}

func cloneWith(query url.Values, key, value string) url.Values {
	q := url.Values{}
	for k, v := range query {
		q[k] = append([]string(nil), v...)
	}
	q.Set(key, value)
	return q
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
