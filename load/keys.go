package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/recon-tools/recon/extract"
)

// checkKeys returns a *KeyError for the first table of source, in the
// order of extract.Tables, whose rows in snapshot snapshotID break the
// table's key: a row without a value in the first key column, or two rows
// with the same key. Duplicates would otherwise be counted twice by the
// rules and reported as false exceptions.
func checkKeys(ctx context.Context, tx *sql.Tx, source extract.Source, snapshotID int64) error {
	for _, def := range extract.Tables {
		if def.Source != source || len(def.Key) == 0 {
			continue
		}
		check, err := newKeyCheck(def)
		if err != nil {
			return err
		}
		if err := check.missing(ctx, tx, snapshotID); err != nil {
			return err
		}
		if err := check.duplicates(ctx, tx, snapshotID); err != nil {
			return err
		}
	}
	return nil
}

// keyCheck holds the SQL fragments that check one table's key. The table
// is aliased t in them.
type keyCheck struct {
	def extract.TableDef
	// empty is the condition of a first key column without a value.
	empty string
	// from is the FROM clause, joining the parent table when the rows
	// have no source_ref of their own.
	from string
	// ref is the expression of a row's source reference.
	ref string
}

func newKeyCheck(def extract.TableDef) (keyCheck, error) {
	cols, err := Columns(def.Row)
	if err != nil {
		return keyCheck{}, err
	}
	first, ok := findColumn(cols, def.Key[0])
	if !ok {
		return keyCheck{}, fmt.Errorf("table %s: key column %s is not a column", def.Name, def.Key[0])
	}
	check := keyCheck{
		def:   def,
		empty: emptyCondition("t."+first.Name, first.Kind),
		from:  def.Name + " t",
		ref:   "NULL",
	}
	if _, ok := findColumn(cols, sourceRefColumn); ok {
		check.ref = "t." + sourceRefColumn
	} else if parent, ok := refParent(def); ok {
		check.from += fmt.Sprintf(" LEFT JOIN %[1]s p ON p.%[2]s = t.%[2]s AND p.%[3]s = t.%[3]s",
			parent, SnapshotIDColumn, first.Name)
		check.ref = "p." + sourceRefColumn
	}
	return check, nil
}

// emptyCondition returns the SQL condition under which column, of kind,
// holds no key. BigCommerce ids start at 1, so an id of 0 is one that
// was missing from its record, which the JSON decoder leaves at 0.
func emptyCondition(column string, kind Kind) string {
	switch kind {
	case KindInt64, KindInt:
		return column + " IS NULL OR " + column + " = 0"
	case KindString:
		return column + " IS NULL OR " + column + " = ''"
	}
	return column + " IS NULL"
}

// refParent returns the table that names the origin of def's rows when
// def has no source_ref column: the table of the same source whose whole
// key is def's first key column, such as bc_shipments for
// bc_shipment_items.
func refParent(def extract.TableDef) (string, bool) {
	for _, p := range extract.Tables {
		if p.Source != def.Source || p.Name == def.Name || !slices.Equal(p.Key, def.Key[:1]) {
			continue
		}
		cols, err := Columns(p.Row)
		if err != nil {
			continue
		}
		if _, ok := findColumn(cols, sourceRefColumn); ok {
			return p.Name, true
		}
	}
	return "", false
}

func findColumn(cols []Column, name string) (Column, bool) {
	for _, c := range cols {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// missing returns a *KeyError for the first row, in load order, whose
// first key column holds no key.
func (k keyCheck) missing(ctx context.Context, tx *sql.Tx, snapshotID int64) error {
	query := fmt.Sprintf(`SELECT %[1]s, count(*) OVER () FROM %[2]s
WHERE t.%[3]s = ? AND (%[4]s)
ORDER BY t.rowid LIMIT 1`, k.ref, k.from, SnapshotIDColumn, k.empty)
	var ref sql.NullString
	var count int64
	err := tx.QueryRowContext(ctx, query, snapshotID).Scan(&ref, &count)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check key of %s: %w", k.def.Name, err)
	}
	return &KeyError{Table: k.def.Name, Key: k.def.Key, SourceRefs: []string{refOrUnknown(ref)},
		Count: count, Err: ErrMissingKey}
}

// duplicates returns a *KeyError for the first key, in key order, that
// two or more rows share, naming the first two of them in load order.
func (k keyCheck) duplicates(ctx context.Context, tx *sql.Tx, snapshotID int64) error {
	keys := make([]string, len(k.def.Key))
	values := make([]string, len(k.def.Key))
	for i, c := range k.def.Key {
		keys[i] = "t." + c
		values[i] = "CAST(t." + c + " AS VARCHAR)"
	}
	query := fmt.Sprintf(`SELECT %[1]s, arg_min(%[2]s, t.rowid), arg_max(%[2]s, t.rowid), count(*) OVER ()
FROM %[3]s WHERE t.%[4]s = ?
GROUP BY %[5]s HAVING count(*) > 1
ORDER BY %[5]s LIMIT 1`, strings.Join(values, ", "), k.ref, k.from, SnapshotIDColumn, strings.Join(keys, ", "))

	scanned := make([]sql.NullString, len(keys)+2)
	dest := make([]any, 0, len(keys)+3)
	for i := range scanned {
		dest = append(dest, &scanned[i])
	}
	var count int64
	dest = append(dest, &count)
	err := tx.QueryRowContext(ctx, query, snapshotID).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check key of %s: %w", k.def.Name, err)
	}

	keyValues := make([]string, len(keys))
	for i := range keys {
		keyValues[i] = refOrNull(scanned[i])
	}
	refs := []string{refOrUnknown(scanned[len(keys)]), refOrUnknown(scanned[len(keys)+1])}
	return &KeyError{Table: k.def.Name, Key: k.def.Key, Values: keyValues, SourceRefs: refs,
		Count: count, Err: ErrDuplicateKey}
}

func refOrUnknown(s sql.NullString) string {
	if !s.Valid {
		return "(unknown source)"
	}
	return s.String
}

func refOrNull(s sql.NullString) string {
	if !s.Valid {
		return "NULL"
	}
	return s.String
}
