package load

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
)

// tableCounts returns the row count of every snapshot and metadata table.
func tableCounts(t *testing.T, s *Store) map[string]int64 {
	t.Helper()
	names := []string{"runs", "snapshots", "snapshot_tables"}
	for _, def := range extract.Tables {
		names = append(names, def.Name)
	}
	counts := map[string]int64{}
	for _, name := range names {
		counts[name] = queryInt(t, s.DB(), "SELECT count(*) FROM "+name)
	}
	return counts
}

func checkCountsUnchanged(t *testing.T, before, after map[string]int64) {
	t.Helper()
	for name, n := range before {
		if after[name] != n {
			t.Errorf("%s: %d rows after the failed load, want %d", name, after[name], n)
		}
	}
}

// storeWithOneLoad returns a file-backed store holding one loaded run.
func storeWithOneLoad(t *testing.T, dir string, logger *slog.Logger) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(dir, "recon.duckdb"), logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	run := beginRun(t, s)
	snaps := []extract.Snapshot{
		bigCommerceSnapshot([]extract.Order{fullOrder()}, nil, nil),
		erpSnapshot(),
	}
	if _, err := s.LoadSnapshots(context.Background(), run, snaps); err != nil {
		t.Fatal(err)
	}
	return s
}

func badShipmentSnapshot() extract.Snapshot {
	products := []extract.OrderProduct{{ID: 9001, OrderID: 101, BasePrice: extract.MustDecimal("10")}}
	shipments := []extract.Shipment{
		{ID: 1, OrderID: 101, MerchantShippingCost: extract.MustDecimal("4.95")},
		{
			ID:                   2,
			OrderID:              101,
			MerchantShippingCost: extract.MustDecimal("1.23456"),
			Record:               extract.Record{SourceRef: "v2/orders/101/shipments.json#1"},
		},
	}
	return bigCommerceSnapshot([]extract.Order{fullOrder()}, products, shipments)
}

func TestLoadSnapshotsBadDecimalRollsBack(t *testing.T) {
	dir := t.TempDir()
	s := storeWithOneLoad(t, dir, nil)
	run := beginRun(t, s)
	before, filesBefore := tableCounts(t, s), filesUnder(t, dir)

	snaps := []extract.Snapshot{erpSnapshot(), badShipmentSnapshot()}
	_, err := s.LoadSnapshots(context.Background(), run, snaps)

	var valueErr *ValueError
	if !errors.As(err, &valueErr) {
		t.Fatalf("error %v, want a *ValueError", err)
	}
	if valueErr.Table != "bc_shipments" {
		t.Errorf("table %q, want bc_shipments", valueErr.Table)
	}
	if valueErr.SourceRef != "v2/orders/101/shipments.json#1" {
		t.Errorf("source ref %q, want v2/orders/101/shipments.json#1", valueErr.SourceRef)
	}
	if valueErr.Column != "merchant_shipping_cost" {
		t.Errorf("column %q, want merchant_shipping_cost", valueErr.Column)
	}
	if !strings.Contains(err.Error(), "value 1.23456 has more than 4 decimals") {
		t.Errorf("error %q does not name the value", err)
	}
	checkCountsUnchanged(t, before, tableCounts(t, s))
	if got := filesUnder(t, dir); !equalStrings(got, filesBefore) {
		t.Errorf("files %q after the failed load, want %q", got, filesBefore)
	}
}

func TestLoadSnapshotsCancelRollsBack(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelAfter := &cancelHandler{table: "bc_order_products", cancel: cancel}
	s := storeWithOneLoad(t, dir, slog.New(cancelAfter))
	run := beginRun(t, s)
	before, filesBefore := tableCounts(t, s), filesUnder(t, dir)

	products := []extract.OrderProduct{{ID: 9001, OrderID: 101}}
	shipments := []extract.Shipment{{ID: 1, OrderID: 101}}
	snap := bigCommerceSnapshot([]extract.Order{fullOrder()}, products, shipments)
	cancelAfter.armed = true
	_, err := s.LoadSnapshots(ctx, run, []extract.Snapshot{erpSnapshot(), snap})

	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if !cancelAfter.fired {
		t.Fatal("the load never reached bc_order_products")
	}
	checkCountsUnchanged(t, before, tableCounts(t, s))
	if got := filesUnder(t, dir); !equalStrings(got, filesBefore) {
		t.Errorf("files %q after the cancelled load, want %q", got, filesBefore)
	}
}

func TestLoadSnapshotsInvalidJSONRollsBack(t *testing.T) {
	dir := t.TempDir()
	s := storeWithOneLoad(t, dir, nil)
	run := beginRun(t, s)
	before, filesBefore := tableCounts(t, s), filesUnder(t, dir)

	order := fullOrder()
	order.Raw = []byte(`{"id": 101`)
	snap := bigCommerceSnapshot([]extract.Order{order}, nil, nil)
	_, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{erpSnapshot(), snap})

	if err == nil || !strings.Contains(err.Error(), "insert rows of bc_orders") {
		t.Errorf("error %v, want a failed insert into bc_orders", err)
	}
	checkCountsUnchanged(t, before, tableCounts(t, s))
	if got := filesUnder(t, dir); !equalStrings(got, filesBefore) {
		t.Errorf("files %q after the failed load, want %q", got, filesBefore)
	}
}

// cancelHandler cancels a load once it logs that table as loaded.
type cancelHandler struct {
	table  string
	cancel context.CancelFunc
	armed  bool
	fired  bool
}

func (h *cancelHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *cancelHandler) Handle(_ context.Context, r slog.Record) error {
	if !h.armed || r.Message != "loaded table" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "table" && a.Value.String() == h.table {
			h.fired = true
			h.cancel()
		}
		return true
	})
	return nil
}

func (h *cancelHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *cancelHandler) WithGroup(string) slog.Handler      { return h }

func TestLoadSnapshotsRejectsBadInput(t *testing.T) {
	cases := []struct {
		name string
		edit func(*extract.Snapshot)
		want string
	}{
		{"unknown table", func(s *extract.Snapshot) { s.Tables[0].Name = "erp_nope" }, `unknown table "erp_nope"`},
		{"other source", func(s *extract.Snapshot) { s.Tables[0].Name = "bc_orders" }, "table bc_orders belongs to source bigcommerce"},
		{"wrong row type", func(s *extract.Snapshot) { s.Tables[0].Rows = []extract.Order{} }, "rows are []extract.Order, want []extract.SalesOrder"},
		{"no extraction time", func(s *extract.Snapshot) { s.ExtractedAt = time.Time{} }, "missing extraction time"},
		{"unknown source", func(s *extract.Snapshot) { s.Source = "shopify" }, "unknown source"},
		{"table twice", func(s *extract.Snapshot) { s.Tables = append(s.Tables, s.Tables[0]) }, "table erp_sales_orders appears twice"},
	}
	s := openTestStore(t, "")
	run := beginRun(t, s)
	for _, c := range cases {
		snap := erpSnapshot()
		c.edit(&snap)
		_, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{snap})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
	_, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{erpSnapshot(), erpSnapshot()})
	if err == nil || !strings.Contains(err.Error(), `source "erp" appears in two snapshots`) {
		t.Errorf("two erp snapshots: error %v", err)
	}
	if got := queryInt(t, s.DB(), "SELECT count(*) FROM snapshots"); got != 0 {
		t.Errorf("%d snapshots stored from bad input, want 0", got)
	}
}

func TestValueErrorNamesRowWithoutSourceRef(t *testing.T) {
	s := openTestStore(t, "")
	run := beginRun(t, s)
	items := []extract.RefundItem{
		{RefundID: 1, Position: 1, RequestedAmount: extract.MustDecimal("5")},
		{RefundID: 1, Position: 2, RequestedAmount: extract.MustDecimal("0.00001")},
	}
	snap := bigCommerceSnapshot(nil, nil, nil)
	snap.Tables = []extract.Table{{Name: "bc_refund_items", Rows: items}}
	_, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{snap})

	var valueErr *ValueError
	if !errors.As(err, &valueErr) {
		t.Fatalf("error %v, want a *ValueError", err)
	}
	if valueErr.SourceRef != "row 2" {
		t.Errorf("source ref %q, want row 2", valueErr.SourceRef)
	}
	if valueErr.Column != "requested_amount" {
		t.Errorf("column %q, want requested_amount", valueErr.Column)
	}
}

func TestValueErrorSubMicrosecondTimestamp(t *testing.T) {
	s := openTestStore(t, "")
	run := beginRun(t, s)
	order := fullOrder()
	order.DateShipped = rfc2822(created.Add(time.Nanosecond))
	snap := bigCommerceSnapshot([]extract.Order{order}, nil, nil)
	_, err := s.LoadSnapshots(context.Background(), run, []extract.Snapshot{snap})

	var valueErr *ValueError
	if !errors.As(err, &valueErr) {
		t.Fatalf("error %v, want a *ValueError", err)
	}
	if valueErr.Column != "date_shipped" {
		t.Errorf("column %q, want date_shipped", valueErr.Column)
	}
	want := "table bc_orders, row v2/orders/page-0001.json#0, column date_shipped: timestamp 2024-03-05T21:40:11.123456001Z"
	if !strings.HasPrefix(err.Error(), "load snapshots of run 1: snapshot of bigcommerce: "+want) {
		t.Errorf("error %q, want it to contain %q", err, want)
	}
}
