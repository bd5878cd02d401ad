package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed payout_refund_not_paid_out.sql
var payoutRefundNotPaidOutSQL string

// PayoutRefundNotPaidOut finds BigCommerce refunds paid back through a
// payment provider that no payout has deducted within the grace period.
// Its findings have no actual amount, so the money at stake is the
// refunded amount.
var PayoutRefundNotPaidOut = register(Rule{
	ID:       "payout.refund_not_paid_out",
	Title:    "Refund missing from payouts",
	Owner:    OwnerFinance,
	Severity: SeverityMedium,
	Question: "Has every BigCommerce refund older than the grace period been deducted from a payout?",
	Params:   []Param{withDefault(ParamPayoutGraceDays), withDefault(ParamLocalCurrency)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourcePayouts},
	SQL:      payoutRefundNotPaidOutSQL,
})
