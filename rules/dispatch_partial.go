package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed dispatch_partial.sql
var dispatchPartialSQL string

// DispatchPartial finds orders whose WMS shipments and BigCommerce
// shipments record different units per SKU, and orders BigCommerce marks
// fully shipped that the WMS shipped only in part. Orders still inside
// the dispatch grace period are skipped.
var DispatchPartial = register(Rule{
	ID:       "dispatch.partial",
	Title:    "Shipped quantities differ",
	Owner:    OwnerOperations,
	Severity: SeverityMedium,
	Question: "Do BigCommerce's shipments record the units the WMS shipped, per order and SKU?",
	Params:   []Param{withDefault(ParamDispatchGraceHours)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceWMS},
	SQL:      dispatchPartialSQL,
})
