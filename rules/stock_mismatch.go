package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed stock_mismatch.sql
var stockMismatchSQL string

// StockMismatch finds SKU and location pairs where BigCommerce's
// available_to_sell differs from the ERP's availableToSell less the stock
// buffer and less the units of BigCommerce orders placed after the ERP's
// stock snapshot, floored at zero. Quantities are in units.
var StockMismatch = register(Rule{
	ID:       "stock.mismatch",
	Title:    "Storefront stock differs from the ERP",
	Owner:    OwnerOperations,
	Severity: SeverityMedium,
	Question: "Does BigCommerce offer, per SKU and location, exactly the ERP's available stock less the buffer?",
	Params:   []Param{withDefault(ParamStockBuffer), withDefault(ParamStockLocationMap)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceERP},
	SQL:      stockMismatchSQL,
})
