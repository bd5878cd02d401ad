package extract

import (
	"bytes"
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
)

// stripeTimeLayout is how Stripe's reports write UTC times.
const stripeTimeLayout = "2006-01-02 15:04:05"

// column binds a CSV header to a struct field and the parser of its text.
type column struct {
	header string
	index  int // position in the CSV record
	field  []int
	set    func(v reflect.Value, s string) error
}

// readCSV reads the CSV file name from fsys into rows of type T.
func readCSV[T any](fsys fs.FS, name string) ([]T, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	defer f.Close()
	return decodeCSV[T](f, name)
}

// decodeCSV decodes CSV text into rows of T. The first line is a header
// row; each field of T tagged csv:"NAME" takes the column NAME, which must
// be present once. Columns without a field are ignored but kept in Raw.
// Rows are named "name:LINE" after their first line in the file.
func decodeCSV[T any](r io.Reader, name string) ([]T, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ParseError{File: name, Line: 1, Record: -1, Err: errors.New("empty file: missing header row")}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	cols, err := bindColumns(reflect.TypeFor[T](), header, name)
	if err != nil {
		return nil, err
	}
	rows := []T{}
	for {
		record, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, csvError(name, err)
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

// csvError converts an encoding/csv error into a ParseError.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: name, Line: pe.Line, Record: -1, Err: pe.Err}
	}
	return fmt.Errorf("read %s: %w", name, err)
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
