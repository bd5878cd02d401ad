package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed catalog_duplicate_sku.sql
var catalogDuplicateSKUSQL string

// CatalogDuplicateSKU finds SKUs that several BigCommerce variants share,
// compared case-insensitively.
var CatalogDuplicateSKU = register(Rule{
	ID:       "catalog.duplicate_sku",
	Title:    "SKU shared by several variants",
	Owner:    OwnerEcommerce,
	Severity: SeverityMedium,
	Question: "Does every SKU, ignoring case, belong to one variant only?",
	Sources:  []extract.Source{extract.SourceBigCommerce},
	SQL:      catalogDuplicateSKUSQL,
})
