package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed order_unpaid_in_erp.sql
var orderUnpaidInERPSQL string

// OrderUnpaidInERP finds ERP sales orders for BigCommerce orders whose
// payment was never captured: released to the ERP before the money was
// taken.
//
// The unpaid statuses by default are 0 Incomplete, 1 Pending,
// 5 Cancelled, 6 Declined, 7 Awaiting Payment and 12 Manual Verification
// Required. A capture or purchase transaction overrides them, which is
// what makes Cancelled count only when it was never captured.
var OrderUnpaidInERP = register(Rule{
	ID:       "order.unpaid_in_erp",
	Title:    "Unpaid order released to the ERP",
	Owner:    OwnerFinance,
	Severity: SeverityHigh,
	Question: "Does the ERP hold sales orders only for BigCommerce orders whose payment was captured?",
	Params:   []Param{withDefault(ParamUnpaidStatuses), withDefault(ParamLocalCurrency)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:      orderUnpaidInERPSQL,
})
