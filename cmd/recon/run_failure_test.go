package main

import (
	"bytes"
	"context"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/recon-tools/recon/load"
)

// cancelOnLog passes log output to w and cancels a context at the first
// write that contains match, to interrupt recon at a known step as
// Ctrl-C would.
type cancelOnLog struct {
	w      io.Writer
	match  []byte
	cancel context.CancelFunc
}

func (c *cancelOnLog) Write(p []byte) (int, error) {
	if bytes.Contains(p, c.match) {
		c.cancel()
	}
	return c.w.Write(p)
}

// runReconInterrupted runs recon like runRecon and interrupts it at the
// first log line that contains match.
func runReconInterrupted(t *testing.T, match string, args ...string) reconOutput {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	errOut := &cancelOnLog{w: &stderr, match: []byte(match), cancel: cancel}
	code := run(ctx, append([]string{"recon"}, args...), &stdout, errOut)
	return reconOutput{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// demoRun runs the demo once into a new database and returns the
// database path and the folder it is in.
func demoRun(t *testing.T) (db, dir string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "recon.duckdb")
	res := runRecon(t, "--log-level", "warn", "run", "--db", db, "--report", filepath.Join(dir, "report.xlsx"))
	if res.code != 0 {
		t.Fatalf("first run: exit code %d, stderr:\n%s", res.code, res.stderr)
	}
	return db, dir
}

// snapshotFolders returns the names in the database's Parquet folder.
func snapshotFolders(t *testing.T, db string) []string {
	t.Helper()
	entries, err := os.ReadDir(strings.TrimSuffix(db, filepath.Ext(db)) + ".snapshots")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestRunReportPathCheckedFirst(t *testing.T) {
	db, dir := demoRun(t)
	before := tableCounts(t, db)
	folders := snapshotFolders(t, db)
	file := filepath.Join(dir, "report.xlsx")
	cases := []struct {
		name, report, want string
	}{
		{"missing folder", filepath.Join(dir, "absent", "r.xlsx"), "report folder " + filepath.Join(dir, "absent") + " does not exist"},
		{"folder is a file", filepath.Join(file, "r.xlsx"), "report folder " + file + " is not a folder"},
		{"empty", "", `invalid --report ""`},
		{"report is a folder", dir, "it is a folder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runRecon(t, "run", "--db", db, "--report", c.report)

			if res.code != 1 {
				t.Errorf("exit code %d, want 1", res.code)
			}
			if !strings.Contains(res.stderr, c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, res.stderr)
			}
			if strings.Contains(res.stderr, "extracted") {
				t.Errorf("recon read the data before checking the report path:\n%s", res.stderr)
			}
			if after := tableCounts(t, db); !maps.Equal(before, after) {
				t.Errorf("table counts changed:\nbefore %v\nafter  %v", before, after)
			}
			if got := snapshotFolders(t, db); !equalStrings(got, folders) {
				t.Errorf("snapshot folders %v, want %v", got, folders)
			}
		})
	}
}

func TestRunReadOnlyReportFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to read-only folders")
	}
	db, dir := demoRun(t)
	before := tableCounts(t, db)
	locked := filepath.Join(dir, "locked")
	if err := os.Mkdir(locked, 0o555); err != nil {
		t.Fatal(err)
	}

	res := runRecon(t, "run", "--db", db, "--report", filepath.Join(locked, "r.xlsx"))

	if res.code != 1 {
		t.Errorf("exit code %d, want 1", res.code)
	}
	if !strings.Contains(res.stderr, "report folder "+locked+" is not writable") {
		t.Errorf("stderr lacks the not writable message:\n%s", res.stderr)
	}
	if after := tableCounts(t, db); !maps.Equal(before, after) {
		t.Errorf("table counts changed:\nbefore %v\nafter  %v", before, after)
	}
}

func TestRunInterruptAfterLoadCompletesRun(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "recon.duckdb")
	report := filepath.Join(dir, "report.xlsx")

	res := runReconInterrupted(t, `msg="loaded snapshot"`, "run", "--db", db, "--report", report)

	if res.code != 130 {
		t.Errorf("exit code %d, want 130; stderr:\n%s", res.code, res.stderr)
	}
	for _, want := range []string{"interrupt received: recon stops once the run is stored",
		"recon: interrupted after run 1 was stored"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	conn := openDB(t, db)
	if status := queryString(t, conn, `SELECT status FROM runs WHERE run_id = 1`); status != load.RunSucceeded {
		t.Errorf("run 1 status %q, want %s", status, load.RunSucceeded)
	}
	if n, want := queryInt(t, conn, `SELECT count(*) FROM exceptions WHERE run_id = 1`), int64(len(readGroundTruth(t))); n != want {
		t.Errorf("%d findings stored, want %d", n, want)
	}
	if _, err := os.Stat(report); err != nil {
		t.Errorf("report not written: %v", err)
	}
	if !strings.Contains(res.stdout, "run 1") {
		t.Errorf("stdout lacks the run summary:\n%s", res.stdout)
	}
}

// failingRuleConfig writes a config whose one custom rule binds but
// fails while it runs, and returns the config's path.
func failingRuleConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sqlDir := filepath.Join(dir, "sql")
	if err := os.Mkdir(sqlDir, 0o755); err != nil {
		t.Fatal(err)
	}
	rule := "-- id: custom.fails\n-- title: Fails at run time\n-- severity: low\n-- owner: finance\n" +
		"-- sources: bigcommerce\n" +
		"SELECT order_id, error('custom rule failed on order ' || order_id) AS reason FROM run_bc_orders\n"
	if err := os.WriteFile(filepath.Join(sqlDir, "fails.sql"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "recon.yaml")
	if err := os.WriteFile(config, []byte("rules:\n  custom_dir: sql\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return config
}

func TestRunFailingRuleDiscardsRun(t *testing.T) {
	db, dir := demoRun(t)
	before := tableCounts(t, db)
	folders := snapshotFolders(t, db)

	res := runRecon(t, "--config", failingRuleConfig(t), "run", "--db", db, "--report", filepath.Join(dir, "r2.xlsx"))

	if res.code != 1 {
		t.Errorf("exit code %d, want 1; stderr:\n%s", res.code, res.stderr)
	}
	for _, want := range []string{"run 2 failed and was removed from the database", "custom rule failed on order"} {
		if !strings.Contains(res.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.stderr)
		}
	}
	if after := tableCounts(t, db); !maps.Equal(before, after) {
		t.Errorf("table counts changed:\nbefore %v\nafter  %v", before, after)
	}
	if got := snapshotFolders(t, db); !equalStrings(got, folders) {
		t.Errorf("snapshot folders %v, want %v", got, folders)
	}
	if _, err := os.Stat(filepath.Join(dir, "r2.xlsx")); !os.IsNotExist(err) {
		t.Errorf("report written for a discarded run: %v", err)
	}
}

func TestDiscardRunUndoesSecondRun(t *testing.T) {
	db, dir := demoRun(t)
	before := tableCounts(t, db)
	folders := snapshotFolders(t, db)
	stateBefore := exceptionState(t, db)
	if res := runRecon(t, "--log-level", "warn", "run", "--db", db, "--report", filepath.Join(dir, "r2.xlsx")); res.code != 0 {
		t.Fatalf("second run: exit code %d, stderr:\n%s", res.code, res.stderr)
	}

	store, err := load.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = store.DiscardRun(context.Background(), 2)
	store.Close()

	if err != nil {
		t.Fatal(err)
	}
	if after := tableCounts(t, db); !maps.Equal(before, after) {
		t.Errorf("table counts changed:\nbefore %v\nafter  %v", before, after)
	}
	if got := snapshotFolders(t, db); !equalStrings(got, folders) {
		t.Errorf("snapshot folders %v, want %v", got, folders)
	}
	if got := exceptionState(t, db); got != stateBefore {
		t.Errorf("exception_state after discarding run 2 differs from after run 1:\n got  %s\n want %s", got, stateBefore)
	}
}

// exceptionState returns exception_state as text, one row a line.
func exceptionState(t *testing.T, db string) string {
	t.Helper()
	conn := openDB(t, db)
	defer conn.Close()
	return queryString(t, conn, `SELECT coalesce(string_agg(s::VARCHAR, chr(10) ORDER BY fingerprint), '')
FROM exception_state AS s`)
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

func TestRunRejectsExtraArgument(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "recon.duckdb")

	res := runRecon(t, "run", "--db", db, "--report", filepath.Join(dir, "r.xlsx"), "extra")

	if res.code != 1 {
		t.Errorf("exit code %d, want 1", res.code)
	}
	if !strings.Contains(res.stderr, `unexpected argument "extra": 'recon run' takes no arguments`) {
		t.Errorf("stderr lacks the usage error:\n%s", res.stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("database created despite the usage error: %v", err)
	}
}

func TestRunRejectsEmptyDB(t *testing.T) {
	res := runRecon(t, "run", "--db", "", "--report", filepath.Join(t.TempDir(), "r.xlsx"))

	if res.code != 1 {
		t.Errorf("exit code %d, want 1", res.code)
	}
	if !strings.Contains(res.stderr, `invalid --db "": give the DuckDB file to write`) {
		t.Errorf("stderr lacks the empty --db message:\n%s", res.stderr)
	}
}

func TestRunSummaryShowsCustomRule(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	rule := "-- id: custom.one_order\n-- title: Order 1003 is listed\n-- severity: low\n-- owner: finance\n" +
		"-- sources: bigcommerce\nSELECT order_id FROM run_bc_orders WHERE order_id = 1003\n"
	if err := os.WriteFile(filepath.Join(dir, "sql", "one_order.sql"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "recon.yaml")
	if err := os.WriteFile(config, []byte("rules:\n  custom_dir: sql\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "r.xlsx")

	res := runRecon(t, "--log-level", "warn", "--config", config, "run", "--db", filepath.Join(dir, "recon.duckdb"),
		"--report", report)

	if res.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", res.code, res.stderr)
	}
	if want := "custom.one_order low 1 0 -"; !strings.Contains(squeezeSpaces(res.stdout), want) {
		t.Errorf("summary lacks %q:\n%s", want, res.stdout)
	}
	f, err := excelize.OpenFile(report)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "custom.one_order" {
			got = strings.Join(r, "|")
		}
	}
	if want := "custom.one_order|Order 1003 is listed|finance|low|1|0|units||custom.one_order"; got != want {
		t.Errorf("Summary row %q, want %q", got, want)
	}
}

func TestMissingFoldersNamed(t *testing.T) {
	dir := t.TempDir()
	absent := filepath.Join(dir, "absent")
	config := filepath.Join(dir, "recon.yaml")
	writeFile(t, config, "db: absent/recon.duckdb\nreport: absent/r.xlsx\n")
	dbWant := "database folder " + absent + " does not exist: create it (mkdir -p " + absent +
		") or choose another --db or the config's db"
	reportWant := "report folder " + absent + " does not exist: create it (mkdir -p " + absent +
		") or choose another --report or the config's report"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"run --db", []string{"run", "--db", filepath.Join(absent, "recon.duckdb")}, dbWant},
		{"run config db", []string{"--config", config, "run"}, dbWant},
		{"run config report", []string{"--config", config, "run", "--db", filepath.Join(dir, "r.duckdb")}, reportWant},
		{"extract --db", []string{"extract", "bigcommerce", "--db", filepath.Join(absent, "recon.duckdb")}, dbWant},
		{"extract config db", []string{"--config", config, "extract", "bigcommerce"}, dbWant},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runRecon(t, c.args...)

			if res.code != 1 {
				t.Errorf("exit code %d, want 1", res.code)
			}
			if res.stderr != "recon: "+c.want+"\n" {
				t.Errorf("stderr %q, want %q", res.stderr, "recon: "+c.want+"\n")
			}
			if _, err := os.Stat(absent); !os.IsNotExist(err) {
				t.Errorf("folder %s created: %v", absent, err)
			}
		})
	}
}

func TestRunInvalidRuleLeavesNoDatabase(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "sql", "broken.sql"), "-- id: custom.broken\n-- title: Broken\n"+
		"-- severity: low\n-- owner: finance\n-- sources: bigcommerce\nSELECT order_id FROM no_such_table\n")
	config := filepath.Join(dir, "recon.yaml")
	writeFile(t, config, "rules:\n  custom_dir: sql\n")
	db := filepath.Join(dir, "recon.duckdb")

	res := runRecon(t, "--config", config, "run", "--db", db, "--report", filepath.Join(dir, "r.xlsx"))

	if res.code != 1 {
		t.Errorf("exit code %d, want 1; stderr:\n%s", res.code, res.stderr)
	}
	if !strings.Contains(res.stderr, "no_such_table") {
		t.Errorf("stderr lacks the invalid rule's error:\n%s", res.stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("database file left by a run that loaded nothing: %v", err)
	}
}

// TestRunDiscardedRunLeavesNoNewDatabase runs a custom rule that fails
// only while it is evaluated, after the snapshots are loaded. On a new
// database the run, the file and its Parquet folder are removed. A
// database with an earlier run keeps the file and that run.
func TestRunDiscardedRunLeavesNoNewDatabase(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "recon.yaml")
	writeFile(t, config, "rules:\n  custom_dir: sql\n")
	db := filepath.Join(dir, "recon.duckdb")
	report := filepath.Join(dir, "r.xlsx")
	failing := "-- id: custom.cast\n-- title: Cast\n-- severity: low\n-- owner: finance\n-- sources: bigcommerce\n" +
		"SELECT order_id, CAST('x' || order_id AS INTEGER) AS expected FROM run_bc_orders\n"
	writeFile(t, filepath.Join(dir, "sql", "cast.sql"), failing)

	res := runRecon(t, "--config", config, "run", "--db", db, "--report", report)

	if res.code != 1 || !strings.Contains(res.stderr, "run 1 failed and was removed from the database") {
		t.Errorf("exit code %d, want 1 and the run removed; stderr:\n%s", res.code, res.stderr)
	}
	for _, path := range []string{db, filepath.Join(dir, "recon.snapshots")} {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s left by a run that was removed: %v", path, err)
		}
	}

	if err := os.Remove(filepath.Join(dir, "sql", "cast.sql")); err != nil {
		t.Fatal(err)
	}
	if first := runRecon(t, "--config", config, "run", "--db", db, "--report", report); first.code != 0 {
		t.Fatalf("first run: exit %d: %s", first.code, first.stderr)
	}
	writeFile(t, filepath.Join(dir, "sql", "cast.sql"), failing)

	second := runRecon(t, "--config", config, "run", "--db", db, "--report", report)

	if second.code != 1 {
		t.Errorf("second run: exit code %d, want 1", second.code)
	}
	if got := readFindings(t, db, 1); len(got) != 33 {
		t.Errorf("the earlier run has %d findings after the failed run, want 33", len(got))
	}
}
