package load

import (
	"errors"
	"fmt"
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
