package rules

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestCreditMemoAmountMismatchTolerance(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 1, "20.00")
	addMemo(t, db, "CM-1", "1042-R1", "", "20.01")
	addRefund(t, db, bcSnapshot, 1042, 2, "20.00")
	addMemo(t, db, "CM-2", "1042-R2", "USD", "20.02")
	addRefund(t, db, bcSnapshot, 1042, 3, "20.00")
	addMemo(t, db, "CM-3", "1042-R3", "", "19.98")
	p := DefaultParams()
	p.CreditMemoTolerance = decimal.RequireFromString("0.01")

	evaluate(t, db, p)

	got, reasons := findingsOf(t, db, "credit_memo.amount_mismatch")
	assertFindings(t, got, []finding{
		{"1042", "2", "NULL", "NULL", "CM-2", "20.0000", "20.0200", "0.0200", "USD"},
		{"1042", "3", "NULL", "NULL", "CM-3", "20.0000", "19.9800", "-0.0200", "USD"},
	})
	want := "Credit memo CM-2 for refund 2 on order 1042 credits USD 20.02 but the refund is USD 20.00, a difference of 0.02."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
}

func TestCreditMemoAmountMismatchDefaultTolerance(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 1, "23.50")
	addMemo(t, db, "CM-1", "1042-R1", "", "23.50")
	addRefund(t, db, bcSnapshot, 1042, 2, "23.50")
	addMemo(t, db, "CM-2", "1042-R2", "", "23.49")

	evaluate(t, db, DefaultParams())

	got, _ := findingsOf(t, db, "credit_memo.amount_mismatch")
	assertFindings(t, got, []finding{
		{"1042", "2", "NULL", "NULL", "CM-2", "23.5000", "23.4900", "-0.0100", "USD"},
	})
}

func TestCreditMemoAmountMismatchCurrency(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 2001, "EUR")
	addRefund(t, db, bcSnapshot, 2001, 1, "10.00")
	addMemo(t, db, "CM-1", "2001-R1", "", "10.00")
	addRefund(t, db, bcSnapshot, 2001, 2, "10.00")
	addMemo(t, db, "CM-2", "2001-R2", "EUR", "10.00")

	evaluate(t, db, DefaultParams())

	got, reasons := findingsOf(t, db, "credit_memo.amount_mismatch")
	assertFindings(t, got, []finding{
		{"2001", "1", "NULL", "NULL", "CM-1", "10.0000", "10.0000", "0.0000", "EUR"},
	})
	want := "Credit memo CM-1 for refund 1 on order 2001 credits USD 10.00 but the refund is EUR 10.00; the currencies differ."
	if len(reasons) > 0 && reasons[0] != want {
		t.Errorf("reason %q, want %q", reasons[0], want)
	}
}

func TestCreditMemoAmountMismatchSumsMemos(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 1, "30.00")
	addMemo(t, db, "CM-1A", "1042-R1", "", "10.00")
	addMemo(t, db, "CM-1B", "1042-R1", "", "20.00")
	addRefund(t, db, bcSnapshot, 1042, 2, "30.00")
	addMemo(t, db, "CM-2A", "1042-R2", "", "10.00")
	addMemo(t, db, "CM-2B", "1042-R2", "", "10.00")

	evaluate(t, db, DefaultParams())

	got, _ := findingsOf(t, db, "credit_memo.amount_mismatch")
	assertFindings(t, got, []finding{
		{"1042", "2", "NULL", "NULL", "CM-2A, CM-2B", "30.0000", "20.0000", "-10.0000", "USD"},
	})
	evidence := evidenceOf(t, db, "credit_memo.amount_mismatch")
	want := `{"bc_refunds":{"refund":"2"},"erp_credit_memos":[{"memo":"CM-2A"},{"memo":"CM-2B"}]}`
	if len(evidence) != 1 || evidence[0] != want {
		t.Errorf("evidence %q, want [%q]", evidence, want)
	}
}
