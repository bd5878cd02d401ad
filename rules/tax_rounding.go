package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed tax_rounding.sql
var taxRoundingSQL string

// TaxRounding finds orders whose ERP tax differs from BigCommerce's tax,
// rounded half away from zero to the currency precision, by a non-zero
// amount within the number of taxed lines times the per-line tolerance.
// Such a difference comes from rounding per line in one system and per
// document in the other.
var TaxRounding = register(Rule{
	ID:       "tax.rounding",
	Title:    "Tax differs by rounding",
	Owner:    OwnerFinance,
	Severity: SeverityLow,
	Question: "Does the ERP's order tax differ from BigCommerce's by no more than line rounding explains?",
	Params: []Param{withDefault(ParamTaxLineTolerance), withDefault(ParamCurrencyPrecision),
		withDefault(ParamLocalCurrency)},
	Sources: []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:     taxRoundingSQL,
})
