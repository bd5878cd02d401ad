package load

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"

	"github.com/recon-tools/recon/extract"
)

// DiscardRun deletes run runID and everything it stored, for a run that
// failed after LoadRun committed, so that no half run stays behind. One
// transaction deletes the run's snapshots with their rows in every
// snapshot table and snapshot_tables. It also deletes the rows of every
// other table with a run_id column, such as the exceptions and lifecycle
// tables of package rules, undoes the run's changes to exception_state
// and deletes the runs row. After the commit, DiscardRun removes the
// snapshots' kept Parquet folders.
func (s *Store) DiscardRun(ctx context.Context, runID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("discard run %d: begin: %w", runID, err)
	}
	defer tx.Rollback()

	dirs, err := s.parquetDirs(ctx, tx, runID)
	if err != nil {
		return fmt.Errorf("discard run %d: %w", runID, err)
	}
	if err := discardRows(ctx, tx, runID); err != nil {
		return fmt.Errorf("discard run %d: %w", runID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("discard run %d: commit: %w", runID, err)
	}
	removeAll(dirs)
	s.logger.Info("discarded run", "run_id", runID, "parquet_folders", len(dirs))
	return nil
}

// parquetDirs returns the kept Parquet folders of the run's snapshots.
func (s *Store) parquetDirs(ctx context.Context, tx *sql.Tx, runID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx,
		`SELECT parquet_dir FROM snapshots WHERE run_id = ? AND parquet_dir IS NOT NULL`, runID)
	if err != nil {
		return nil, fmt.Errorf("read parquet folders: %w", err)
	}
	defer rows.Close()
	var dirs []string
	for rows.Next() {
		var dir string
		if err := rows.Scan(&dir); err != nil {
			return nil, fmt.Errorf("read parquet folders: %w", err)
		}
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(s.path), dir)
		}
		dirs = append(dirs, dir)
	}
	return dirs, rows.Err()
}

func discardRows(ctx context.Context, tx *sql.Tx, runID int64) error {
	for _, def := range extract.Tables {
		stmt := fmt.Sprintf(`DELETE FROM %s WHERE %s IN (SELECT snapshot_id FROM snapshots WHERE run_id = ?)`,
			def.Name, SnapshotIDColumn)
		if _, err := tx.ExecContext(ctx, stmt, runID); err != nil {
			return fmt.Errorf("delete rows of %s: %w", def.Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx,
		`DELETE FROM snapshot_tables WHERE snapshot_id IN (SELECT snapshot_id FROM snapshots WHERE run_id = ?)`,
		runID); err != nil {
		return fmt.Errorf("delete row counts: %w", err)
	}
	if err := undoLifecycle(ctx, tx, runID); err != nil {
		return err
	}
	tables, err := runTables(ctx, tx)
	if err != nil {
		return err
	}
	// The runs row goes last, after every row that names the run.
	for _, table := range append(tables, "runs") {
		if _, err := tx.ExecContext(ctx, `DELETE FROM "`+table+`" WHERE run_id = ?`, runID); err != nil {
			return fmt.Errorf("delete rows of %s: %w", table, err)
		}
	}
	return nil
}

// runTables returns the base tables other than runs with a run_id column.
func runTables(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.table_name
FROM information_schema.columns AS c
JOIN information_schema.tables AS t
  ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.column_name = 'run_id' AND t.table_type = 'BASE TABLE'
  AND c.table_schema = 'main' AND c.table_name <> 'runs'
ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("list run tables: %w", err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("list run tables: %w", err)
		}
		tables = append(tables, name)
	}
	return tables, rows.Err()
}

// undoLifecycleSQL reverses, in order, what a run did to exception_state,
// reading the run's events and occurrences before they are deleted.
//
// NOTE: an acknowledgement or acceptance that the run cleared, by
// reopening an exception or letting its acceptance expire, is not
// restored, because exception_state keeps no earlier copy of it.
var undoLifecycleSQL = []struct{ name, sql string }{
	{"reopened", `UPDATE exception_state AS s
SET status = 'resolved', resolved_run = e.run_id, resolved_at = e.occurred_at
FROM (
  SELECT fingerprint, arg_max(run_id, run_id) AS run_id, arg_max(occurred_at, run_id) AS occurred_at
  FROM exception_events WHERE event = 'resolved' AND run_id < $1 GROUP BY fingerprint
) AS e
WHERE s.fingerprint = e.fingerprint AND s.fingerprint IN (
  SELECT fingerprint FROM exception_events WHERE run_id = $1 AND event = 'reopened')`},
	{"resolved", `UPDATE exception_state SET status = 'open', resolved_run = NULL, resolved_at = NULL
WHERE resolved_run = $1`},
	{"seen", `UPDATE exception_state AS s
SET last_seen_run = o.run_id, last_seen_at = o.as_of, occurrences = s.occurrences - 1
FROM (
  SELECT fingerprint, arg_max(run_id, run_id) AS run_id, arg_max(as_of, run_id) AS as_of
  FROM exception_occurrences WHERE run_id < $1 GROUP BY fingerprint
) AS o
WHERE s.fingerprint = o.fingerprint AND s.last_seen_run = $1 AND s.first_seen_run <> $1`},
	{"opened", `DELETE FROM exception_state WHERE first_seen_run = $1`},
}

// undoLifecycle runs undoLifecycleSQL when the database has the lifecycle
// tables.
func undoLifecycle(ctx context.Context, tx *sql.Tx, runID int64) error {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables
WHERE table_schema = 'main' AND table_name IN ('exception_state', 'exception_events', 'exception_occurrences')`).Scan(&n)
	if err != nil {
		return fmt.Errorf("find lifecycle tables: %w", err)
	}
	if n < 3 {
		return nil
	}
	for _, stmt := range undoLifecycleSQL {
		if _, err := tx.ExecContext(ctx, stmt.sql, runID); err != nil {
			return fmt.Errorf("undo lifecycle changes (%s): %w", stmt.name, err)
		}
	}
	return nil
}
