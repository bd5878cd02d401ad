package rules

import "testing"

func TestCreditMemoLineMismatchShippingRefund(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	// The shipping address id 9 is also an order product id, which must
	// not make the shipping refund look like a product refund.
	addOrderProduct(t, db, 1042, 9, "TEE-RED-S", 1)
	// Shipping-only refund booked correctly.
	addRefund(t, db, bcSnapshot, 1042, 1, "5.99")
	addRefundItem(t, db, 1042, 1, 0, "SHIPPING", 9, "NULL", "5.99")
	addMemo(t, db, "CM-1", "1042-R1", "", "5.99")
	addMemoLine(t, db, "CM-1", 10000, "Account", "6110", "1", "5.99")
	// Shipping-only refund booked as an Item line.
	addRefund(t, db, bcSnapshot, 1042, 2, "5.99")
	addRefundItem(t, db, 1042, 2, 0, "SHIPPING", 9, "NULL", "5.99")
	addMemo(t, db, "CM-2", "1042-R2", "", "5.99")
	addMemoLine(t, db, "CM-2", 10000, "Item", "TEE-RED-S", "1", "5.99")
	// Goodwill refund booked on the shipping account.
	addRefund(t, db, bcSnapshot, 1042, 3, "15.00")
	addRefundItem(t, db, 1042, 3, 0, "ORDER", 1042, "NULL", "15.00")
	addMemo(t, db, "CM-3", "1042-R3", "", "15.00")
	addMemoLine(t, db, "CM-3", 10000, "Account", "6110", "1", "15.00")
	// A tax-only refund without items needs no particular line.
	addRefund(t, db, bcSnapshot, 1042, 4, "0.50")
	addMemo(t, db, "CM-4", "1042-R4", "", "0.50")
	addMemoLine(t, db, "CM-4", 10000, "Account", "2310", "1", "0.50")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "credit_memo.line_mismatch")
	assertFindings(t, got, []finding{
		{"1042", "2", "NULL", "NULL", "CM-2", "5.9900", "NULL", "-5.9900", "USD"},
		{"1042", "3", "NULL", "NULL", "CM-3", "15.0000", "NULL", "-15.0000", "USD"},
	})
	want := []string{
		"Refund 2 on order 1042 refunds SHIPPING (USD 5.99), but credit memo CM-2 has no Account line on G/L account 6110; its Item lines (TEE-RED-S) must not carry it.",
		"Refund 3 on order 1042 refunds ORDER (USD 15.00), but credit memo CM-3 has no Account line on G/L account 6910.",
	}
	for i := range min(len(want), len(reasons)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
	restock, _ := findingsOf(t, db, "credit_memo.restock_mismatch")
	assertFindings(t, restock, []finding{
		{"1042", "2", "TEE-RED-S", "NULL", "CM-2", "0.0000", "1.0000", "1.0000", "units"},
	})
}

func TestCreditMemoLineMismatchCustomAccounts(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 1, "5.99")
	addRefundItem(t, db, 1042, 1, 0, "HANDLING", 9, "NULL", "5.99")
	addMemo(t, db, "CM-1", "1042-R1", "", "5.99")
	addMemoLine(t, db, "CM-1", 10000, "Account", "4400", "1", "5.99")
	p := DefaultParams()
	p.ERPShippingAccount = "4400"

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "credit_memo.line_mismatch")
	assertFindings(t, got, nil)
}
