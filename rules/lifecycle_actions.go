package rules

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// MinFingerprintPrefix is the shortest fingerprint prefix that
// FindFingerprint accepts.
const MinFingerprintPrefix = 4

// LatestRun is the newest run that updated the exception lifecycle.
type LatestRun struct {
	ID   int64
	AsOf time.Time
}

// FindLatestRun returns the newest run that updated the lifecycle, or
// ErrNoLifecycle.
func FindLatestRun(ctx context.Context, db *sql.DB) (LatestRun, error) {
	if err := CreateLifecycleSchema(ctx, db); err != nil {
		return LatestRun{}, err
	}
	var run LatestRun
	err := db.QueryRowContext(ctx,
		`SELECT run_id, as_of FROM lifecycle_runs ORDER BY run_id DESC LIMIT 1`).Scan(&run.ID, &run.AsOf)
	if errors.Is(err, sql.ErrNoRows) {
		return LatestRun{}, ErrNoLifecycle
	}
	if err != nil {
		return LatestRun{}, fmt.Errorf("find latest run: %w", err)
	}
	run.AsOf = run.AsOf.UTC()
	return run, nil
}

// FindFingerprint returns the one fingerprint in exception_state that
// starts with prefix, like a short git commit hash. The prefix is
// case-insensitive and needs MinFingerprintPrefix hexadecimal digits.
func FindFingerprint(ctx context.Context, db *sql.DB, prefix string) (string, error) {
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	if len(prefix) < MinFingerprintPrefix || strings.Trim(prefix, "0123456789abcdef") != "" {
		return "", fmt.Errorf("%w %q: give at least %d hexadecimal digits of a fingerprint",
			ErrUnknownFingerprint, prefix, MinFingerprintPrefix)
	}
	rows, err := db.QueryContext(ctx, `SELECT fingerprint FROM exception_state
WHERE starts_with(fingerprint, ?) ORDER BY fingerprint LIMIT 3`, prefix)
	if err != nil {
		return "", fmt.Errorf("find fingerprint %s: %w", prefix, err)
	}
	defer rows.Close()
	var matches []string
	for rows.Next() {
		var fp string
		if err := rows.Scan(&fp); err != nil {
			return "", fmt.Errorf("find fingerprint %s: %w", prefix, err)
		}
		matches = append(matches, fp)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("find fingerprint %s: %w", prefix, err)
	}
	switch len(matches) {
	case 0:
		return "", fmt.Errorf("%w %s: no exception has it", ErrUnknownFingerprint, prefix)
	case 1:
		return matches[0], nil
	}
	return "", fmt.Errorf("%w %s: it matches %s and more, so give more digits",
		ErrAmbiguousFingerprint, prefix, strings.Join(matches[:2], ", "))
}

// Action is who takes a lifecycle action, when and why.
type Action struct {
	Actor string
	Note  string
	At    time.Time
}

// Acknowledge marks an exception as seen by a person. It still counts.
// The event is logged against the latest run. Acknowledging again
// without a note keeps the earlier note.
func Acknowledge(ctx context.Context, db *sql.DB, fingerprint string, a Action) error {
	run, err := FindLatestRun(ctx, db)
	if err != nil {
		return err
	}
	return inTx(ctx, db, "acknowledge "+fingerprint, func(tx *sql.Tx) error {
		if err := updateState(ctx, tx, fingerprint, `UPDATE exception_state
SET acknowledged_at = ?, acknowledged_by = ?, acknowledged_note = coalesce(?, acknowledged_note)
WHERE fingerprint = ?`,
			a.At.UTC(), a.Actor, nullIfEmpty(a.Note), fingerprint); err != nil {
			return err
		}
		return insertEvent(ctx, tx, fingerprint, run.ID, EventAcknowledged, a)
	})
}

// Accept takes an exception out of the counts until the run whose as-of
// time reaches until. The note is required, and until must be after the
// latest run's as-of time.
func Accept(ctx context.Context, db *sql.DB, fingerprint string, until time.Time, a Action) error {
	if strings.TrimSpace(a.Note) == "" {
		return fmt.Errorf("%w: a note saying why is required", ErrInvalidAcceptance)
	}
	run, err := FindLatestRun(ctx, db)
	if err != nil {
		return err
	}
	if !until.After(run.AsOf) {
		return fmt.Errorf("%w: expiry %s is not after the latest run's as-of time %s",
			ErrInvalidAcceptance, until.UTC().Format(time.RFC3339), run.AsOf.Format(time.RFC3339))
	}
	return inTx(ctx, db, "accept "+fingerprint, func(tx *sql.Tx) error {
		if err := updateState(ctx, tx, fingerprint, `UPDATE exception_state
SET accepted_note = ?, accepted_until = ? WHERE fingerprint = ?`,
			a.Note, until.UTC(), fingerprint); err != nil {
			return err
		}
		a.Note = fmt.Sprintf("until %s: %s", until.UTC().Format(time.RFC3339), a.Note)
		return insertEvent(ctx, tx, fingerprint, run.ID, EventAccepted, a)
	})
}

func updateState(ctx context.Context, tx *sql.Tx, fingerprint, stmt string, args ...any) error {
	res, err := tx.ExecContext(ctx, stmt, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%w %s", ErrUnknownFingerprint, fingerprint)
	}
	return nil
}

func insertEvent(ctx context.Context, tx *sql.Tx, fingerprint string, runID int64, event string, a Action) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO exception_events
  (fingerprint, run_id, occurred_at, event, note, actor) VALUES (?, ?, ?, ?, ?, ?)`,
		fingerprint, runID, a.At.UTC(), event, nullIfEmpty(a.Note), a.Actor)
	return err
}

// inTx runs fn in a transaction and commits when it succeeds.
func inTx(ctx context.Context, db *sql.DB, what string, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func nullIfEmpty(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}
