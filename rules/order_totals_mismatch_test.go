package rules

import "testing"

func TestOrderTotalsMismatch(t *testing.T) {
	db := openTestDB(t)
	for id := int64(1); id <= 9; id++ {
		addBCOrder(t, db, paidOrder(id))
	}
	addERPOrder(t, db, bookedOrder(1))
	shipping := bookedOrder(2)
	shipping.shipping, shipping.totalEx, shipping.totalInc = "12.50", "112.50", "121.30"
	addERPOrder(t, db, shipping)
	subtotal := bookedOrder(3)
	subtotal.item, subtotal.totalEx, subtotal.totalInc = "99.00", "109.00", "117.80"
	addERPOrder(t, db, subtotal)
	discount := bookedOrder(4)
	discount.discount, discount.totalEx, discount.totalInc = "5.00", "105.00", "113.80"
	addERPOrder(t, db, discount)
	tax := bookedOrder(5)
	tax.tax, tax.totalInc = "9.80", "119.80"
	addERPOrder(t, db, tax)
	inc := bookedOrder(6)
	inc.totalInc = "118.90"
	addERPOrder(t, db, inc)
	otherAccount := bookedOrder(7)
	otherAccount.account = "6910"
	addERPOrder(t, db, otherAccount)
	local := bookedOrder(8)
	local.currency = "USD"
	addERPOrder(t, db, local)
	euro := bookedOrder(9)
	euro.currency, euro.shipping = "EUR", "11.00"
	addERPOrder(t, db, euro)

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "order.totals_mismatch")
	assertFindings(t, got, []finding{
		{"2", "NULL", "NULL", "NULL", "SO-2", "10.0000", "12.5000", "2.5000", "USD"},
		{"3", "NULL", "NULL", "NULL", "SO-3", "100.0000", "99.0000", "-1.0000", "USD"},
		{"4", "NULL", "NULL", "NULL", "SO-4", "0.0000", "5.0000", "5.0000", "USD"},
		{"6", "NULL", "NULL", "NULL", "SO-6", "118.8000", "118.9000", "0.1000", "USD"},
		{"7", "NULL", "NULL", "NULL", "SO-7", "10.0000", "0.0000", "-10.0000", "USD"},
	})
	want := []string{
		"Order 2 has shipping excluding tax USD 10.00 in BigCommerce but ERP sales order SO-2 has USD 12.50, a difference of 2.50; 2 more components differ.",
		"Order 3 has subtotal excluding tax USD 100.00 in BigCommerce but ERP sales order SO-3 has USD 99.00, a difference of -1.00; 2 more components differ.",
		"",
		"Order 6 has total including tax USD 118.80 in BigCommerce but ERP sales order SO-6 has USD 118.90, a difference of 0.10.",
		"Order 7 has shipping excluding tax USD 10.00 in BigCommerce but ERP sales order SO-7 has USD 0.00, a difference of -10.00.",
	}
	for i := range min(len(want), len(reasons)) {
		if want[i] != "" && reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}

func TestOrderTotalsMismatchDiscountsAndAccount(t *testing.T) {
	db := openTestDB(t)
	o := paidOrder(1)
	o.discount, o.coupon, o.totalEx, o.totalInc = "3.00", "2.00", "105.00", "113.80"
	addBCOrder(t, db, o)
	so := bookedOrder(1)
	so.discount, so.account, so.totalEx, so.totalInc = "5.00", "SHIP", "105.00", "113.80"
	addERPOrder(t, db, so)
	p := DefaultParams()
	p.ERPShippingAccount = "SHIP"

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "order.totals_mismatch")
	assertFindings(t, got, nil)
}

func TestOrderTotalsMismatchLocalCurrency(t *testing.T) {
	db := openTestDB(t)
	o := paidOrder(1)
	o.currency = "EUR"
	addBCOrder(t, db, o)
	so := bookedOrder(1)
	so.shipping, so.totalEx, so.totalInc = "11.00", "111.00", "119.80"
	addERPOrder(t, db, so)
	p := DefaultParams()
	p.LocalCurrency = "EUR"

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "order.totals_mismatch")
	assertFindings(t, got, []finding{
		{"1", "NULL", "NULL", "NULL", "SO-1", "10.0000", "11.0000", "1.0000", "EUR"},
	})
}
