package rules

import "testing"

func TestDispatchPartial(t *testing.T) {
	db := openTestDB(t)
	addWMSSnapshot(t, db)
	const early = "2026-03-01 06:00:00+00"

	shippedOrder(t, db, 1, 2)
	addShipment(t, db, 1, 1, "T1", map[int64]int{101: 2})
	addFulfilment(t, db, "W1", "1", "SKU-1", 2, "T1", early)

	shippedOrder(t, db, 2, 2)
	addShipment(t, db, 2, 2, "T2", map[int64]int{201: 2})
	addFulfilment(t, db, "W2", "2", "SKU-2", 1, "T2", early)

	shippedOrder(t, db, 3, 10)
	addLine(t, db, 302, 3, "SKU-3B", 1)
	addShipment(t, db, 3, 3, "T3", map[int64]int{301: 2})
	addFulfilment(t, db, "W3", "3", "SKU-3", 2, "T3", early)

	shippedOrder(t, db, 4, 3)
	addLine(t, db, 402, 4, "SKU-4B", 1)
	addShipment(t, db, 4, 4, "T4", map[int64]int{401: 2})
	addFulfilment(t, db, "W4", "4", "SKU-4", 2, "T4", early)

	shippedOrder(t, db, 5, 2)
	addShipment(t, db, 5, 5, "T5", map[int64]int{501: 2})
	addFulfilment(t, db, "W5", "5", "SKU-5", 1, "T5", "2026-03-01 08:00:01+00")

	shippedOrder(t, db, 6, 11)
	addFulfilment(t, db, "W6", "6", "SKU-6", 2, "T6", early)

	shippedOrder(t, db, 7, 10)
	addLine(t, db, 702, 7, "SKU-7B", 1)
	addShipment(t, db, 7, 7, "T7A", map[int64]int{701: 2})
	addFulfilment(t, db, "W7A", "7", "SKU-7", 2, "T7A", early)
	addFulfilment(t, db, "W7B", "7", "SKU-7B", 1, "T7B", early)

	shippedOrder(t, db, 8, 2)
	addShipment(t, db, 8, 8, "T8", map[int64]int{801: 2})
	addFulfilment(t, db, "W8", "8", " sku-8 ", 2, "t8", early)

	shippedOrder(t, db, 9, 3)
	addLine(t, db, 902, 9, "SKU-9B", 1)
	addShipment(t, db, 91, 9, "T9A", map[int64]int{901: 2})
	addShipment(t, db, 92, 9, "T9B", map[int64]int{902: 1})
	addFulfilment(t, db, "W9", "9", "SKU-9", 2, "T9A", early)

	shippedOrder(t, db, 10, 2)
	addShipment(t, db, 10, 10, "T10", map[int64]int{1001: 1})

	shippedOrder(t, db, 11, 2)
	addShipment(t, db, 11, 11, "T11", map[int64]int{1101: 2})
	addFulfilment(t, db, "W11", "11", "SKU-11", 2, "", early)

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "dispatch.partial")
	assertFindings(t, got, []finding{
		{"2", "NULL", "SKU-2", "NULL", "NULL", "1.0000", "2.0000", "1.0000", "units"},
		{"3", "NULL", "SKU-3B", "NULL", "NULL", "0.0000", "1.0000", "1.0000", "units"},
		{"9", "NULL", "SKU-9B", "NULL", "NULL", "0.0000", "1.0000", "1.0000", "units"},
	})
	want := []string{
		"The WMS shipped 1 unit of SKU SKU-2 on order 2, but BigCommerce shipments record 2.",
		"BigCommerce marks order 3 Completed (10), fully shipped, with 1 unit of SKU SKU-3B ordered, but the WMS shipped 0 of them.",
		"The WMS shipped 0 units of SKU SKU-9B on order 9, but BigCommerce shipments record 1.",
	}
	for i := range min(len(want), len(reasons)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
	evidence := evidenceOf(t, db, "dispatch.partial")
	wantEvidence := `{"wms_fulfilments":[{"fulfilment":"W2SKU-2"}],"bc_orders":{"order":"2"},` +
		`"bc_order_products":[{"line":"201"}],"bc_shipments":[{"shipment":"2"}]}`
	if len(evidence) > 0 && evidence[0] != wantEvidence {
		t.Errorf("evidence %s, want %s", evidence[0], wantEvidence)
	}
}

func TestDispatchPartialGraceParam(t *testing.T) {
	db := openTestDB(t)
	addWMSSnapshot(t, db)
	shippedOrder(t, db, 1, 2)
	addShipment(t, db, 1, 1, "T1", map[int64]int{101: 2})
	addFulfilment(t, db, "W1", "1", "SKU-1", 1, "T1", "2026-03-01 11:00:00+00")
	p := DefaultParams()
	p.DispatchGraceHours = 0

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "dispatch.partial")
	assertFindings(t, got, []finding{
		{"1", "NULL", "SKU-1", "NULL", "NULL", "1.0000", "2.0000", "1.0000", "units"},
	})
}
