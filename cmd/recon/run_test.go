package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/recon-tools/recon/fixtures"
	"github.com/recon-tools/recon/rules"
)

// finding is one exception reduced to what the ground truth states.
type finding struct {
	rule, order, refund, sku, location, document, expected, actual string
}

func (f finding) String() string {
	return fmt.Sprintf("%s order=%s refund=%s sku=%s location=%s document=%s expected=%s actual=%s",
		f.rule, f.order, f.refund, f.sku, f.location, f.document, f.expected, f.actual)
}

// normalizeAmount writes a decimal without trailing zeros, so "6.5200"
// and "6.52" compare equal; an empty string stays empty.
func normalizeAmount(t *testing.T, s string) string {
	t.Helper()
	if s == "" {
		return ""
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("invalid amount %q: %v", s, err)
	}
	return d.String()
}

func readGroundTruth(t *testing.T) []finding {
	t.Helper()
	data, err := fs.ReadFile(fixtures.Demo, "ground_truth.csv")
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(records[0], ","); got != "rule_id,order_id,refund_id,sku,location,document,expected,actual,note" {
		t.Fatalf("ground truth header = %s", got)
	}
	var out []finding
	for _, r := range records[1:] {
		out = append(out, finding{r[0], r[1], r[2], r[3], r[4], r[5],
			normalizeAmount(t, r[6]), normalizeAmount(t, r[7])})
	}
	return out
}

func readFindings(t *testing.T, dbPath string, runID int64) []finding {
	t.Helper()
	db, err := sql.Open("duckdb", dbPath+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT rule_id, coalesce(order_id::VARCHAR, ''), coalesce(refund_id::VARCHAR, ''),
  coalesce(sku, ''), coalesce(location, ''), coalesce(document, ''),
  coalesce(expected::VARCHAR, ''), coalesce(actual::VARCHAR, '')
FROM exceptions WHERE run_id = ?`, runID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []finding
	for rows.Next() {
		var f finding
		if err := rows.Scan(&f.rule, &f.order, &f.refund, &f.sku, &f.location, &f.document, &f.expected, &f.actual); err != nil {
			t.Fatal(err)
		}
		f.expected, f.actual = normalizeAmount(t, f.expected), normalizeAmount(t, f.actual)
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sortedStrings returns each finding's text, sorted, for comparison.
func sortedStrings(fs []finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.String()
	}
	slices.Sort(out)
	return out
}

func TestRunDemoFindsGroundTruth(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "recon.duckdb")
	report := filepath.Join(dir, "recon-report.xlsx")

	res := runRecon(t, "--log-level", "warn", "run", "--db", dbPath, "--report", report)
	if res.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", res.code, res.stderr)
	}

	want := readGroundTruth(t)
	seededRules := map[string]bool{}
	for _, w := range want {
		seededRules[w.rule] = true
	}
	for _, r := range rules.All() {
		if !seededRules[r.ID] {
			t.Errorf("the demo seeds no drift for rule %s", r.ID)
		}
	}
	compareFindings(t, want, readFindings(t, dbPath, 1))
	if !strings.Contains(res.stdout, fmt.Sprintf("%d exceptions", len(want))) {
		t.Errorf("summary lacks the exception count:\n%s", res.stdout)
	}
	checkWorkbook(t, report, sortedStrings(want))
}

// checkWorkbook opens the report and checks its sheets, headers and the
// number of rows on each rule's sheet.
func checkWorkbook(t *testing.T, path string, want []string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	perRule := map[string]int{}
	for _, w := range want {
		perRule[strings.Fields(w)[0]]++
	}
	wantSheets := []string{"Summary"}
	for _, id := range slices.Sorted(maps.Keys(perRule)) {
		wantSheets = append(wantSheets, id)
	}
	if got := f.GetSheetList(); !slices.Equal(got, wantSheets) {
		t.Fatalf("sheets = %v, want %v", got, wantSheets)
	}
	for id, n := range perRule {
		rows, err := f.GetRows(id)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows)-1 != n {
			t.Errorf("sheet %s has %d data rows, want %d", id, len(rows)-1, n)
		}
		header := strings.Join(rows[0], "|")
		for _, col := range []string{"Order", "Expected", "Actual", "Difference", "Reason", "Evidence"} {
			if !strings.Contains(header, col) {
				t.Errorf("sheet %s header %q lacks %s", id, header, col)
			}
		}
	}
}

func TestRunBadDataFolderFails(t *testing.T) {
	dir := t.TempDir()
	res := runRecon(t, "run", "--data", filepath.Join(dir, "absent"),
		"--db", filepath.Join(dir, "x.duckdb"), "--report", filepath.Join(dir, "x.xlsx"))
	if res.code != 1 {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	if !strings.Contains(res.stderr, "absent") {
		t.Errorf("stderr does not name the folder: %s", res.stderr)
	}
}

// copyDemo writes the bundled demo into a new folder and returns it.
func copyDemo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(fixtures.Demo, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(fixtures.Demo, path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// replaceInFile replaces the first occurrence of old in the file.
func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(old)) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(data, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tableCounts returns the row count of every table in the database.
func tableCounts(t *testing.T, dbPath string) map[string]int64 {
	t.Helper()
	db, err := sql.Open("duckdb", dbPath+"?access_mode=READ_ONLY")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names, err := db.Query(`SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for names.Next() {
		var name string
		if err := names.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	names.Close()
	counts := map[string]int64{}
	for _, name := range tables {
		var n int64
		if err := db.QueryRow("SELECT count(*) FROM " + name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[name] = n
	}
	return counts
}

func TestRunInvalidValueLeavesDatabaseUnchanged(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "recon.duckdb")
	report := filepath.Join(dir, "recon-report.xlsx")
	if res := runRecon(t, "--log-level", "warn", "run", "--db", dbPath, "--report", report); res.code != 0 {
		t.Fatalf("first run failed: %s", res.stderr)
	}
	before := tableCounts(t, dbPath)

	data := copyDemo(t)
	// Five decimals cannot be stored exactly in DECIMAL(18,4).
	stock := filepath.Join(data, "erp", "itemStock.csv")
	lines, _ := os.ReadFile(stock)
	fields := strings.Split(strings.Split(string(lines), "\n")[3], ",")
	replaceInFile(t, stock, strings.Join(fields, ","),
		strings.Join(append(append([]string{}, fields[:2]...), append([]string{fields[2] + ".00001"}, fields[3:]...)...), ","))

	res := runRecon(t, "run", "--data", data, "--db", dbPath, "--report", report)
	if res.code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", res.code, res.stderr)
	}
	for _, part := range []string{"erp_stock", "itemStock.csv:4", "inventory"} {
		if !strings.Contains(res.stderr, part) {
			t.Errorf("error lacks %q: %s", part, res.stderr)
		}
	}
	after := tableCounts(t, dbPath)
	if !maps.Equal(before, after) {
		t.Errorf("table counts changed after a failed run:\nbefore %v\nafter  %v", before, after)
	}
}

func TestRunMalformedCSVNamesLineAndField(t *testing.T) {
	data := copyDemo(t)
	orders := filepath.Join(data, "erp", "salesOrders.csv")
	content, _ := os.ReadFile(orders)
	row := strings.Split(string(content), "\n")[2]
	fields := strings.Split(row, ",")
	fields[10] = "12.5x"
	replaceInFile(t, orders, row, strings.Join(fields, ","))

	dir := t.TempDir()
	res := runRecon(t, "run", "--data", data,
		"--db", filepath.Join(dir, "x.duckdb"), "--report", filepath.Join(dir, "x.xlsx"))
	if res.code != 1 {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	for _, part := range []string{"salesOrders.csv:3", "totalAmountExcludingTax", `"12.5x"`} {
		if !strings.Contains(res.stderr, part) {
			t.Errorf("error lacks %q: %s", part, res.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.duckdb")); !os.IsNotExist(err) {
		t.Errorf("a database was created for a run that failed to read its input")
	}
}
