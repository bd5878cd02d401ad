package rules

import (
	"context"
	"fmt"
	"testing"
)

// The rule's header promises that the total including tax is compared
// when the taxes agree with BigCommerce's tax rounded half away from
// zero. BigCommerce's 8.8049 rounds to the ERP's 8.80, so the ERP total
// of 118.90 against 118.80 is drift that some rule must report.
func TestOrderTotalsUnroundedBigCommerceTax(t *testing.T) {
	db := openTestDB(t)
	o := paidOrder(1)
	o.tax = "8.8049"
	addBCOrder(t, db, o)
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_order_products
  (snapshot_id, order_product_id, order_id, sku, total_ex_tax, total_inc_tax, total_tax, raw)
VALUES (%d, 101, 1, 'SKU-1', 100.00, 108.8049, 8.8049, '{}')`, bcSnapshot))
	so := bookedOrder(1)
	so.tax = "8.80"
	so.totalInc = "118.90"
	addERPOrder(t, db, so)

	evaluate(t, db, DefaultParams())

	got, _ := findingsOf(t, db, "order.totals_mismatch")
	assertFindings(t, got, []finding{
		{"1", "NULL", "NULL", "NULL", "SO-1", "118.8000", "118.9000", "0.1000", "USD"},
	})
}

// A difference beyond DECIMAL(18,4) in one order's subtotal should not
// abort the evaluation of every rule.
func TestOrderTotalsDifferenceBeyondDecimalRange(t *testing.T) {
	db := openTestDB(t)
	o := paidOrder(1)
	o.subtotal = "90000000000000"
	addBCOrder(t, db, o)
	so := bookedOrder(1)
	so.item = "-90000000000000"
	addERPOrder(t, db, so)

	if _, err := Evaluate(context.Background(), db, testRun, DefaultParams(), quietLogger()); err != nil {
		t.Fatalf("Evaluate failed on one order's large difference: %v", err)
	}
}
