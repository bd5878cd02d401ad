package rules

import "testing"

// Two WMS rows with different order references that are not numbers,
// #1001 and #1002, share one tracking number. They are two orders'
// parcels, and a finding should not name #1001 with #1002's unit
// added to it.
func TestDispatchNotInBigCommerceNonNumericReferences(t *testing.T) {
	db := openTestDB(t)
	addWMSSnapshot(t, db)
	addFulfilment(t, db, "S1", "#1001", "SKU-1", 2, "1Z1", "2026-02-27 10:00:00+00")
	addFulfilment(t, db, "S2", "#1002", "SKU-2", 1, "1Z1", "2026-02-27 10:00:00+00")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "dispatch.not_in_bigcommerce")
	if len(got) != 2 {
		t.Fatalf("got %d findings %v (%v), want one per order reference", len(got), got, reasons)
	}
}
