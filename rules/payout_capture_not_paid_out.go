package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed payout_capture_not_paid_out.sql
var payoutCaptureNotPaidOutSQL string

// PayoutCaptureNotPaidOut finds BigCommerce captures whose charge has
// reached no payout within the grace period. Its findings have no actual
// amount, so the money at stake is the captured amount.
var PayoutCaptureNotPaidOut = register(Rule{
	ID:       "payout.capture_not_paid_out",
	Title:    "Capture missing from payouts",
	Owner:    OwnerFinance,
	Severity: SeverityMedium,
	Question: "Has every BigCommerce capture older than the grace period been paid out?",
	Params:   []Param{withDefault(ParamPayoutGraceDays), withDefault(ParamLocalCurrency)},
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourcePayouts},
	SQL:      payoutCaptureNotPaidOutSQL,
})
