package rules

import (
	"context"
	"database/sql"
	"fmt"
)

// Exception states and the events of an exception's lifecycle, as stored
// in exception_state.status and exception_events.event.
const (
	StatusOpen     = "open"
	StatusResolved = "resolved"

	EventOpened       = "opened"
	EventSeen         = "seen"
	EventResolved     = "resolved"
	EventReopened     = "reopened"
	EventAcknowledged = "acknowledged"
	EventAccepted     = "accepted"
	EventExpired      = "expired"
)

// lifecycleActor is the actor of the events a run records.
const lifecycleActor = "recon"

// LifecycleDDL creates the tables that follow each exception across runs.
//
// exception_state holds one row per fingerprint: when the exception was
// first and last seen, in how many runs, whether it is open, and its
// current acknowledgement and acceptance. Times are run as-of times, the
// latest extraction time among a run's snapshots.
//
// exception_events is append-only: every change to exception_state adds
// one event, so the state's history survives its updates.
//
// exception_occurrences records, per run and fingerprint, the exception's
// age and whether it was acknowledged or accepted as of that run, because
// exception_state changes after the run.
//
// lifecycle_runs lists the runs whose findings updated the state, in
// order, with their as-of times.
var LifecycleDDL = []string{
	`CREATE TABLE IF NOT EXISTS exception_state (
  fingerprint VARCHAR PRIMARY KEY,
  rule_id VARCHAR NOT NULL,
  order_id BIGINT,
  refund_id BIGINT,
  sku VARCHAR,
  location VARCHAR,
  document VARCHAR,
  first_seen_run BIGINT NOT NULL,
  first_seen_at TIMESTAMPTZ NOT NULL,
  last_seen_run BIGINT NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  occurrences BIGINT NOT NULL,
  status VARCHAR NOT NULL,
  resolved_run BIGINT,
  resolved_at TIMESTAMPTZ,
  acknowledged_at TIMESTAMPTZ,
  acknowledged_by VARCHAR,
  acknowledged_note VARCHAR,
  accepted_note VARCHAR,
  accepted_until TIMESTAMPTZ
)`,
	`CREATE TABLE IF NOT EXISTS exception_events (
  fingerprint VARCHAR NOT NULL,
  run_id BIGINT NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  event VARCHAR NOT NULL,
  note VARCHAR,
  actor VARCHAR NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS exception_occurrences (
  run_id BIGINT NOT NULL,
  fingerprint VARCHAR NOT NULL,
  as_of TIMESTAMPTZ NOT NULL,
  first_seen_at TIMESTAMPTZ NOT NULL,
  occurrences BIGINT NOT NULL,
  acknowledged BOOLEAN NOT NULL,
  accepted BOOLEAN NOT NULL,
  PRIMARY KEY (run_id, fingerprint)
)`,
	`CREATE TABLE IF NOT EXISTS lifecycle_runs (
  run_id BIGINT PRIMARY KEY,
  as_of TIMESTAMPTZ NOT NULL
)`,
	// exception_status is the exceptions table with each finding's
	// lifecycle as of its run. age is as_of - first_seen_at and age_days
	// its whole days. counted is false for an accepted finding, which
	// stays out of the counts until its acceptance expires.
	`CREATE OR REPLACE VIEW exception_status AS
SELECT e.*,
  o.first_seen_at,
  o.as_of,
  o.as_of - o.first_seen_at AS age,
  CAST(floor(epoch(o.as_of) - epoch(o.first_seen_at)) // 86400 AS BIGINT) AS age_days,
  o.occurrences,
  coalesce(o.acknowledged, false) AS acknowledged,
  coalesce(o.accepted, false) AS accepted,
  NOT coalesce(o.accepted, false) AS counted
FROM exceptions AS e
LEFT JOIN exception_occurrences AS o ON o.run_id = e.run_id AND o.fingerprint = e.fingerprint`,
}

// CreateLifecycleSchema creates the lifecycle tables and the
// exception_status view unless they exist. The exceptions table must
// exist first.
func CreateLifecycleSchema(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("create lifecycle tables: %w", err)
	}
	defer tx.Rollback()
	if err := createLifecycleTables(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

func createLifecycleTables(ctx context.Context, tx *sql.Tx) error {
	for _, stmt := range LifecycleDDL {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create lifecycle tables: %w", err)
		}
	}
	return nil
}
