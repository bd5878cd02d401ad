package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed catalog_empty_sku.sql
var catalogEmptySKUSQL string

// CatalogEmptySKU finds BigCommerce variants without a SKU and proposes a
// unique SKU for each, built from its product's SKU stem and its option
// values.
var CatalogEmptySKU = register(Rule{
	ID:       "catalog.empty_sku",
	Title:    "Variant without a SKU",
	Owner:    OwnerEcommerce,
	Severity: SeverityLow,
	Question: "Does every variant have a SKU?",
	Sources:  []extract.Source{extract.SourceBigCommerce},
	SQL:      catalogEmptySKUSQL,
})
