package rules

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ExceptionState is one row of exception_state. Optional values are nil
// when unset.
type ExceptionState struct {
	Fingerprint      string     `json:"fingerprint"`
	RuleID           string     `json:"rule_id"`
	OrderID          *int64     `json:"order_id,omitempty"`
	RefundID         *int64     `json:"refund_id,omitempty"`
	SKU              string     `json:"sku,omitempty"`
	Location         string     `json:"location,omitempty"`
	Document         string     `json:"document,omitempty"`
	FirstSeenRun     int64      `json:"first_seen_run"`
	FirstSeenAt      time.Time  `json:"first_seen_at"`
	LastSeenRun      int64      `json:"last_seen_run"`
	LastSeenAt       time.Time  `json:"last_seen_at"`
	Occurrences      int64      `json:"occurrences"`
	Status           string     `json:"status"`
	ResolvedRun      *int64     `json:"resolved_run,omitempty"`
	ResolvedAt       *time.Time `json:"resolved_at,omitempty"`
	AcknowledgedAt   *time.Time `json:"acknowledged_at,omitempty"`
	AcknowledgedBy   string     `json:"acknowledged_by,omitempty"`
	AcknowledgedNote string     `json:"acknowledged_note,omitempty"`
	AcceptedNote     string     `json:"accepted_note,omitempty"`
	AcceptedUntil    *time.Time `json:"accepted_until,omitempty"`
}

// Event is one row of exception_events.
type Event struct {
	RunID      int64     `json:"run_id"`
	OccurredAt time.Time `json:"occurred_at"`
	Event      string    `json:"event"`
	Note       string    `json:"note,omitempty"`
	Actor      string    `json:"actor"`
}

// queryer is a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// LoadState returns the state of the exception with the given full
// fingerprint.
func LoadState(ctx context.Context, db *sql.DB, fingerprint string) (ExceptionState, error) {
	return loadState(ctx, db, fingerprint)
}

// LoadHistory returns the events of an exception, oldest first.
func LoadHistory(ctx context.Context, db *sql.DB, fingerprint string) ([]Event, error) {
	return loadHistory(ctx, db, fingerprint)
}

func loadState(ctx context.Context, q queryer, fingerprint string) (ExceptionState, error) {
	var s ExceptionState
	var order, refund, resolvedRun sql.NullInt64
	var sku, location, document, ackBy, ackNote, acceptNote sql.NullString
	var resolvedAt, ackAt, acceptUntil sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT fingerprint, rule_id, order_id, refund_id, sku, location,
  document, first_seen_run, first_seen_at, last_seen_run, last_seen_at, occurrences, status,
  resolved_run, resolved_at, acknowledged_at, acknowledged_by, acknowledged_note,
  accepted_note, accepted_until
FROM exception_state WHERE fingerprint = ?`, fingerprint).Scan(&s.Fingerprint, &s.RuleID,
		&order, &refund, &sku, &location, &document, &s.FirstSeenRun, &s.FirstSeenAt,
		&s.LastSeenRun, &s.LastSeenAt, &s.Occurrences, &s.Status, &resolvedRun, &resolvedAt,
		&ackAt, &ackBy, &ackNote, &acceptNote, &acceptUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("%w %s", ErrUnknownFingerprint, fingerprint)
	}
	if err != nil {
		return s, fmt.Errorf("read state of %s: %w", fingerprint, err)
	}
	s.FirstSeenAt, s.LastSeenAt = s.FirstSeenAt.UTC(), s.LastSeenAt.UTC()
	s.OrderID, s.RefundID, s.ResolvedRun = intPtr(order), intPtr(refund), intPtr(resolvedRun)
	s.SKU, s.Location, s.Document = sku.String, location.String, document.String
	s.ResolvedAt, s.AcknowledgedAt, s.AcceptedUntil = timePtr(resolvedAt), timePtr(ackAt), timePtr(acceptUntil)
	s.AcknowledgedBy, s.AcknowledgedNote, s.AcceptedNote = ackBy.String, ackNote.String, acceptNote.String
	return s, nil
}

func loadHistory(ctx context.Context, q queryer, fingerprint string) ([]Event, error) {
	rows, err := q.QueryContext(ctx, `SELECT run_id, occurred_at, event, note, actor
FROM exception_events WHERE fingerprint = ? ORDER BY occurred_at, run_id, rowid`, fingerprint)
	if err != nil {
		return nil, fmt.Errorf("read history of %s: %w", fingerprint, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var note sql.NullString
		if err := rows.Scan(&e.RunID, &e.OccurredAt, &e.Event, &note, &e.Actor); err != nil {
			return nil, fmt.Errorf("read history of %s: %w", fingerprint, err)
		}
		e.OccurredAt, e.Note = e.OccurredAt.UTC(), note.String
		out = append(out, e)
	}
	return out, rows.Err()
}

func intPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
