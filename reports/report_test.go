package reports

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/xuri/excelize/v2"

	"github.com/recon-tools/recon/load"
	"github.com/recon-tools/recon/rules"
)

// openRunDB returns an in-memory database holding run 1 with two
// snapshots and four findings of two rules.
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
	mustExec(t, db,
		`INSERT INTO runs VALUES (1, 'run', TIMESTAMPTZ '2026-03-01 12:00:00+00',
  TIMESTAMPTZ '2026-03-01 12:10:00+00', TIMESTAMPTZ '2026-03-01 06:00:00+00', 'ok')`,
		`INSERT INTO snapshots VALUES
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
	if err := WriteExceptions(context.Background(), db, 1, path); err != nil {
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
	wantHeader := []string{"Severity", "Order", "Refund", "SKU", "Location", "Document",
		"Expected", "Actual", "Difference", "Unit", "Reason", "Evidence"}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want a header and 3 findings", len(rows))
	}
	if !slices.Equal(rows[0], wantHeader) {
		t.Errorf("header %v, want %v", rows[0], wantHeader)
	}
	assertCell(t, f, sheet, "B2", "1042")
	assertCell(t, f, sheet, "J2", "USD")
	assertCell(t, f, sheet, "J3", "EUR")

	assertMoneyCell(t, f, sheet, "G2", "23.5", `#,##0.00## "USD";-#,##0.00## "USD"`)
	assertMoneyCell(t, f, sheet, "I2", "-23.5", `#,##0.00## "USD";-#,##0.00## "USD"`)
	assertMoneyCell(t, f, sheet, "G3", "10", `#,##0.00## "EUR";-#,##0.00## "EUR"`)
	if styleG3, styleG4 := cellStyle(t, f, sheet, "G3"), cellStyle(t, f, sheet, "G4"); styleG3 != styleG4 {
		t.Errorf("EUR cells have styles %d and %d, want one shared style", styleG3, styleG4)
	}
	assertCell(t, f, sheet, "H2", "")

	evidence, err := f.GetCellValue(sheet, "L3")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(evidence); n > excelize.TotalCellChars || !strings.Contains(evidence, "[truncated:") {
		t.Errorf("evidence of %d bytes not truncated to the cell limit", n)
	}
	assertCell(t, f, sheet, "L2", `{"bc_refunds": {"id": 7}}`)
}

func TestWriteExceptionsUnitsAreIntegers(t *testing.T) {
	f, _ := writeAndOpen(t, openRunDB(t))
	sheet := "stock.mismatch"

	assertCell(t, f, sheet, "D2", "TEE-RED-S")
	assertCell(t, f, sheet, "I2", "-1")
	raw, err := f.GetCellValue(sheet, "G2", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if raw != "8" {
		t.Errorf("expected units %q, want 8", raw)
	}
	assertNumeric(t, f, sheet, "G2")
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
		wantRange := map[string]string{"credit_memo.missing": "A1:L4", "stock.mismatch": "A1:L2"}[sheet]
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
		"stock.mismatch": {"stock.mismatch|Storefront stock differs from the ERP|operations|medium|1|units|1|stock.mismatch|" +
			rules.StockMismatch.Question},
	}
	for label, want := range checks {
		if got := byLabel[label]; !slices.Equal(got, want) {
			t.Errorf("summary rows for %s:\n got  %q\n want %q", label, got, want)
		}
	}
	question := rules.CreditMemoMissing.Question
	wantMissing := []string{
		"credit_memo.missing|Refund without a credit memo|finance|high|2|EUR|11.25 EUR|credit_memo.missing|" + question,
		"credit_memo.missing|Refund without a credit memo|finance|high|1|USD|23.50 USD|credit_memo.missing|" + question,
	}
	if got := byLabel["credit_memo.missing"]; !slices.Equal(got, wantMissing) {
		t.Errorf("summary rows for credit_memo.missing:\n got  %q\n want %q", got, wantMissing)
	}
	assertMoneyCell(t, f, summarySheet, "G16", "11.25", `#,##0.00## "EUR";-#,##0.00## "EUR"`)
	if len(byLabel["tax.rounding"]) != 1 || !strings.Contains(byLabel["tax.rounding"][0], "|low|0|") {
		t.Errorf("tax.rounding rows %q, want one row with zero findings", byLabel["tax.rounding"])
	}
}

func TestWriteExceptionsUnknownRun(t *testing.T) {
	db := openRunDB(t)
	path := filepath.Join(t.TempDir(), "exceptions.xlsx")

	err := WriteExceptions(context.Background(), db, 99, path)

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
