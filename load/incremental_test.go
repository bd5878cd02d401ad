package load

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
)

// storeTables builds the bc_* tables of one store state from small
// helpers, so each test names only the records it cares about.
type storeTables struct {
	orders       []extract.Order
	products     []extract.OrderProduct
	shipments    []extract.Shipment
	items        []extract.ShipmentItem
	transactions []extract.Transaction
	refunds      []extract.Refund
	refundItems  []extract.RefundItem
	variants     []extract.Variant
}

func (st *storeTables) order(id int64, status string, productIDs ...int64) {
	st.orders = append(st.orders, extract.Order{ID: id, Status: status})
	for _, p := range productIDs {
		st.products = append(st.products, extract.OrderProduct{ID: p, OrderID: id, Name: status})
	}
	shipment := id * 10
	st.shipments = append(st.shipments, extract.Shipment{ID: shipment, OrderID: id, TrackingNumber: status})
	st.items = append(st.items, extract.ShipmentItem{ShipmentID: shipment, OrderID: id, OrderProductID: productIDs[0]})
	st.transactions = append(st.transactions, extract.Transaction{ID: id * 100, OrderID: extract.NewInt(id), Status: status})
}

func (st *storeTables) refund(id, orderID int64) {
	st.refunds = append(st.refunds, extract.Refund{ID: id, OrderID: orderID})
	st.refundItems = append(st.refundItems, extract.RefundItem{RefundID: id, OrderID: orderID, ItemType: "ORDER", ItemID: orderID})
}

func (st *storeTables) snapshot(at time.Time, incremental bool) extract.Snapshot {
	return extract.Snapshot{
		Source:      extract.SourceBigCommerce,
		System:      "BigCommerce",
		Origin:      "http://127.0.0.1:8765",
		ExtractedAt: at,
		Incremental: incremental,
		Tables: []extract.Table{
			{Name: "bc_orders", Rows: st.orders},
			{Name: "bc_order_products", Rows: st.products},
			{Name: "bc_shipments", Rows: st.shipments},
			{Name: "bc_shipment_items", Rows: st.items},
			{Name: "bc_transactions", Rows: st.transactions},
			{Name: "bc_refunds", Rows: st.refunds},
			{Name: "bc_refund_items", Rows: st.refundItems},
			{Name: "bc_variants", Rows: st.variants},
		},
	}
}

var (
	firstExtract  = time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)
	secondExtract = time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)
)

// fullThenChanges returns a full snapshot of orders 1-3 with refund 1,
// and an incremental one in which order 2 was edited (one product left,
// renamed shipment and transaction), refund 2 is new and the variants
// list holds only variant 8.
func fullThenChanges() (full, changes extract.Snapshot) {
	var st storeTables
	st.order(1, "shipped", 11, 12)
	st.order(2, "pending", 21, 22)
	st.order(3, "shipped", 31)
	st.refund(1, 1)
	st.variants = []extract.Variant{{ID: 7, SKU: "A"}, {ID: 8, SKU: "B"}}
	full = st.snapshot(firstExtract, false)

	var ch storeTables
	ch.order(2, "edited", 23)
	ch.refund(2, 3)
	ch.variants = []extract.Variant{{ID: 8, SKU: "B"}}
	return full, ch.snapshot(secondExtract, true)
}

func loadRun(t *testing.T, s *Store, snap extract.Snapshot) []SnapshotInfo {
	t.Helper()
	_, infos, err := s.LoadRun(context.Background(), "test", []extract.Snapshot{snap})
	if err != nil {
		t.Fatalf("load run: %v", err)
	}
	return infos
}

// rowsOf returns one "col1|col2" string per row of snapshot id, sorted.
func rowsOf(t *testing.T, s *Store, table, cols string, id int64) []string {
	t.Helper()
	expr := "concat_ws('|', " + cols + ")"
	rows, err := s.DB().Query("SELECT "+expr+" FROM "+table+" WHERE snapshot_id = ? ORDER BY 1", id)
	if err != nil {
		t.Fatalf("query %s: %v", table, err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func checkRows(t *testing.T, s *Store, table, cols string, id int64, want ...string) {
	t.Helper()
	got := rowsOf(t, s, table, cols, id)
	if !slices.Equal(got, want) {
		t.Errorf("%s of snapshot %d:\n got %q\nwant %q", table, id, got, want)
	}
}

func TestIncrementalLoadCompletesSnapshot(t *testing.T) {
	s := openTestStore(t, "")
	full, changes := fullThenChanges()
	base := loadRun(t, s, full)[0].ID

	info := loadRun(t, s, changes)[0]

	id := info.ID
	checkRows(t, s, "bc_orders", "order_id, status", id, "1|shipped", "2|edited", "3|shipped")
	checkRows(t, s, "bc_order_products", "order_product_id, order_id", id, "11|1", "12|1", "23|2", "31|3")
	checkRows(t, s, "bc_shipments", "shipment_id, tracking_number", id, "10|shipped", "20|edited", "30|shipped")
	checkRows(t, s, "bc_shipment_items", "shipment_id, order_product_id", id, "10|11", "20|23", "30|31")
	checkRows(t, s, "bc_transactions", "transaction_id, status", id, "100|shipped", "200|edited", "300|shipped")
	checkRows(t, s, "bc_refunds", "refund_id, order_id", id, "1|1", "2|3")
	checkRows(t, s, "bc_refund_items", "refund_id, item_id", id, "1|1", "2|3")
	checkRows(t, s, "bc_variants", "variant_id, sku", id, "8|B")
	checkRows(t, s, "bc_order_products", "order_product_id", base, "11", "12", "21", "22", "31")
}

func TestIncrementalLoadMetadata(t *testing.T) {
	s := openTestStore(t, "")
	full, changes := fullThenChanges()
	base := loadRun(t, s, full)[0].ID

	info := loadRun(t, s, changes)[0]

	if info.BaseID != base {
		t.Errorf("BaseID %d, want %d", info.BaseID, base)
	}
	if info.Mode() != "incremental" {
		t.Errorf("Mode() %q, want incremental", info.Mode())
	}
	got := queryString(t, s.DB(), `SELECT mode || '|' || base_snapshot_id FROM snapshots WHERE snapshot_id = ?`, info.ID)
	if want := "incremental|" + strconv.FormatInt(base, 10); got != want {
		t.Errorf("snapshots row %q, want %q", got, want)
	}
	got = queryString(t, s.DB(), `SELECT mode || '|' || coalesce(base_snapshot_id::VARCHAR, 'NULL') FROM snapshots WHERE snapshot_id = ?`, base)
	if got != "full|NULL" {
		t.Errorf("full snapshots row %q, want full|NULL", got)
	}
	if info.Carried["bc_order_products"] != 3 {
		t.Errorf("carried %d order products, want 3", info.Carried["bc_order_products"])
	}
}

func TestIncrementalLoadRowCounts(t *testing.T) {
	s := openTestStore(t, "")
	full, changes := fullThenChanges()
	loadRun(t, s, full)

	info := loadRun(t, s, changes)[0]

	want := map[string]int64{
		"bc_orders": 3, "bc_order_products": 4, "bc_shipments": 3, "bc_shipment_items": 3,
		"bc_transactions": 3, "bc_refunds": 2, "bc_refund_items": 2, "bc_refund_payments": 0,
		"bc_variants": 1, "bc_locations": 0, "bc_inventory": 0,
	}
	for table, n := range want {
		if info.RowCounts[table] != n {
			t.Errorf("RowCounts[%s] = %d, want %d", table, info.RowCounts[table], n)
		}
		stored := queryInt(t, s.DB(), `SELECT row_count FROM snapshot_tables WHERE snapshot_id = ? AND table_name = ?`, info.ID, table)
		if stored != n {
			t.Errorf("snapshot_tables %s = %d, want %d", table, stored, n)
		}
	}
}

func TestIncrementalLoadChainsSnapshots(t *testing.T) {
	s := openTestStore(t, "")
	full, changes := fullThenChanges()
	loadRun(t, s, full)
	loadRun(t, s, changes)
	var st storeTables
	st.order(3, "refunded", 32)
	third := st.snapshot(secondExtract.Add(time.Hour), true)

	info := loadRun(t, s, third)[0]

	checkRows(t, s, "bc_order_products", "order_product_id", info.ID, "11", "12", "23", "32")
	checkRows(t, s, "bc_refunds", "refund_id", info.ID, "1", "2")
}

func TestIncrementalLoadNeedsBase(t *testing.T) {
	s := openTestStore(t, "")
	_, changes := fullThenChanges()

	_, _, err := s.LoadRun(context.Background(), "test", []extract.Snapshot{changes})

	if !errors.Is(err, ErrNoBaseSnapshot) {
		t.Fatalf("error %v, want ErrNoBaseSnapshot", err)
	}
	if !strings.Contains(err.Error(), "run a full extract first") {
		t.Errorf("error %q does not say to run a full extract", err)
	}
	if n := queryInt(t, s.DB(), `SELECT count(*) FROM runs`); n != 0 {
		t.Errorf("%d runs after the failed load, want 0", n)
	}
}

func TestIncrementalLoadIgnoresOtherOrigin(t *testing.T) {
	s := openTestStore(t, "")
	full, changes := fullThenChanges()
	full.Origin = "saved files"
	loadRun(t, s, full)
	changes.Origin = "https://api.example.test/stores/other"

	_, _, err := s.LoadRun(context.Background(), "test", []extract.Snapshot{changes})

	if !errors.Is(err, ErrNoBaseSnapshot) {
		t.Fatalf("error %v, want ErrNoBaseSnapshot for a base from another origin", err)
	}
	if _, ok, err := s.LatestExtractedAt(context.Background(), extract.SourceBigCommerce, changes.Origin); err != nil || ok {
		t.Errorf("LatestExtractedAt of another origin = %v, %v; want none", ok, err)
	}
}

func TestIncrementalLoadFailureRollsBack(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "recon.duckdb"))
	full, changes := fullThenChanges()
	loadRun(t, s, full)
	before := tableCounts(t, s)
	parquetBefore := filesUnder(t, s.snapshotRoot())
	// The ERP snapshot fails after the BigCommerce one was inserted and
	// completed in the same transaction.
	badERP := erpSnapshot()
	badERP.Tables[0].Rows = []extract.SalesOrder{{ID: "so-1", TotalTaxAmount: extract.MustDecimal("1.000001")}}

	_, _, err := s.LoadRun(context.Background(), "test", []extract.Snapshot{changes, badERP})

	var valueErr *ValueError
	if !errors.As(err, &valueErr) {
		t.Fatalf("error %v, want a *ValueError", err)
	}
	checkCountsUnchanged(t, before, tableCounts(t, s))
	if after := filesUnder(t, s.snapshotRoot()); !equalStrings(after, parquetBefore) {
		t.Errorf("parquet files %q after the failed load, want %q", after, parquetBefore)
	}
}

func TestIncrementalLoadKeepsCompletedParquet(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "recon.duckdb"))
	full, changes := fullThenChanges()
	loadRun(t, s, full)

	info := loadRun(t, s, changes)[0]

	path := filepath.Join(info.ParquetDir, "bc_order_products.parquet")
	n := queryInt(t, s.DB(), `SELECT count(*) FROM read_parquet(?)`, path)
	if n != 4 {
		t.Errorf("%s holds %d rows, want the 4 of the completed snapshot", path, n)
	}
}

func TestMergeTablesPutParentsLast(t *testing.T) {
	tables, err := mergeTables(extract.SourceBigCommerce)
	if err != nil {
		t.Fatal(err)
	}

	var names []string
	for _, mt := range tables {
		names = append(names, mt.name+">"+mt.parent)
	}
	n := len(names)
	if n < 2 || names[n-2] != "bc_orders>bc_orders" || names[n-1] != "bc_refunds>bc_refunds" {
		t.Errorf("merge tables %q, want bc_orders and bc_refunds last", names)
	}
	if !slices.Contains(names, "bc_refund_items>bc_refunds") {
		t.Errorf("merge tables %q lack bc_refund_items under bc_refunds", names)
	}
}

func TestOpenUpgradesVersionOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "recon.duckdb")
	s := openTestStore(t, path)
	loadRun(t, s, erpSnapshot())
	for _, stmt := range []string{
		`ALTER TABLE snapshots DROP COLUMN base_snapshot_id`,
		`UPDATE schema_version SET version = 1`,
	} {
		if _, err := s.DB().Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()

	s = openTestStore(t, path)

	if v := queryInt(t, s.DB(), `SELECT version FROM schema_version`); v != SchemaVersion {
		t.Errorf("schema version %d after the upgrade, want %d", v, SchemaVersion)
	}
	got := queryString(t, s.DB(), `SELECT mode || '|' || coalesce(base_snapshot_id::VARCHAR, 'NULL') FROM snapshots`)
	if got != "full|NULL" {
		t.Errorf("upgraded snapshots row %q, want full|NULL", got)
	}
}
