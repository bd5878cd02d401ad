package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed credit_memo_line_mismatch.sql
var creditMemoLineMismatchSQL string

// CreditMemoLineMismatch finds refunds whose shipping, handling or
// goodwill (ORDER) items have no Account line on their G/L account in the
// credit memo, for example a shipping refund booked as an Item line.
// Such a memo usually also returns stock it should not, which
// credit_memo.restock_mismatch reports on its own.
var CreditMemoLineMismatch = register(Rule{
	ID:       "credit_memo.line_mismatch",
	Title:    "Credit memo books a non-product refund on the wrong line",
	Owner:    OwnerFinance,
	Severity: SeverityMedium,
	Question: "Does each credit memo book shipping and goodwill refunds on Account lines on their G/L accounts?",
	Params: []Param{withDefault(ParamCreditMemoPattern), withDefault(ParamLocalCurrency),
		withDefault(ParamERPShippingAccount), withDefault(ParamERPGoodwillAccount)},
	Sources: []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:     creditMemoLineMismatchSQL,
})
