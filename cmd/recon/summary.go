package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/recon-tools/recon/load"
	"github.com/recon-tools/recon/rules"
)

// runSummary is the outcome of `recon run`, printed when it finishes.
type runSummary struct {
	runID     int64
	snapshots []load.SnapshotInfo
	result    rules.Result
	rules     []rules.Rule // the rules evaluated, built-in and custom
	db        string
	report    string
}

// print writes the snapshots and a table of findings per rule to w.
func (s runSummary) print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "run %d\n\n", s.runID)
	fmt.Fprintln(tw, "SOURCE\tSNAPSHOT\tROWS")
	for _, info := range s.snapshots {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", info.Source, info.ID, info.Rows())
	}
	fmt.Fprintln(tw, "\nRULE\tSEVERITY\tFINDINGS\tACCEPTED\tAT STAKE")
	for _, rr := range s.result.Rules {
		findings, accepted := fmt.Sprint(rr.Findings), fmt.Sprint(rr.Accepted)
		if rr.Skipped {
			findings, accepted = "skipped", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", rr.RuleID, s.severity(rr.RuleID), findings, accepted, atStake(rr))
	}
	fmt.Fprintf(tw, "\n%d exceptions\n", s.result.Findings())
	fmt.Fprintf(tw, "database\t%s\n", s.db)
	fmt.Fprintf(tw, "report\t%s\n", s.report)
	return tw.Flush()
}

// severity returns the severity of the rule ruleID among the rules
// evaluated, or "-" for an id none of them has.
func (s runSummary) severity(ruleID string) string {
	for _, r := range s.rules {
		if r.ID == ruleID {
			return string(r.Severity)
		}
	}
	return "-"
}

// atStake formats a rule's money or units at stake, one figure per unit.
func atStake(rr rules.RuleResult) string {
	units := slices.Sorted(maps.Keys(rr.AtStake))
	parts := make([]string, 0, len(units))
	for _, u := range units {
		label := u
		if u == "units" && rr.AtStake[u].Equal(decimal.NewFromInt(1)) {
			label = "unit"
		}
		parts = append(parts, stakeText(rr.AtStake[u], u)+" "+label)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// stakeText writes an amount at stake as the workbook shows it: units
// exactly, money to two decimals (rounded half away from zero) with
// thousands separated by commas.
func stakeText(d decimal.Decimal, unit string) string {
	if unit == "units" {
		return d.String()
	}
	text := d.StringFixed(2)
	sign := ""
	if strings.HasPrefix(text, "-") {
		sign, text = "-", text[1:]
	}
	whole, fraction, _ := strings.Cut(text, ".")
	var b strings.Builder
	for i, digit := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(digit)
	}
	return sign + b.String() + "." + fraction
}
