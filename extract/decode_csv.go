package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// stripeTimeLayout is the layout of UTC times in Stripe's reports.
const stripeTimeLayout = "2006-01-02 15:04:05"

// column binds a CSV header to a struct field and the parser of its text.
type column struct {
	header string
	index  int // position in the CSV record
	field  []int
	set    func(v reflect.Value, s string) error
}

// csvCheckRows is the number of rows decodeCSV reads between checks of
// its context, so that a cancelled read of a large file stops promptly.
const csvCheckRows = 4096

// utf8BOM is the byte order mark that Excel writes at the start of a
// "CSV UTF-8" file.
var utf8BOM = []byte("\ufeff")

// readCSV reads the CSV file name from fsys into rows of type T.
func readCSV[T any](ctx context.Context, fsys fs.FS, name string) ([]T, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	return decodeCSV[T](ctx, f, name)
}

// decodeCSV decodes CSV text into rows of T. The first line is a header
// row, after an optional UTF-8 byte order mark. Each field of T tagged
// csv:"NAME" takes the column NAME, which must be present once. Columns
// without a field are ignored but kept in Raw. Every cell must be valid
// UTF-8. Rows are named "name:LINE" after their first line in the file.
// Once ctx is done, decodeCSV returns ctx's error, wrapped.
func decodeCSV[T any](ctx context.Context, r io.Reader, name string) ([]T, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	cr := csv.NewReader(skipBOM(r))
	header, err := readCSVHeader(cr, name)
	if err != nil {
		return nil, err
	}
	cols, err := bindColumns(reflect.TypeFor[T](), header, name)
	if err != nil {
		return nil, err
	}

	rows := []T{}
	for n := 1; ; n++ {
		if n%csvCheckRows == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("read %s: %w", name, err)
			}
		}
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		if err := checkCSVUTF8(cr, record, header, name); err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		row, err := decodeCSVRow[T](cols, record, name, line)
		if err != nil {
			return nil, err
		}
		setRecord(&row, name+":"+strconv.Itoa(line), csvRaw(header, record))
		rows = append(rows, row)
	}
}

// skipBOM returns r without its leading UTF-8 byte order mark, if any.
// encoding/csv would otherwise take the mark for part of the first
// header, and reject a quoted first header with ErrBareQuote.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if start, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(start, utf8BOM) {
		// bufio documents that Discard of buffered bytes cannot fail.
		br.Discard(len(utf8BOM))
	}
	return br
}

// readCSVHeader reads the header row, whose names must be valid UTF-8.
func readCSVHeader(cr *csv.Reader, name string) ([]string, error) {
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ParseError{File: name, Line: 1, Record: -1, Err: errors.New("empty file: missing header row")}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	for i, h := range header {
		if at := invalidUTF8At(h); at >= 0 {
			line, _ := cr.FieldPos(i)
			return nil, &ParseError{File: name, Line: line, Record: -1,
				Err: fmt.Errorf("header of column %d: %w at byte %d: save the file as UTF-8", i+1, ErrInvalidUTF8, at)}
		}
	}
	return header, nil
}

// checkCSVUTF8 returns a ParseError naming the line and column of the
// first cell of record that is not valid UTF-8. The error gives the
// byte offset but not the cell, which may be personal data.
func checkCSVUTF8(cr *csv.Reader, record, header []string, name string) error {
	for i, cell := range record {
		if at := invalidUTF8At(cell); at >= 0 {
			line, _ := cr.FieldPos(i)
			return &ParseError{File: name, Line: line, Record: -1, Field: header[i],
				Err: fmt.Errorf("%w at byte %d of the value: save the file as UTF-8", ErrInvalidUTF8, at)}
		}
	}
	return nil
}

func decodeCSVRow[T any](cols []column, record []string, name string, line int) (T, error) {
	var row T
	v := reflect.ValueOf(&row).Elem()
	for _, c := range cols {
		if err := c.set(v.FieldByIndex(c.field), record[c.index]); err != nil {
			return row, &ParseError{File: name, Line: line, Record: -1, Field: c.header, Err: err}
		}
	}
	return row, nil
}

// csvError converts an encoding/csv error into a ParseError. A quoted
// field left open is reported at the line where its record starts,
// because encoding/csv reports the line where it stopped reading, often
// the end of the file.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read %s: %w", name, err)
	}
	if errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line {
		return &ParseError{File: name, Line: pe.StartLine, Record: -1,
			Err: fmt.Errorf("%w: no closing quote up to line %d, column %d", pe.Err, pe.Line, pe.Column)}
	}
	return &ParseError{File: name, Line: pe.Line, Record: -1, Err: pe.Err}
}

// bindColumns matches the csv-tagged fields of struct t to header.
func bindColumns(t reflect.Type, header []string, name string) ([]column, error) {
	positions := make(map[string]int, len(header))
	for i, h := range header {
		if _, dup := positions[h]; dup {
			return nil, &ParseError{File: name, Line: 1, Record: -1, Field: h, Err: ErrDuplicateHeader}
		}
		positions[h] = i
	}
	var cols []column
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("csv")
		if tag == "" || tag == "-" {
			continue
		}
		index, ok := positions[tag]
		if !ok {
			return nil, &ParseError{File: name, Line: 1, Record: -1, Field: tag, Err: ErrMissingHeader}
		}
		set, err := csvSetter(f.Type)
		if err != nil {
			return nil, fmt.Errorf("field %s.%s: %w", t.Name(), f.Name, err)
		}
		cols = append(cols, column{header: tag, index: index, field: f.Index, set: set})
	}
	return cols, nil
}

// csvSetter returns the parser that stores CSV text into a field of type t.
func csvSetter(t reflect.Type) (func(reflect.Value, string) error, error) {
	switch t {
	case reflect.TypeFor[string]():
		return func(v reflect.Value, s string) error { v.SetString(s); return nil }, nil
	case reflect.TypeFor[int64]():
		return setParsed(parseInt64), nil
	case reflect.TypeFor[bool]():
		return setParsed(parseBool), nil
	case reflect.TypeFor[Int]():
		return setParsed(ParseInt), nil
	case reflect.TypeFor[Decimal]():
		return setParsed(ParseDecimal), nil
	case reflect.TypeFor[Date]():
		return setParsed(ParseDate), nil
	case reflect.TypeFor[Timestamp]():
		return setParsed(parseCSVTimestamp), nil
	}
	return nil, fmt.Errorf("unsupported CSV field type %s", t)
}

func setParsed[V any](parse func(string) (V, error)) func(reflect.Value, string) error {
	return func(v reflect.Value, s string) error {
		x, err := parse(s)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(x))
		return nil
	}
}

func parseInt64(s string) (int64, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid integer %q", s)
	}
	return v, nil
}

func parseBool(s string) (bool, error) {
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q: expected true or false", s)
}

// parseCSVTimestamp parses RFC 3339, or Stripe's "2006-01-02 15:04:05"
// taken as UTC. An empty string is NULL.
func parseCSVTimestamp(s string) (Timestamp, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Timestamp{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return NewTimestamp(t), nil
	}
	if t, err := time.Parse(stripeTimeLayout, s); err == nil {
		return NewTimestamp(t), nil
	}
	return Timestamp{}, fmt.Errorf("invalid timestamp %q: expected RFC 3339 or YYYY-MM-DD HH:MM:SS", s)
}

// csvRaw returns a CSV record as a JSON object keyed by header, in header
// order.
func csvRaw(header, record []string) json.RawMessage {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, h := range header {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(jsonString(h))
		b.WriteByte(':')
		b.Write(jsonString(record[i]))
	}
	b.WriteByte('}')
	return b.Bytes()
}

func jsonString(s string) []byte {
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// invalidUTF8At returns the byte offset of the first invalid UTF-8
// sequence in s, or -1 when s is valid UTF-8.
func invalidUTF8At(s string) int {
	if utf8.ValidString(s) {
		return -1
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return -1
}
