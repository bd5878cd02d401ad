package rules

import "testing"

func TestTaxRoundingToleranceBoundary(t *testing.T) {
	db := openTestDB(t)
	// Two taxed lines of 0.825 each round half-up to 1.66 and allow 0.01.
	addTaxOrder(t, db, taxTestOrder{id: 1, currency: "USD", lines: usTenDollarLines(2), erpTax: "1.66"})
	addTaxOrder(t, db, taxTestOrder{id: 2, currency: "USD", lines: usTenDollarLines(2), erpTax: "1.67"})
	addTaxOrder(t, db, taxTestOrder{id: 3, currency: "USD", lines: usTenDollarLines(2), erpTax: "1.65"})
	addTaxOrder(t, db, taxTestOrder{id: 4, currency: "USD", lines: usTenDollarLines(2), erpTax: "1.68"})

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "tax.rounding")
	assertFindings(t, got, []finding{
		{"2", "NULL", "NULL", "NULL", "SO-2", "1.6600", "1.6700", "0.0100", "USD"},
		{"3", "NULL", "NULL", "NULL", "SO-3", "1.6600", "1.6500", "-0.0100", "USD"},
	})
	want := "Order 2 should carry tax USD 1.66 in the ERP (line-level, half_up to 0.01; BigCommerce shows 1.66), and ERP sales order SO-2 has USD 1.67; the difference of 0.01 is within the rounding tolerance of 0.01 for 2 taxed lines."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
	mismatches, _ := findingsOf(t, db, "tax.mismatch")
	assertFindings(t, mismatches, []finding{
		{"4", "NULL", "NULL", "NULL", "SO-4", "1.6600", "1.6800", "0.0200", "USD"},
	})
}

func TestTaxRoundingDocumentLevel(t *testing.T) {
	db := openTestDB(t)
	// Line level: 0.83 + 0.83 = 1.66. Document level: 20.00 × 8.25 % =
	// 1.65. The ERP holds 1.65.
	addTaxOrder(t, db, taxTestOrder{id: 1, currency: "USD", lines: usTenDollarLines(2), erpTax: "1.65"})

	lineLevel := DefaultParams()
	evaluate(t, db, lineLevel)
	got, _ := findingsOf(t, db, "tax.rounding")
	assertFindings(t, got, []finding{
		{"1", "NULL", "NULL", "NULL", "SO-1", "1.6600", "1.6500", "-0.0100", "USD"},
	})

	documentLevel := DefaultParams()
	documentLevel.TaxLevel = TaxLevelDocument
	evaluate(t, db, documentLevel)
	got, _ = findingsOf(t, db, "tax.rounding")
	assertFindings(t, got, nil)
}

func TestTaxRoundingInclusiveEUR(t *testing.T) {
	db := openTestDB(t)
	// Gross 1.23 at 20 %: the net 1.025 rounds half-up to 1.03, so the tax
	// is 0.20, where rounding the tax 0.205 itself would give 0.21.
	// Shipping gross 6.90: net 5.75, tax 1.15.
	line := taxTestLine{"TEE", "1.03", "1.23", "0.20", "20"}
	shipping := &taxTestLine{"", "5.75", "6.90", "1.15", "20"}
	addTaxOrder(t, db, taxTestOrder{id: 1, currency: "EUR", inclusive: true,
		lines: []taxTestLine{line}, shipping: shipping, erpCurrency: "EUR", erpTax: "1.35"})
	addTaxOrder(t, db, taxTestOrder{id: 2, currency: "EUR", inclusive: true,
		lines: []taxTestLine{line}, shipping: shipping, erpCurrency: "EUR", erpTax: "1.36"})
	// Without ERP tax percentages the rate comes from BigCommerce's line
	// tax over its net: 0.20 / 1.03, which reproduces 0.20.
	noPercent := line
	noPercent.percent = ""
	addTaxOrder(t, db, taxTestOrder{id: 3, currency: "EUR", inclusive: true,
		lines: []taxTestLine{noPercent}, erpCurrency: "EUR", erpTax: "0.21"})

	evaluate(t, db, DefaultParams())

	got, _ := findingsOf(t, db, "tax.rounding")
	assertFindings(t, got, []finding{
		{"2", "NULL", "NULL", "NULL", "SO-2", "1.3500", "1.3600", "0.0100", "EUR"},
	})
	mismatches, _ := findingsOf(t, db, "tax.mismatch")
	assertFindings(t, mismatches, []finding{
		{"3", "NULL", "NULL", "NULL", "SO-3", "0.2000", "0.2100", "0.0100", "EUR"},
	})
}

func TestTaxRoundingModes(t *testing.T) {
	cases := []struct {
		mode      RoundingMode
		precision string
		want      string
	}{
		{RoundHalfUp, "0.01", "1.6600"},
		{RoundHalfEven, "0.01", "1.6400"},
		{RoundUp, "0.01", "1.6600"},
		{RoundDown, "0.01", "1.6400"},
		{RoundHalfUp, "0.05", "1.7000"},
		{RoundDown, "0.05", "1.6000"},
		{RoundHalfEven, "1", "2.0000"},
		{RoundDown, "1", "0.0000"},
	}
	for _, c := range cases {
		db := openTestDB(t)
		addTaxOrder(t, db, taxTestOrder{id: 1, currency: "USD", lines: usTenDollarLines(2), erpTax: "9.00"})
		p := DefaultParams()
		p.TaxRounding = c.mode
		p.TaxPrecision = decimalOf(c.precision)

		evaluate(t, db, p)

		got, _ := findingsOf(t, db, "tax.mismatch")
		if len(got) != 1 || got[0].Expected != c.want {
			t.Errorf("%s to %s: findings %v, want expected %s", c.mode, c.precision, got, c.want)
		}
	}
}
