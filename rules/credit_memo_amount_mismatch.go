package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed credit_memo_amount_mismatch.sql
var creditMemoAmountMismatchSQL string

// CreditMemoAmountMismatch finds refunds whose credit memo amount
// (totalAmountIncludingTax) differs from the refund's total_amount by more
// than the tolerance, or whose memo is in another currency. In that case
// expected and actual are in different currencies and the reason states it.
var CreditMemoAmountMismatch = register(Rule{
	ID:       "credit_memo.amount_mismatch",
	Title:    "Credit memo amount differs from the refund",
	Owner:    OwnerFinance,
	Severity: SeverityHigh,
	Question: "Does each credit memo credit exactly the amount BigCommerce refunded?",
	Params: []Param{withDefault(ParamCreditMemoPattern), withDefault(ParamCreditMemoTolerance),
		withDefault(ParamLocalCurrency)},
	Sources: []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:     creditMemoAmountMismatchSQL,
})
