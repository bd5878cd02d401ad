package rules

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
)

// taxTestLine is one BigCommerce line of a tax test order. percent is
// the ERP line's taxPercent; when empty the ERP line has none.
type taxTestLine struct {
	sku, net, gross, tax, percent string
}

// taxTestOrder is a BigCommerce order with an ERP sales order SO-<id>
// holding erpTax, unless erpTax is empty.
type taxTestOrder struct {
	id          int64
	currency    string
	inclusive   bool
	lines       []taxTestLine
	shipping    *taxTestLine
	erpCurrency string
	erpTax      string
}

// addTaxOrder inserts o's BigCommerce order and lines and its ERP sales
// order with one Item line per product line and an Account line on 6110
// for the shipping.
func addTaxOrder(t *testing.T, db *sql.DB, o taxTestOrder) {
	t.Helper()
	total := decimal.Zero
	for _, l := range o.lines {
		total = total.Add(decimal.RequireFromString(l.tax))
	}
	ship := taxTestLine{net: "0", gross: "0", tax: "0"}
	if o.shipping != nil {
		ship = *o.shipping
		total = total.Add(decimal.RequireFromString(ship.tax))
	}
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_orders
  (snapshot_id, order_id, customer_id, status_id, default_currency_code, is_tax_inclusive_pricing, total_tax,
   shipping_cost_ex_tax, shipping_cost_inc_tax, shipping_cost_tax, raw)
VALUES (%d, %d, 1, 11, '%s', %t, %s, %s, %s, %s, %s)`,
		bcSnapshot, o.id, o.currency, o.inclusive, total, ship.net, ship.gross, ship.tax, raw("order", o.id)))
	for i, l := range o.lines {
		lineID := o.id*100 + int64(i)
		exec(t, db, fmt.Sprintf(`INSERT INTO bc_order_products
  (snapshot_id, order_product_id, order_id, sku, total_ex_tax, total_inc_tax, total_tax, raw)
VALUES (%d, %d, %d, '%s', %s, %s, %s, %s)`, bcSnapshot, lineID, o.id, l.sku, l.net, l.gross, l.tax, raw("line", lineID)))
	}
	if o.erpTax == "" {
		return
	}
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_sales_orders
  (snapshot_id, id, number, external_document_number, currency_code, total_tax_amount, raw)
VALUES (%d, 'so-%d', 'SO-%d', '%d', '%s', %s, %s)`,
		erpSnapshot, o.id, o.id, o.id, o.erpCurrency, o.erpTax, raw("sales_order", o.id)))
	for i, l := range o.lines {
		addSalesOrderLine(t, db, o.id, i, "Item", l.sku, l.percent)
	}
	if o.shipping != nil {
		addSalesOrderLine(t, db, o.id, len(o.lines), "Account", "6110", o.shipping.percent)
	}
}

func addSalesOrderLine(t *testing.T, db *sql.DB, orderID int64, i int, lineType, object, percent string) {
	t.Helper()
	if percent == "" {
		percent = "NULL"
	}
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_sales_order_lines
  (snapshot_id, id, document_id, sequence, line_type, line_object_number, tax_percent, raw)
VALUES (%d, 'sol-%d-%d', 'so-%d', %d, '%s', '%s', %s, %s)`,
		erpSnapshot, orderID, i, orderID, (i+1)*10000, lineType, object, percent, raw("line", i)))
}

// usTenDollarLines returns n lines of net 10.00 at 8.25 %, whose exact
// tax 0.825 is a tie at 0.01.
func usTenDollarLines(n int) []taxTestLine {
	var out []taxTestLine
	for i := range n {
		out = append(out, taxTestLine{fmt.Sprintf("SKU-%d", i), "10.00", "10.83", "0.83", "8.25"})
	}
	return out
}
