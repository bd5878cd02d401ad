package reports

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/load"
	"github.com/recon-tools/recon/rules"
)

// openRunDB returns an in-memory database holding run 1 with two
// snapshots and four findings of two rules, with their lifecycle: f1 is
// accepted until 2026-04-01 and f2 acknowledged.
func openRunDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, s := range load.MetaDDL {
		mustExec(t, db, s)
	}
	if err := rules.CreateSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if err := rules.CreateLifecycleSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	mustExec(t, db,
		`INSERT INTO runs VALUES (1, 'run', TIMESTAMPTZ '2026-03-01 12:00:00+00',
  TIMESTAMPTZ '2026-03-01 12:10:00+00', TIMESTAMPTZ '2026-03-01 06:00:00+00', 'ok')`,
		`INSERT INTO snapshots (snapshot_id, run_id, source, system, origin, extracted_at, loaded_at, mode, parquet_dir) VALUES
  (10, 1, 'bigcommerce', 'BigCommerce', 'testdata', TIMESTAMPTZ '2026-03-01 06:00:00+00',
   TIMESTAMPTZ '2026-03-01 12:01:00+00', 'full', NULL),
  (11, 1, 'erp', 'Business Central', 'testdata', TIMESTAMPTZ '2026-03-01 05:30:00+00',
   TIMESTAMPTZ '2026-03-01 12:02:00+00', 'full', NULL)`,
		`INSERT INTO snapshot_tables VALUES (10, 'bc_orders', 120), (10, 'bc_refunds', 9),
  (11, 'erp_credit_memos', 7)`,
		`INSERT INTO exceptions VALUES
  (1, 'credit_memo.missing', 'f1', 'high', 1042, 7, NULL, NULL, NULL, 23.50, NULL, -23.50, 'USD',
   'Refund 7 on order 1042 (USD 23.50) has no credit memo in the ERP.', '{"bc_refunds": {"id": 7}}'),
  (1, 'credit_memo.missing', 'f2', 'high', 2001, 3, NULL, NULL, NULL, 10.00, NULL, -10.00, 'EUR',
   'Refund 3 on order 2001 (EUR 10.00) has no credit memo in the ERP.',
   json_object('bc_refunds', json_object('note', repeat('x', 40000)))),
  (1, 'credit_memo.missing', 'f3', 'high', 2002, 4, NULL, NULL, NULL, 1.25, NULL, -1.25, 'EUR',
   'Refund 4 on order 2002 (EUR 1.25) has no credit memo in the ERP.', NULL),
  (1, 'stock.mismatch', 'f4', 'medium', NULL, NULL, 'TEE-RED-S', 'WH1', NULL, 8, 7, -1, 'units',
   'SKU TEE-RED-S at location WH1 shows 7 available to sell in BigCommerce.', NULL)`,
		`INSERT INTO exception_occurrences VALUES
  (1, 'f1', TIMESTAMPTZ '2026-03-01 06:00:00+00', TIMESTAMPTZ '2026-02-20 06:00:00+00', 3, false, true),
  (1, 'f2', TIMESTAMPTZ '2026-03-01 06:00:00+00', TIMESTAMPTZ '2026-02-27 05:00:00+00', 2, true, false),
  (1, 'f3', TIMESTAMPTZ '2026-03-01 06:00:00+00', TIMESTAMPTZ '2026-03-01 06:00:00+00', 1, false, false),
  (1, 'f4', TIMESTAMPTZ '2026-03-01 06:00:00+00', TIMESTAMPTZ '2026-02-28 06:00:00+00', 2, false, false)`,
		`INSERT INTO exception_state (fingerprint, rule_id, order_id, refund_id, first_seen_run, first_seen_at,
  last_seen_run, last_seen_at, occurrences, status, accepted_note, accepted_until) VALUES
  ('f1', 'credit_memo.missing', 1042, 7, 1, TIMESTAMPTZ '2026-02-20 06:00:00+00', 1,
   TIMESTAMPTZ '2026-03-01 06:00:00+00', 3, 'open', 'refund booked by hand', TIMESTAMPTZ '2026-04-01 00:00:00+00')`,
	)
	return db
}

func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// writeAndOpen writes run 1's workbook to a temporary directory and opens
// it again.
func writeAndOpen(t *testing.T, db *sql.DB) (*excelize.File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "exceptions.xlsx")
	if err := WriteExceptions(context.Background(), db, 1, path, nil, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, path
}

func TestWriteExceptionsSheets(t *testing.T) {
	f, path := writeAndOpen(t, openRunDB(t))

	want := []string{"Summary", "credit_memo.missing", "stock.mismatch"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets %v, want %v", got, want)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory holds %d files, want only the report", len(entries))
	}
}

func TestWriteExceptionsRuleSheet(t *testing.T) {
	f, _ := writeAndOpen(t, openRunDB(t))
	sheet := "credit_memo.missing"

	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"Severity", "Fingerprint", "Order", "Refund", "SKU", "Location", "Document",
		"Expected", "Actual", "Difference", "Unit", "First seen", "Age (days)", "Occurrences",
		"Acknowledged", "Accepted until", "Reason", "Evidence"}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want a header and 3 findings", len(rows))
	}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header %v, want %v", rows[0], wantHeader)
	}
	assertCell(t, f, sheet, "B2", "f1")
	assertCell(t, f, sheet, "C2", "1042")
	assertCell(t, f, sheet, "K2", "USD")
	assertCell(t, f, sheet, "K3", "EUR")

	assertMoneyCell(t, f, sheet, "H2", "23.5", `#,##0.00## "USD";-#,##0.00## "USD"`)
	assertMoneyCell(t, f, sheet, "J2", "-23.5", `#,##0.00## "USD";-#,##0.00## "USD"`)
	assertMoneyCell(t, f, sheet, "H3", "10", `#,##0.00## "EUR";-#,##0.00## "EUR"`)
	if styleH3, styleH4 := cellStyle(t, f, sheet, "H3"), cellStyle(t, f, sheet, "H4"); styleH3 != styleH4 {
		t.Errorf("EUR cells have styles %d and %d, want one shared style", styleH3, styleH4)
	}
	assertCell(t, f, sheet, "I2", "")

	evidence, err := f.GetCellValue(sheet, "R3")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(evidence); n > excelize.TotalCellChars || !strings.Contains(evidence, "[truncated:") {
		t.Errorf("evidence of %d bytes not truncated to the cell limit", n)
	}
	assertCell(t, f, sheet, "R2", `{"bc_refunds": {"id": 7}}`)
}

func TestWriteExceptionsLifecycleColumns(t *testing.T) {
	f, _ := writeAndOpen(t, openRunDB(t))
	sheet := "credit_memo.missing"

	// Row 2 is f1, accepted; row 3 is f2, acknowledged; row 4 is f3, new.
	cases := []struct{ cell, want string }{
		{"L2", "2026-02-20 06:00:00"}, {"M2", "9"}, {"N2", "3"}, {"O2", "no"}, {"P2", "2026-04-01 00:00:00"},
		{"L3", "2026-02-27 05:00:00"}, {"M3", "2"}, {"N3", "2"}, {"O3", "yes"}, {"P3", ""},
		{"L4", "2026-03-01 06:00:00"}, {"M4", "0"}, {"N4", "1"}, {"O4", "no"}, {"P4", ""},
	}
	for _, c := range cases {
		got, err := f.GetCellValue(sheet, c.cell)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s!%s = %q, want %q", sheet, c.cell, got, c.want)
		}
	}
	assertNumeric(t, f, sheet, "M2")
	assertNumeric(t, f, sheet, "N2")
}

func TestWriteExceptionsUnitsAreIntegers(t *testing.T) {
	f, _ := writeAndOpen(t, openRunDB(t))
	sheet := "stock.mismatch"

	assertCell(t, f, sheet, "E2", "TEE-RED-S")
	assertCell(t, f, sheet, "J2", "-1")
	raw, err := f.GetCellValue(sheet, "H2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if raw != "8" {
		t.Errorf("expected units %q, want 8", raw)
	}
	assertNumeric(t, f, sheet, "H2")
}

func TestWriteExceptionsFrozenHeaderAndFilter(t *testing.T) {
	f, _ := writeAndOpen(t, openRunDB(t))

	for _, sheet := range []string{"credit_memo.missing", "stock.mismatch"} {
		panes, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s panes %+v, want the first row frozen", sheet, panes)
		}
		tables, err := f.GetTables(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != 1 {
			t.Fatalf("%s has %d tables, want 1 with an autofilter", sheet, len(tables))
		}
		wantRange := map[string]string{"credit_memo.missing": "A1:R4", "stock.mismatch": "A1:R2"}[sheet]
		if tables[0].Range != wantRange {
			t.Errorf("%s table range %s, want %s", sheet, tables[0].Range, wantRange)
		}
	}
}

func TestWriteExceptionsSummary(t *testing.T) {
	f, _ := writeAndOpen(t, openRunDB(t))

	rows, err := f.GetRows(summarySheet)
	if err != nil {
		t.Fatal(err)
	}
	byLabel := map[string][]string{}
	for _, r := range rows {
		if len(r) > 0 {
			byLabel[r[0]] = append(byLabel[r[0]], strings.Join(r, "|"))
		}
	}
	checks := map[string][]string{
		"Run":         {"Run|1"},
		"bigcommerce": {"bigcommerce|BigCommerce|10|2026-03-01 06:00:00|bc_orders|120", "bigcommerce|BigCommerce|10|2026-03-01 06:00:00|bc_refunds|9"},
		"erp":         {"erp|Business Central|11|2026-03-01 05:30:00|erp_credit_memos|7"},
		"stock.mismatch": {"stock.mismatch|Storefront stock differs from the ERP|operations|medium|1|0|units|1|stock.mismatch|" +
			rules.StockMismatch.Question},
	}
	for label, want := range checks {
		if got := byLabel[label]; !slices.Equal(got, want) {
			t.Errorf("summary rows for %s:\n got  %q\n want %q", label, got, want)
		}
	}
	question := rules.CreditMemoMissing.Question
	// f1, the USD finding, is accepted: it leaves the count and the money
	// at stake for the Accepted column.
	wantMissing := []string{
		"credit_memo.missing|Refund without a credit memo|finance|high|2|0|EUR|11.25 EUR|credit_memo.missing|" + question,
		"credit_memo.missing|Refund without a credit memo|finance|high|0|1|USD|0.00 USD|credit_memo.missing|" + question,
	}
	if got := byLabel["credit_memo.missing"]; !slices.Equal(got, wantMissing) {
		t.Errorf("summary rows for credit_memo.missing:\n got  %q\n want %q", got, wantMissing)
	}
	// The row moves as rules are added, so find it by its rule and unit.
	eurRow := slices.IndexFunc(rows, func(r []string) bool {
		return len(r) > 6 && r[0] == "credit_memo.missing" && r[6] == "EUR"
	})
	assertMoneyCell(t, f, summarySheet, fmt.Sprintf("H%d", eurRow+1), "11.25", `#,##0.00## "EUR";-#,##0.00## "EUR"`)
	if len(byLabel["tax.rounding"]) != 1 || !strings.Contains(byLabel["tax.rounding"][0], "|low|0|0|") {
		t.Errorf("tax.rounding rows %q, want one row with zero findings", byLabel["tax.rounding"])
	}
}

func TestWriteExceptionsCustomRuleInSummary(t *testing.T) {
	db := openRunDB(t)
	mustExec(t, db, `INSERT INTO exceptions VALUES
  (1, 'custom.big_refunds', 'f5', 'high', 1042, 7, NULL, NULL, NULL, NULL, 150, 150, 'USD', 'Refund above 100', NULL),
  (1, 'custom.gone', 'f6', 'low', 1043, NULL, NULL, NULL, NULL, NULL, 1, 1, 'units', 'Removed rule', NULL)`)
	custom := rules.Rule{ID: "custom.big_refunds", Title: "Refund above 100", Owner: rules.OwnerFinance,
		Severity: rules.SeverityHigh, Question: "Is every refund at most 100?"}
	path := filepath.Join(t.TempDir(), "exceptions.xlsx")

	if err := WriteExceptions(context.Background(), db, 1, path, append(rules.All(), custom), nil); err != nil {
		t.Fatal(err)
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(summarySheet)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		if len(r) > 0 && strings.HasPrefix(r[0], "custom.") {
			got[r[0]] = strings.Join(r, "|")
		}
	}
	want := map[string]string{
		"custom.big_refunds": "custom.big_refunds|Refund above 100|finance|high|1|0|USD|150.00 USD|custom.big_refunds|" +
			"Is every refund at most 100?",
		"custom.gone": "custom.gone|(rule no longer defined)|||1|0|units|1|custom.gone",
	}
	if !maps.Equal(got, want) {
		t.Errorf("custom rule rows:\n got  %q\n want %q", got, want)
	}
}

func TestWriteExceptionsUnknownRun(t *testing.T) {
	db := openRunDB(t)
	path := filepath.Join(t.TempDir(), "exceptions.xlsx")

	err := WriteExceptions(context.Background(), db, 99, path, nil, nil)

	if !errors.Is(err, ErrRunNotFound) {
		t.Errorf("error %v, want ErrRunNotFound", err)
	}
	if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("report file exists after a failure: %v", statErr)
	}
}

func TestTruncateCell(t *testing.T) {
	short := strings.Repeat("é", 100)
	if truncateCell(short) != short {
		t.Errorf("short value changed")
	}
	// Each of these runes takes two UTF-16 code units.
	long := strings.Repeat("😀", 20000)
	got := truncateCell(long)
	units := 0
	for _, r := range got {
		if r > 0xFFFF {
			units += 2
		} else {
			units++
		}
	}
	if units > excelize.TotalCellChars {
		t.Errorf("truncated value has %d UTF-16 units, limit %d", units, excelize.TotalCellChars)
	}
	if !strings.HasSuffix(got, "of 40000 characters shown]") {
		t.Errorf("truncated value ends %q", got[len(got)-40:])
	}
}

func assertCell(t *testing.T, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("%s!%s = %q, want %q", sheet, cell, got, want)
	}
}

func assertNumeric(t *testing.T, f *excelize.File, sheet, cell string) {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	// A number cell carries no type attribute, which excelize reports as
	// CellTypeUnset, while text is a shared or inline string.
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("%s!%s has type %v, want a number", sheet, cell, typ)
	}
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := strconv.ParseFloat(raw, 64); err != nil {
		t.Errorf("%s!%s = %q, want a number", sheet, cell, raw)
	}
}

func cellStyle(t *testing.T, f *excelize.File, sheet, cell string) int {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// assertMoneyCell checks that a cell holds the number want, not text, and
// shows it with format.
func assertMoneyCell(t *testing.T, f *excelize.File, sheet, cell, want, format string) {
	t.Helper()
	assertCell(t, f, sheet, cell, want)
	assertNumeric(t, f, sheet, cell)
	style, err := f.GetStyle(cellStyle(t, f, sheet, cell))
	if err != nil {
		t.Fatal(err)
	}
	if style.CustomNumFmt == nil || *style.CustomNumFmt != format {
		t.Errorf("%s!%s number format %v, want %q", sheet, cell, style.CustomNumFmt, format)
	}
}

func TestWriteExceptionsSkippedAndEmptyRules(t *testing.T) {
	db := openRunDB(t)
	custom := rules.Rule{ID: "custom.quiet", Title: "Never fires", Owner: rules.OwnerFinance,
		Severity: rules.SeverityLow, Question: "Is all well?"}
	evaluated := []rules.RuleResult{
		{RuleID: rules.DispatchPartial.ID, Skipped: true, MissingSources: []extract.Source{extract.SourceWMS}},
		{RuleID: "custom.quiet"},
		{RuleID: rules.PayoutNetMismatch.ID, Skipped: true,
			MissingSources: []extract.Source{extract.SourceERP, extract.SourceWMS, extract.SourcePayouts}},
	}
	path := filepath.Join(t.TempDir(), "exceptions.xlsx")

	if err := WriteExceptions(context.Background(), db, 1, path, append(rules.All(), custom), evaluated); err != nil {
		t.Fatal(err)
	}

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(summarySheet)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		if len(r) > 0 {
			got[r[0]] = strings.Join(r, "|")
		}
	}
	want := map[string]string{
		"custom.quiet": "custom.quiet|Never fires|finance|low|0|0||||Is all well?",
		rules.DispatchPartial.ID: rules.DispatchPartial.ID + "|" + rules.DispatchPartial.Title +
			"|operations|medium|skipped (no wms snapshot)|||||" + rules.DispatchPartial.Question,
		rules.PayoutNetMismatch.ID: rules.PayoutNetMismatch.ID + "|" + rules.PayoutNetMismatch.Title +
			"|finance|high|skipped (no erp, wms or payouts snapshot)|||||" + rules.PayoutNetMismatch.Question,
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("summary row of %s:\n got  %q\n want %q", id, got[id], w)
		}
	}
}

// TestWriteExceptionsColumnsAscending reads each sheet's XML, because
// Excel offers to repair a workbook whose column widths are out of order.
func TestWriteExceptionsColumnsAscending(t *testing.T) {
	_, path := writeAndOpen(t, openRunDB(t))
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()

	colMin := regexp.MustCompile(`<col min="(\d+)"`)
	sheets := 0
	for _, file := range zr.File {
		if !strings.HasPrefix(file.Name, "xl/worksheets/sheet") {
			continue
		}
		sheets++
		rc, err := file.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		var mins []int
		for _, m := range colMin.FindAllStringSubmatch(string(data), -1) {
			n, _ := strconv.Atoi(m[1])
			mins = append(mins, n)
		}
		if len(mins) == 0 || !slices.IsSorted(mins) {
			t.Errorf("%s: column widths in order %v, want ascending", file.Name, mins)
		}
	}
	if sheets != 3 {
		t.Errorf("%d sheets read, want 3", sheets)
	}
}
