package rules

import (
	"database/sql"
	"fmt"
	"testing"
)

// The test snapshots' extracted_at is 2026-03-01 12:00:00 UTC. The ERP's
// stock rows below are as of 10:00:00.
const erpStockAsOf = "2026-03-01 10:00:00+00"

func addERPStockAsOf(t *testing.T, db *sql.DB, sku, location, available, asOf string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_stock (snapshot_id, item_number, location_code, available_to_sell, as_of, raw)
VALUES (%d, '%s', '%s', %s, TIMESTAMPTZ '%s', %s)`, erpSnapshot, sku, location, available, asOf, raw("item", sku)))
}

func addBCLocation(t *testing.T, db *sql.DB, id int64, code string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_locations (snapshot_id, location_id, code, raw)
VALUES (%d, %d, '%s', %s)`, bcSnapshot, id, code, raw("location", id)))
}

func addBCStockAt(t *testing.T, db *sql.DB, sku string, locationID int64, location string, available int64) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_inventory (snapshot_id, sku, location_id, location_code, available_to_sell, raw)
VALUES (%d, '%s', %d, '%s', %d, %s)`, bcSnapshot, sku, locationID, location, available, raw("item", sku)))
}

// addPlacedOrder inserts a BigCommerce order placed at placed with one
// line of quantity units of sku.
func addPlacedOrder(t *testing.T, db *sql.DB, orderID int64, statusID int, placed, sku string, quantity int) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_orders (snapshot_id, order_id, customer_id, status_id, date_created, default_currency_code, raw)
VALUES (%d, %d, 1, %d, TIMESTAMPTZ '%s', 'USD', %s)`, bcSnapshot, orderID, statusID, placed, raw("order", orderID)))
	addOrderProduct(t, db, orderID, orderID*10, sku, quantity)
}

func TestStockMismatchOrdersAfterERPSnapshot(t *testing.T) {
	db := openTestDB(t)
	addBCLocation(t, db, 1, "MAIN")
	addBCLocation(t, db, 2, "EAST")
	// TEE: ERP 10 at 10:00. Order 1 one second before as_of is already
	// allocated; order 2 one second after is not, so BigCommerce's 7 is
	// 10 - 3 and no finding.
	addERPStockAsOf(t, db, "TEE", "MAIN", "10", erpStockAsOf)
	addBCStockAt(t, db, "TEE", 1, "MAIN", 7)
	addPlacedOrder(t, db, 1, 11, "2026-03-01 09:59:59+00", "TEE", 2)
	addPlacedOrder(t, db, 2, 11, "2026-03-01 10:00:01+00", "tee", 3)
	// CAP: an order placed exactly at as_of is allocated, a cancelled one
	// reserves nothing, and one placed after the BigCommerce snapshot is
	// not in it.
	addERPStockAsOf(t, db, "CAP", "MAIN", "5", erpStockAsOf)
	addBCStockAt(t, db, "CAP", 1, "MAIN", 5)
	addPlacedOrder(t, db, 3, 11, "2026-03-01 10:00:00+00", "CAP", 1)
	addPlacedOrder(t, db, 4, 5, "2026-03-01 11:00:00+00", "CAP", 1)
	addPlacedOrder(t, db, 5, 11, "2026-03-01 12:00:01+00", "CAP", 1)
	// MUG: orders the WMS shipped from EAST count there, not at MAIN, and
	// the reason lists them in numeric order.
	addERPStockAsOf(t, db, "MUG", "MAIN", "4", erpStockAsOf)
	addERPStockAsOf(t, db, "MUG", "EAST", "4", erpStockAsOf)
	addBCStockAt(t, db, "MUG", 1, "MAIN", 4)
	addBCStockAt(t, db, "MUG", 2, "EAST", 4)
	addPlacedOrder(t, db, 6, 2, "2026-03-01 11:00:00+00", "MUG", 1)
	addPlacedOrder(t, db, 10, 2, "2026-03-01 11:00:00+00", "MUG", 1)
	addPlacedOrder(t, db, 9, 2, "2026-03-01 11:30:00+00", "MUG", 1)
	exec(t, db, `INSERT INTO snapshots (snapshot_id, run_id, source, system, origin, extracted_at, loaded_at, mode, parquet_dir) VALUES (12, 1, 'wms', 'test system', 'testdata',
  TIMESTAMPTZ '2026-03-01 12:00:00+00', TIMESTAMPTZ '2026-03-01 12:05:00+00', 'full', NULL)`)
	exec(t, db, `INSERT INTO wms_fulfilments (snapshot_id, shipment_id, order_reference, sku, quantity, warehouse, raw)
VALUES (12, 'S1', '6', 'MUG', 1, 'EAST', '{}'), (12, 'S2', '10', 'MUG', 1, 'EAST', '{}'),
  (12, 'S3', '9', 'MUG', 1, 'EAST', '{}')`)

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "stock.mismatch")
	assertFindings(t, got, []finding{
		{"NULL", "NULL", "MUG", "EAST", "NULL", "1.0000", "4.0000", "3.0000", "units"},
	})
	want := "SKU MUG at location EAST shows 4 available to sell in BigCommerce, but the ERP has 4 available, less a buffer of 0 and 3 on orders placed after the ERP's stock snapshot (6, 9, 10), so BigCommerce should show 1."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
}

func TestStockMismatchLocationMap(t *testing.T) {
	db := openTestDB(t)
	addBCLocation(t, db, 1, "BC-LOCATION-1")
	addBCLocation(t, db, 2, "EAST")
	addERPStockAsOf(t, db, "TEE", "WH1", "10", erpStockAsOf)
	addERPStockAsOf(t, db, "TEE", "WH2", "6", erpStockAsOf)
	addBCStockAt(t, db, "TEE", 1, "BC-LOCATION-1", 8)
	addBCStockAt(t, db, "TEE", 2, "EAST", 6)
	// An unshipped order counts at the default location, id 1.
	addPlacedOrder(t, db, 1, 11, "2026-03-01 11:00:00+00", "TEE", 2)
	p := DefaultParams()
	p.StockLocationMap = map[string]string{"bc-location-1": "WH1", "2": "WH2"}

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "stock.mismatch")
	assertFindings(t, got, nil)
	missing, _ := findingsOf(t, db, "stock.missing_in_erp")
	assertFindings(t, missing, nil)
}

func TestStockMissingOnOneSide(t *testing.T) {
	db := openTestDB(t)
	addBCStock(t, db, bcSnapshot, "TEE", "WH1", 1)
	addERPStock(t, db, "TEE", "WH1", "3")
	// Only BigCommerce stocks HOOD, at two locations.
	addBCStock(t, db, bcSnapshot, "HOOD", "WH1", 2)
	addBCStock(t, db, bcSnapshot, "HOOD", "WH2", 0)
	// Only the ERP stocks SPARE; BigCommerce has VARIANT-ONLY in its
	// catalogue, so a missing inventory record there is no finding of
	// stock.missing_in_bigcommerce.
	addERPStock(t, db, "SPARE", "WH1", "5")
	addERPStock(t, db, "VARIANT-ONLY", "WH9", "1")
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_variants (snapshot_id, variant_id, product_id, sku, raw)
VALUES (%d, 1, 1, 'variant-only', '{}')`, bcSnapshot))
	p := DefaultParams()
	p.StockBuffer = 2

	evaluate(t, db, p)

	inERP, reasons := findingsOf(t, db, "stock.missing_in_erp")
	assertFindings(t, inERP, []finding{
		{"NULL", "NULL", "HOOD", "WH1", "NULL", "NULL", "2.0000", "2.0000", "units"},
		{"NULL", "NULL", "HOOD", "WH2", "NULL", "NULL", "0.0000", "0.0000", "units"},
	})
	want := "SKU HOOD at location WH1 shows 2 available to sell in BigCommerce, but the ERP has no stock record for the SKU at any location."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
	inBC, _ := findingsOf(t, db, "stock.missing_in_bigcommerce")
	assertFindings(t, inBC, []finding{
		{"NULL", "NULL", "SPARE", "WH1", "NULL", "3.0000", "NULL", "-3.0000", "units"},
	})
	mismatches, _ := findingsOf(t, db, "stock.mismatch")
	assertFindings(t, mismatches, nil)
}
