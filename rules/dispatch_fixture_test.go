package rules

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/recon-tools/recon/extract"
)

// wmsSnapshot is the test run's WMS snapshot, which openTestDB does not
// create.
const wmsSnapshot = 12

func addWMSSnapshot(t *testing.T, db *sql.DB) {
	t.Helper()
	addSnapshot(t, db, testRun, wmsSnapshot, extract.SourceWMS)
}

// addLine inserts a physical order product with the SKU and quantity.
func addLine(t *testing.T, db *sql.DB, orderProductID, orderID int64, sku string, quantity int) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_order_products (snapshot_id, order_product_id, order_id, sku, type, quantity, raw)
VALUES (%d, %d, %d, '%s', 'physical', %d, %s)`, bcSnapshot, orderProductID, orderID, sku, quantity, raw("line", orderProductID)))
}

// addShipment inserts a BigCommerce shipment with one item per entry of
// items, an order product id and its quantity.
func addShipment(t *testing.T, db *sql.DB, shipmentID, orderID int64, tracking string, items map[int64]int) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_shipments (snapshot_id, shipment_id, order_id, customer_id, tracking_number, raw)
VALUES (%d, %d, %d, 1, '%s', %s)`, bcSnapshot, shipmentID, orderID, tracking, raw("shipment", shipmentID)))
	for orderProductID, quantity := range items {
		exec(t, db, fmt.Sprintf(`INSERT INTO bc_shipment_items (snapshot_id, shipment_id, order_id, order_product_id, quantity)
VALUES (%d, %d, %d, %d, %d)`, bcSnapshot, shipmentID, orderID, orderProductID, quantity))
	}
}

// addFulfilment inserts a WMS row: quantity units of sku shipped for
// the order reference under the tracking number at shippedAt, a
// TIMESTAMPTZ literal.
func addFulfilment(t *testing.T, db *sql.DB, shipmentID, reference, sku string, quantity int, tracking, shippedAt string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO wms_fulfilments
  (snapshot_id, shipment_id, order_reference, sku, quantity, tracking_number, carrier, shipped_at, warehouse, raw)
VALUES (%d, '%s', '%s', '%s', %d, '%s', 'ups', TIMESTAMPTZ '%s', 'MAIN', %s)`,
		wmsSnapshot, shipmentID, reference, sku, quantity, tracking, shippedAt, raw("fulfilment", shipmentID+sku)))
}

// shippedOrder inserts an order in the status with one line of two
// units of SKU-<id>, order product id <id>01.
func shippedOrder(t *testing.T, db *sql.DB, id, statusID int64) {
	t.Helper()
	o := paidOrder(id)
	o.statusID = statusID
	addBCOrder(t, db, o)
	addLine(t, db, id*100+1, id, fmt.Sprintf("SKU-%d", id), 2)
}
