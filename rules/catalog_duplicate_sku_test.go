package rules

import "testing"

func TestCatalogDuplicateSKU(t *testing.T) {
	db := openTestDB(t)
	addVariant(t, db, bcSnapshot, 201, 101, "TEE-RED-S")
	addVariant(t, db, bcSnapshot, 241, 101, "tee-red-s")
	addVariant(t, db, bcSnapshot, 202, 101, "TEE-RED-M")
	addVariant(t, db, bcSnapshot, 301, 102, "CAP-BLK ")
	addVariant(t, db, bcSnapshot, 302, 103, "Cap-Blk")
	addVariant(t, db, bcSnapshot, 303, 103, "cap-blk")
	addVariant(t, db, bcSnapshot, 401, 104, "")
	addVariant(t, db, bcSnapshot, 402, 104, "")
	addVariant(t, db, otherBCSnap, 501, 101, "TEE-RED-M")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "catalog.duplicate_sku")
	assertFindings(t, got, []finding{
		{"NULL", "NULL", "cap-blk", "NULL", "NULL", "1.0000", "3.0000", "2.0000", "units"},
		{"NULL", "NULL", "tee-red-s", "NULL", "NULL", "1.0000", "2.0000", "1.0000", "units"},
	})
	want := "2 variants share SKU tee-red-s when compared case-insensitively: " +
		"variant 201 of product 101 as TEE-RED-S, variant 241 of product 101 as tee-red-s."
	if len(reasons) == 2 && reasons[1] != want {
		t.Errorf("reason %q, want %q", reasons[1], want)
	}
}
