package rules

import (
	_ "embed"

	"github.com/recon-tools/recon/extract"
)

//go:embed payout_charge_unmatched.sql
var payoutChargeUnmatchedSQL string

// PayoutChargeUnmatched finds charges paid out by the payment provider
// that BigCommerce has no transaction for.
var PayoutChargeUnmatched = register(Rule{
	ID:       "payout.charge_unmatched",
	Title:    "Paid-out charge unknown to BigCommerce",
	Owner:    OwnerFinance,
	Severity: SeverityMedium,
	Question: "Does every charge in a payout match a BigCommerce transaction?",
	Sources:  []extract.Source{extract.SourceBigCommerce, extract.SourcePayouts},
	SQL:      payoutChargeUnmatchedSQL,
})
