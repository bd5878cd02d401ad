package rules

import (
	"database/sql"
	"fmt"
	"testing"
)

// addOrder inserts a BigCommerce order of the test run in currency.
func addOrder(t *testing.T, db *sql.DB, orderID int64, currency string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_orders (snapshot_id, order_id, customer_id, status_id, default_currency_code, raw)
VALUES (%d, %d, 1, 11, '%s', %s)`, bcSnapshot, orderID, currency, raw("order", orderID)))
}

// addRefund inserts a BigCommerce refund into a snapshot.
func addRefund(t *testing.T, db *sql.DB, snapshotID, orderID, refundID int64, amount string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_refunds (snapshot_id, refund_id, order_id, total_amount, raw)
VALUES (%d, %d, %d, %s, %s)`, snapshotID, refundID, orderID, amount, raw("refund", refundID)))
}

// addMemo inserts an ERP credit memo of the test run.
func addMemo(t *testing.T, db *sql.DB, number, reference, currency, amount string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_credit_memos
  (snapshot_id, id, number, external_document_number, currency_code, total_amount_including_tax, raw)
VALUES (%d, '%s-id', '%s', '%s', '%s', %s, %s)`,
		erpSnapshot, number, number, reference, currency, amount, raw("memo", number)))
}

// addOrderProduct inserts a BigCommerce order line of the test run.
func addOrderProduct(t *testing.T, db *sql.DB, orderID, lineID int64, sku string, quantity int) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_order_products (snapshot_id, order_product_id, order_id, sku, quantity, raw)
VALUES (%d, %d, %d, '%s', %d, %s)`, bcSnapshot, lineID, orderID, sku, quantity, raw("line", lineID)))
}

// addRefundItem inserts an item of a refund of the test run. quantity
// and amount may be "NULL".
func addRefundItem(t *testing.T, db *sql.DB, orderID, refundID, position int64, itemType string, itemID int64, quantity, amount string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_refund_items
  (snapshot_id, refund_id, order_id, position, item_type, item_id, quantity, requested_amount)
VALUES (%d, %d, %d, %d, '%s', %d, %s, %s)`, bcSnapshot, refundID, orderID, position, itemType, itemID, quantity, amount))
}

// addMemoLine inserts a line of the credit memo numbered memo.
func addMemoLine(t *testing.T, db *sql.DB, memo string, sequence int64, lineType, object, quantity, amount string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_credit_memo_lines
  (snapshot_id, id, document_id, sequence, line_type, line_object_number, quantity, amount_including_tax, raw)
VALUES (%d, '%s-%d', '%s-id', %d, '%s', '%s', %s, %s, %s)`,
		erpSnapshot, memo, sequence, memo, sequence, lineType, object, quantity, amount, raw("memo_line", sequence)))
}
