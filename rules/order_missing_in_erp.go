package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed order_missing_in_erp.sql
var orderMissingInERPSQL string

// OrderMissingInERP finds paid BigCommerce orders that the ERP has no
// sales order for once the grace period has passed.
//
// The paid statuses by default are 2 Shipped, 3 Partially Shipped,
// 4 Refunded, 9 Awaiting Shipment, 10 Completed, 11 Awaiting Fulfillment
// and 14 Partially Refunded. Refunded is included because BigCommerce
// only refunds a captured payment, so the sale belongs in the ERP beside
// its credit memos. 8 Awaiting Pickup is left out because a pickup order
// may be paid in store, and 13 Disputed because its funds are held. Add
// them to paid_statuses where the store takes payment before either.
var OrderMissingInERP = register(Rule{
	ID:       "order.missing_in_erp",
	Title:    "Paid order missing in the ERP",
	Owner:    OwnerFinance,
	Severity: SeverityHigh,
	Question: "Does the ERP hold a sales order for every paid BigCommerce order older than the grace period?",
	Params: []Param{withDefault(ParamPaidStatuses), withDefault(ParamOrderGraceHours),
		withDefault(ParamLocalCurrency)},
	Sources: []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:     orderMissingInERPSQL,
})
