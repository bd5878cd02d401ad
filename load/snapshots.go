package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/recon-tools/recon/extract"
)

// SnapshotInfo describes one snapshot stored by LoadSnapshots.
type SnapshotInfo struct {
	ID     int64
	Source extract.Source
	// ParquetDir is the folder that keeps the snapshot's Parquet files,
	// one <table>.parquet per table in the snapshot, or "" when they were
	// not kept. The snapshots table stores it relative to the folder of
	// the database file, so the two can move together.
	ParquetDir string
	// RowCounts maps every table of the source to its number of rows. A
	// table absent from the snapshot counts 0.
	RowCounts map[string]int64
	// BaseID is the previous snapshot that completed an incremental
	// snapshot, or 0 for a full one.
	BaseID int64
	// Carried maps each table of an incremental snapshot to the number of
	// rows carried over from BaseID; RowCounts includes them.
	Carried map[string]int64
	// Duration is the time spent writing and inserting the rows.
	Duration time.Duration
}

// Mode returns "incremental" for a snapshot completed from a previous
// one and "full" otherwise, as stored in snapshots.mode.
func (i SnapshotInfo) Mode() string {
	if i.BaseID != 0 {
		return modeIncremental
	}
	return modeFull
}

// Rows returns the number of rows in all tables of the snapshot.
func (i SnapshotInfo) Rows() int64 {
	var n int64
	for _, c := range i.RowCounts {
		n += c
	}
	return n
}

// LoadSnapshots stores the snapshots of run runID in one transaction: a
// snapshots row, a snapshot_tables row per table of the source, and the
// rows of every table. Any failure rolls the transaction back and removes
// the Parquet files of this load. Failures include a value that cannot be
// stored exactly (a *ValueError), rows that break their table's key (a
// *KeyError, see extract.TableDef.Key) and a cancelled ctx. Only
// snapshot_id_seq keeps its advance, because DuckDB sequences do not roll
// back, so a failed load leaves a gap in snapshot ids. Each source may
// appear once.
//
// An incremental snapshot (extract.Snapshot.Incremental) is completed
// into a full one in the same transaction: see completeIncremental. It
// fails with ErrNoBaseSnapshot when its source has no snapshot yet.
func (s *Store) LoadSnapshots(ctx context.Context, runID int64, snaps []extract.Snapshot) ([]SnapshotInfo, error) {
	if err := validateSnapshots(snaps); err != nil {
		return nil, fmt.Errorf("load snapshots of run %d: %w", runID, err)
	}
	staging, err := s.makeStaging()
	if err != nil {
		return nil, fmt.Errorf("load snapshots of run %d: %w", runID, err)
	}
	defer os.RemoveAll(staging)

	infos, err := s.loadAll(ctx, staging, func(*sql.Tx) (int64, error) { return runID, nil }, snaps)
	if err != nil {
		return nil, fmt.Errorf("load snapshots of run %d: %w", runID, err)
	}
	s.logLoaded(infos)
	return infos, nil
}

// LoadRun records a new run of command and stores its snapshots, all in
// one transaction, so a failed load leaves no trace of the run: not even
// its runs row. The run's status is RunLoaded until FinishRun.
func (s *Store) LoadRun(ctx context.Context, command string, snaps []extract.Snapshot) (int64, []SnapshotInfo, error) {
	if err := validateSnapshots(snaps); err != nil {
		return 0, nil, fmt.Errorf("load run of %q: %w", command, err)
	}
	staging, err := s.makeStaging()
	if err != nil {
		return 0, nil, fmt.Errorf("load run of %q: %w", command, err)
	}
	defer os.RemoveAll(staging)

	var runID int64
	beginRun := func(tx *sql.Tx) (int64, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO runs (run_id, command, started_at, status)
VALUES (nextval('run_id_seq'), ?, now(), ?) RETURNING run_id`, command, RunLoaded).Scan(&runID)
		return runID, err
	}
	infos, err := s.loadAll(ctx, staging, beginRun, snaps)
	if err != nil {
		return 0, nil, fmt.Errorf("load run of %q: %w", command, err)
	}
	s.logLoaded(infos)
	return runID, infos, nil
}

func (s *Store) logLoaded(infos []SnapshotInfo) {
	for _, info := range infos {
		s.logger.Info("loaded snapshot", "source", info.Source, "snapshot_id", info.ID,
			"rows", info.Rows(), "duration", info.Duration)
	}
}

// makeStaging creates the folder that receives this load's Parquet
// files. Kept copies are staged inside the snapshot root, so publishing
// them is a rename on the same file system.
func (s *Store) makeStaging() (string, error) {
	parent := os.TempDir()
	switch {
	case s.path != "" && s.keepParquet:
		parent = s.snapshotRoot()
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return "", fmt.Errorf("create snapshot folder: %w", err)
		}
	case s.path != "":
		parent = filepath.Dir(s.path)
	}
	dir, err := os.MkdirTemp(parent, ".staging-")
	if err != nil {
		return "", fmt.Errorf("create staging folder: %w", err)
	}
	return dir, nil
}

func (s *Store) loadAll(ctx context.Context, staging string, run func(*sql.Tx) (int64, error), snaps []extract.Snapshot) ([]SnapshotInfo, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin transaction: %w", err)
	}
	defer tx.Rollback()
	runID, err := run(tx)
	if err != nil {
		return nil, fmt.Errorf("record run: %w", err)
	}

	infos := make([]SnapshotInfo, 0, len(snaps))
	for _, snap := range snaps {
		info, err := s.loadSnapshot(ctx, tx, staging, runID, snap)
		if err != nil {
			return nil, fmt.Errorf("snapshot of %s: %w", snap.Source, err)
		}
		infos = append(infos, info)
	}
	if err := s.commit(tx, staging, infos); err != nil {
		return nil, err
	}
	return infos, nil
}

func (s *Store) loadSnapshot(ctx context.Context, tx *sql.Tx, staging string, runID int64, snap extract.Snapshot) (SnapshotInfo, error) {
	start := time.Now()
	info := SnapshotInfo{Source: snap.Source, RowCounts: map[string]int64{}}
	if err := tx.QueryRowContext(ctx, `SELECT nextval('snapshot_id_seq')`).Scan(&info.ID); err != nil {
		return info, fmt.Errorf("allocate snapshot id: %w", err)
	}
	dir := filepath.Join(staging, strconv.FormatInt(info.ID, 10))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return info, fmt.Errorf("create staging folder: %w", err)
	}

	for _, def := range extract.Tables {
		if def.Source == snap.Source {
			info.RowCounts[def.Name] = 0
		}
	}
	for _, table := range snap.Tables {
		n, err := s.loadTable(ctx, tx, info.ID, dir, table)
		if err != nil {
			return info, err
		}
		info.RowCounts[table.Name] = int64(n)
	}
	if snap.Incremental {
		if err := s.completeIncremental(ctx, tx, dir, snap.Source, snap.Origin, &info); err != nil {
			return info, err
		}
	}
	if err := checkKeys(ctx, tx, snap.Source, info.ID); err != nil {
		return info, err
	}

	if s.keepParquet {
		info.ParquetDir = filepath.Join(s.snapshotRoot(), strconv.FormatInt(info.ID, 10))
	}
	if err := s.insertSnapshotRows(ctx, tx, runID, snap, info); err != nil {
		return info, err
	}
	info.Duration = time.Since(start)
	return info, nil
}

// loadTable writes one table's rows to Parquet in dir and inserts them
// under snapshotID. It returns the number of rows.
func (s *Store) loadTable(ctx context.Context, tx *sql.Tx, snapshotID int64, dir string, table extract.Table) (int, error) {
	start := time.Now()
	def, _ := extract.LookupTable(table.Name)
	cols, err := Columns(def.Row)
	if err != nil {
		return 0, err
	}
	rows, err := rowSlice(table.Name, def.Row, table.Rows)
	if err != nil {
		return 0, err
	}

	path := filepath.Join(dir, table.Name+".parquet")
	n, err := writeParquet(ctx, path, table.Name, cols, rows, s.batchRows)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		if _, err := tx.ExecContext(ctx, insertSQL(table.Name, snapshotID, path)); err != nil {
			return 0, &DatabaseError{Table: table.Name, Op: "insert rows", Path: path, Err: err}
		}
	}
	s.logger.Debug("loaded table", "table", table.Name, "snapshot_id", snapshotID,
		"rows", n, "duration", time.Since(start))
	return n, nil
}

// insertSQL returns the statement that copies a Parquet file into a
// snapshot table. Columns match by name, so the file's column order does
// not matter.
func insertSQL(table string, snapshotID int64, path string) string {
	return fmt.Sprintf("INSERT INTO %s BY NAME SELECT %d AS %s, * FROM read_parquet('%s')",
		table, snapshotID, SnapshotIDColumn, strings.ReplaceAll(path, "'", "''"))
}

func (s *Store) insertSnapshotRows(ctx context.Context, tx *sql.Tx, runID int64, snap extract.Snapshot, info SnapshotInfo) error {
	var dir sql.NullString
	if info.ParquetDir != "" {
		rel, err := filepath.Rel(filepath.Dir(s.path), info.ParquetDir)
		if err != nil {
			return fmt.Errorf("relative parquet folder: %w", err)
		}
		dir = sql.NullString{String: rel, Valid: true}
	}
	var base sql.NullInt64
	if info.BaseID != 0 {
		base = sql.NullInt64{Int64: info.BaseID, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO snapshots
(snapshot_id, run_id, source, system, origin, extracted_at, loaded_at, mode, parquet_dir, base_snapshot_id)
VALUES (?, ?, ?, ?, ?, ?, now(), ?, ?, ?)`,
		info.ID, runID, string(snap.Source), snap.System, snap.Origin, snap.ExtractedAt.UTC(),
		info.Mode(), dir, base)
	if err != nil {
		return fmt.Errorf("insert snapshot row: %w", err)
	}
	for name, n := range info.RowCounts {
		_, err := tx.ExecContext(ctx, `INSERT INTO snapshot_tables VALUES (?, ?, ?)`, info.ID, name, n)
		if err != nil {
			return fmt.Errorf("insert row count of %s: %w", name, err)
		}
	}
	return nil
}

// commit moves kept Parquet folders from staging to the snapshot root,
// then commits. If the commit fails, it removes the moved folders.
func (s *Store) commit(tx *sql.Tx, staging string, infos []SnapshotInfo) error {
	var published []string
	if s.keepParquet {
		for _, info := range infos {
			from := filepath.Join(staging, strconv.FormatInt(info.ID, 10))
			if err := publish(from, info.ParquetDir); err != nil {
				removeAll(published)
				return err
			}
			published = append(published, info.ParquetDir)
		}
	}
	if err := tx.Commit(); err != nil {
		removeAll(published)
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// publish renames a staged snapshot folder to its final place. Snapshot
// ids are never reused within a database file, so a folder already there
// belongs to no snapshot of this database (for example, it was left by a
// deleted database file) and is replaced.
func publish(from, to string) error {
	if err := os.RemoveAll(to); err != nil {
		return fmt.Errorf("replace parquet folder: %w", err)
	}
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("publish parquet folder: %w", err)
	}
	return nil
}

func removeAll(dirs []string) {
	for _, d := range dirs {
		os.RemoveAll(d)
	}
}

// validateSnapshots checks what can be checked before writing anything:
// known sources and tables, each table under its own source, no
// duplicates, an extraction time, and rows of the table's row type.
func validateSnapshots(snaps []extract.Snapshot) error {
	seen := map[extract.Source]bool{}
	for _, snap := range snaps {
		if seen[snap.Source] {
			return fmt.Errorf("source %q appears in two snapshots", snap.Source)
		}
		seen[snap.Source] = true
		if err := validateSnapshot(snap); err != nil {
			return fmt.Errorf("snapshot of %q: %w", snap.Source, err)
		}
	}
	return nil
}

func validateSnapshot(snap extract.Snapshot) error {
	if !knownSource(snap.Source) {
		return errors.New("unknown source")
	}
	if snap.ExtractedAt.IsZero() {
		return errors.New("missing extraction time")
	}
	tables := map[string]bool{}
	for _, t := range snap.Tables {
		def, ok := extract.LookupTable(t.Name)
		switch {
		case !ok:
			return fmt.Errorf("unknown table %q", t.Name)
		case def.Source != snap.Source:
			return fmt.Errorf("table %s belongs to source %s", t.Name, def.Source)
		case tables[t.Name]:
			return fmt.Errorf("table %s appears twice", t.Name)
		}
		tables[t.Name] = true
		if _, err := rowSlice(t.Name, def.Row, t.Rows); err != nil {
			return err
		}
	}
	return nil
}

func knownSource(src extract.Source) bool {
	for _, def := range extract.Tables {
		if def.Source == src {
			return true
		}
	}
	return false
}

// RunSnapshots returns the snapshot id of each source loaded by run
// runID. Rules read a source's rows WHERE snapshot_id = that id.
func (s *Store) RunSnapshots(ctx context.Context, runID int64) (map[extract.Source]int64, error) {
	return s.snapshotIDs(ctx, `SELECT source, max(snapshot_id) FROM snapshots
WHERE run_id = ? GROUP BY source`, runID)
}

// LatestSnapshots returns the newest snapshot id of each source over all
// runs.
func (s *Store) LatestSnapshots(ctx context.Context) (map[extract.Source]int64, error) {
	return s.snapshotIDs(ctx, `SELECT source, max(snapshot_id) FROM snapshots GROUP BY source`)
}

func (s *Store) snapshotIDs(ctx context.Context, query string, args ...any) (map[extract.Source]int64, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query snapshot ids: %w", err)
	}
	defer rows.Close()
	ids := map[extract.Source]int64{}
	for rows.Next() {
		var src string
		var id int64
		if err := rows.Scan(&src, &id); err != nil {
			return nil, fmt.Errorf("scan snapshot id: %w", err)
		}
		ids[extract.Source(src)] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query snapshot ids: %w", err)
	}
	return ids, nil
}
