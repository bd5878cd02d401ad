package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed credit_memo_restock_mismatch.sql
var creditMemoRestockMismatchSQL string

// CreditMemoRestockMismatch finds credit memos whose Item lines return
// other quantities to stock than the refund's PRODUCT items returned, per
// SKU, in units. A refund without PRODUCT items, such as a goodwill
// refund, returns nothing, so any Item line with a quantity on its memo
// is reported. The SKU of a PRODUCT item is that of the order product
// its item_id names.
var CreditMemoRestockMismatch = register(Rule{
	ID:       "credit_memo.restock_mismatch",
	Title:    "Credit memo returns other items to stock than the refund",
	Owner:    OwnerOperations,
	Severity: SeverityMedium,
	Question: "Does each credit memo return to stock exactly the units the refund returned, SKU by SKU?",
	Params:   []Param{withDefault(ParamCreditMemoPattern), withDefault(ParamLocalCurrency)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:      creditMemoRestockMismatchSQL,
})
