package rules

import "testing"

func TestCreditMemoOrphan(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 7, "23.50")
	addMemo(t, db, "CM-1", " 1042-R7 ", "", "23.50")
	addMemo(t, db, "CM-2", "REFUND 1042", "", "12.00")
	addMemo(t, db, "CM-3", "1042-R99", "EUR", "5.00")
	addMemo(t, db, "CM-4", "1043-R7", "", "23.50")
	addMemo(t, db, "CM-5", "99999999999999999999-R1", "", "1.00")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "credit_memo.orphan")
	assertFindings(t, got, []finding{
		{"NULL", "NULL", "NULL", "NULL", "CM-2", "NULL", "12.0000", "12.0000", "USD"},
		{"NULL", "NULL", "NULL", "NULL", "CM-5", "NULL", "1.0000", "1.0000", "USD"},
		{"1042", "99", "NULL", "NULL", "CM-3", "NULL", "5.0000", "5.0000", "EUR"},
		{"1043", "7", "NULL", "NULL", "CM-4", "NULL", "23.5000", "23.5000", "USD"},
	})
	want := []string{
		"Credit memo CM-2 (USD 12.00) has externalDocumentNumber 'REFUND 1042', which does not name a BigCommerce order and refund.",
		"Credit memo CM-5 (USD 1.00) has externalDocumentNumber '99999999999999999999-R1', which does not name a BigCommerce order and refund.",
		"Credit memo CM-3 (EUR 5.00) references refund 99 on order 1042, which BigCommerce does not have.",
		"Credit memo CM-4 (USD 23.50) references refund 7 on order 1043, but refund 7 belongs to order 1042.",
	}
	for i := range min(len(want), len(reasons)) {
		if reasons[i] != want[i] {
			t.Errorf("reason %d %q, want %q", i, reasons[i], want[i])
		}
	}
}
