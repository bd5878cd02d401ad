package rules

import (
	"database/sql"
	"fmt"
	"testing"
)

// addRefundPayment inserts an online payment of a BigCommerce refund of
// the test run.
func addRefundPayment(t *testing.T, db *sql.DB, refundID, orderID int64, provider, amount string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_refund_payments (snapshot_id, refund_id, order_id, payment_id, provider_id, amount, offline)
VALUES (%d, %d, %d, %d, '%s', %s, false)`, bcSnapshot, refundID, orderID, refundID+700, provider, amount))
}

// addTimedRefund inserts a BigCommerce refund of the test run created at
// a UTC time.
func addTimedRefund(t *testing.T, db *sql.DB, orderID, refundID int64, amount, created string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_refunds (snapshot_id, refund_id, order_id, total_amount, created, raw)
VALUES (%d, %d, %d, %s, TIMESTAMPTZ '%s+00', %s)`, bcSnapshot, refundID, orderID, amount, created, raw("refund", refundID)))
}

func TestPayoutRefundNotPaidOut(t *testing.T) {
	db := openPayoutTestDB(t)
	addOrder(t, db, 1001, "EUR")
	addTimedRefund(t, db, 1001, 7, "20.00", "2026-02-10 09:00:00")
	addRefundPayment(t, db, 7, 1001, "stripe", "20.00")
	addTimedRefund(t, db, 1001, 8, "20.00", "2026-02-18 09:00:00")
	addRefundPayment(t, db, 8, 1001, "stripe", "20.00")
	addPaymentTransaction(t, db, 1, 1001, "refund", "stripe", "re_near8", "", "20.00", "2026-02-18 09:00:05")
	addPaymentTransaction(t, db, 2, 1002, "refund", "stripe", "re_unknown", "usd", "5.00", "2026-02-20 10:00:00")
	addPaymentTransaction(t, db, 3, 1003, "refund", "stripe", "re_edge", "USD", "6.00", "2026-02-26 12:00:00")
	addPaymentTransaction(t, db, 4, 1004, "refund", "stripe", "re_paid", "USD", "7.00", "2026-02-01 08:00:00")
	addPayoutLine(t, db, payoutSnapshot, payoutLine{payout: "po_1", txn: "txn_r", category: "refund",
		source: "re_paid", charge: "ch_4", currency: "usd", gross: "-7.00", fee: "0"})
	addPaymentTransaction(t, db, 5, 1005, "refund", "stripe", "re_ascharge", "USD", "8.00", "2026-02-01 08:00:00")
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_1", "re_ascharge", "usd", "8.00", "0.53"))

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "payout.refund_not_paid_out")
	assertFindings(t, got, []finding{
		{"1001", "8", "NULL", "NULL", "re_near8", "20.0000", "NULL", "-20.0000", "EUR"},
		{"1002", "NULL", "NULL", "NULL", "re_unknown", "5.0000", "NULL", "-5.0000", "USD"},
		{"1005", "NULL", "NULL", "NULL", "re_ascharge", "8.0000", "NULL", "-8.0000", "USD"},
	})
	want := []string{
		"Refund 8 of EUR 20.00 on order 1001 was paid back on the stripe gateway at 2026-02-18 09:00 UTC, " +
			"but refund re_near8 is in no stripe payout by the run's as-of time 2026-03-01 12:00 UTC, beyond the grace of 3 days.",
		"A refund of USD 5.00 on order 1002 was paid back on the stripe gateway at 2026-02-20 10:00 UTC, " +
			"but refund re_unknown is in no stripe payout by the run's as-of time 2026-03-01 12:00 UTC, beyond the grace of 3 days.",
	}
	for i := range min(len(reasons), len(want)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
	evidence := evidenceOf(t, db, "payout.refund_not_paid_out")
	if len(evidence) > 0 && evidence[0] != `{"bc_transactions":{"transaction":"1"},"bc_refunds":{"refund":"8"}}` {
		t.Errorf("evidence %s", evidence[0])
	}
}
