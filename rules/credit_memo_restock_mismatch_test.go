package rules

import "testing"

func TestCreditMemoRestockMismatchPartialRefund(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addOrderProduct(t, db, 1042, 5001, "TEE-RED-S", 3)
	addOrderProduct(t, db, 1042, 5002, "CAP-BLK", 1)
	// Refund 1 returns 2 of 3 tees and its memo agrees, in another case.
	addRefund(t, db, bcSnapshot, 1042, 1, "48.00")
	addRefundItem(t, db, 1042, 1, 0, "PRODUCT", 5001, "2", "NULL")
	addMemo(t, db, "CM-1", "1042-R1", "", "48.00")
	addMemoLine(t, db, "CM-1", 10000, "Item", "tee-red-s", "2", "48.00")
	// Refund 2 returns 1 tee, but its memo returns 2 tees and a cap.
	addRefund(t, db, bcSnapshot, 1042, 2, "24.00")
	addRefundItem(t, db, 1042, 2, 0, "PRODUCT", 5001, "1", "NULL")
	addMemo(t, db, "CM-2", "1042-R2", "", "24.00")
	addMemoLine(t, db, "CM-2", 10000, "Item", "TEE-RED-S", "2", "24.00")
	addMemoLine(t, db, "CM-2", 20000, "Item", "CAP-BLK", "1", "0")
	// Refund 3 returns the cap, but its memo returns nothing.
	addRefund(t, db, bcSnapshot, 1042, 3, "19.50")
	addRefundItem(t, db, 1042, 3, 0, "PRODUCT", 5002, "1", "NULL")
	addMemo(t, db, "CM-3", "1042-R3", "", "19.50")
	addMemoLine(t, db, "CM-3", 10000, "Account", "6910", "1", "19.50")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "credit_memo.restock_mismatch")
	assertFindings(t, got, []finding{
		{"1042", "2", "CAP-BLK", "NULL", "CM-2", "0.0000", "1.0000", "1.0000", "units"},
		{"1042", "2", "TEE-RED-S", "NULL", "CM-2", "1.0000", "2.0000", "1.0000", "units"},
		{"1042", "3", "CAP-BLK", "NULL", "CM-3", "1.0000", "0.0000", "-1.0000", "units"},
	})
	want := "Credit memo CM-2 returns 1 of SKU CAP-BLK to stock, but refund 2 on order 1042 returned 0."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
}

func TestCreditMemoRestockMismatchGoodwill(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addOrderProduct(t, db, 1042, 5001, "TEE-RED-S", 1)
	// Goodwill without restock: an Account line on the goodwill account.
	addRefund(t, db, bcSnapshot, 1042, 1, "10.00")
	addRefundItem(t, db, 1042, 1, 0, "ORDER", 1042, "NULL", "10.00")
	addMemo(t, db, "CM-1", "1042-R1", "", "10.00")
	addMemoLine(t, db, "CM-1", 10000, "Account", "6910", "1", "10.00")
	// Goodwill with restock: the memo also returns a tee.
	addRefund(t, db, bcSnapshot, 1042, 2, "10.00")
	addRefundItem(t, db, 1042, 2, 0, "ORDER", 1042, "NULL", "10.00")
	addMemo(t, db, "CM-2", "1042-R2", "", "10.00")
	addMemoLine(t, db, "CM-2", 10000, "Account", "6910", "1", "10.00")
	addMemoLine(t, db, "CM-2", 20000, "Item", "TEE-RED-S", "1", "0")
	// An amount-only refund without items whose memo returns a tee.
	addRefund(t, db, bcSnapshot, 1042, 3, "2.00")
	addMemo(t, db, "CM-3", "1042-R3", "", "2.00")
	addMemoLine(t, db, "CM-3", 10000, "Item", "TEE-RED-S", "1", "2.00")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "credit_memo.restock_mismatch")
	assertFindings(t, got, []finding{
		{"1042", "2", "TEE-RED-S", "NULL", "CM-2", "0.0000", "1.0000", "1.0000", "units"},
		{"1042", "3", "TEE-RED-S", "NULL", "CM-3", "0.0000", "1.0000", "1.0000", "units"},
	})
	want := []string{
		"Credit memo CM-2 returns 1 of SKU TEE-RED-S to stock, but refund 2 on order 1042 refunds no products (ORDER), so nothing should return to stock.",
		"Credit memo CM-3 returns 1 of SKU TEE-RED-S to stock, but refund 3 on order 1042 refunds no products (no items), so nothing should return to stock.",
	}
	for i := range min(len(want), len(reasons)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
	lines, _ := findingsOf(t, db, "credit_memo.line_mismatch")
	assertFindings(t, lines, nil)
}
