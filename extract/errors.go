package extract

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors of the readers. They are wrapped, so test with errors.Is.
var (
	// ErrMissingHeader means a CSV file lacks a column its row type needs.
	ErrMissingHeader = errors.New("missing header")
	// ErrDuplicateHeader means a CSV header row names a column twice.
	ErrDuplicateHeader = errors.New("duplicate header")
	// ErrRepeatedPage means a paged list returned rows already seen, which
	// happens when a server ignores the page parameter.
	ErrRepeatedPage = errors.New("page repeats earlier rows")
	// ErrShortList means a v3 list ended before the total_pages that one
	// of its pages declared.
	ErrShortList = errors.New("list ends before its declared total_pages")
	// ErrInvalidUTF8 means a CSV cell or a JSON response is not valid
	// UTF-8, which every file recon reads must be.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrOtherOrder means a per-order response, such as the products of
	// order 7, holds a record whose order_id is another order's.
	ErrOtherOrder = errors.New("record belongs to another order")
	// ErrStatus means the API returned a status the reader cannot use.
	ErrStatus = errors.New("unexpected status")
)

// ParseError is bad input at a known place: a CSV line, or a record of a
// JSON response.
type ParseError struct {
	File   string // the file read, or the request when no file is known
	Line   int    // the 1-based CSV line, or 0
	Record int    // the 0-based index of the JSON record, or -1
	Field  string // the CSV column or JSON key, or ""
	Err    error
}

// Error formats e as "file:line: field name: cause" for CSV and
// "file#index: field name: cause" for JSON.
func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Record >= 0 {
		s += "#" + strconv.Itoa(e.Record)
	}
	if e.Field != "" {
		s += ": field " + e.Field
	}
	return fmt.Sprintf("%s: %v", s, e.Err)
}

// Unwrap returns the cause.
func (e *ParseError) Unwrap() error { return e.Err }
