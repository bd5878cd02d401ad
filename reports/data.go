package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/rules"
)

// ErrRunNotFound is returned when the runs table has no such run.
var ErrRunNotFound = errors.New("run not found")

// runReport is the content of the Summary sheet.
type runReport struct {
	runID     int64
	command   string
	status    string
	startedAt time.Time
	asOf      sql.NullTime
	snapshots []snapshotTable
	rules     []ruleSummary
}

// snapshotTable is one table of one snapshot of the run, or the snapshot
// alone when it lists no tables.
type snapshotTable struct {
	source      string
	snapshotID  int64
	system      string
	extractedAt time.Time
	table       sql.NullString
	rows        sql.NullInt64
}

// ruleSummary is one rule's description and findings in the run.
type ruleSummary struct {
	rule rules.Rule
	// sheet is the name of the rule's sheet, unique in the workbook.
	sheet string
	// missing names the sources the run lacked, so the rule was skipped.
	missing  []extract.Source
	findings int64 // the findings that count, so not the accepted ones
	accepted int64
	stakes   []unitStake
}

// unitStake is the findings of one unit: how many count, how many are
// accepted, and the sum of the absolute differences of those that count.
type unitStake struct {
	unit     string
	findings int64
	accepted int64
	total    decimal.Decimal
	// noAmounts is set when no finding has an expected or actual amount,
	// such as an empty SKU, so nothing is at stake.
	noAmounts bool
}

func loadReport(ctx context.Context, db *sql.DB, runID int64, set []rules.Rule,
	evaluated []rules.RuleResult) (runReport, error) {
	report := runReport{runID: runID}
	err := db.QueryRowContext(ctx,
		`SELECT command, status, started_at, as_of FROM runs WHERE run_id = ?`, runID).
		Scan(&report.command, &report.status, &report.startedAt, &report.asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return runReport{}, ErrRunNotFound
	}
	if err != nil {
		return runReport{}, fmt.Errorf("read run: %w", err)
	}
	if report.snapshots, err = loadSnapshots(ctx, db, runID); err != nil {
		return runReport{}, err
	}
	if report.rules, err = loadRuleSummaries(ctx, db, runID, set); err != nil {
		return runReport{}, err
	}
	for i, rs := range report.rules {
		for _, rr := range evaluated {
			if rr.RuleID == rs.rule.ID && rr.Skipped {
				report.rules[i].missing = rr.MissingSources
			}
		}
	}
	return report, nil
}

func loadSnapshots(ctx context.Context, db *sql.DB, runID int64) ([]snapshotTable, error) {
	rows, err := db.QueryContext(ctx, `SELECT s.source, s.snapshot_id, s.system, s.extracted_at,
  t.table_name, t.row_count
FROM snapshots AS s
LEFT JOIN snapshot_tables AS t ON t.snapshot_id = s.snapshot_id
WHERE s.run_id = ?
ORDER BY s.source, s.snapshot_id, t.table_name`, runID)
	if err != nil {
		return nil, fmt.Errorf("read snapshots: %w", err)
	}
	defer rows.Close()
	var out []snapshotTable
	for rows.Next() {
		var s snapshotTable
		if err := rows.Scan(&s.source, &s.snapshotID, &s.system, &s.extractedAt, &s.table, &s.rows); err != nil {
			return nil, fmt.Errorf("read snapshots: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read snapshots: %w", err)
	}
	return out, nil
}

// loadRuleSummaries returns every rule of set, and any other rule id the
// run's exceptions name, with its findings per unit. Accepted findings
// are counted apart and left out of the money at stake.
func loadRuleSummaries(ctx context.Context, db *sql.DB, runID int64, set []rules.Rule) ([]ruleSummary, error) {
	rows, err := db.QueryContext(ctx, `SELECT rule_id, unit,
  count(*) FILTER (WHERE counted), count(*) FILTER (WHERE accepted),
  CAST(coalesce(sum(abs(difference)) FILTER (WHERE counted), 0) AS VARCHAR),
  count(*) FILTER (WHERE expected IS NOT NULL OR actual IS NOT NULL) = 0
FROM exception_status WHERE run_id = ?
GROUP BY rule_id, unit ORDER BY rule_id, unit`, runID)
	if err != nil {
		return nil, fmt.Errorf("sum findings: %w", err)
	}
	defer rows.Close()
	stakes := map[string][]unitStake{}
	var unknown []string
	for rows.Next() {
		var ruleID, total string
		var s unitStake
		if err := rows.Scan(&ruleID, &s.unit, &s.findings, &s.accepted, &total, &s.noAmounts); err != nil {
			return nil, fmt.Errorf("sum findings: %w", err)
		}
		if s.total, err = decimal.NewFromString(total); err != nil {
			return nil, fmt.Errorf("sum findings of %s: %w", ruleID, err)
		}
		if !slices.ContainsFunc(set, func(r rules.Rule) bool { return r.ID == ruleID }) && stakes[ruleID] == nil {
			unknown = append(unknown, ruleID)
		}
		stakes[ruleID] = append(stakes[ruleID], s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sum findings: %w", err)
	}

	all := slices.Clone(set)
	for _, id := range unknown {
		all = append(all, rules.Rule{ID: id, Title: "(rule no longer defined)"})
	}
	out := make([]ruleSummary, 0, len(all))
	for _, r := range all {
		rs := ruleSummary{rule: r, stakes: stakes[r.ID]}
		for _, s := range rs.stakes {
			rs.findings += s.findings
			rs.accepted += s.accepted
		}
		out = append(out, rs)
	}
	assignSheetNames(out)
	return out, nil
}

// assignSheetNames gives each rule a sheet name unique in the workbook.
// Excel compares sheet names case-insensitively and cuts nothing itself,
// so two ids that agree in their first 31 characters would share a
// sheet. A later one gets a suffix ~2, ~3 and so on, within the limit.
func assignSheetNames(summaries []ruleSummary) {
	used := map[string]bool{strings.ToLower(summarySheet): true}
	for i := range summaries {
		base := sheetName(summaries[i].rule.ID)
		name := base
		for n := 2; used[strings.ToLower(name)]; n++ {
			suffix := "~" + strconv.Itoa(n)
			runes := []rune(base)
			name = string(runes[:min(len(runes), maxSheetName-len(suffix))]) + suffix
		}
		used[strings.ToLower(name)] = true
		summaries[i].sheet = name
	}
}
