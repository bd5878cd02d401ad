package rules

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/recon-tools/recon/extract"
	"github.com/shopspring/decimal"
)

// Result is the outcome of one evaluation, rule by rule in the order of All
// (or of the rules given to EvaluateRules).
type Result struct {
	RunID int64
	Rules []RuleResult
	// Lifecycle counts the exceptions the run opened, saw again,
	// reopened, resolved and whose acceptance expired.
	Lifecycle LifecycleChanges
}

// RuleResult is the outcome of one rule in a run.
type RuleResult struct {
	RuleID string
	// Skipped is set when the run lacks a source the rule reads;
	// MissingSources names them.
	Skipped        bool
	MissingSources []extract.Source
	// Findings counts the findings that count: all but the Accepted ones.
	Findings int64
	// Accepted counts the findings whose acceptance had not expired as of
	// the run; Acknowledged counts the acknowledged ones, which count.
	Accepted     int64
	Acknowledged int64
	// AtStake sums |difference| over the findings that count, per unit:
	// an ISO currency code for money, "units" for stock.
	AtStake map[string]decimal.Decimal
}

// Findings returns the number of findings over all rules.
func (r Result) Findings() int64 {
	var n int64
	for _, rr := range r.Rules {
		n += rr.Findings
	}
	return n
}

// Evaluate runs every rule against the run's snapshots and stores the
// findings in the exceptions table, replacing any earlier findings of the
// same run, then carries them into the exception lifecycle tables.
// Everything happens in one transaction, so a failure stores nothing. A
// rule that reads a source the run has no snapshot of is skipped and
// logged. CreateSchema must have run first.
func Evaluate(ctx context.Context, db *sql.DB, runID int64, p Params, logger *slog.Logger) (Result, error) {
	return EvaluateRules(ctx, db, runID, p, All(), logger)
}

// EvaluateRules is Evaluate over the given rules, such as All() plus the
// custom rules of a config. A nil logger discards log records.
func EvaluateRules(ctx context.Context, db *sql.DB, runID int64, p Params, set []Rule, logger *slog.Logger) (Result, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	start := time.Now()

	tx, release, err := beginEvaluation(ctx, db)
	if err != nil {
		return Result{}, fmt.Errorf("evaluate run %d: begin: %w", runID, err)
	}
	defer release()

	result, err := evaluateInTx(ctx, tx, runID, p, set, logger)
	if err != nil {
		return Result{}, fmt.Errorf("evaluate run %d: %w", runID, err)
	}
	commitStart := time.Now()
	if err := tx.Commit(); err != nil {
		return Result{}, fmt.Errorf("evaluate run %d: commit: %w", runID, err)
	}
	logger.Info("findings committed", "run_id", runID, "duration", time.Since(commitStart))
	logger.Info("rules evaluated", "run_id", runID, "rules", len(result.Rules),
		"findings", result.Findings(), "duration", time.Since(start))
	return result, nil
}

// evaluationMu serializes evaluations within the process, because each
// changes and restores DuckDB's disabled_optimizers, which is one
// setting for the whole database rather than one per connection.
var evaluationMu sync.Mutex

// evaluationOptimizer is the optimizer an evaluation turns off.
//
// NOTE: DuckDB misjudges how many rows a rule's findings hold, and its
// build_side_probe_side optimizer then hashes a whole table to probe it
// with a few thousand findings' keys, such as every order line with its
// record. With it off, the written build side is kept: the subquery
// behind IN and the right side of a join. All rules on 1,000,000 orders
// took 28.4 s with it and 18.2 s without it.
const evaluationOptimizer = "build_side_probe_side"

// beginEvaluation begins a transaction on a connection of its own, with
// evaluationOptimizer turned off. The setting is database-wide, so other
// connections of the database see it until release. release rolls back
// the transaction unless it was committed, restores the caller's setting
// and returns the connection to the pool, on success and failure alike.
func beginEvaluation(ctx context.Context, db *sql.DB) (*sql.Tx, func(), error) {
	evaluationMu.Lock()
	conn, err := db.Conn(ctx)
	if err != nil {
		evaluationMu.Unlock()
		return nil, nil, err
	}

	var previous string
	if err := conn.QueryRowContext(ctx, "SELECT current_setting('disabled_optimizers')").Scan(&previous); err != nil {
		conn.Close()
		evaluationMu.Unlock()
		return nil, nil, fmt.Errorf("read optimizer settings: %w", err)
	}
	restore := func() {
		conn.ExecContext(context.WithoutCancel(ctx), "SET disabled_optimizers = "+sqlString(previous))
		conn.Close()
		evaluationMu.Unlock()
	}

	disabled := previous
	if !slices.Contains(strings.Split(previous, ","), evaluationOptimizer) {
		disabled = strings.TrimPrefix(previous+","+evaluationOptimizer, ",")
	}
	if _, err := conn.ExecContext(ctx, "SET disabled_optimizers = "+sqlString(disabled)); err != nil {
		restore()
		return nil, nil, fmt.Errorf("set optimizers: %w", err)
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		restore()
		return nil, nil, err
	}
	release := func() {
		tx.Rollback()
		restore()
	}
	return tx, release, nil
}

func evaluateInTx(ctx context.Context, tx *sql.Tx, runID int64, p Params, set []Rule, logger *slog.Logger) (Result, error) {
	snapshots, err := runSnapshots(ctx, tx, runID)
	if err != nil {
		return Result{}, err
	}
	if err := prepare(ctx, tx, snapshots, p, set, logger); err != nil {
		return Result{}, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM exceptions WHERE run_id = ?", runID); err != nil {
		return Result{}, fmt.Errorf("delete earlier findings: %w", err)
	}

	result := Result{RunID: runID}
	for _, r := range set {
		rr, err := runRule(ctx, tx, runID, r, snapshots, logger)
		if err != nil {
			return Result{}, err
		}
		result.Rules = append(result.Rules, rr)
	}
	start := time.Now()
	if err := applyLifecycle(ctx, tx, &result, logger); err != nil {
		return Result{}, err
	}
	logger.Info("lifecycle updated", "run_id", runID, "duration", time.Since(start))
	if err := addStakes(ctx, tx, &result); err != nil {
		return Result{}, err
	}
	if err := dropTempObjects(ctx, tx, set); err != nil {
		return Result{}, err
	}
	return result, nil
}

// runRule inserts one rule's findings, or skips the rule when a source it
// reads is missing from the run.
func runRule(ctx context.Context, tx *sql.Tx, runID int64, r Rule,
	snapshots map[extract.Source]int64, logger *slog.Logger) (RuleResult, error) {
	rr := RuleResult{RuleID: r.ID, AtStake: map[string]decimal.Decimal{}}
	for _, s := range r.Sources {
		if _, ok := snapshots[s]; !ok {
			rr.MissingSources = append(rr.MissingSources, s)
		}
	}
	if len(rr.MissingSources) > 0 {
		rr.Skipped = true
		logger.Warn("rule skipped: run has no snapshot of a source it reads",
			"run_id", runID, "rule_id", r.ID, "missing_sources", rr.MissingSources)
		return rr, nil
	}

	start := time.Now()
	res, err := tx.ExecContext(ctx, insertFindingsSQL(r.SQL), runID, r.ID, string(r.Severity))
	if err != nil {
		return rr, fmt.Errorf("rule %s: %w", r.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return rr, fmt.Errorf("rule %s: count findings: %w", r.ID, err)
	}
	rr.Findings = n
	logger.Info("rule evaluated", "run_id", runID, "rule_id", r.ID,
		"findings", n, "duration", time.Since(start))
	return rr, nil
}

// insertFindingsSQL wraps a rule's SELECT in the INSERT that adds the run
// id ($1), rule id ($2), severity ($3), fingerprint and difference. The
// fingerprint hashes the rule id and the entity keys, never the amounts,
// so the same drift keeps its fingerprint from run to run. A difference
// of 10^14 or more does not fit DECIMAL(18,4) and is stored as NULL; the
// expected and actual amounts and the reason still give it.
func insertFindingsSQL(ruleSQL string) string {
	return `INSERT INTO exceptions (run_id, rule_id, fingerprint, severity,
  order_id, refund_id, sku, location, document,
  expected, actual, difference, unit, reason, evidence)
SELECT CAST($1 AS BIGINT), CAST($2 AS VARCHAR),
  md5(concat_ws('|', CAST($2 AS VARCHAR),
    coalesce(CAST(f.order_id AS VARCHAR), ''), coalesce(CAST(f.refund_id AS VARCHAR), ''),
    coalesce(lower(f.sku), ''), coalesce(f.location, ''), coalesce(f.document, ''))),
  CAST($3 AS VARCHAR),
  f.order_id, f.refund_id, f.sku, f.location, f.document,
  CAST(f.expected AS DECIMAL(18,4)), CAST(f.actual AS DECIMAL(18,4)),
  CASE WHEN abs(coalesce(f.actual, 0) - coalesce(f.expected, 0)) < 100000000000000
    THEN CAST(coalesce(f.actual, 0) - coalesce(f.expected, 0) AS DECIMAL(18,4)) END,
  f.unit, f.reason, f.evidence
FROM (
` + ruleSQL + `
) AS f`
}

// addStakes fills in each rule's money and units at stake, leaving out
// accepted findings and findings without amounts, such as an empty SKU,
// which have nothing at stake.
func addStakes(ctx context.Context, tx *sql.Tx, result *Result) error {
	rows, err := tx.QueryContext(ctx, `SELECT rule_id, unit, CAST(sum(abs(difference)) AS VARCHAR)
FROM exception_status
WHERE run_id = ? AND counted AND (expected IS NOT NULL OR actual IS NOT NULL)
GROUP BY rule_id, unit`, result.RunID)
	if err != nil {
		return fmt.Errorf("sum findings: %w", err)
	}
	defer rows.Close()
	byRule := map[string]map[string]decimal.Decimal{}
	for rows.Next() {
		var ruleID, unit string
		var total sql.NullString
		if err := rows.Scan(&ruleID, &unit, &total); err != nil {
			return fmt.Errorf("sum findings: %w", err)
		}
		if byRule[ruleID] == nil {
			byRule[ruleID] = map[string]decimal.Decimal{}
		}
		byRule[ruleID][unit] = decimal.RequireFromString(nullToZero(total))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sum findings: %w", err)
	}
	for i := range result.Rules {
		if stakes, ok := byRule[result.Rules[i].RuleID]; ok {
			result.Rules[i].AtStake = stakes
		}
	}
	return nil
}

func nullToZero(s sql.NullString) string {
	if !s.Valid {
		return "0"
	}
	return s.String
}
