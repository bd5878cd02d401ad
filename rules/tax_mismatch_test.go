package rules

import "testing"

func TestTaxMismatch(t *testing.T) {
	db := openTestDB(t)
	addTaxedOrder(t, db, 2, "USD", "10.00", "0", []string{"5.00", "5.00"}, "", "10.01")
	addTaxedOrder(t, db, 3, "USD", "10.00", "0", []string{"5.00", "5.00"}, "", "10.02")
	addTaxedOrder(t, db, 4, "USD", "5.00", "0", []string{"5.00"}, "USD", "5.01")
	addTaxedOrder(t, db, 5, "EUR", "8.40", "0", []string{"8.40"}, "", "8.40")
	addTaxedOrder(t, db, 6, "EUR", "8.40", "0", []string{"8.40"}, "EUR", "8.40")
	addTaxedOrder(t, db, 7, "USD", "0", "0", []string{"0"}, "", "0.01")
	addTaxedOrder(t, db, 8, "USD", "3.00", "0", []string{"3.00"}, "", "")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "tax.mismatch")
	assertFindings(t, got, []finding{
		{"3", "NULL", "NULL", "NULL", "SO-3", "10.0000", "10.0200", "0.0200", "USD"},
		{"4", "NULL", "NULL", "NULL", "SO-4", "5.0000", "5.0100", "0.0100", "USD"},
		{"5", "NULL", "NULL", "NULL", "SO-5", "8.4000", "NULL", "-8.4000", "EUR"},
		{"7", "NULL", "NULL", "NULL", "SO-7", "0.0000", "0.0100", "0.0100", "USD"},
	})
	want := []string{
		"Order 3 has tax USD 10.00 in BigCommerce, 10.00 rounded half away from zero, but ERP sales order SO-3 has USD 10.02; the difference of 0.02 exceeds the rounding tolerance of 0.01 for 2 taxed lines.",
		"",
		"Order 5 is in EUR in BigCommerce with tax EUR 8.40, but ERP sales order SO-5 is in USD with tax USD 8.40; an empty ERP currencyCode means USD.",
	}
	for i := range min(len(want), len(reasons)) {
		if want[i] != "" && reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}
