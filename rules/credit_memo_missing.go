package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed credit_memo_missing.sql
var creditMemoMissingSQL string

// CreditMemoMissing finds BigCommerce refunds that no ERP credit memo
// references. Its findings have no actual amount, so the difference is
// the negative refund amount and the money at stake the refund amount.
var CreditMemoMissing = register(Rule{
	ID:       "credit_memo.missing",
	Title:    "Refund without a credit memo",
	Owner:    OwnerFinance,
	Severity: SeverityHigh,
	Question: "Does every BigCommerce refund have a credit memo in the ERP?",
	Params:   []Param{withDefault(ParamCreditMemoPattern), withDefault(ParamLocalCurrency)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:      creditMemoMissingSQL,
})
