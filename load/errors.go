package load

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSchemaVersion is returned by Open when the database file was created
// by a recon whose schema differs from this one.
var ErrSchemaVersion = errors.New("unsupported database schema version")

// ErrNoBaseSnapshot is returned when an incremental snapshot's source has
// no earlier snapshot in the database to complete it from.
var ErrNoBaseSnapshot = errors.New("no previous snapshot to complete an incremental snapshot")

// ValueError reports a row value that cannot be stored exactly, such as a
// Decimal with more decimals than its column's scale. SourceRef is the
// row's extract.Record.SourceRef, or "row N" (counting from 1) for row
// types without one.
type ValueError struct {
	Table     string
	SourceRef string
	Column    string
	Err       error
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("table %s, row %s, column %s: %v", e.Table, e.SourceRef, e.Column, e.Err)
}

func (e *ValueError) Unwrap() error { return e.Err }

// Causes of a KeyError.
var (
	// ErrDuplicateKey means two rows of a snapshot table have the same key.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrMissingKey means a row's first key column is NULL, empty or 0.
	ErrMissingKey = errors.New("missing key")
)

// KeyError reports rows of a snapshot table that break the table's key,
// extract.TableDef.Key. SourceRefs names the rows: the row without a key,
// or the first two rows of a duplicated key. For a table without a
// source_ref column, such as bc_shipment_items, it names the parent
// record the rows were read from.
type KeyError struct {
	Table      string
	Key        []string // the key columns
	Values     []string // the duplicated key's values, or nil
	SourceRefs []string
	// Count is the number of rows without a key, or of duplicated keys.
	Count int64
	Err   error // ErrDuplicateKey or ErrMissingKey
}

func (e *KeyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "table %s: %v: ", e.Table, e.Err)
	if e.Values == nil {
		fmt.Fprintf(&b, "%s is NULL, empty or 0 in row %s", e.Key[0], e.SourceRefs[0])
		if e.Count > 1 {
			fmt.Fprintf(&b, " and %s", countOf(e.Count-1, "more row"))
		}
		return b.String()
	}
	for i, c := range e.Key {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", c, e.Values[i])
	}
	if e.SourceRefs[0] == e.SourceRefs[1] {
		fmt.Fprintf(&b, " twice in %s", e.SourceRefs[0])
	} else {
		fmt.Fprintf(&b, " in %s and %s", e.SourceRefs[0], e.SourceRefs[1])
	}
	if e.Count > 1 {
		fmt.Fprintf(&b, ", and %s", countOf(e.Count-1, "more duplicated key"))
	}
	return b.String()
}

func (e *KeyError) Unwrap() error { return e.Err }

// countOf returns "1 noun" or "n nouns".
func countOf(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
