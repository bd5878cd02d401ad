package rules

import "testing"

func TestCreditMemoMissing(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 7, "23.50")
	addRefund(t, db, bcSnapshot, 1042, 8, "10.00")
	addMemo(t, db, "CM-8", "1042-R8", "", "10.00")
	addRefund(t, db, bcSnapshot, 1042, 9, "0")
	addRefund(t, db, bcSnapshot, 1043, 11, "5.25")
	addMemo(t, db, "CM-11", "1043-r11", "", "5.25")
	addRefund(t, db, otherBCSnap, 1042, 12, "99.00")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "credit_memo.missing")
	assertFindings(t, got, []finding{
		{"1042", "7", "NULL", "NULL", "NULL", "23.5000", "NULL", "-23.5000", "USD"},
		{"1043", "11", "NULL", "NULL", "NULL", "5.2500", "NULL", "-5.2500", "USD"},
	})
	want := "Refund 7 on order 1042 (USD 23.50) has no credit memo in the ERP; expected a memo referenced 1042-R7."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
}

func TestCreditMemoMissingCustomPattern(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 7, "23.50")
	addMemo(t, db, "CM-7", "BC/1042/7", "", "23.50")
	p := DefaultParams()
	p.CreditMemoPattern = `^BC/(\d+)/(\d+)$`

	evaluate(t, db, p)

	got, _ := findingsOf(t, db, "credit_memo.missing")
	assertFindings(t, got, nil)
}
