package rules

import (
	"strings"
	"testing"
)

// Two ERP stock rows whose item numbers differ only in case match the
// same BigCommerce record. The order's 2 units should count once per
// finding, not once per ERP row.
func TestStockPairsCaseDuplicateERPItems(t *testing.T) {
	db := openTestDB(t)
	addERPStockAsOf(t, db, "TEE", "WH1", "10", erpStockAsOf)
	addERPStockAsOf(t, db, "tee", "WH1", "0", erpStockAsOf)
	addBCStockAt(t, db, "TEE", 1, "WH1", 8)
	addPlacedOrder(t, db, 1, 11, "2026-03-01 11:00:00+00", "TEE", 2)

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "stock.mismatch")
	for i, f := range got {
		if f.Expected != "8.0000" && f.Expected != "0.0000" {
			t.Errorf("finding %v: expected %s, want 10 - 2 = 8 or 0", f, f.Expected)
		}
		if want := "and 2 on orders placed after"; !strings.Contains(reasons[i], want) {
			t.Errorf("reason %q, want it to contain %q", reasons[i], want)
		}
	}
}
