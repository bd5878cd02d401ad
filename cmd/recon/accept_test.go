package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// demoClock is the demo's BigCommerce clock, 2026-12-01T06:00:00Z, in
// Unix seconds; the other systems were exported at 05:30.
const demoClock = 1796104800

// shiftDemo moves every extraction time of a demo copy days later, so
// that a run of it has a later as-of time.
func shiftDemo(t *testing.T, dir string, days int) {
	t.Helper()
	clock := filepath.Join(dir, "bigcommerce", "v2", "time.json")
	if err := os.WriteFile(clock, fmt.Appendf(nil, `{"time":%d}`, demoClock+days*86400), 0o644); err != nil {
		t.Fatal(err)
	}
	exported := time.Date(2026, 12, 1+days, 5, 30, 0, 0, time.UTC).Format(time.RFC3339)
	for _, system := range []string{"erp", "wms", "payouts"} {
		path := filepath.Join(dir, system, "manifest.json")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path, []byte(strings.Replace(string(data), "2026-12-01T05:30:00Z", exported, 1)), 0o644)
	}
}

// fixCapRed sets BigCommerce's CAP-RED stock at EAST back to the ERP's 71
// units, which removes one of the demo's seeded stock mismatches.
func fixCapRed(t *testing.T, dir string) {
	t.Helper()
	path := filepath.Join(dir, "bigcommerce", "v3", "inventory", "items", "page-0001.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	start := strings.Index(s, `"sku":"CAP-RED"`)
	old := `"available_to_sell":75,"total_inventory_onhand":75`
	at := strings.Index(s[start:], old)
	if start < 0 || at < 0 {
		t.Fatal("demo inventory lacks CAP-RED at 75 units")
	}
	s = s[:start+at] + `"available_to_sell":71,"total_inventory_onhand":71` + s[start+at+len(old):]
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lifecycleRun runs the demo copy into dbPath and returns the summary.
func lifecycleRun(t *testing.T, data, dbPath string) string {
	t.Helper()
	stdout, stderr, code := runReconOut(t, "--log-level", "error", "run", "--data", data, "--db", dbPath,
		"--report", filepath.Join(filepath.Dir(dbPath), "r.xlsx"), "--keep-parquet=false")
	if code != 0 {
		t.Fatalf("run failed with %d: %s", code, stderr)
	}
	return stdout
}

// capRedState returns the fingerprint, status, occurrences and events of
// the CAP-RED stock mismatch.
func capRedState(t *testing.T, dbPath string) (fp, status string, occurrences int64, events string) {
	t.Helper()
	db, err := sql.Open("duckdb", dbPath+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.QueryRow(`SELECT fingerprint, status, occurrences FROM exception_state
WHERE rule_id = 'stock.mismatch' AND sku = 'CAP-RED'`).Scan(&fp, &status, &occurrences)
	if err != nil {
		t.Fatal(err)
	}
	err = db.QueryRow(`SELECT string_agg(run_id || ':' || event, ' ' ORDER BY occurred_at, run_id, rowid)
FROM exception_events WHERE fingerprint = ?`, fp).Scan(&events)
	if err != nil {
		t.Fatal(err)
	}
	return fp, status, occurrences, events
}

func ageDays(t *testing.T, dbPath, fp string, runID int) int64 {
	t.Helper()
	db, err := sql.Open("duckdb", dbPath+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var days int64
	err = db.QueryRow(`SELECT age_days FROM exception_status WHERE run_id = ? AND fingerprint = ?`, runID, fp).Scan(&days)
	if err != nil {
		t.Fatal(err)
	}
	return days
}

func TestExceptionLifecycleOverRuns(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "recon.duckdb")
	now = func() time.Time { return time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = time.Now })

	// Later runs move the clock, which changes what other rules find, so
	// the checks look at the stock.mismatch row of each summary only.
	// The columns are rule, severity, findings and accepted findings.
	all, accepted, fixed := "stock.mismatch medium 5 0 ", "stock.mismatch medium 4 1 13 units", "stock.mismatch medium 4 0 "
	first := lifecycleRun(t, copyDemo(t), dbPath)
	fp, status, occurrences, events := capRedState(t, dbPath)
	if !strings.Contains(squeezeSpaces(first), all) || status != "open" || occurrences != 1 || events != "1:opened" {
		t.Fatalf("run 1: status %s, occurrences %d, events %q, summary:\n%s", status, occurrences, events, first)
	}

	data := copyDemo(t)
	shiftDemo(t, data, 2)
	lifecycleRun(t, data, dbPath)
	_, _, occurrences, _ = capRedState(t, dbPath)
	if occurrences != 2 {
		t.Errorf("run 2: occurrences %d, want 2", occurrences)
	}
	if days := ageDays(t, dbPath, fp, 2); days != 2 {
		t.Errorf("run 2: age %d days, want 2", days)
	}

	stdout, stderr, code := runReconOut(t, "accept", fp[:8], "--db", dbPath, "--note", "recount booked", "--until", "2026-12-04", "--by", "ana")
	if code != 0 || !strings.Contains(stdout, "accepted "+fp+" until the end of 2026-12-04 UTC (2026-12-05T00:00:00Z)") {
		t.Fatalf("accept: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}

	data = copyDemo(t)
	shiftDemo(t, data, 3)
	if third := lifecycleRun(t, data, dbPath); !strings.Contains(squeezeSpaces(third), accepted) {
		t.Errorf("run 3 counts the accepted exception:\n%s", third)
	}
	checkAcceptedInWorkbook(t, filepath.Join(filepath.Dir(dbPath), "r.xlsx"), fp)

	data = copyDemo(t)
	shiftDemo(t, data, 5)
	if fourth := lifecycleRun(t, data, dbPath); !strings.Contains(squeezeSpaces(fourth), all) {
		t.Errorf("run 4 does not count the expired acceptance:\n%s", fourth)
	}

	data = copyDemo(t)
	shiftDemo(t, data, 6)
	fixCapRed(t, data)
	if fifth := lifecycleRun(t, data, dbPath); !strings.Contains(squeezeSpaces(fifth), fixed) {
		t.Errorf("run 5 still counts the fixed drift:\n%s", fifth)
	}
	_, status, occurrences, events = capRedState(t, dbPath)
	if status != "resolved" || occurrences != 4 {
		t.Errorf("after run 5: status %s, occurrences %d, want resolved and 4", status, occurrences)
	}
	want := "1:opened 2:seen 2:accepted 3:seen 4:seen 4:expired 5:resolved"
	if events != want {
		t.Errorf("events %q, want %q", events, want)
	}
}

// checkAcceptedInWorkbook checks that the workbook's Summary counts the
// accepted stock mismatch fp apart and that its row shows the acceptance.
func checkAcceptedInWorkbook(t *testing.T, path, fp string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	rows, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	var summary string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "stock.mismatch" {
			summary = strings.Join(r[:8], "|")
		}
	}
	want := "stock.mismatch|Storefront stock differs from the ERP|operations|medium|4|1|units|13"
	if summary != want {
		t.Errorf("Summary row %q, want %q", summary, want)
	}

	sheet, err := f.GetRows("stock.mismatch")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, r := range sheet {
		if len(r) > 15 && r[1] == fp {
			found = r[11:16]
		}
	}
	if got, want := strings.Join(found, "|"), "2026-12-01 06:00:00|3|3|no|2026-12-05 00:00:00"; got != want {
		t.Errorf("lifecycle of %s on its sheet %q, want %q", fp, got, want)
	}
}

func TestAcceptRejectsBadInput(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "recon.duckdb")
	lifecycleRun(t, copyDemo(t), dbPath)
	fp, _, _, _ := capRedState(t, dbPath)

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"past expiry", []string{"accept", fp, "--note", "x", "--until", "2026-11-30"}, "not after the latest run's as-of time 2026-12-01T06:00:00Z: choose a later --until\n"},
		{"no note", []string{"accept", fp, "--until", "2027-01-01"}, `"note" not set`},
		{"bad date", []string{"accept", fp, "--note", "x", "--until", "soon"}, `invalid --until "soon"`},
		{"unknown fingerprint", []string{"accept", "abcdef12", "--note", "x", "--until", "2027-01-01"}, "unknown fingerprint abcdef12"},
		{"no database", []string{"ack", fp, "--db", "absent.duckdb"}, "database absent.duckdb not found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if c.name != "no database" {
				args = append(args, "--db", dbPath)
			}
			_, stderr, code := runReconOut(t, args...)
			if code != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, c.want)
			}
		})
	}
}

// squeezeSpaces replaces each run of spaces and tabs with one space, so
// that a summary row can be matched whatever its column widths.
func squeezeSpaces(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' }), " ")
}

func TestUntilTextReadsMidnightAsDayEnd(t *testing.T) {
	cases := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "the end of 2026-12-31 UTC (2027-01-01T00:00:00Z)"},
		{time.Date(2026, 12, 31, 9, 30, 0, 0, time.UTC), "2026-12-31T09:30:00Z"},
		{time.Date(2027, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)), "the end of 2026-12-31 UTC (2027-01-01T00:00:00Z)"},
	}
	for _, c := range cases {
		if got := untilText(c.at); got != c.want {
			t.Errorf("untilText(%s) = %q, want %q", c.at, got, c.want)
		}
	}
}
