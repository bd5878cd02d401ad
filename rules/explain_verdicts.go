package rules

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/recon-tools/recon/extract"
)

// addVerdicts lists, for every rule in set, the run's findings about the
// entity, or marks the rule skipped when the run lacks a source it reads.
func (ex *Explanation) addVerdicts(ctx context.Context, tx *sql.Tx, snapshots map[extract.Source]int64, set []Rule) error {
	byRule, err := ex.findings(ctx, tx)
	if err != nil {
		return err
	}
	for _, r := range set {
		v := Verdict{RuleID: r.ID, Findings: byRule[r.ID]}
		if v.Findings == nil {
			v.Findings = []Finding{}
		}
		v.Skipped = slices.ContainsFunc(r.Sources, func(s extract.Source) bool {
			_, ok := snapshots[s]
			return !ok
		})
		ex.Verdicts = append(ex.Verdicts, v)
	}
	return nil
}

// findings returns the run's findings about the entity, by rule id.
func (ex *Explanation) findings(ctx context.Context, tx *sql.Tx) (map[string][]Finding, error) {
	where, arg := "upper(sku) = upper(trim($2))", any(ex.SKU)
	if ex.OrderID != nil {
		where, arg = "order_id = $2", *ex.OrderID
	}
	if ex.Kind == EntityFingerprint && ex.OrderID == nil && ex.SKU == "" {
		where, arg = "fingerprint = $2", ex.Key
	}
	rows, err := tx.QueryContext(ctx, `SELECT rule_id, fingerprint, reason, acknowledged, accepted,
  coalesce(age_days, 0)
FROM exception_status WHERE run_id = $1 AND `+where+`
ORDER BY rule_id, fingerprint`, ex.RunID, arg)
	if err != nil {
		return nil, fmt.Errorf("read findings: %w", err)
	}
	defer rows.Close()
	out := map[string][]Finding{}
	for rows.Next() {
		var ruleID string
		var f Finding
		if err := rows.Scan(&ruleID, &f.Fingerprint, &f.Reason, &f.Acknowledged, &f.Accepted, &f.AgeDays); err != nil {
			return nil, fmt.Errorf("read findings: %w", err)
		}
		out[ruleID] = append(out[ruleID], f)
	}
	return out, rows.Err()
}
