package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/recon-tools/recon/extract"
)

// Values of snapshots.mode.
const (
	modeFull        = "full"
	modeIncremental = "incremental"
)

// mergeTable is a table that an incremental snapshot completes: rows are
// tied by key to the records listed in parent, such as bc_order_products
// by order_id to bc_orders.
type mergeTable struct {
	name   string
	key    string
	parent string
}

// mergeTables returns the tables of source that have a MergeKey, each
// with its parent: the table of the same source whose whole key is that
// MergeKey. Parent tables come last, because their carried-over rows must
// not count among the records that the new snapshot replaces.
func mergeTables(source extract.Source) ([]mergeTable, error) {
	var children, parents []mergeTable
	for _, def := range extract.Tables {
		if def.Source != source || def.MergeKey == "" {
			continue
		}
		parent, ok := parentTable(source, def.MergeKey)
		if !ok {
			return nil, fmt.Errorf("table %s: no table of %s is keyed by its merge key %s", def.Name, source, def.MergeKey)
		}
		t := mergeTable{name: def.Name, key: def.MergeKey, parent: parent}
		if parent == def.Name {
			parents = append(parents, t)
		} else {
			children = append(children, t)
		}
	}
	return append(children, parents...), nil
}

// parentTable returns the table of source whose key is key alone.
func parentTable(source extract.Source, key string) (string, bool) {
	for _, def := range extract.Tables {
		if def.Source == source && def.MergeKey == key && slices.Equal(def.Key, []string{key}) {
			return def.Name, true
		}
	}
	return "", false
}

// completeIncremental turns the rows just inserted for info.ID, which
// hold only the records changed since the source's previous snapshot,
// into a full snapshot. For each table with a MergeKey, it copies from
// the previous snapshot every row whose merge key the new snapshot's
// parent table does not list. Tables without a MergeKey stay as
// delivered. It records the base snapshot, the carried rows and the
// completed row counts in info, and rewrites the kept Parquet files in
// dir so they hold the completed tables.
func (s *Store) completeIncremental(ctx context.Context, tx *sql.Tx, dir string, source extract.Source, origin string, info *SnapshotInfo) error {
	base, err := previousSnapshot(ctx, tx, source, origin)
	if err != nil {
		return err
	}
	tables, err := mergeTables(source)
	if err != nil {
		return err
	}

	info.BaseID = base
	info.Carried = map[string]int64{}
	for _, t := range tables {
		n, err := carryOver(ctx, tx, t, info.ID, base)
		if err != nil {
			return err
		}
		info.Carried[t.name] = n
		info.RowCounts[t.name] += n
		if s.keepParquet {
			if err := copyToParquet(ctx, tx, t.name, info.ID, filepath.Join(dir, t.name+".parquet")); err != nil {
				return err
			}
		}
	}
	s.logger.Debug("completed incremental snapshot", "source", source, "snapshot_id", info.ID,
		"base_snapshot_id", base, "carried", info.Carried)
	return nil
}

// previousSnapshot returns the newest committed snapshot of source read
// from the same origin, or ErrNoBaseSnapshot when there is none. A
// snapshot of another store, or of saved files, never completes an
// incremental extract.
func previousSnapshot(ctx context.Context, tx *sql.Tx, source extract.Source, origin string) (int64, error) {
	var id sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT max(snapshot_id) FROM snapshots WHERE source = ? AND origin = ?`,
		string(source), origin).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("find previous snapshot: %w", err)
	}
	if !id.Valid {
		return 0, fmt.Errorf("%w of %s from %s: run a full extract first", ErrNoBaseSnapshot, source, origin)
	}
	return id.Int64, nil
}

// carryOver copies into snapshot newID the rows of base whose merge key
// the parent table of newID does not list, and returns how many it
// copied. A row whose merge key is NULL belongs to no record that the new
// snapshot could replace, so it is carried over.
func carryOver(ctx context.Context, tx *sql.Tx, t mergeTable, newID, base int64) (int64, error) {
	query := fmt.Sprintf(`INSERT INTO %[1]s BY NAME
SELECT ? AS %[2]s, * EXCLUDE (%[2]s) FROM %[1]s
WHERE %[2]s = ? AND (%[3]s IS NULL OR %[3]s NOT IN (SELECT %[3]s FROM %[4]s WHERE %[2]s = ?))`,
		t.name, SnapshotIDColumn, t.key, t.parent)
	res, err := tx.ExecContext(ctx, query, newID, base, newID)
	if err != nil {
		return 0, &DatabaseError{Table: t.name, Op: fmt.Sprintf("carry over rows from snapshot %d", base), Err: err}
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("carry over rows of %s from snapshot %d: %w", t.name, base, err)
	}
	return n, nil
}

// copyToParquet writes the rows of snapshotID in table to a Parquet file
// at path, replacing the file of the delivered rows.
func copyToParquet(ctx context.Context, tx *sql.Tx, table string, snapshotID int64, path string) error {
	query := fmt.Sprintf(`COPY (SELECT * EXCLUDE (%s) FROM %s WHERE %s = %d) TO '%s' (FORMAT parquet)`,
		SnapshotIDColumn, table, SnapshotIDColumn, snapshotID, strings.ReplaceAll(path, "'", "''"))
	if _, err := tx.ExecContext(ctx, query); err != nil {
		return &DatabaseError{Table: table, Op: "write parquet file", Path: path, Err: err}
	}
	return nil
}

// LatestExtractedAt returns the extraction time of the newest snapshot of
// source read from origin, the starting point of the next incremental
// extract, and false when the database holds no such snapshot.
func (s *Store) LatestExtractedAt(ctx context.Context, source extract.Source, origin string) (time.Time, bool, error) {
	var at sql.NullTime
	err := s.db.QueryRowContext(ctx, `SELECT extracted_at FROM snapshots
WHERE source = ? AND origin = ? ORDER BY snapshot_id DESC LIMIT 1`, string(source), origin).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read latest snapshot of %s: %w", source, err)
	}
	return at.Time.UTC(), at.Valid, nil
}
