package load

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
)

var (
	created  = time.Date(2024, 3, 5, 21, 40, 11, 123456000, time.UTC)
	modified = time.Date(2024, 3, 6, 8, 0, 0, 0, time.FixedZone("CET", 3600))
)

func openTestStore(t *testing.T, path string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, nil, opts...)
	if err != nil {
		t.Fatalf("open %q: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func beginRun(t *testing.T, s *Store) int64 {
	t.Helper()
	id, err := s.BeginRun(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func rfc2822(t time.Time) extract.RFC2822Time {
	return extract.RFC2822Time{Timestamp: extract.NewTimestamp(t)}
}

func mustDate(s string) extract.Date {
	d, err := extract.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fullOrder sets a value in every column kind of bc_orders.
func fullOrder() extract.Order {
	return extract.Order{
		ID:           101,
		CustomerID:   7,
		DateCreated:  rfc2822(created),
		DateModified: rfc2822(modified),
		Status:       "Shipped",
		TotalExTax:   extract.MustDecimal("99999999999999.9999"),
		TotalTax:     extract.MustDecimal("-0.0001"),
		TotalIncTax:  extract.MustDecimal("55.99"),
		CurrencyRate: extract.MustDecimal("1.2345678901"),
		IsDeleted:    true,
		ItemsTotal:   extract.NewInt(-3),
		Record: extract.Record{
			SourceRef: "v2/orders/page-0001.json#0",
			Raw:       json.RawMessage(`{"id": 101, "note": "it's"}`),
		},
	}
}

func bigCommerceSnapshot(orders []extract.Order, products []extract.OrderProduct, shipments []extract.Shipment) extract.Snapshot {
	return extract.Snapshot{
		Source:      extract.SourceBigCommerce,
		System:      "BigCommerce",
		Origin:      "testdata/bigcommerce",
		ExtractedAt: time.Date(2024, 3, 7, 12, 0, 0, 0, time.UTC),
		Tables: []extract.Table{
			{Name: "bc_orders", Rows: orders},
			{Name: "bc_order_products", Rows: products},
			{Name: "bc_shipments", Rows: shipments},
		},
	}
}

func erpSnapshot() extract.Snapshot {
	orders := []extract.SalesOrder{{
		ID:                     "so-1",
		ExternalDocumentNumber: "101",
		OrderDate:              mustDate("2024-02-29"),
		PricesIncludeTax:       true,
		TotalTaxAmount:         extract.MustDecimal("9.3317"),
		LastModifiedDateTime:   extract.NewTimestamp(modified),
		Record:                 extract.Record{SourceRef: "erp/salesOrders.csv:2"},
	}}
	return extract.Snapshot{
		Source:      extract.SourceERP,
		System:      "Business Central",
		Origin:      "testdata/erp",
		ExtractedAt: time.Date(2024, 3, 7, 11, 59, 58, 500000000, time.UTC),
		Tables:      []extract.Table{{Name: "erp_sales_orders", Rows: orders}},
	}
}

func queryString(t *testing.T, db *sql.DB, query string, args ...any) string {
	t.Helper()
	var v sql.NullString
	if err := db.QueryRow(query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if !v.Valid {
		return "NULL"
	}
	return v.String
}

func queryInt(t *testing.T, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var v int64
	if err := db.QueryRow(query, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

func TestLoadSnapshotsExactValues(t *testing.T) {
	s := openTestStore(t, "")
	run := beginRun(t, s)
	snaps := []extract.Snapshot{
		bigCommerceSnapshot([]extract.Order{fullOrder(), {ID: 102}}, nil, nil),
		erpSnapshot(),
	}
	if _, err := s.LoadSnapshots(context.Background(), run, snaps); err != nil {
		t.Fatal(err)
	}

	db := s.DB()
	where := " FROM bc_orders WHERE order_id = 101"
	checks := map[string]string{
		"customer_id::VARCHAR":               "7",
		"status":                             "Shipped",
		"total_ex_tax::VARCHAR":              "99999999999999.9999",
		"total_tax::VARCHAR":                 "-0.0001",
		"total_inc_tax::VARCHAR":             "55.9900",
		"currency_exchange_rate::VARCHAR":    "1.2345678901",
		"is_deleted::VARCHAR":                "true",
		"items_total::VARCHAR":               "-3",
		"epoch_us(date_created)::VARCHAR":    "1709674811123456",
		"epoch_us(date_modified)::VARCHAR":   "1709708400000000",
		"date_shipped::VARCHAR":              "NULL",
		"source_ref":                         "v2/orders/page-0001.json#0",
		"raw::VARCHAR":                       `{"id": 101, "note": "it's"}`,
		"json_extract_string(raw, '$.note')": "it's",
		"typeof(raw)":                        "JSON",
		"typeof(total_tax)":                  "DECIMAL(18,4)",
		"typeof(date_created)":               "TIMESTAMP WITH TIME ZONE",
		"snapshot_id = (SELECT snapshot_id FROM snapshots WHERE source = 'bigcommerce')": "true",
	}
	for expr, want := range checks {
		if got := queryString(t, db, "SELECT "+expr+where); got != want {
			t.Errorf("%s: got %s, want %s", expr, got, want)
		}
	}
}

func TestLoadSnapshotsNulls(t *testing.T) {
	s := openTestStore(t, "")
	run := beginRun(t, s)
	snap := bigCommerceSnapshot([]extract.Order{{ID: 102}}, nil, nil)
	if _, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{snap}); err != nil {
		t.Fatal(err)
	}

	where := " FROM bc_orders WHERE order_id = 102"
	checks := map[string]string{
		"total_tax::VARCHAR":    "NULL",
		"items_total::VARCHAR":  "NULL",
		"date_created::VARCHAR": "NULL",
		"raw::VARCHAR":          "NULL",
		"status":                "",
		"source_ref":            "",
		"is_deleted::VARCHAR":   "false",
	}
	for expr, want := range checks {
		if got := queryString(t, s.DB(), "SELECT "+expr+where); got != want {
			t.Errorf("%s: got %s, want %s", expr, got, want)
		}
	}
}

func TestLoadSnapshotsERPDateAndTimestamp(t *testing.T) {
	s := openTestStore(t, "")
	run := beginRun(t, s)
	if _, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{erpSnapshot()}); err != nil {
		t.Fatal(err)
	}

	where := " FROM erp_sales_orders WHERE id = 'so-1'"
	checks := map[string]string{
		"order_date::VARCHAR":                        "2024-02-29",
		"posting_date::VARCHAR":                      "NULL",
		"prices_include_tax::VARCHAR":                "true",
		"total_tax_amount::VARCHAR":                  "9.3317",
		"epoch_us(last_modified_date_time)::VARCHAR": "1709708400000000",
		"typeof(order_date)":                         "DATE",
	}
	for expr, want := range checks {
		if got := queryString(t, s.DB(), "SELECT "+expr+where); got != want {
			t.Errorf("%s: got %s, want %s", expr, got, want)
		}
	}
}

func TestLoadSnapshotsMetadata(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "recon.duckdb"))
	run := beginRun(t, s)
	snap := bigCommerceSnapshot([]extract.Order{fullOrder(), {ID: 102}}, nil, nil)
	infos, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{snap, erpSnapshot()})
	if err != nil {
		t.Fatal(err)
	}

	if len(infos) != 2 {
		t.Fatalf("got %d snapshot infos, want 2", len(infos))
	}
	bc := infos[0]
	if got := bc.RowCounts["bc_orders"]; got != 2 {
		t.Errorf("bc_orders row count %d, want 2", got)
	}
	if got := bc.Rows(); got != 2 {
		t.Errorf("bigcommerce rows %d, want 2", got)
	}
	db := s.DB()
	q := `SELECT row_count FROM snapshot_tables WHERE snapshot_id = ? AND table_name = ?`
	for name, want := range map[string]int64{"bc_orders": 2, "bc_order_products": 0, "bc_transactions": 0, "bc_inventory": 0} {
		if got := queryInt(t, db, q, bc.ID, name); got != want {
			t.Errorf("snapshot_tables %s: %d, want %d", name, got, want)
		}
	}
	if got := queryInt(t, db, `SELECT count(*) FROM snapshot_tables WHERE snapshot_id = ?`, bc.ID); got != 11 {
		t.Errorf("bigcommerce snapshot_tables rows %d, want 11", got)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM snapshot_tables WHERE snapshot_id = ?`, infos[1].ID); got != 5 {
		t.Errorf("erp snapshot_tables rows %d, want 5", got)
	}

	row := `SELECT run_id || '|' || source || '|' || system || '|' || origin || '|' ||
epoch_us(extracted_at) || '|' || mode || '|' || parquet_dir FROM snapshots WHERE snapshot_id = ?`
	want := "1|erp|Business Central|testdata/erp|1709812798500000|full|recon.snapshots/2"
	if got := queryString(t, db, row, infos[1].ID); got != want {
		t.Errorf("erp snapshot row %q, want %q", got, want)
	}
	if got := queryInt(t, db, `SELECT count(*) FROM snapshots WHERE loaded_at IS NULL`); got != 0 {
		t.Errorf("%d snapshots without loaded_at", got)
	}
}

func TestLoadSnapshotsKeepsParquet(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "recon.duckdb"))
	run := beginRun(t, s)
	snap := bigCommerceSnapshot([]extract.Order{fullOrder()}, nil, nil)
	infos, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{snap})
	if err != nil {
		t.Fatal(err)
	}

	wantDir := filepath.Join(dir, "recon.snapshots", "1")
	if infos[0].ParquetDir != wantDir {
		t.Errorf("parquet folder %q, want %q", infos[0].ParquetDir, wantDir)
	}
	want := []string{
		"recon.snapshots/1/bc_order_products.parquet",
		"recon.snapshots/1/bc_orders.parquet",
		"recon.snapshots/1/bc_shipments.parquet",
	}
	if got := filesUnder(t, dir); !equalStrings(got, want) {
		t.Errorf("files %q, want %q", got, want)
	}
	file := filepath.Join(wantDir, "bc_orders.parquet")
	got := queryString(t, s.DB(), `SELECT total_tax::VARCHAR || '|' || typeof(total_tax) || '|' ||
typeof(date_created) FROM read_parquet(?)`, file)
	if want := "-0.0001|DECIMAL(18,4)|TIMESTAMP WITH TIME ZONE"; got != want {
		t.Errorf("parquet copy reads %q, want %q", got, want)
	}
}

func TestLoadSnapshotsWithoutParquetCopies(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "recon.duckdb"), WithoutParquetCopies())
	run := beginRun(t, s)
	snap := bigCommerceSnapshot([]extract.Order{fullOrder()}, nil, nil)
	infos, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{snap})
	if err != nil {
		t.Fatal(err)
	}

	if infos[0].ParquetDir != "" {
		t.Errorf("parquet folder %q, want none", infos[0].ParquetDir)
	}
	if got := queryString(t, s.DB(), `SELECT parquet_dir FROM snapshots`); got != "NULL" {
		t.Errorf("parquet_dir %s, want NULL", got)
	}
	if got := filesUnder(t, dir); len(got) != 0 {
		t.Errorf("files left: %q", got)
	}
}

func TestLoadSnapshotsManyBatches(t *testing.T) {
	s := openTestStore(t, "", WithBatchRows(2))
	run := beginRun(t, s)
	var orders []extract.Order
	for i := range 5 {
		o := fullOrder()
		o.ID = int64(i + 1)
		o.ItemsTotal = extract.NewInt(int64(10 * i))
		orders = append(orders, o)
	}
	snap := bigCommerceSnapshot(orders, nil, nil)
	if _, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{snap}); err != nil {
		t.Fatal(err)
	}

	got := queryString(t, s.DB(), `SELECT string_agg(order_id || ':' || items_total, ',' ORDER BY order_id) FROM bc_orders`)
	if want := "1:0,2:10,3:20,4:30,5:40"; got != want {
		t.Errorf("orders %q, want %q", got, want)
	}
}

// filesUnder lists the regular files under dir, relative and sorted,
// skipping the database file and DuckDB's write-ahead log.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if rel != "recon.duckdb" && rel != "recon.duckdb.wal" {
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestReopenExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "recon.duckdb")
	ctx := context.Background()
	first, err := Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	run := beginRun(t, first)
	snap := bigCommerceSnapshot([]extract.Order{fullOrder()}, nil, nil)
	if _, err := first.LoadSnapshots(ctx, run, []extract.Snapshot{snap}); err != nil {
		t.Fatal(err)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	s := openTestStore(t, path)
	if got := queryInt(t, s.DB(), `SELECT count(*) FROM bc_orders`); got != 1 {
		t.Errorf("bc_orders after reopen: %d rows, want 1", got)
	}
	run2 := beginRun(t, s)
	if run2 != 2 {
		t.Errorf("second run id %d, want 2", run2)
	}
	infos, err := s.LoadSnapshots(ctx, run2, []extract.Snapshot{snap})
	if err != nil {
		t.Fatal(err)
	}
	if infos[0].ID != 2 {
		t.Errorf("second snapshot id %d, want 2", infos[0].ID)
	}
}

func TestOpenRejectsOtherSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "recon.duckdb")
	s, err := Open(context.Background(), path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`UPDATE schema_version SET version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	_, err = Open(context.Background(), path, nil)
	if !errors.Is(err, ErrSchemaVersion) {
		t.Errorf("open: error %v, want ErrSchemaVersion", err)
	}
}

func TestOpenRejectsQuestionMarkInPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?threads=1.duckdb")
	_, err := Open(context.Background(), path, nil)
	if err == nil || !strings.Contains(err.Error(), "contains '?'") {
		t.Fatalf("error = %v, want one about the '?'", err)
	}
}

func TestOpenSQLiteFileFailsWithoutInstalling(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	header := append([]byte("SQLite format 3\x00"), make([]byte, 4096)...)
	if err := os.WriteFile(path, header, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, nil)
	if err == nil {
		t.Fatal("opened a SQLite file as a DuckDB database")
	}
	if !strings.Contains(err.Error(), "not found") {
		t.Errorf("error = %v, want the extension reported missing rather than installed", err)
	}
}
