package load

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
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

// maxDatabaseMessage is the number of bytes of a DuckDB error message
// that a DatabaseError keeps. DuckDB quotes the offending value in some
// messages, and a raw column holds a whole customer record.
const maxDatabaseMessage = 200

// DatabaseError is an error that DuckDB returned while storing the rows
// of Table. Its message names the table in place of the staging Parquet
// file, which is deleted when the load fails, and keeps at most
// maxDatabaseMessage bytes of DuckDB's message. Err is DuckDB's error,
// unchanged.
type DatabaseError struct {
	Table string
	Op    string // the step that failed, such as "insert rows"
	Path  string // the Parquet file the statement read or wrote, or ""
	Err   error
}

func (e *DatabaseError) Error() string {
	msg := e.Err.Error()
	if e.Path != "" {
		msg = strings.ReplaceAll(msg, `"`+e.Path+`"`, "of table "+e.Table)
		msg = strings.ReplaceAll(msg, e.Path, "of table "+e.Table)
	}
	return fmt.Sprintf("%s of %s: %s", e.Op, e.Table, truncateMessage(msg, maxDatabaseMessage))
}

func (e *DatabaseError) Unwrap() error { return e.Err }

// truncateMessage cuts msg to at most max bytes at a rune boundary and
// appends the number of bytes cut.
func truncateMessage(msg string, max int) string {
	if len(msg) <= max {
		return msg
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d more bytes not shown)", msg[:cut], len(msg)-cut)
}
