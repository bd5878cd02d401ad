package rules

import "testing"

func TestOrderUnpaidInERP(t *testing.T) {
	db := openTestDB(t)
	cases := []struct {
		statusID      int64
		paymentStatus string
		events        []string
	}{
		1: {11, "captured", []string{"authorization", "capture"}},
		2: {7, "authorized", []string{"authorization"}},
		3: {5, "void", []string{"authorization", "void"}},
		4: {5, "refunded", []string{"capture", "refund"}},
		5: {11, "pending", nil},
		6: {11, "captured", []string{"authorization"}},
		7: {12, "captured", nil},
		8: {0, "", nil},
		9: {10, "", []string{"purchase"}},
	}
	for id, c := range cases {
		if id == 0 {
			continue
		}
		o := paidOrder(int64(id))
		o.statusID, o.paymentStatus = c.statusID, c.paymentStatus
		addBCOrder(t, db, o)
		addERPOrder(t, db, bookedOrder(int64(id)))
		for k, event := range c.events {
			addTransaction(t, db, int64(id*10+k), int64(id), event)
		}
	}
	euro := bookedOrder(10)
	euro.currency, euro.totalInc = "EUR", "95.00"
	addERPOrder(t, db, euro)
	unpaidEuro := paidOrder(10)
	unpaidEuro.statusID, unpaidEuro.paymentStatus, unpaidEuro.currency = 7, "authorized", "EUR"
	addBCOrder(t, db, unpaidEuro)
	neverBooked := paidOrder(11)
	neverBooked.statusID = 7
	addBCOrder(t, db, neverBooked)

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "order.unpaid_in_erp")
	assertFindings(t, got, []finding{
		{"2", "NULL", "NULL", "NULL", "SO-2", "NULL", "118.8000", "118.8000", "USD"},
		{"3", "NULL", "NULL", "NULL", "SO-3", "NULL", "118.8000", "118.8000", "USD"},
		{"5", "NULL", "NULL", "NULL", "SO-5", "NULL", "118.8000", "118.8000", "USD"},
		{"6", "NULL", "NULL", "NULL", "SO-6", "NULL", "118.8000", "118.8000", "USD"},
		{"7", "NULL", "NULL", "NULL", "SO-7", "NULL", "118.8000", "118.8000", "USD"},
		{"8", "NULL", "NULL", "NULL", "SO-8", "NULL", "118.8000", "118.8000", "USD"},
		{"10", "NULL", "NULL", "NULL", "SO-10", "NULL", "95.0000", "95.0000", "EUR"},
	})
	want := []string{
		"ERP sales order SO-2 books USD 118.80 for BigCommerce order 2, which is not paid: its status is Awaiting Payment (7).",
		"",
		"ERP sales order SO-5 books USD 118.80 for BigCommerce order 5, which is not paid: its payment status is 'pending'.",
		"ERP sales order SO-6 books USD 118.80 for BigCommerce order 6, which is not paid: its payment was authorized but never captured.",
	}
	for i := range min(len(want), len(reasons)) {
		if want[i] != "" && reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}

func TestOrderUnpaidInERPStatusesParam(t *testing.T) {
	db := openTestDB(t)
	held := paidOrder(1)
	held.statusID = 13
	addBCOrder(t, db, held)
	addERPOrder(t, db, bookedOrder(1))
	pending := paidOrder(2)
	pending.statusID = 1
	addBCOrder(t, db, pending)
	addERPOrder(t, db, bookedOrder(2))
	p := DefaultParams()
	p.UnpaidStatuses = []int64{13}

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "order.unpaid_in_erp")
	assertFindings(t, got, []finding{
		{"1", "NULL", "NULL", "NULL", "SO-1", "NULL", "118.8000", "118.8000", "USD"},
	})
}
