package rules

import "testing"

func TestDispatchNotInBigCommerce(t *testing.T) {
	db := openTestDB(t)
	addWMSSnapshot(t, db)
	const early = "2026-03-01 06:00:00+00"

	shippedOrder(t, db, 1, 2)
	addShipment(t, db, 1, 1, "TRK1", map[int64]int{101: 2})
	addFulfilment(t, db, "W1", "1", "SKU-1", 2, " trk1 ", early)

	shippedOrder(t, db, 2, 11)
	addFulfilment(t, db, "W2", "2", "SKU-2", 2, "TRK2", early)

	shippedOrder(t, db, 3, 11)
	addFulfilment(t, db, "W3", "3", "SKU-3", 2, "TRK3", "2026-03-01 08:00:00+00")

	shippedOrder(t, db, 4, 11)
	addFulfilment(t, db, "W4", "4", "SKU-4", 2, "TRK4", "2026-03-01 07:59:59+00")

	shippedOrder(t, db, 5, 3)
	addLine(t, db, 502, 5, "SKU-5B", 1)
	addShipment(t, db, 51, 5, "TRK5A", map[int64]int{501: 2})
	addShipment(t, db, 52, 5, "TRK5B", map[int64]int{502: 1})
	addFulfilment(t, db, "W5B", "5", "SKU-5B", 1, "TRK5B", early)

	shippedOrder(t, db, 6, 11)
	addShipment(t, db, 6, 6, "TRK6", map[int64]int{601: 2})
	addFulfilment(t, db, "W6", "6", "SKU-6", 2, "TRK6", early)

	shippedOrder(t, db, 7, 10)
	addShipment(t, db, 7, 7, "OTHER", map[int64]int{701: 2})
	addFulfilment(t, db, "W7", "7", "SKU-7", 2, "TRK7", early)

	addFulfilment(t, db, "W8", "8", "SKU-8", 1, "TRK8", early)
	addFulfilment(t, db, "W9", "9", "SKU-9", 1, "", early)

	shippedOrder(t, db, 10, 14)
	addShipment(t, db, 10, 10, "TRK10", map[int64]int{1001: 2})
	addFulfilment(t, db, "W10", "10", "SKU-10", 2, "TRK10", early)

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "dispatch.not_in_bigcommerce")
	assertFindings(t, got, []finding{
		{"2", "NULL", "NULL", "NULL", "TRK2", "2.0000", "NULL", "-2.0000", "units"},
		{"4", "NULL", "NULL", "NULL", "TRK4", "2.0000", "NULL", "-2.0000", "units"},
		{"6", "NULL", "NULL", "NULL", "TRK6", "2.0000", "2.0000", "0.0000", "units"},
		{"7", "NULL", "NULL", "NULL", "TRK7", "2.0000", "NULL", "-2.0000", "units"},
		{"8", "NULL", "NULL", "NULL", "TRK8", "1.0000", "NULL", "-1.0000", "units"},
	})
	want := []string{
		"The WMS shipped 2 units of order 2 under tracking number TRK2 at 2026-03-01 06:00 UTC, but no BigCommerce shipment of the order carries it (it has no tracked shipment).",
		"",
		"The WMS shipped order 6 under tracking number TRK6 at 2026-03-01 06:00 UTC and BigCommerce has the shipment, but the order status is Awaiting Fulfillment (11), not a shipped status.",
		"The WMS shipped 2 units of order 7 under tracking number TRK7 at 2026-03-01 06:00 UTC, but no BigCommerce shipment of the order carries it (it has OTHER).",
		"The WMS shipped 1 unit for order 8 under tracking number TRK8 at 2026-03-01 06:00 UTC, but BigCommerce has no such order.",
	}
	for i := range min(len(want), len(reasons)) {
		if want[i] != "" && reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}

func TestDispatchNotInBigCommerceParams(t *testing.T) {
	db := openTestDB(t)
	addWMSSnapshot(t, db)
	shippedOrder(t, db, 1, 9)
	addShipment(t, db, 1, 1, "TRK1", map[int64]int{101: 2})
	addFulfilment(t, db, "W1", "1", "SKU-1", 2, "TRK1", "2026-03-01 06:00:00+00")
	shippedOrder(t, db, 2, 11)
	addFulfilment(t, db, "W2", "2", "SKU-2", 2, "TRK2", "2026-03-01 06:00:00+00")
	p := DefaultParams()
	p.ShippedStatuses = []int64{9}
	p.DispatchGraceHours = 8

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "dispatch.not_in_bigcommerce")
	assertFindings(t, got, nil)
}
