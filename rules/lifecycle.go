package rules

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// LifecycleChanges counts the lifecycle events a run recorded.
type LifecycleChanges struct {
	// Skipped is set when the run was not newer than the last run that
	// updated the lifecycle, so its findings changed no state.
	Skipped  bool
	AsOf     time.Time
	Opened   int64
	Seen     int64
	Reopened int64
	Resolved int64
	Expired  int64
}

// updateLifecycle carries the run's findings into exception_state and
// records what changed in exception_events and exception_occurrences. A
// fingerprint found for the first time opens, one found again is seen
// (or reopens when it was resolved), and an open one the run no longer
// finds is resolved by the run. An acceptance whose expiry is at or
// before the run's as-of time lapses with an expired event. Only a run
// newer than every run already applied changes the state: a later run
// whose as-of time is not earlier than theirs. So evaluating a run again,
// or loading older exports after newer ones, leaves the lifecycle as it
// was, and no exception gets a negative age.
func updateLifecycle(ctx context.Context, tx *sql.Tx, runID int64) (LifecycleChanges, error) {
	if err := createLifecycleTables(ctx, tx); err != nil {
		return LifecycleChanges{}, err
	}
	asOf, err := runAsOf(ctx, tx, runID)
	if err != nil {
		return LifecycleChanges{}, err
	}
	changes := LifecycleChanges{AsOf: asOf}
	var latest sql.NullInt64
	var latestAsOf sql.NullTime
	if err := tx.QueryRowContext(ctx, `SELECT max(run_id), max(as_of) FROM lifecycle_runs`).Scan(&latest, &latestAsOf); err != nil {
		return changes, fmt.Errorf("find latest lifecycle run: %w", err)
	}
	if (latest.Valid && latest.Int64 >= runID) || (latestAsOf.Valid && asOf.Before(latestAsOf.Time)) {
		changes.Skipped = true
		return changes, nil
	}

	for _, s := range lifecycleStatements(runID, asOf) {
		if _, err := tx.ExecContext(ctx, s.sql, s.args...); err != nil {
			return changes, fmt.Errorf("update lifecycle: %s: %w", s.name, err)
		}
	}
	if err := countEvents(ctx, tx, runID, &changes); err != nil {
		return changes, err
	}
	return changes, nil
}

// runAsOf returns the latest extraction time among the run's snapshots.
func runAsOf(ctx context.Context, tx *sql.Tx, runID int64) (time.Time, error) {
	var asOf sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT max(extracted_at) FROM snapshots WHERE run_id = ?`, runID).Scan(&asOf)
	if err != nil {
		return time.Time{}, fmt.Errorf("find as-of time of run %d: %w", runID, err)
	}
	if !asOf.Valid {
		return time.Time{}, ErrRunNotFound
	}
	return asOf.Time.UTC(), nil
}

type lifecycleStatement struct {
	name string
	sql  string
	args []any
}

// lifecycleStatements returns the statements that apply one run, in
// order. lifecycle_found holds the run's fingerprints with the event each
// gets, computed before any state changes.
func lifecycleStatements(runID int64, asOf time.Time) []lifecycleStatement {
	both := []any{runID, asOf}
	return []lifecycleStatement{
		{"collect findings", `CREATE OR REPLACE TEMP TABLE lifecycle_found AS
SELECT f.*,
  CASE WHEN s.fingerprint IS NULL THEN 'opened'
    WHEN s.status = 'resolved' THEN 'reopened'
    ELSE 'seen' END AS event,
  coalesce(s.status = 'open' AND s.accepted_until <= CAST($2 AS TIMESTAMPTZ), false) AS expired,
  s.accepted_note,
  s.accepted_until
FROM (
  SELECT fingerprint, min(rule_id) AS rule_id, min(order_id) AS order_id,
    min(refund_id) AS refund_id, min(sku) AS sku, min(location) AS location,
    min(document) AS document
  FROM exceptions WHERE run_id = $1 GROUP BY fingerprint
) AS f
LEFT JOIN exception_state AS s ON s.fingerprint = f.fingerprint`, both},
		{"record sightings", `INSERT INTO exception_events (fingerprint, run_id, occurred_at, event, note, actor)
SELECT fingerprint, $1, $2, event, NULL, '` + lifecycleActor + `' FROM lifecycle_found
ORDER BY fingerprint`, both},
		{"record expiries", `INSERT INTO exception_events (fingerprint, run_id, occurred_at, event, note, actor)
SELECT fingerprint, $1, $2, 'expired',
  'acceptance until ' || strftime(accepted_until AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') ||
    ' lapsed: ' || coalesce(accepted_note, ''),
  '` + lifecycleActor + `'
FROM lifecycle_found WHERE expired ORDER BY fingerprint`, both},
		{"record resolutions", `INSERT INTO exception_events (fingerprint, run_id, occurred_at, event, note, actor)
SELECT fingerprint, $1, $2, 'resolved', NULL, '` + lifecycleActor + `' FROM exception_state
WHERE status = 'open' AND fingerprint NOT IN (SELECT fingerprint FROM lifecycle_found)
ORDER BY fingerprint`, both},
		{"resolve", `UPDATE exception_state SET status = 'resolved', resolved_run = $1, resolved_at = $2
WHERE status = 'open' AND fingerprint NOT IN (SELECT fingerprint FROM lifecycle_found)`, both},
		{"expire", `UPDATE exception_state SET accepted_note = NULL, accepted_until = NULL
WHERE fingerprint IN (SELECT fingerprint FROM lifecycle_found WHERE expired)`, nil},
		{"reopen", `UPDATE exception_state SET status = 'open', resolved_run = NULL, resolved_at = NULL,
  acknowledged_at = NULL, acknowledged_by = NULL, acknowledged_note = NULL,
  accepted_note = NULL, accepted_until = NULL,
  last_seen_run = $1, last_seen_at = $2, occurrences = occurrences + 1
WHERE fingerprint IN (SELECT fingerprint FROM lifecycle_found WHERE event = 'reopened')`, both},
		{"see", `UPDATE exception_state SET last_seen_run = $1, last_seen_at = $2, occurrences = occurrences + 1
WHERE fingerprint IN (SELECT fingerprint FROM lifecycle_found WHERE event = 'seen')`, both},
		{"open", `INSERT INTO exception_state (fingerprint, rule_id, order_id, refund_id, sku, location,
  document, first_seen_run, first_seen_at, last_seen_run, last_seen_at, occurrences, status)
SELECT fingerprint, rule_id, order_id, refund_id, sku, location, document, $1, $2, $1, $2, 1, 'open'
FROM lifecycle_found WHERE event = 'opened'`, both},
		{"record occurrences", `INSERT INTO exception_occurrences
SELECT $1, s.fingerprint, $2, s.first_seen_at, s.occurrences,
  s.acknowledged_at IS NOT NULL,
  coalesce(s.accepted_until > CAST($2 AS TIMESTAMPTZ), false)
FROM exception_state AS s
WHERE s.fingerprint IN (SELECT fingerprint FROM lifecycle_found)`, both},
		{"record run", `INSERT INTO lifecycle_runs VALUES ($1, $2)`, both},
		{"clean up", `DROP TABLE temp.lifecycle_found`, nil},
	}
}

// countEvents fills in the number of events of each kind the run logged.
func countEvents(ctx context.Context, tx *sql.Tx, runID int64, changes *LifecycleChanges) error {
	rows, err := tx.QueryContext(ctx, `SELECT event, count(*) FROM exception_events
WHERE run_id = ? GROUP BY event`, runID)
	if err != nil {
		return fmt.Errorf("count lifecycle events: %w", err)
	}
	defer rows.Close()
	counters := map[string]*int64{
		EventOpened: &changes.Opened, EventSeen: &changes.Seen, EventReopened: &changes.Reopened,
		EventResolved: &changes.Resolved, EventExpired: &changes.Expired,
	}
	for rows.Next() {
		var event string
		var n int64
		if err := rows.Scan(&event, &n); err != nil {
			return fmt.Errorf("count lifecycle events: %w", err)
		}
		if c, ok := counters[event]; ok {
			*c = n
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count lifecycle events: %w", err)
	}
	return nil
}

// addMarks sets each rule's accepted and acknowledged findings and takes
// the accepted ones out of its Findings, as exception_status records them
// for the run.
func addMarks(ctx context.Context, tx *sql.Tx, result *Result) error {
	rows, err := tx.QueryContext(ctx, `SELECT rule_id, count(*) FILTER (WHERE accepted),
  count(*) FILTER (WHERE acknowledged)
FROM exception_status WHERE run_id = ? GROUP BY rule_id`, result.RunID)
	if err != nil {
		return fmt.Errorf("count accepted findings: %w", err)
	}
	defer rows.Close()
	type marks struct{ accepted, acknowledged int64 }
	byRule := map[string]marks{}
	for rows.Next() {
		var ruleID string
		var m marks
		if err := rows.Scan(&ruleID, &m.accepted, &m.acknowledged); err != nil {
			return fmt.Errorf("count accepted findings: %w", err)
		}
		byRule[ruleID] = m
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count accepted findings: %w", err)
	}
	for i := range result.Rules {
		m := byRule[result.Rules[i].RuleID]
		result.Rules[i].Accepted = m.accepted
		result.Rules[i].Acknowledged = m.acknowledged
		result.Rules[i].Findings -= m.accepted
	}
	return nil
}

// applyLifecycle updates the lifecycle with the run's findings and marks
// each rule's accepted and acknowledged findings.
func applyLifecycle(ctx context.Context, tx *sql.Tx, result *Result, logger *slog.Logger) error {
	changes, err := updateLifecycle(ctx, tx, result.RunID)
	if err != nil {
		return err
	}
	result.Lifecycle = changes
	if changes.Skipped {
		logger.Warn("lifecycle unchanged: a run at least as new already updated it",
			"run_id", result.RunID)
	}
	return addMarks(ctx, tx, result)
}
