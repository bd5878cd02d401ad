package rules

import (
	"fmt"
	"testing"
)

func TestPayoutNetMismatch(t *testing.T) {
	db := openPayoutTestDB(t)
	addPayout(t, db, payoutSnapshot, "po_ok", "usd", "92.50")
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_ok", "ch_1", "usd", "100.00", "3.20"))
	addPayoutLine(t, db, payoutSnapshot, payoutLine{payout: "po_ok", txn: "txn_r1", category: "refund",
		source: "re_1", charge: "ch_1", currency: "usd", gross: "-4.30", fee: "0"})
	addPayout(t, db, payoutSnapshot, "po_off", "eur", "50.00")
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_off", "ch_2", "eur", "50.00", "1.75"))
	addPayout(t, db, payoutSnapshot, "po_empty", "usd", "10.00")
	addPayout(t, db, payoutSnapshot, "po_zero", "usd", "0")
	addPayout(t, db, payoutSnapshot, "po_mixed", "usd", "48.25")
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_mixed", "ch_3", "usd", "50.00", "1.75"))
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_mixed", "ch_4", "gbp", "20.00", "0.88"))
	addPayout(t, db, otherPayoutSnapshot, "po_other", "usd", "1.00")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "payout.net_mismatch")
	assertFindings(t, got, []finding{
		{"NULL", "NULL", "NULL", "NULL", "po_empty", "0.0000", "10.0000", "10.0000", "USD"},
		{"NULL", "NULL", "NULL", "NULL", "po_mixed", "48.2500", "48.2500", "0.0000", "USD"},
		{"NULL", "NULL", "NULL", "NULL", "po_off", "48.2500", "50.0000", "1.7500", "EUR"},
	})
	want := []string{
		"Payout po_empty pays USD 10.00, but the stripe settlement report lists no lines for it.",
		"Payout po_mixed pays USD 48.25, but it has lines in GBP (1 of 2), which the report gives no rate to convert at; its USD lines net USD 48.25.",
		"Payout po_off pays EUR 50.00, but its lines net EUR 48.25 after refunds and fees, a difference of 1.75.",
	}
	for i := range min(len(reasons), len(want)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}

func TestPayoutNetMismatchEvidence(t *testing.T) {
	db := openPayoutTestDB(t)
	addPayout(t, db, payoutSnapshot, "po_off", "usd", "50.00")
	addPayoutLine(t, db, payoutSnapshot, chargeLine("po_off", "ch_2", "usd", "50.00", "1.75"))

	evaluate(t, db, DefaultParams())

	got := evidenceOf(t, db, "payout.net_mismatch")
	want := `{"payouts":{"payout":"po_off"},` +
		`"line_totals":[{"category":"charge","currency":"USD","lines":1,"gross":"50.0000","fee":"1.7500","net":"48.2500"}],` +
		`"payout_lines":[{"line":"txn_ch_2"}]}`
	if len(got) != 1 || got[0] != want {
		t.Errorf("evidence %v, want [%s]", got, want)
	}
}

// TestPayoutNetMismatchEvidenceManyLines checks that a payout of more
// than 100 lines gets its lines' totals as evidence but not the lines.
func TestPayoutNetMismatchEvidenceManyLines(t *testing.T) {
	db := openPayoutTestDB(t)
	addPayout(t, db, payoutSnapshot, "po_big", "usd", "1.00")
	for i := range 101 {
		addPayoutLine(t, db, payoutSnapshot, chargeLine("po_big", fmt.Sprintf("ch_%d", i), "usd", "2.00", "0.10"))
	}

	evaluate(t, db, DefaultParams())

	got := evidenceOf(t, db, "payout.net_mismatch")
	want := `{"payouts":{"payout":"po_big"},` +
		`"line_totals":[{"category":"charge","currency":"USD","lines":101,"gross":"202.0000","fee":"10.1000","net":"191.9000"}],` +
		`"payout_lines":null}`
	if len(got) != 1 || got[0] != want {
		t.Errorf("evidence %v, want [%s]", got, want)
	}
}
