package rules

import "testing"

// The test run's as-of time is 2026-03-01 12:00 UTC, so with the default
// grace of 3 days a capture before 2026-02-26 12:00 UTC is overdue.
func TestPayoutCaptureNotPaidOut(t *testing.T) {
	db := openPayoutTestDB(t)
	addOrder(t, db, 1001, "EUR")
	addPaymentTransaction(t, db, 1, 1001, "capture", "stripe", "ch_late", "", "40.00", "2026-02-20 10:00:00")
	addPaymentTransaction(t, db, 2, 1002, "capture", "stripe", "ch_edge", "USD", "10.00", "2026-02-26 12:00:00")
	addPaymentTransaction(t, db, 3, 1003, "purchase", "stripe", "ch_over", "usd", "11.00", "2026-02-26 11:59:59")
	addPaymentTransaction(t, db, 4, 1004, "capture", "stripe", "ch_paid", "USD", "12.00", "2026-02-01 08:00:00")
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_1", "ch_paid", "usd", "12.00", "0.65"))
	addPaymentTransaction(t, db, 5, 1005, "authorization", "stripe", "ch_auth", "USD", "13.00", "2026-02-01 08:00:00")
	addPaymentTransaction(t, db, 6, 1006, "capture", "braintree", "bt_1", "USD", "14.00", "2026-02-01 08:00:00")
	addPaymentTransaction(t, db, 7, 1007, "capture", "stripe", "ch_other", "USD", "15.00", "2026-02-01 08:00:00")
	addPayoutLine(t, db, otherPayoutSnapshot, chargeLine("po_9", "ch_other", "usd", "15.00", "0.74"))

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "payout.capture_not_paid_out")
	assertFindings(t, got, []finding{
		{"1001", "NULL", "NULL", "NULL", "ch_late", "40.0000", "NULL", "-40.0000", "EUR"},
		{"1003", "NULL", "NULL", "NULL", "ch_over", "11.0000", "NULL", "-11.0000", "USD"},
		{"1007", "NULL", "NULL", "NULL", "ch_other", "15.0000", "NULL", "-15.0000", "USD"},
	})
	want := "Order 1001 was captured for EUR 40.00 on the stripe gateway at 2026-02-20 10:00 UTC, " +
		"but charge ch_late is in no stripe payout by the run's as-of time 2026-03-01 12:00 UTC, beyond the grace of 3 days."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
}

func TestPayoutCaptureGraceParam(t *testing.T) {
	db := openPayoutTestDB(t)
	addPaymentTransaction(t, db, 1, 1001, "capture", "stripe", "ch_a", "USD", "10.00", "2026-02-25 12:00:00")
	addPaymentTransaction(t, db, 2, 1002, "capture", "stripe", "ch_b", "USD", "10.00", "2026-02-28 12:00:01")
	p := DefaultParams()
	p.PayoutGraceDays = 4

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "payout.capture_not_paid_out")
	assertFindings(t, got, nil)

	p.PayoutGraceDays = 0
	evaluate(t, db, p)

	got, _ = findingsOf(t, db, "payout.capture_not_paid_out")
	assertFindings(t, got, []finding{
		{"1001", "NULL", "NULL", "NULL", "ch_a", "10.0000", "NULL", "-10.0000", "USD"},
		{"1002", "NULL", "NULL", "NULL", "ch_b", "10.0000", "NULL", "-10.0000", "USD"},
	})
}

func TestPayoutCaptureSkippedWithoutPayouts(t *testing.T) {
	db := openTestDB(t)
	addPaymentTransaction(t, db, 1, 1001, "capture", "stripe", "ch_late", "USD", "40.00", "2026-02-20 10:00:00")

	result := evaluate(t, db, DefaultParams())

	for _, rr := range result.Rules {
		if rr.RuleID == "payout.capture_not_paid_out" && !rr.Skipped {
			t.Errorf("rule ran without a payouts snapshot: %d findings", rr.Findings)
		}
	}
}
