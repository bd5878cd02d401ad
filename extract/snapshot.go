// Package extract reads each system recon reconciles (BigCommerce, the
// ERP, the WMS and the payment provider) into typed rows, one Snapshot per
// system. It decodes exactly what the systems send and keeps every source
// record beside its typed row; it does not touch the database.
package extract

import (
	"encoding/json"
	"reflect"
	"time"
)

// Record is embedded in every top-level row. SourceRef names where the row
// came from, for example "v2/orders/page-0001.json#3" or
// "erp/salesOrders.csv:17", and Raw is the source record as JSON: the API
// object as received, or a CSV row as an object keyed by header.
type Record struct {
	SourceRef string          `json:"-" csv:"-" db:"source_ref"`
	Raw       json.RawMessage `json:"-" csv:"-" db:"raw"`
}

// Source names a system recon snapshots.
type Source string

// The systems recon reads.
const (
	SourceBigCommerce Source = "bigcommerce"
	SourceERP         Source = "erp"
	SourceWMS         Source = "wms"
	SourcePayouts     Source = "payouts"
)

// Snapshot is everything read from one system at one moment.
type Snapshot struct {
	Source Source
	// System describes the product behind the source, such as
	// "Business Central" or "Stripe".
	System string
	// Origin is the directory or base URL read; it never holds a secret.
	Origin string
	// ExtractedAt is when the source's data was current, by the source's
	// own clock where it has one (BigCommerce's GET /v2/time).
	ExtractedAt time.Time
	// Incremental marks a snapshot whose tables with a MergeKey hold only
	// the records changed since the source's previous snapshot. The
	// loader completes it into a full snapshot by carrying over the
	// previous snapshot's rows of every record it does not mention.
	Incremental bool
	Tables      []Table
}

// Table is the rows of one table in a snapshot. Rows is a slice of the
// table's row type, for example []Order for "bc_orders".
type Table struct {
	Name string
	Rows any
}

// Len returns the number of rows in t.
func (t Table) Len() int {
	v := reflect.ValueOf(t.Rows)
	if v.Kind() != reflect.Slice {
		return 0
	}
	return v.Len()
}

// TableDef describes one snapshot table: its name, the system it belongs
// to, its row type and the columns that identify a row within a snapshot.
//
// MergeKey is the column that ties the table's rows to the record an
// incremental extract refetches as a whole: "order_id" for an order and
// everything read per order, "refund_id" for a refund with its items and
// payments. The parent table of a MergeKey (bc_orders, bc_refunds) lists
// the records an incremental snapshot replaces. Tables without a MergeKey
// are read in full every time.
type TableDef struct {
	Name     string
	Source   Source
	Row      reflect.Type
	Key      []string
	MergeKey string
}

// Tables lists every snapshot table in load order.
var Tables = []TableDef{
	{"bc_orders", SourceBigCommerce, reflect.TypeFor[Order](), []string{"order_id"}, "order_id"},
	{"bc_order_products", SourceBigCommerce, reflect.TypeFor[OrderProduct](), []string{"order_product_id"}, "order_id"},
	{"bc_shipments", SourceBigCommerce, reflect.TypeFor[Shipment](), []string{"shipment_id"}, "order_id"},
	{"bc_shipment_items", SourceBigCommerce, reflect.TypeFor[ShipmentItem](), []string{"shipment_id", "order_product_id"}, "order_id"},
	{"bc_refunds", SourceBigCommerce, reflect.TypeFor[Refund](), []string{"refund_id"}, "refund_id"},
	{"bc_refund_items", SourceBigCommerce, reflect.TypeFor[RefundItem](), []string{"refund_id", "position"}, "refund_id"},
	{"bc_refund_payments", SourceBigCommerce, reflect.TypeFor[RefundPayment](), []string{"refund_id", "payment_id"}, "refund_id"},
	{"bc_transactions", SourceBigCommerce, reflect.TypeFor[Transaction](), []string{"transaction_id"}, "order_id"},
	{"bc_variants", SourceBigCommerce, reflect.TypeFor[Variant](), []string{"variant_id"}, ""},
	{"bc_locations", SourceBigCommerce, reflect.TypeFor[Location](), []string{"location_id"}, ""},
	{"bc_inventory", SourceBigCommerce, reflect.TypeFor[InventoryLevel](), []string{"sku", "location_id"}, ""},
	{"erp_sales_orders", SourceERP, reflect.TypeFor[SalesOrder](), []string{"id"}, ""},
	{"erp_sales_order_lines", SourceERP, reflect.TypeFor[SalesOrderLine](), []string{"id"}, ""},
	{"erp_credit_memos", SourceERP, reflect.TypeFor[CreditMemo](), []string{"id"}, ""},
	{"erp_credit_memo_lines", SourceERP, reflect.TypeFor[CreditMemoLine](), []string{"id"}, ""},
	{"erp_stock", SourceERP, reflect.TypeFor[StockLevel](), []string{"item_number", "location_code"}, ""},
	{"wms_fulfilments", SourceWMS, reflect.TypeFor[Fulfilment](), []string{"shipment_id", "sku"}, ""},
	{"payout_lines", SourcePayouts, reflect.TypeFor[PayoutLine](), []string{"balance_transaction_id"}, ""},
	{"payouts", SourcePayouts, reflect.TypeFor[Payout](), []string{"payout_id"}, ""},
}

// LookupTable returns the definition of the named table.
func LookupTable(name string) (TableDef, bool) {
	for _, t := range Tables {
		if t.Name == name {
			return t, true
		}
	}
	return TableDef{}, false
}
