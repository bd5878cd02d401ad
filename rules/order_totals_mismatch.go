package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed order_totals_mismatch.sql
var orderTotalsMismatchSQL string

// OrderTotalsMismatch finds ERP sales orders whose subtotal, shipping,
// discount or total differs from the BigCommerce order's, in the same
// currency. Each sales order gives at most one finding, for the first
// component that differs in the order subtotal, shipping, discount,
// total excluding tax and total including tax. Its reason counts the
// other differing components. A difference in tax alone is left to
// tax.rounding and tax.mismatch.
var OrderTotalsMismatch = register(Rule{
	ID:       "order.totals_mismatch",
	Title:    "Order totals differ in the ERP",
	Owner:    OwnerFinance,
	Severity: SeverityMedium,
	Question: "Do the ERP sales order's subtotal, shipping, discount and totals match the BigCommerce order's?",
	Params: []Param{withDefault(ParamERPShippingAccount), withDefault(ParamCurrencyPrecision),
		withDefault(ParamLocalCurrency)},
	Sources: []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:     orderTotalsMismatchSQL,
})
