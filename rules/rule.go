// Package rules finds drift between the systems of one run. Each rule is
// a SQL query over the run's snapshots; Evaluate runs them all inside
// DuckDB and stores their findings in the exceptions table.
package rules

import (
	"slices"
	"strings"

	"github.com/recon-tools/recon/extract"
)

// Owner is the team that acts on a rule's findings.
type Owner string

// The teams that own rules.
const (
	OwnerEcommerce  Owner = "ecommerce"
	OwnerOperations Owner = "operations"
	OwnerFinance    Owner = "finance"
)

// Severity ranks how urgently a finding needs attention.
type Severity string

// The severities, from least to most urgent.
const (
	SeverityInfo   Severity = "info"
	SeverityLow    Severity = "low"
	SeverityMedium Severity = "medium"
	SeverityHigh   Severity = "high"
)

// Rule is one check, described well enough for `rules list`, the config
// template and the report legend to be generated from it.
//
// SQL is one SELECT over the run's views (run_bc_orders, run_erp_stock
// and so on: "run_" plus the snapshot table name) that returns one row per
// finding with the columns order_id, refund_id, sku, location, document,
// expected, actual, unit, reason and evidence. Evaluate adds the run id,
// rule id, fingerprint, severity and difference.
type Rule struct {
	ID       string
	Title    string
	Owner    Owner
	Severity Severity
	// Question is the yes/no question the rule decides.
	Question string
	Params   []Param
	// Sources are the systems the rule reads; Evaluate skips the rule
	// when the run has no snapshot of one of them.
	Sources []extract.Source
	SQL     string
}

// registry holds every rule; each rule file registers its own.
var registry []Rule

func register(r Rule) Rule {
	registry = append(registry, r)
	return r
}

// All returns every rule, ordered by id.
func All() []Rule {
	out := make([]Rule, len(registry))
	copy(out, registry)
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Lookup returns the rule with the given id.
func Lookup(id string) (Rule, bool) {
	for _, r := range registry {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}
