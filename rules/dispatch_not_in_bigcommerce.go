package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed dispatch_not_in_bigcommerce.sql
var dispatchNotInBigCommerceSQL string

// DispatchNotInBigCommerce finds WMS shipments that BigCommerce has not
// recorded once the grace period has passed: no shipment of the order
// carries the tracking number, or the order's status is not a shipped
// one. The shipped statuses by default are 2 Shipped, 3 Partially
// Shipped and 10 Completed, plus 4 Refunded and 14 Partially Refunded,
// which an order reaches when it is refunded after shipping.
var DispatchNotInBigCommerce = register(Rule{
	ID:       "dispatch.not_in_bigcommerce",
	Title:    "WMS shipment missing in BigCommerce",
	Owner:    OwnerOperations,
	Severity: SeverityHigh,
	Question: "Does BigCommerce show every WMS shipment older than the grace period, with its tracking number and a shipped status?",
	Params:   []Param{withDefault(ParamDispatchGraceHours), withDefault(ParamShippedStatuses)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourceWMS},
	SQL:      dispatchNotInBigCommerceSQL,
})
