package rules

import (
	"database/sql"
	"fmt"
	"testing"
)

// addOrderLine inserts a BigCommerce order line of the test run.
func addOrderLine(t *testing.T, db *sql.DB, lineID, orderID int64, sku string, quantity int) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_order_products (snapshot_id, order_product_id, order_id, sku, quantity, raw)
VALUES (%d, %d, %d, '%s', %d, %s)`, bcSnapshot, lineID, orderID, sku, quantity, raw("line", lineID)))
}

// addSalesOrderLine inserts an ERP sales order line of the test run.
func addCatalogSalesOrderLine(t *testing.T, db *sql.DB, id, lineType, object string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO erp_sales_order_lines (snapshot_id, id, document_id, sequence, line_type, line_object_number, raw)
VALUES (%d, '%s', 'so-1', 10000, '%s', '%s', %s)`, erpSnapshot, id, lineType, object, raw("line", id)))
}

func TestCatalogUnmappedSKU(t *testing.T) {
	db := openTestDB(t)
	addERPStock(t, db, "TEE-RED-S", "MAIN", "4")
	addCatalogSalesOrderLine(t, db, "l1", "Item", "MUG-WHT")
	addCatalogSalesOrderLine(t, db, "l2", "Account", "6110")
	addOrderLine(t, db, 1, 1001, "tee-red-s ", 1)
	addOrderLine(t, db, 2, 1001, "Mug-Wht", 2)
	addOrderLine(t, db, 3, 1002, "TEEREDS", 1)
	addOrderLine(t, db, 4, 1002, "teereds", 2)
	addOrderLine(t, db, 5, 1003, "6110", 1)
	addOrderLine(t, db, 6, 1004, "", 1)

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "catalog.unmapped_sku")
	assertFindings(t, got, []finding{
		{"1002", "NULL", "TEEREDS", "NULL", "NULL", "NULL", "3.0000", "3.0000", "units"},
		{"1003", "NULL", "6110", "NULL", "NULL", "NULL", "1.0000", "1.0000", "units"},
		{"1004", "NULL", "NULL", "NULL", "NULL", "NULL", "1.0000", "1.0000", "units"},
	})
	want := []string{
		"Order 1002 orders SKU TEEREDS (quantity 3, order lines 3, 4), but the ERP has no item TEEREDS in its stock export or on any sales order line.",
		"Order 1003 orders SKU 6110 (quantity 1, order lines 5), but the ERP has no item 6110 in its stock export or on any sales order line.",
		"Order 1004 has order lines 6 without a SKU (quantity 1), so they map to no ERP item.",
	}
	for i := range min(len(reasons), len(want)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}
