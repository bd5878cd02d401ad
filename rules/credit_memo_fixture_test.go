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
