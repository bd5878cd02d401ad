package rules

import (
	"database/sql"
	"fmt"
	"testing"
)

// addTaxedOrder inserts a BigCommerce order with its total and shipping
// tax, one product line per entry of lineTaxes, and an ERP sales order
// SO-<order id> for it unless erpTax is empty.
func addTaxedOrder(t *testing.T, db *sql.DB, orderID int64, currency, totalTax, shippingTax string,
	lineTaxes []string, erpCurrency, erpTax string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_orders
  (snapshot_id, order_id, customer_id, status_id, default_currency_code, total_tax, shipping_cost_tax, raw)
VALUES (%d, %d, 1, 11, '%s', %s, %s, %s)`,
		bcSnapshot, orderID, currency, totalTax, shippingTax, raw("order", orderID)))
	for i, tax := range lineTaxes {
		lineID := orderID*100 + int64(i)
		exec(t, db, fmt.Sprintf(`INSERT INTO bc_order_products (snapshot_id, order_product_id, order_id, total_tax, raw)
VALUES (%d, %d, %d, %s, %s)`, bcSnapshot, lineID, orderID, tax, raw("line", lineID)))
	}
	if erpTax == "" {
		return
	}
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_sales_orders
  (snapshot_id, id, number, external_document_number, currency_code, total_tax_amount, raw)
VALUES (%d, 'so-%d', 'SO-%d', '%d', '%s', %s, %s)`,
		erpSnapshot, orderID, orderID, orderID, erpCurrency, erpTax, raw("sales_order", orderID)))
}
