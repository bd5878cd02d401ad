package rules

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"go/parser"
	"go/printer"
	"go/token"
	"io"
	"log/slog"
	"os"
	osexec "os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/fixtures"
	"github.com/recon-tools/recon/load"
)

// The business the rules benchmarks evaluate, and how it is built.
const (
	benchSeed = 1
	// benchChunkOrders is the number of orders per BigCommerce chunk, and
	// benchChunkRows the number of rows per file of a CSV source's chunk,
	// loaded while building a benchmark database.
	benchChunkOrders = 100_000
	benchChunkRows   = 400_000
	// benchMemoryLimit is DuckDB's memory_limit during the benchmarks,
	// unless memoryLimitEnv sets another. DuckDB's default, 80% of
	// physical memory, would allow far more than the 2 GiB the rules must
	// fit in.
	benchMemoryLimit = "1536MiB"
	memoryLimitEnv   = "RECON_BENCH_MEMORY_LIMIT"
	// truthEnv names the variable that makes TestWriteBenchGroundTruth
	// write a database's ground truth; it is set only for the subprocess
	// that ensureGroundTruth starts.
	truthEnv = "RECON_BENCH_TRUTH"
	// logEnv, when set, sends Evaluate's log records, which time each
	// rule, to standard error.
	logEnv = "RECON_BENCH_LOG"
	// dbEnv, when set, names a database to evaluate instead of the cached
	// one, such as a copy built by an earlier version of the generator.
	dbEnv = "RECON_BENCH_DB"
	// rulesEnv, when set, limits the benchmark to a comma-separated list
	// of rule ids, to time a few rules alone.
	rulesEnv = "RECON_BENCH_RULES"
	// buildEnv names the variable that makes TestBuildRulesBenchDatabase
	// build a benchmark database; it is set only for the subprocess that
	// benchDatabase starts.
	buildEnv = "RECON_BENCH_BUILD"
)

// BenchmarkRules1MOrders evaluates every rule over a generated business
// of 1,000,000 orders. Run it once with
//
//	go test ./rules -run '^$' -bench BenchmarkRules1MOrders -benchtime=1x -timeout 3h
//
// The first run builds the database in a subprocess, which takes tens of
// minutes, and caches it under os.TempDir(); later runs reuse it.
func BenchmarkRules1MOrders(b *testing.B) { benchmarkRules(b, 1_000_000) }

// BenchmarkRules100kOrders is BenchmarkRules1MOrders on 100,000 orders.
func BenchmarkRules100kOrders(b *testing.B) { benchmarkRules(b, 100_000) }

// benchmarkRules times Evaluate over all rules on a cached database of a
// generated business. It reports the process's peak resident set size
// (getrusage ru_maxrss) before and after the evaluations, and DuckDB's
// peak memory as sampled from duckdb_memory() every 20 ms.
func benchmarkRules(b *testing.B, orders int) {
	ctx := context.Background()
	path := benchDatabase(b, orders)
	if err := ensureGroundTruth(path, orders); err != nil {
		b.Fatal(err)
	}
	store, err := load.Open(ctx, path, nil, load.WithoutParquetCopies())
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	db := store.DB()
	limit := cmp.Or(os.Getenv(memoryLimitEnv), benchMemoryLimit)
	runID := prepareBenchDatabase(b, db, limit)
	logger := slog.New(slog.DiscardHandler)
	if os.Getenv(logEnv) != "" {
		logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	set := benchRules(b)
	b.Logf("orders=%d seed=%d memory_limit=%s rules=%s", orders, benchSeed, limit, strings.Join(ruleIDs(set), ","))

	rssBefore := maxRSS(b)
	sampler := startMemorySampler(db)
	var findings int64
	b.ResetTimer()
	for b.Loop() {
		result, err := EvaluateRules(ctx, db, runID, DefaultParams(), set, logger)
		if err != nil {
			b.Fatal(err)
		}
		findings = result.Findings()
	}
	b.StopTimer()
	duckPeak := sampler.stop()

	b.ReportMetric(float64(rssBefore)/(1<<20), "MiB-RSS-before")
	b.ReportMetric(float64(maxRSS(b))/(1<<20), "MiB-peak-RSS")
	b.ReportMetric(float64(duckPeak)/(1<<20), "MiB-DuckDB-peak")
	b.ReportMetric(float64(findings), "findings")

	missed, extra := compareGroundTruth(b, db, runID, set)
	b.ReportMetric(float64(missed), "missed")
	b.ReportMetric(float64(extra), "false-positives")
	if missed != 0 || extra != 0 {
		b.Errorf("%d seeded exceptions missed and %d found that were not seeded", missed, extra)
	}
}

// compareGroundTruth counts the seeded exceptions of the rules in set
// that the run did not find, and the findings that were not seeded. It
// compares rule, entity keys and amounts, as the ground truth tests of
// smaller businesses do.
func compareGroundTruth(b *testing.B, db *sql.DB, runID int64, set []Rule) (missed, extra int64) {
	b.Helper()
	ids := ruleIDs(set)
	const query = `WITH got AS (
  SELECT rule_id, coalesce(CAST(order_id AS VARCHAR), '') AS order_id,
    coalesce(CAST(refund_id AS VARCHAR), '') AS refund_id, coalesce(sku, '') AS sku,
    coalesce(location, '') AS location, coalesce(document, '') AS document,
    CAST(expected AS DECIMAL(18,4)) AS expected, CAST(actual AS DECIMAL(18,4)) AS actual
  FROM exceptions WHERE run_id = $1
),
want AS (
  SELECT rule_id, order_id, refund_id, sku, location, document,
    CAST(nullif(expected, '') AS DECIMAL(18,4)) AS expected,
    CAST(nullif(actual, '') AS DECIMAL(18,4)) AS actual
  FROM bench_ground_truth WHERE list_contains(CAST($2 AS VARCHAR[]), rule_id)
)
SELECT
  (SELECT count(*) FROM (SELECT * FROM want EXCEPT ALL SELECT * FROM got)),
  (SELECT count(*) FROM (SELECT * FROM got EXCEPT ALL SELECT * FROM want))`
	if err := db.QueryRowContext(context.Background(), query, runID, ids).Scan(&missed, &extra); err != nil {
		b.Fatal(err)
	}
	return missed, extra
}

// ensureGroundTruth stores the business's seeded exceptions in the
// table bench_ground_truth of the database at path, unless it has them.
// A subprocess generates the business again, so that its gigabytes do
// not count in the benchmark's peak memory.
func ensureGroundTruth(path string, orders int) error {
	ctx := context.Background()
	store, err := load.Open(ctx, path, nil, load.WithoutParquetCopies())
	if err != nil {
		return err
	}
	var n int
	err = store.DB().QueryRowContext(ctx,
		"SELECT count(*) FROM duckdb_tables() WHERE table_name = 'bench_ground_truth' AND NOT temporary").Scan(&n)
	if cerr := store.Close(); err == nil {
		err = cerr
	}
	if err != nil || n == 1 {
		return err
	}
	cmd := osexec.Command(os.Args[0], "-test.run=^TestWriteBenchGroundTruth$", "-test.v", "-test.timeout=0")
	cmd.Env = append(os.Environ(), truthEnv+"="+path+","+strconv.Itoa(orders))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("write ground truth: %w", err)
	}
	return nil
}

// TestWriteBenchGroundTruth writes a benchmark database's ground truth
// when ensureGroundTruth runs it as a subprocess, and is skipped
// otherwise.
func TestWriteBenchGroundTruth(t *testing.T) {
	path, orders := subprocessSpec(t, truthEnv, "writes the rules benchmark's ground truth only when run by the benchmark")
	cfg := fixtures.DemoConfig()
	cfg.Orders, cfg.Seed = orders, benchSeed
	business, err := fixtures.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	store, err := load.Open(ctx, path, nil, load.WithoutParquetCopies())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tx, err := store.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()

	exceptions := business.Exceptions()
	if err := storeGroundTruth(ctx, tx, exceptions); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d seeded exceptions", len(exceptions))
}

// storeGroundTruth creates the table bench_ground_truth and writes the
// seeded exceptions to it, 1,000 to an INSERT. An id of 0 is stored as
// an empty string, as the findings' NULL ids are compared.
func storeGroundTruth(ctx context.Context, tx *sql.Tx, exceptions []fixtures.Exception) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE bench_ground_truth (rule_id VARCHAR, order_id VARCHAR,
  refund_id VARCHAR, sku VARCHAR, location VARCHAR, document VARCHAR, expected VARCHAR, actual VARCHAR)`); err != nil {
		return err
	}
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	for start := 0; start < len(exceptions); start += 1000 {
		var values []string
		var args []any
		for _, e := range exceptions[start:min(start+1000, len(exceptions))] {
			values = append(values, "(?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, e.RuleID, id(e.OrderID), id(e.RefundID), e.SKU, e.Location, e.Document, e.Expected, e.Actual)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO bench_ground_truth VALUES "+strings.Join(values, ", "), args...); err != nil {
			return err
		}
	}
	return nil
}

// prepareBenchDatabase sets DuckDB's memory limit, such as "1536MiB",
// creates the exceptions and lifecycle tables, empties them and returns
// the id of the database's one run.
func prepareBenchDatabase(b *testing.B, db *sql.DB, memoryLimit string) int64 {
	b.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "SET memory_limit = ?", memoryLimit); err != nil {
		b.Fatal(err)
	}
	if err := CreateSchema(ctx, db); err != nil {
		b.Fatal(err)
	}
	if err := CreateLifecycleSchema(ctx, db); err != nil {
		b.Fatal(err)
	}
	// Forget what earlier benchmarks stored, so that the run updates the
	// lifecycle as a first run would instead of skipping it as not new.
	// The findings go too, so that Evaluate does not spend its time
	// deleting them, which a run's first evaluation never does.
	for _, table := range []string{"exceptions", "exception_events", "exception_occurrences", "exception_state", "lifecycle_runs"} {
		if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		b.Fatal(err)
	}
	var runID int64
	if err := db.QueryRowContext(ctx, "SELECT max(run_id) FROM runs").Scan(&runID); err != nil {
		b.Fatal(err)
	}
	return runID
}

// benchRules returns every rule, or those rulesEnv names.
func benchRules(b *testing.B) []Rule {
	b.Helper()
	names := os.Getenv(rulesEnv)
	if names == "" {
		return All()
	}
	var set []Rule
	for id := range strings.SplitSeq(names, ",") {
		r, ok := Lookup(strings.TrimSpace(id))
		if !ok {
			b.Fatalf("%s: no rule %q", rulesEnv, id)
		}
		set = append(set, r)
	}
	return set
}

func ruleIDs(set []Rule) []string {
	var ids []string
	for _, r := range set {
		ids = append(ids, r.ID)
	}
	return ids
}

// maxRSS returns the peak resident set size of this process in bytes.
// Linux reports ru_maxrss in KiB.
func maxRSS(b *testing.B) int64 {
	b.Helper()
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		b.Fatal(err)
	}
	return usage.Maxrss * 1024
}

// memorySampler records the largest total of duckdb_memory() seen while
// it runs. It queries through its own pooled connection, so it samples
// while Evaluate holds another.
type memorySampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak int64
}

func startMemorySampler(db *sql.DB) *memorySampler {
	s := &memorySampler{done: make(chan struct{})}
	s.wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			var used int64
			err := db.QueryRow("SELECT coalesce(sum(memory_usage_bytes), 0)::BIGINT FROM duckdb_memory()").Scan(&used)
			if err == nil {
				s.peak = max(s.peak, used)
			}
			select {
			case <-s.done:
				return
			case <-tick.C:
			}
		}
	})
	return s
}

// stop ends the sampling and returns the peak in bytes.
func (s *memorySampler) stop() int64 {
	close(s.done)
	s.wg.Wait()
	return s.peak
}

// benchDatabase returns the path of a database holding one run of a
// generated business of orders orders. It builds the database in a
// subprocess when no cached copy exists, so that building, which needs
// gigabytes, does not count in this process's peak RSS. The cache key
// includes a hash of the generator, extract and load sources, so a
// change to any of them builds a new database.
func benchDatabase(b *testing.B, orders int) string {
	b.Helper()
	if path := os.Getenv(dbEnv); path != "" {
		return path
	}
	key, err := sourceHash("../fixtures", "../extract", "../load")
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(os.TempDir(), "recon-bench")
	path := filepath.Join(dir, fmt.Sprintf("rules-%d-orders-seed-%d-%s.duckdb", orders, benchSeed, key))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}

	b.Logf("building %s; this runs once per generator version", path)
	start := time.Now()
	cmd := osexec.Command(os.Args[0], "-test.run=^TestBuildRulesBenchDatabase$", "-test.v", "-test.timeout=0")
	cmd.Env = append(os.Environ(), buildEnv+"="+path+","+strconv.Itoa(orders))
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		b.Fatalf("build benchmark database: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		b.Fatalf("build benchmark database: %v", err)
	}
	b.Logf("built %s in %v", path, time.Since(start).Round(time.Second))
	return path
}

// sourceHash returns the first 12 hex digits of a SHA-256 over the
// non-test Go files of dirs, printed without their comments, so that
// rewording a comment does not force a rebuild that takes tens of
// minutes.
func sourceHash(dirs ...string) (string, error) {
	h := sha256.New()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			return "", err
		}
		slices.Sort(files)
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				return "", fmt.Errorf("hash sources: %w", err)
			}
			var code bytes.Buffer
			if err := printer.Fprint(&code, fset, file); err != nil {
				return "", fmt.Errorf("hash sources: %s: %w", name, err)
			}
			fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(name), code.Len())
			h.Write(code.Bytes())
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

// subprocessSpec reads the PATH,ORDERS that the benchmark passes a
// subprocess in the variable env, and skips the test with skipReason
// when env is unset. It also caps the Go heap for the gigabytes of a generated
// business.
func subprocessSpec(t *testing.T, env, skipReason string) (string, int) {
	t.Helper()
	spec := os.Getenv(env)
	if spec == "" {
		t.Skip(skipReason)
	}
	path, ordersText, _ := strings.Cut(spec, ",")
	orders, err := strconv.Atoi(ordersText)
	if err != nil {
		t.Fatalf("invalid %s=%q: want PATH,ORDERS", env, spec)
	}
	// NOTE: a soft limit for the Go heap only, because the default GOGC
	// let the heap grow to twice the live business and chunk.
	debug.SetMemoryLimit(10 << 30)
	return path, orders
}

// TestBuildRulesBenchDatabase builds a benchmark database when
// benchDatabase runs it as a subprocess, and is skipped otherwise.
func TestBuildRulesBenchDatabase(t *testing.T) {
	path, orders := subprocessSpec(t, buildEnv, "builds the rules benchmark database only when run by the benchmark")
	partial := path + ".partial"
	os.Remove(partial)
	if err := buildBenchDatabase(t, partial, orders); err != nil {
		os.Remove(partial)
		t.Fatal(err)
	}
	if err := os.Rename(partial, path); err != nil {
		t.Fatal(err)
	}
}

// buildBenchDatabase generates the business and loads it as one run of
// four snapshots. Each source is loaded in chunks that are merged into
// the first chunk's snapshot, so only the business and one chunk's rows
// are in memory at a time. Even so, a million orders need about 10 GiB.
func buildBenchDatabase(t *testing.T, path string, orders int) error {
	ctx := context.Background()
	cfg := fixtures.DemoConfig()
	cfg.Orders, cfg.Seed = orders, benchSeed
	start := time.Now()
	business, err := fixtures.Generate(cfg)
	if err != nil {
		return err
	}
	t.Logf("generated %d orders with %d seeded exceptions in %v",
		orders, len(business.Exceptions()), time.Since(start).Round(time.Second))

	store, err := load.Open(ctx, path, slog.New(slog.NewTextHandler(io.Discard, nil)), load.WithoutParquetCopies())
	if err != nil {
		return err
	}
	defer store.Close()
	runID, err := store.BeginRun(ctx, "bench")
	if err != nil {
		return err
	}
	if err := loadBigCommerceChunks(t, store, runID, business, orders); err != nil {
		return err
	}
	for _, source := range []extract.Source{extract.SourceERP, extract.SourceWMS, extract.SourcePayouts} {
		start := time.Now()
		var snapshotID int64
		for snap, err := range business.CSVChunks(source, benchChunkRows) {
			if err != nil {
				return err
			}
			if snapshotID, err = loadChunk(ctx, store, runID, snap, snapshotID); err != nil {
				return err
			}
		}
		t.Logf("loaded %s in %v", source, time.Since(start).Round(time.Second))
	}
	if err := store.FinishRun(ctx, runID, load.RunLoaded, business.Clock()); err != nil {
		return err
	}
	_, err = store.DB().ExecContext(ctx, "CHECKPOINT")
	return err
}

// loadBigCommerceChunks loads the BigCommerce snapshot chunk by chunk
// and merges every later chunk into the first chunk's snapshot.
func loadBigCommerceChunks(t *testing.T, store *load.Store, runID int64, business *fixtures.Business, orders int) error {
	ctx := context.Background()
	var snapshotID int64
	for from := 0; from < orders; from += benchChunkOrders {
		start := time.Now()
		snap, err := business.BigCommerceChunk(from, min(from+benchChunkOrders, orders))
		if err != nil {
			return err
		}
		if snapshotID, err = loadChunk(ctx, store, runID, snap, snapshotID); err != nil {
			return err
		}
		t.Logf("loaded bigcommerce orders from %d in %v", from, time.Since(start).Round(time.Second))
	}
	return nil
}

// loadChunk loads snap, one chunk of a source, into run runID and merges
// it into snapshot into, unless into is 0. It returns the id of the
// snapshot that holds the chunk.
func loadChunk(ctx context.Context, store *load.Store, runID int64, snap extract.Snapshot, into int64) (int64, error) {
	infos, err := store.LoadSnapshots(ctx, runID, []extract.Snapshot{snap})
	if err != nil {
		return 0, err
	}
	if into == 0 {
		return infos[0].ID, nil
	}
	return into, mergeSnapshot(ctx, store.DB(), snap.Source, infos[0].ID, into)
}

// mergeSnapshot moves the rows of snapshot from into snapshot into, adds
// from's row counts to into's, and deletes from. Both are snapshots of
// source.
//
// NOTE: this edits the loader's snapshots and snapshot_tables directly,
// because the loader has no way to load one snapshot in parts.
func mergeSnapshot(ctx context.Context, db *sql.DB, source extract.Source, from, into int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("merge snapshot %d into %d: %w", from, into, err)
	}
	defer tx.Rollback()
	var stmts []string
	for _, def := range extract.Tables {
		if def.Source != source {
			continue
		}
		stmts = append(stmts,
			fmt.Sprintf("INSERT INTO %s SELECT * REPLACE (%d::BIGINT AS snapshot_id) FROM %s WHERE snapshot_id = %d", def.Name, into, def.Name, from),
			fmt.Sprintf("DELETE FROM %s WHERE snapshot_id = %d", def.Name, from))
	}
	stmts = append(stmts,
		fmt.Sprintf(`UPDATE snapshot_tables AS t SET row_count = t.row_count + f.row_count
FROM snapshot_tables AS f WHERE t.snapshot_id = %d AND f.snapshot_id = %d AND f.table_name = t.table_name`, into, from),
		fmt.Sprintf("DELETE FROM snapshot_tables WHERE snapshot_id = %d", from),
		fmt.Sprintf("DELETE FROM snapshots WHERE snapshot_id = %d", from))
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("merge snapshot %d into %d: %w", from, into, err)
		}
	}
	return tx.Commit()
}
