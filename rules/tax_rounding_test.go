package rules

import "testing"

func TestTaxRounding(t *testing.T) {
	db := openTestDB(t)
	// 4.125 rounds half away from zero to 4.13, but bankers' rounding would
	// give 4.12 and hide the difference.
	addTaxedOrder(t, db, 1, "USD", "4.125", "0.50", []string{"1.8125", "1.8125", "0"}, "", "4.12")
	// Two taxed lines allow 0.01: exactly at the tolerance.
	addTaxedOrder(t, db, 2, "USD", "10.00", "0", []string{"5.00", "5.00"}, "", "10.01")
	// One cent over the tolerance belongs to tax.mismatch.
	addTaxedOrder(t, db, 3, "USD", "10.00", "0", []string{"5.00", "5.00"}, "", "10.02")
	addTaxedOrder(t, db, 4, "USD", "4.125", "0.50", []string{"1.8125", "1.8125"}, "USD", "4.13")
	// Rounding within tolerance but in another currency is tax.mismatch's.
	addTaxedOrder(t, db, 5, "EUR", "10.00", "0", []string{"5.00", "5.00"}, "", "10.01")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "tax.rounding")
	assertFindings(t, got, []finding{
		{"1", "NULL", "NULL", "NULL", "SO-1", "4.1300", "4.1200", "-0.0100", "USD"},
		{"2", "NULL", "NULL", "NULL", "SO-2", "10.0000", "10.0100", "0.0100", "USD"},
	})
	want := "Order 1 has tax USD 4.13 in BigCommerce, 4.1250 rounded half away from zero, and ERP sales order SO-1 has USD 4.12; the difference of -0.01 is within the rounding tolerance of 0.0150 for 3 taxed lines."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
}
