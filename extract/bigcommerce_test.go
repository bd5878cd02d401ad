package extract

import (
	"context"
	"errors"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func readTestStore(t *testing.T) Snapshot {
	t.Helper()
	snap, err := ReadBigCommerce(context.Background(), NewFileFetcher(os.DirFS("testdata/store/bigcommerce")),
		BigCommerceOptions{Origin: "testdata/store/bigcommerce"})
	if err != nil {
		t.Fatalf("ReadBigCommerce: %v", err)
	}
	return snap
}

// tableRows returns the rows of the named table as a []T.
func tableRows[T any](t *testing.T, snap Snapshot, name string) []T {
	t.Helper()
	for _, tb := range snap.Tables {
		if tb.Name == name {
			rows, ok := tb.Rows.([]T)
			if !ok {
				t.Fatalf("table %s holds %T", name, tb.Rows)
			}
			return rows
		}
	}
	t.Fatalf("table %s missing", name)
	return nil
}

func TestReadBigCommerceSnapshot(t *testing.T) {
	snap := readTestStore(t)

	if snap.Source != SourceBigCommerce || snap.System != "BigCommerce" {
		t.Errorf("source, system = %s, %s", snap.Source, snap.System)
	}
	if want := time.Unix(1718000000, 0).UTC(); !snap.ExtractedAt.Equal(want) {
		t.Errorf("ExtractedAt = %v, want %v", snap.ExtractedAt, want)
	}
	var names []string
	for _, def := range Tables {
		if def.Source == SourceBigCommerce {
			names = append(names, def.Name)
		}
	}
	var got []string
	for _, tb := range snap.Tables {
		got = append(got, tb.Name)
	}
	if !reflect.DeepEqual(got, names) {
		t.Errorf("tables = %v, want %v", got, names)
	}
}

func TestReadBigCommerceCounts(t *testing.T) {
	snap := readTestStore(t)
	want := map[string]int{
		"bc_orders": 3, "bc_order_products": 4, "bc_shipments": 2, "bc_shipment_items": 3,
		"bc_refunds": 1, "bc_refund_items": 2, "bc_refund_payments": 1, "bc_transactions": 3,
		"bc_variants": 2, "bc_locations": 2, "bc_inventory": 2,
	}
	for _, tb := range snap.Tables {
		if tb.Len() != want[tb.Name] {
			t.Errorf("%s has %d rows, want %d", tb.Name, tb.Len(), want[tb.Name])
		}
	}
}

func TestReadBigCommerceOrders(t *testing.T) {
	orders := tableRows[Order](t, readTestStore(t), "bc_orders")

	if ids := []int64{orders[0].ID, orders[1].ID, orders[2].ID}; !reflect.DeepEqual(ids, []int64{101, 102, 103}) {
		t.Fatalf("order ids = %v, want [101 102 103]", ids)
	}
	o := orders[1]
	if o.TotalIncTax.String() != "924.47" || o.SubtotalIncTax.String() != "8" {
		t.Errorf("order 102 totals = %s, %s", o.TotalIncTax, o.SubtotalIncTax)
	}
	if o.DateShipped.Valid() {
		t.Errorf("order 102 date_shipped = %s, want NULL", o.DateShipped)
	}
	if o.SubtotalExTax.Valid() {
		t.Errorf("order 102 subtotal_ex_tax = %s, want NULL (absent)", o.SubtotalExTax)
	}
	if got := orders[0].DateCreated.String(); got != "2024-06-03T09:15:00Z" {
		t.Errorf("order 101 date_created = %s", got)
	}
	if got := orders[0].SourceRef; got != "/v2/orders?page=1#0" {
		t.Errorf("order 101 SourceRef = %s", got)
	}
	if got := orders[2].SourceRef; got != "/v2/orders?page=2#0" {
		t.Errorf("order 103 SourceRef = %s", got)
	}
	if !strings.HasPrefix(string(orders[2].Raw), `{"id":103,`) || !strings.Contains(string(orders[2].Raw), `"store_credit_amount":null`) {
		t.Errorf("order 103 Raw = %s", orders[2].Raw)
	}
}

func TestReadBigCommerceShipments(t *testing.T) {
	snap := readTestStore(t)
	shipments := tableRows[Shipment](t, snap, "bc_shipments")
	items := tableRows[ShipmentItem](t, snap, "bc_shipment_items")

	if shipments[0].ID != 61 || shipments[0].MerchantShippingCost.String() != "3.5" {
		t.Errorf("shipment 0 = %d, %s", shipments[0].ID, shipments[0].MerchantShippingCost)
	}
	if shipments[0].SourceRef != "/v2/orders/101/shipments#0" {
		t.Errorf("shipment 61 SourceRef = %s", shipments[0].SourceRef)
	}
	want := []ShipmentItem{
		{ShipmentID: 61, OrderID: 101, OrderProductID: 501, Quantity: NewInt(2)},
		{ShipmentID: 61, OrderID: 101, OrderProductID: 502, Quantity: NewInt(1)},
		{ShipmentID: 62, OrderID: 103, OrderProductID: 504, Quantity: NewInt(2)},
	}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("shipment items = %+v, want %+v", items, want)
	}
}

func TestReadBigCommerceRefunds(t *testing.T) {
	snap := readTestStore(t)
	refunds := tableRows[Refund](t, snap, "bc_refunds")
	items := tableRows[RefundItem](t, snap, "bc_refund_items")
	payments := tableRows[RefundPayment](t, snap, "bc_refund_payments")

	r := refunds[0]
	if r.ID != 31 || r.TotalAmount.String() != "15.25" || r.TotalTax.String() != "2.54" {
		t.Errorf("refund = %d, %s, %s", r.ID, r.TotalAmount, r.TotalTax)
	}
	if r.SourceRef != "/v3/orders/payment_actions/refunds?page=1#0" {
		t.Errorf("refund SourceRef = %s", r.SourceRef)
	}
	want := []RefundItem{
		{RefundID: 31, OrderID: 103, Position: 0, ItemType: "PRODUCT", ItemID: 504, Quantity: NewInt(1)},
		{RefundID: 31, OrderID: 103, Position: 1, ItemType: "SHIPPING", ItemID: 13,
			RequestedAmount: MustDecimal("0.25"), Reason: "late"},
	}
	if !reflect.DeepEqual(items, want) {
		t.Errorf("refund items = %+v, want %+v", items, want)
	}
	wantPay := []RefundPayment{{RefundID: 31, OrderID: 103, ID: 41, ProviderID: "stripe", Amount: MustDecimal("15.25")}}
	if !reflect.DeepEqual(payments, wantPay) {
		t.Errorf("refund payments = %+v, want %+v", payments, wantPay)
	}
}

func TestReadBigCommerceTransactions(t *testing.T) {
	tx := tableRows[Transaction](t, readTestStore(t), "bc_transactions")

	tests := []struct {
		id      int64
		order   int64
		amount  string
		ref     Int
		gateway string
		created string
	}{
		{9001, 101, "54", Int{}, "stripe", "2024-06-03T09:15:02Z"},
		{9003, 103, "30.5", Int{}, "stripe", "2024-06-05T08:00:00Z"},
		{9004, 103, "15.25", NewInt(9003), "newgateway", "2024-06-07T12:00:00Z"},
	}
	for i, tt := range tests {
		got := tx[i]
		if got.ID != tt.id || got.OrderID != NewInt(tt.order) || got.Amount.String() != tt.amount {
			t.Errorf("transaction %d = %d, %d, %s", i, got.ID, got.OrderID.Value(), got.Amount)
		}
		if got.ReferenceTransaction != tt.ref {
			t.Errorf("transaction %d reference = %+v, want %+v", tt.id, got.ReferenceTransaction, tt.ref)
		}
		if got.Gateway != tt.gateway || got.DateCreated.String() != tt.created {
			t.Errorf("transaction %d = %s, %s", tt.id, got.Gateway, got.DateCreated)
		}
	}
	if tx[2].SourceRef != "/v3/orders/103/transactions#1" {
		t.Errorf("transaction 9004 SourceRef = %s", tx[2].SourceRef)
	}
}

func TestReadBigCommerceInventory(t *testing.T) {
	snap := readTestStore(t)
	levels := tableRows[InventoryLevel](t, snap, "bc_inventory")
	variants := tableRows[Variant](t, snap, "bc_variants")

	if len(levels) != 2 {
		t.Fatalf("got %d levels, want 2", len(levels))
	}
	a, b := levels[0], levels[1]
	if a.SKU != "MUG-1" || a.LocationID != 1 || a.AvailableToSell != NewInt(38) ||
		a.TotalInventoryOnhand != NewInt(40) || a.SafetyStock != NewInt(2) || !a.IsInStock {
		t.Errorf("level 0 = %+v", a)
	}
	if b.SKU != "MUG-1" || b.LocationID != 2 || b.LocationCode != "WH-2" || b.IsInStock || b.VariantID != NewInt(770) {
		t.Errorf("level 1 = %+v", b)
	}
	if a.SourceRef != "/v3/inventory/items?page=1#0" || string(a.Raw) != string(b.Raw) ||
		!strings.HasPrefix(string(a.Raw), `{"identity":`) {
		t.Errorf("levels record = %s / %s", a.SourceRef, a.Raw)
	}
	if variants[1].SKUID.Valid() || variants[1].Price.String() != "24.5" || variants[1].InventoryLevel.Valid() {
		t.Errorf("variant 780 = %+v", variants[1])
	}
}

func TestTransactionReference(t *testing.T) {
	tests := []struct {
		in    string
		want  Int
		fails bool
	}{
		{`{"reference_transaction_id":55}`, NewInt(55), false},
		{`{"reference_transaction_id":"55"}`, NewInt(55), false},
		{`{"reference_transaction_id":null}`, Int{}, false},
		{`{"reference_transaction_id":{}}`, Int{}, false},
		{`{"reference_transaction_id":""}`, Int{}, false},
		{`{}`, Int{}, false},
		{`{"reference_transaction_id":1.5}`, Int{}, true},
		{`{"reference_transaction_id":"x"}`, Int{}, true},
	}
	for _, tt := range tests {
		got, err := decodeReferenceTransaction([]byte(tt.in))
		if (err != nil) != tt.fails || got != tt.want {
			t.Errorf("decodeReferenceTransaction(%s) = %+v, %v", tt.in, got, err)
		}
	}
}

func TestDecodeErrorNamesField(t *testing.T) {
	body := []byte(`[{"id":1,"total_inc_tax":"1.00"},{"id":2,"total_inc_tax":"12,5"}]`)
	_, err := decodeOrdersPage(body, "/v2/orders?page=2")
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a ParseError", err)
	}
	if want := `/v2/orders?page=2#1: field total_inc_tax: invalid decimal "12,5"`; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

func TestDecodeErrorNamesNestedField(t *testing.T) {
	body := []byte(`{"data":[{"id":1,"items":[{"item_type":"PRODUCT","quantity":1},{"item_type":"SHIPPING","requested_amount":"x"}]}]}`)
	_, _, err := decodeRefundsPage(body, "/v3/orders/payment_actions/refunds?page=1")
	want := `/v3/orders/payment_actions/refunds?page=1#0: field items[1].requested_amount: invalid decimal "x"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestWalkerNamesSavedFile(t *testing.T) {
	fsys := storeWith(t, map[string]string{"v2/orders/page-0002.json": `[{"id":103,"total_tax":true}]`})
	_, err := ReadBigCommerce(context.Background(), NewFileFetcher(fsys), BigCommerceOptions{})
	want := "v2/orders/page-0002.json#0: field total_tax: invalid decimal true"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestWalkerRejectsRepeatedPage(t *testing.T) {
	fsys := storeWith(t, map[string]string{"v2/orders/page-0002.json": `[{"id":101}]`})
	_, err := ReadBigCommerce(context.Background(), NewFileFetcher(fsys), BigCommerceOptions{})
	if !errors.Is(err, ErrRepeatedPage) {
		t.Errorf("error = %v, want ErrRepeatedPage", err)
	}
}

func TestWalkerMissingOrderFile(t *testing.T) {
	fsys := storeWith(t, nil)
	delete(fsys, "v2/orders/102/shipments.json")
	_, err := ReadBigCommerce(context.Background(), NewFileFetcher(fsys), BigCommerceOptions{})
	if err == nil || !strings.Contains(err.Error(), "v2/orders/102/shipments.json") {
		t.Errorf("error = %v, want one naming v2/orders/102/shipments.json", err)
	}
}

func TestWalkerStopsAtTotalPages(t *testing.T) {
	rec := &recordingFetcher{Fetcher: NewFileFetcher(os.DirFS("testdata/store/bigcommerce"))}
	if _, err := ReadBigCommerce(context.Background(), rec, BigCommerceOptions{}); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"/v2/orders":              {"1", "2", "3"},
		"/v3/catalog/variants":    {"1", "2"},
		"/v3/inventory/locations": {"1"},
		"/v3/inventory/items":     {"1"},
		"/v2/orders/101/products": {"1"},
	}
	for path, pages := range want {
		if !reflect.DeepEqual(rec.pages[path], pages) {
			t.Errorf("pages requested of %s = %v, want %v", path, rec.pages[path], pages)
		}
	}
	if got := rec.query["/v2/orders"].Get("sort"); got != "id:asc" {
		t.Errorf("orders sort = %q, want id:asc", got)
	}
}

type recordingFetcher struct {
	Fetcher
	pages map[string][]string
	query map[string]url.Values
}

func (r *recordingFetcher) Get(ctx context.Context, path string, q url.Values) (Response, error) {
	if r.pages == nil {
		r.pages, r.query = map[string][]string{}, map[string]url.Values{}
	}
	r.pages[path] = append(r.pages[path], q.Get("page"))
	r.query[path] = q
	return r.Fetcher.Get(ctx, path, q)
}

// storeWith returns the test store in memory with files replaced.
func storeWith(t *testing.T, files map[string]string) fstest.MapFS {
	t.Helper()
	root := "testdata/store/bigcommerce"
	m := fstest.MapFS{}
	err := fsWalk(root, func(name string, data []byte) { m[name] = &fstest.MapFile{Data: data} })
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}
