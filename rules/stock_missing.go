package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

var (
	//go:embed stock_missing_in_erp.sql
	stockMissingInERPSQL string
	//go:embed stock_missing_in_bigcommerce.sql
	stockMissingInBigCommerceSQL string
)

// StockMissingInERP finds BigCommerce inventory records, per SKU and
// location, of SKUs the ERP has no stock record for anywhere.
var StockMissingInERP = register(Rule{
	ID:       "stock.missing_in_erp",
	Title:    "Storefront SKU unknown to the ERP",
	Owner:    OwnerOperations,
	Severity: SeverityMedium,
	Question: "Does the ERP hold stock records for every SKU BigCommerce stocks?",
	Params:   []Param{withDefault(ParamStockLocationMap)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:      stockMissingInERPSQL,
})

// StockMissingInBigCommerce finds ERP stock records, per SKU and
// location, of SKUs BigCommerce has neither as a variant nor in its
// inventory.
var StockMissingInBigCommerce = register(Rule{
	ID:       "stock.missing_in_bigcommerce",
	Title:    "ERP SKU unknown to the storefront",
	Owner:    OwnerEcommerce,
	Severity: SeverityLow,
	Question: "Does BigCommerce know every SKU the ERP holds stock of?",
	Params:   []Param{withDefault(ParamStockBuffer), withDefault(ParamStockLocationMap)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:      stockMissingInBigCommerceSQL,
})
