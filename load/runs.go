package load

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Run statuses written to runs.status.
const (
	RunRunning   = "running"
	RunLoaded    = "loaded"
	RunSucceeded = "succeeded"
	RunFailed    = "failed"
)

// BeginRun records the start of a run of command and returns its id.
func (s *Store) BeginRun(ctx context.Context, command string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO runs (run_id, command, started_at, status)
VALUES (nextval('run_id_seq'), ?, now(), ?) RETURNING run_id`, command, RunRunning).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("begin run of %q: %w", command, err)
	}
	s.logger.Debug("began run", "run_id", id, "command", command)
	return id, nil
}

// FinishRun records the end of a run with its status and the moment its
// findings are true as of. A zero asOf is stored as NULL.
func (s *Store) FinishRun(ctx context.Context, runID int64, status string, asOf time.Time) error {
	var asOfValue sql.NullTime
	if !asOf.IsZero() {
		asOfValue = sql.NullTime{Time: asOf.UTC(), Valid: true}
	}
	res, err := s.db.ExecContext(ctx, `UPDATE runs SET finished_at = now(), status = ?, as_of = ?
WHERE run_id = ?`, status, asOfValue, runID)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", runID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("finish run %d: %w", runID, err)
	}
	if n != 1 {
		return fmt.Errorf("finish run %d: run not found", runID)
	}
	s.logger.Debug("finished run", "run_id", runID, "status", status)
	return nil
}
