package rules

import "testing"

func TestPayoutChargeUnmatched(t *testing.T) {
	db := openPayoutTestDB(t)
	addPaymentTransaction(t, db, 1, 1042, "capture", "stripe", "ch_known", "USD", "100.00", "2026-02-20 10:00:00")
	addPaymentTransaction(t, db, 2, 1043, "capture", "Stripe", "pi_intent", "EUR", "40.00", "2026-02-20 10:00:00")
	addPaymentTransaction(t, db, 3, 1044, "capture", "paypalexpress", "ch_paypal", "USD", "30.00", "2026-02-20 10:00:00")
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_1", "ch_known", "usd", "100.00", "3.20"))
	byIntent := chargeLine("po_1", "ch_byintent", "eur", "40.00", "1.46")
	byIntent.intent = "pi_intent"
	addPayoutLine(t, db, payoutSnapshot, byIntent)
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_1", "ch_phone", "usd", "25.00", "1.03"))
	withOrder := chargeLine("po_1", "ch_meta", "usd", "12.50", "0.66")
	withOrder.order = "1099"
	addPayoutLine(t, db, payoutSnapshot, withOrder)
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_1", "ch_paypal", "usd", "30.00", "1.17"))
	addPayoutLine(t, db, payoutSnapshot, payoutLine{payout: "po_1", txn: "txn_r9", category: "refund",
		source: "re_9", charge: "ch_gone", currency: "usd", gross: "-5.00", fee: "0"})
	addPayoutLine(t, db, otherPayoutSnapshot, chargeLine("po_9", "ch_other_run", "usd", "9.00", "0.56"))

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "payout.charge_unmatched")
	assertFindings(t, got, []finding{
		{"NULL", "NULL", "NULL", "NULL", "ch_paypal", "NULL", "30.0000", "30.0000", "USD"},
		{"NULL", "NULL", "NULL", "NULL", "ch_phone", "NULL", "25.0000", "25.0000", "USD"},
		{"1099", "NULL", "NULL", "NULL", "ch_meta", "NULL", "12.5000", "12.5000", "USD"},
	})
	want := []string{
		"Charge ch_paypal of USD 30.00 in stripe payout po_1 matches no BigCommerce transaction on the stripe gateway.",
		"Charge ch_phone of USD 25.00 in stripe payout po_1 matches no BigCommerce transaction on the stripe gateway.",
		"Charge ch_meta of USD 12.50 in stripe payout po_1 matches no BigCommerce transaction on the stripe gateway, although its metadata names order 1099.",
	}
	for i := range min(len(reasons), len(want)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}
