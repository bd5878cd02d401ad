package rules

import "testing"

func TestOrderMissingInERP(t *testing.T) {
	db := openTestDB(t)
	booked := paidOrder(1)
	addBCOrder(t, db, booked)
	addERPOrder(t, db, bookedOrder(1))
	addBCOrder(t, db, paidOrder(2))
	atGrace := paidOrder(3)
	atGrace.created = "2026-02-28 12:00:00+00"
	addBCOrder(t, db, atGrace)
	pastGrace := paidOrder(4)
	pastGrace.created = "2026-02-28 11:59:59+00"
	addBCOrder(t, db, pastGrace)
	euro := paidOrder(5)
	euro.currency, euro.statusID, euro.totalInc = "EUR", 4, "99.50"
	addBCOrder(t, db, euro)
	for i, status := range []int64{0, 1, 5, 7, 8, 13} {
		unpaid := paidOrder(int64(10 + i))
		unpaid.statusID = status
		addBCOrder(t, db, unpaid)
	}
	exec(t, db, `INSERT INTO erp_sales_orders (snapshot_id, id, number, external_document_number, raw)
VALUES (11, 'so-x', 'SO-X', ' 6 ', '{}')`)
	addBCOrder(t, db, paidOrder(6))
	exec(t, db, `INSERT INTO bc_orders (snapshot_id, order_id, customer_id, date_created, status_id, total_inc_tax)
VALUES (20, 7, 1, TIMESTAMPTZ '2026-01-01 00:00:00+00', 11, 50)`)

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "order.missing_in_erp")
	assertFindings(t, got, []finding{
		{"2", "NULL", "NULL", "NULL", "NULL", "118.8000", "NULL", "-118.8000", "USD"},
		{"4", "NULL", "NULL", "NULL", "NULL", "118.8000", "NULL", "-118.8000", "USD"},
		{"5", "NULL", "NULL", "NULL", "NULL", "99.5000", "NULL", "-99.5000", "EUR"},
	})
	want := "Order 2 (Awaiting Fulfillment, status 11) was placed 2026-02-27 12:00 UTC and paid USD 118.80, but the ERP has no sales order with externalDocumentNumber 2 after the 24-hour grace period."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
	evidence := evidenceOf(t, db, "order.missing_in_erp")
	if len(evidence) > 0 && evidence[0] != `{"bc_orders":{"order":"2"}}` {
		t.Errorf("evidence %s, want the order's raw row", evidence[0])
	}
}

func TestOrderMissingInERPParams(t *testing.T) {
	db := openTestDB(t)
	pickup := paidOrder(1)
	pickup.statusID, pickup.created = 8, "2026-03-01 09:00:00+00"
	addBCOrder(t, db, pickup)
	addBCOrder(t, db, paidOrder(2))
	p := DefaultParams()
	p.PaidStatuses = []int64{8}
	p.OrderGraceHours = 2

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "order.missing_in_erp")
	assertFindings(t, got, []finding{
		{"1", "NULL", "NULL", "NULL", "NULL", "118.8000", "NULL", "-118.8000", "USD"},
	})
}
