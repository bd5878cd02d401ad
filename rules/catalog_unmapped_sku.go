package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed catalog_unmapped_sku.sql
var catalogUnmappedSKUSQL string

// CatalogUnmappedSKU finds BigCommerce order lines whose SKU names no ERP
// item: no item in the ERP's stock export and no Item line on an ERP
// sales order.
var CatalogUnmappedSKU = register(Rule{
	ID:       "catalog.unmapped_sku",
	Title:    "Ordered SKU unknown to the ERP",
	Owner:    OwnerEcommerce,
	Severity: SeverityMedium,
	Question: "Does every SKU ordered in BigCommerce name an ERP item?",
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:      catalogUnmappedSKUSQL,
})
