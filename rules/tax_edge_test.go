package rules

import (
	"context"
	"fmt"
	"testing"
)

// An ERP line at -100 % on a tax-inclusive order makes 1 + rate zero, so
// its net, gross / (1 + rate), has no value. One such line should not
// keep every other rule and order from being evaluated.
func TestTaxExpectedInclusiveMinus100Percent(t *testing.T) {
	db := openTestDB(t)
	addTaxOrder(t, db, taxTestOrder{id: 1, currency: "USD", inclusive: true,
		lines:  []taxTestLine{{"SKU-1", "10.00", "10.00", "0", "-100"}},
		erpTax: "0", erpCurrency: "USD"})
	addTaxOrder(t, db, taxTestOrder{id: 2, currency: "USD",
		lines:  []taxTestLine{{"SKU-2", "100.00", "110.00", "10.00", "10"}},
		erpTax: "12.00", erpCurrency: "USD"})

	_, err := Evaluate(context.Background(), db, testRun, DefaultParams(), quietLogger())
	if err != nil {
		t.Fatalf("Evaluate failed on one order's -100 %% line: %v", err)
	}
	got, _ := findingsOf(t, db, "tax.mismatch")
	if len(got) == 0 || got[len(got)-1].OrderID != "2" {
		t.Errorf("tax.mismatch findings %v, want one for order 2", got)
	}
}

// An expected tax beyond DECIMAL(18,4), here 1000 % of 20 trillion,
// should not abort the evaluation of every rule.
func TestTaxExpectedBeyondDecimalRange(t *testing.T) {
	db := openTestDB(t)
	addTaxOrder(t, db, taxTestOrder{id: 1, currency: "USD",
		lines:  []taxTestLine{{"SKU-1", "20000000000000", "20000000000000", "0", "1000"}},
		erpTax: "0", erpCurrency: "USD"})

	if _, err := Evaluate(context.Background(), db, testRun, DefaultParams(), quietLogger()); err != nil {
		t.Fatalf("Evaluate failed on one order's large expected tax: %v", err)
	}
}

// tax_lines.sql takes the rate of the ERP Item line of the same SKU. Two
// BigCommerce lines of one SKU at 10 % and 20 % booked on two ERP lines
// at 10 and 20 should expect 30.00, the tax the ERP holds.
func TestTaxLinesSameSKUAtTwoRates(t *testing.T) {
	db := openTestDB(t)
	addTaxOrder(t, db, taxTestOrder{id: 1, currency: "USD",
		lines: []taxTestLine{
			{"SKU-1", "100.00", "110.00", "10.00", "10"},
			{"SKU-1", "100.00", "120.00", "20.00", "20"},
		},
		erpTax: "30.00", erpCurrency: "USD"})

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "tax.mismatch")
	if len(got) != 0 {
		t.Errorf("tax.mismatch findings %v (%v), want none", got, reasons)
	}
}

// An ERP line typed "item" in lower case still gives its rate, 20 %, so
// the ERP's tax of 20.00 is expected although BigCommerce charged 10 %.
func TestTaxLinesLowerCaseItemType(t *testing.T) {
	db := openTestDB(t)
	addTaxOrder(t, db, taxTestOrder{id: 1, currency: "USD",
		lines:  []taxTestLine{{"SKU-1", "100.00", "110.00", "10.00", ""}},
		erpTax: "20.00", erpCurrency: "USD"})
	exec(t, db, "DELETE FROM erp_sales_order_lines WHERE id = 'sol-1-0'")
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_sales_order_lines
  (snapshot_id, id, document_id, sequence, line_type, line_object_number, tax_percent, raw)
VALUES (%d, 'sol-1-0', 'so-1', 10000, 'item', 'SKU-1', 20, '{}')`, erpSnapshot))

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "tax.mismatch")
	if len(got) != 0 {
		t.Errorf("tax.mismatch findings %v (%v), want none: the ERP line's 20 %% gives 20.00", got, reasons)
	}
}
