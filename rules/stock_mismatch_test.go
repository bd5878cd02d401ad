package rules

import (
	"database/sql"
	"fmt"
	"testing"
)

func addBCStock(t *testing.T, db *sql.DB, snapshotID int64, sku, location string, available int64) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_inventory (snapshot_id, sku, location_id, location_code, available_to_sell, raw)
VALUES (%d, '%s', 1, '%s', %d, %s)`, snapshotID, sku, location, available, raw("item", sku)))
}

func addERPStock(t *testing.T, db *sql.DB, sku, location, available string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_stock (snapshot_id, item_number, location_code, available_to_sell, raw)
VALUES (%d, '%s', '%s', %s, %s)`, erpSnapshot, sku, location, available, raw("item", sku)))
}

func TestStockMismatch(t *testing.T) {
	db := openTestDB(t)
	addBCStock(t, db, bcSnapshot, "tee-red-s", "WH1", 8)
	addERPStock(t, db, "TEE-RED-S", "WH1", "10")
	addBCStock(t, db, bcSnapshot, "TEE-BLUE-M", "WH1", 7)
	addERPStock(t, db, "TEE-BLUE-M", "WH1", "10")
	addBCStock(t, db, bcSnapshot, "MUG", "WH1", 0)
	addERPStock(t, db, "MUG", "WH1", "1")
	addERPStock(t, db, "MUG", "WH2", "5")
	addBCStock(t, db, bcSnapshot, "CAP", "WH2", 3)
	addERPStock(t, db, "CAP", "WH9", "4")
	addERPStock(t, db, "POSTER", "WH1", "6")
	addBCStock(t, db, otherBCSnap, "TEE-RED-S", "WH1", 1)
	p := DefaultParams()
	p.StockBuffer = 2

	evaluate(t, db, p)

	got, reasons := findingsOf(t, db, "stock.mismatch")
	assertFindings(t, got, []finding{
		{"NULL", "NULL", "CAP", "WH2", "NULL", "0.0000", "3.0000", "3.0000", "units"},
		{"NULL", "NULL", "MUG", "WH2", "NULL", "3.0000", "0.0000", "-3.0000", "units"},
		{"NULL", "NULL", "TEE-BLUE-M", "WH1", "NULL", "8.0000", "7.0000", "-1.0000", "units"},
	})
	want := []string{
		"SKU CAP at location WH2 shows 3 available to sell in BigCommerce, but the ERP has no stock record for it there.",
		"BigCommerce has no inventory record for SKU MUG at location WH2, but the ERP has 5 available to sell, less a buffer of 2, so BigCommerce should show 3.",
		"SKU TEE-BLUE-M at location WH1 shows 7 available to sell in BigCommerce, but the ERP has 10 available, less a buffer of 2, so BigCommerce should show 8.",
	}
	for i := range min(len(want), len(reasons)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}

func TestStockMismatchCaseInsensitiveSKU(t *testing.T) {
	db := openTestDB(t)
	addBCStock(t, db, bcSnapshot, "Tee-Red-S", "wh1", 4)
	addERPStock(t, db, "TEE-RED-S", "WH1", "4")

	evaluate(t, db, DefaultParams())

	got, _ := findingsOf(t, db, "stock.mismatch")
	assertFindings(t, got, nil)
}
