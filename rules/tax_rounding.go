package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed tax_rounding.sql
var taxRoundingSQL string

// TaxRounding finds orders whose ERP tax differs from the tax it should
// hold, recomputed from BigCommerce's lines under the configured tax
// level, rounding mode and precision, by a non-zero amount within the
// number of taxed lines times the per-line tolerance. Such a difference
// comes from rounding per line in one system and per document in the
// other, or from another rounding mode.
var TaxRounding = register(Rule{
	ID:       "tax.rounding",
	Title:    "Tax differs by rounding",
	Owner:    OwnerFinance,
	Severity: SeverityLow,
	Question: "Does the ERP's order tax differ from the tax recomputed from BigCommerce's lines by no more than line rounding explains?",
	Params: []Param{withDefault(ParamTaxLineTolerance), withDefault(ParamCurrencyPrecision),
		withDefault(ParamLocalCurrency), withDefault(ParamTaxLevel), withDefault(ParamTaxRounding),
		withDefault(ParamTaxPrecision), withDefault(ParamERPShippingAccount)},
	Sources: []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:     taxRoundingSQL,
})
