package rules

import "testing"

func TestCatalogEmptySKU(t *testing.T) {
	db := openTestDB(t)
	addVariant(t, db, bcSnapshot, 201, 101, "TEE-RED-S", "Red", "S")
	addVariant(t, db, bcSnapshot, 202, 101, "tee-blu-m", "Blue", "M")
	addVariant(t, db, bcSnapshot, 241, 101, "", "Forest Green", "XL")
	addVariant(t, db, bcSnapshot, 242, 101, " ", "Crème brûlée", "S")
	addVariant(t, db, bcSnapshot, 251, 102, "", "Navy")
	addVariant(t, db, bcSnapshot, 301, 103, "HOOD-GRY-S", "Grey", "S")
	addVariant(t, db, bcSnapshot, 302, 103, "SWEAT-GRY-M", "Grey", "M")
	addVariant(t, db, bcSnapshot, 303, 103, "", "Grey", "L")
	addVariant(t, db, otherBCSnap, 501, 101, "", "Red", "S")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "catalog.empty_sku")
	assertFindings(t, got, []finding{
		{"NULL", "NULL", "NULL", "NULL", "P102-NAVY", "NULL", "NULL", "0.0000", "units"},
		{"NULL", "NULL", "NULL", "NULL", "P103-GREY-L", "NULL", "NULL", "0.0000", "units"},
		{"NULL", "NULL", "NULL", "NULL", "TEE-CREME-BRULEE-S", "NULL", "NULL", "0.0000", "units"},
		{"NULL", "NULL", "NULL", "NULL", "TEE-FOREST-GREEN-XL", "NULL", "NULL", "0.0000", "units"},
	})
	want := "Variant 241 of product 101 has no SKU; the proposed SKU is TEE-FOREST-GREEN-XL, " +
		"built from stem TEE and option values [Forest Green, XL]."
	if len(reasons) == 4 && reasons[3] != want {
		t.Errorf("reason %q, want %q", reasons[3], want)
	}
}

func TestCatalogEmptySKUCollision(t *testing.T) {
	db := openTestDB(t)
	addVariant(t, db, bcSnapshot, 201, 101, "TEE-RED-S", "Red", "S")
	addVariant(t, db, bcSnapshot, 241, 101, "", "red", "s")
	addVariant(t, db, bcSnapshot, 242, 101, "", "Blue", "S")
	addVariant(t, db, bcSnapshot, 243, 101, "", "Blue", "S")
	addVariant(t, db, bcSnapshot, 251, 102, "")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "catalog.empty_sku")
	assertFindings(t, got, []finding{
		{"NULL", "NULL", "NULL", "NULL", "P102", "NULL", "NULL", "0.0000", "units"},
		{"NULL", "NULL", "NULL", "NULL", "TEE-BLUE-S", "NULL", "NULL", "0.0000", "units"},
		{"NULL", "NULL", "NULL", "NULL", "TEE-BLUE-S-243", "NULL", "NULL", "0.0000", "units"},
		{"NULL", "NULL", "NULL", "NULL", "TEE-RED-S-241", "NULL", "NULL", "0.0000", "units"},
	})
	want := []string{
		"Variant 251 of product 102 has no SKU; the proposed SKU is P102, built from stem P102 and option values [].",
		"Variant 242 of product 101 has no SKU; the proposed SKU is TEE-BLUE-S, built from stem TEE and option values [Blue, S].",
		"Variant 243 of product 101 has no SKU; the proposed SKU is TEE-BLUE-S-243, built from stem TEE and option values [Blue, S], " +
			"with the variant id appended because an earlier variant is proposed TEE-BLUE-S.",
		"Variant 241 of product 101 has no SKU; the proposed SKU is TEE-RED-S-241, built from stem TEE and option values [red, s], " +
			"with the variant id appended because SKU TEE-RED-S exists.",
	}
	for i := range min(len(reasons), len(want)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}
