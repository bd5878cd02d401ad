package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed payout_net_mismatch.sql
var payoutNetMismatchSQL string

// PayoutNetMismatch finds payouts whose amount differs from the net of
// their settlement report lines: charges less refunds and fees.
var PayoutNetMismatch = register(Rule{
	ID:       "payout.net_mismatch",
	Title:    "Payout differs from its lines",
	Owner:    OwnerFinance,
	Severity: SeverityHigh,
	Question: "Does every payout pay exactly its lines' charges less refunds and fees?",
	Sources:  []extract.Source{extract.SourcePayouts},
	SQL:      payoutNetMismatchSQL,
})
