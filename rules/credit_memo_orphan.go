package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed credit_memo_orphan.sql
var creditMemoOrphanSQL string

// CreditMemoOrphan finds ERP credit memos whose externalDocumentNumber
// does not lead to a BigCommerce refund. order_id and refund_id are set
// when the reference parses.
//
// NOTE: a memo for a refund older than the BigCommerce snapshot is also
// reported, because the rule reads only the run's refunds.
var CreditMemoOrphan = register(Rule{
	ID:       "credit_memo.orphan",
	Title:    "Credit memo without a refund",
	Owner:    OwnerFinance,
	Severity: SeverityMedium,
	Question: "Does every ERP credit memo reference a BigCommerce refund?",
	Params:   []Param{withDefault(ParamCreditMemoPattern), withDefault(ParamLocalCurrency)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:      creditMemoOrphanSQL,
})
