package rules

import (
	"database/sql"
	"fmt"
	"testing"
)

// asOf is the extracted_at of every test snapshot, so the as-of time of
// the order and dispatch rules.
const asOf = "2026-03-01 12:00:00+00"

// bcOrder is a BigCommerce order of the test run. Money is SQL text.
type bcOrder struct {
	id            int64
	statusID      int64
	paymentStatus string
	currency      string
	created       string // a TIMESTAMPTZ literal
	subtotal      string // ex tax
	shipping      string // ex tax
	discount      string
	coupon        string
	tax           string
	totalEx       string
	totalInc      string
}

// paidOrder returns an order of 100.00 + 10.00 shipping + 8.80 tax,
// Awaiting Fulfillment, created two days before the as-of time.
func paidOrder(id int64) bcOrder {
	return bcOrder{
		id: id, statusID: 11, paymentStatus: "captured",
		currency: "USD", created: "2026-02-27 12:00:00+00",
		subtotal: "100.00", shipping: "10.00", discount: "0", coupon: "0",
		tax: "8.80", totalEx: "110.00", totalInc: "118.80",
	}
}

// statusNames are BigCommerce's names of its order statuses.
var statusNames = map[int64]string{
	0: "Incomplete", 1: "Pending", 2: "Shipped", 3: "Partially Shipped", 4: "Refunded",
	5: "Cancelled", 6: "Declined", 7: "Awaiting Payment", 8: "Awaiting Pickup",
	9: "Awaiting Shipment", 10: "Completed", 11: "Awaiting Fulfillment",
	12: "Manual Verification Required", 13: "Disputed", 14: "Partially Refunded",
}

// addBCOrder inserts o with the status name of its status_id.
func addBCOrder(t *testing.T, db *sql.DB, o bcOrder) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_orders
  (snapshot_id, order_id, customer_id, date_created, status_id, status, payment_status,
   default_currency_code, subtotal_ex_tax, shipping_cost_ex_tax, shipping_cost_tax,
   discount_amount, coupon_discount, total_ex_tax, total_tax, total_inc_tax, raw)
VALUES (%d, %d, 1, TIMESTAMPTZ '%s', %d, '%s', '%s', '%s', %s, %s, 0, %s, %s, %s, %s, %s, %s)`,
		bcSnapshot, o.id, o.created, o.statusID, statusNames[o.statusID], o.paymentStatus, o.currency,
		o.subtotal, o.shipping, o.discount, o.coupon, o.totalEx, o.tax, o.totalInc, raw("order", o.id)))
}

// erpOrder is an ERP sales order of the test run, numbered SO-<id>, with
// an Item line and a shipping line.
type erpOrder struct {
	orderID  int64
	currency string // "" for the local currency
	discount string // header discountAmount
	item     string // amountExcludingTax of the Item line
	shipping string // amountExcludingTax of the shipping line
	account  string // G/L account of the shipping line
	tax      string
	totalEx  string
	totalInc string
}

// bookedOrder returns the ERP sales order that matches paidOrder(id).
func bookedOrder(id int64) erpOrder {
	return erpOrder{
		orderID: id, currency: "", discount: "0", item: "100.00", shipping: "10.00",
		account: "6110", tax: "8.80", totalEx: "110.00", totalInc: "118.80",
	}
}

func addERPOrder(t *testing.T, db *sql.DB, so erpOrder) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_sales_orders
  (snapshot_id, id, number, external_document_number, currency_code, discount_amount,
   total_amount_excluding_tax, total_tax_amount, total_amount_including_tax, raw)
VALUES (%d, 'so-%d', 'SO-%d', '%d', '%s', %s, %s, %s, %s, %s)`,
		erpSnapshot, so.orderID, so.orderID, so.orderID, so.currency, so.discount,
		so.totalEx, so.tax, so.totalInc, raw("sales_order", so.orderID)))
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_sales_order_lines
  (snapshot_id, id, document_id, sequence, line_type, line_object_number, discount_amount, amount_excluding_tax, raw)
VALUES (%d, 'sol-%d-1', 'so-%d', 10000, 'Item', 'SKU-1', 0, %s, %s),
       (%d, 'sol-%d-2', 'so-%d', 20000, 'Account', '%s', 0, %s, %s)`,
		erpSnapshot, so.orderID, so.orderID, so.item, raw("line", so.orderID*10+1),
		erpSnapshot, so.orderID, so.orderID, so.account, so.shipping, raw("line", so.orderID*10+2)))
}

// addTransaction inserts a BigCommerce payment transaction with status ok.
func addTransaction(t *testing.T, db *sql.DB, id, orderID int64, event string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_transactions (snapshot_id, transaction_id, order_id, event, status, raw)
VALUES (%d, %d, %d, '%s', 'ok', %s)`, bcSnapshot, id, orderID, event, raw("transaction", id)))
}
