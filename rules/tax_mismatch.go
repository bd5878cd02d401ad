package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed tax_mismatch.sql
var taxMismatchSQL string

// TaxMismatch finds orders whose ERP tax differs from the tax it should
// hold, recomputed from BigCommerce's lines under the configured tax
// level, rounding mode and precision, by more than rounding explains, and
// orders whose ERP sales order is in another currency than the
// BigCommerce order's transactional currency.
var TaxMismatch = register(Rule{
	ID:       "tax.mismatch",
	Title:    "Tax differs beyond rounding",
	Owner:    OwnerFinance,
	Severity: SeverityHigh,
	Question: "Does the ERP's order tax match the tax recomputed from BigCommerce's lines, in the same currency, within line rounding?",
	Params: []Param{withDefault(ParamTaxLineTolerance), withDefault(ParamCurrencyPrecision),
		withDefault(ParamLocalCurrency), withDefault(ParamTaxLevel), withDefault(ParamTaxRounding),
		withDefault(ParamTaxPrecision), withDefault(ParamERPShippingAccount)},
	Sources: []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:     taxMismatchSQL,
})
