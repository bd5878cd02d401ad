// Package load writes snapshots into recon's DuckDB file. Rows travel as
// Arrow record batches written to Parquet and are read by DuckDB's Parquet
// reader, inside one transaction per run, so a failed load leaves the
// database as it was.
package load

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/recon-tools/recon/extract"
)

// Kind is the storage kind of a column.
type Kind int

// The column kinds a row type may use.
const (
	KindInt64     Kind = iota // int64, NOT NULL
	KindInt                   // extract.Int, nullable BIGINT
	KindBool                  // bool
	KindString                // string
	KindDecimal               // extract.Decimal, DECIMAL(18, scale)
	KindTimestamp             // extract.Timestamp and types embedding it
	KindDate                  // extract.Date
	KindJSON                  // json.RawMessage
)

// DecimalPrecision is the precision of every DECIMAL column: 18 digits
// fit in an int64, which Parquet and DuckDB store natively.
const DecimalPrecision = 18

// DefaultScale is the scale of a DECIMAL column without a scale option.
const DefaultScale = 4

// Column is one database column of a row type.
type Column struct {
	Name  string
	Kind  Kind
	Scale int32 // for KindDecimal
	Index []int // field index path, for reflect.Value.FieldByIndex
}

// SQLType returns the column's DuckDB type.
func (c Column) SQLType() string {
	switch c.Kind {
	case KindInt64, KindInt:
		return "BIGINT"
	case KindBool:
		return "BOOLEAN"
	case KindString:
		return "VARCHAR"
	case KindDecimal:
		return fmt.Sprintf("DECIMAL(%d,%d)", DecimalPrecision, c.Scale)
	case KindTimestamp:
		return "TIMESTAMPTZ"
	case KindDate:
		return "DATE"
	case KindJSON:
		return "JSON"
	}
	panic(fmt.Sprintf("load: unknown column kind %d", c.Kind))
}

var (
	decimalType   = reflect.TypeFor[extract.Decimal]()
	intType       = reflect.TypeFor[extract.Int]()
	dateType      = reflect.TypeFor[extract.Date]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	timestampType = reflect.TypeFor[extract.Timestamp]()
)

// Columns returns the columns of a row struct type, in field order,
// following embedded structs. Fields tagged db:"-" or without a db tag
// are skipped.
func Columns(t reflect.Type) ([]Column, error) {
	var cols []Column
	if err := appendColumns(&cols, t, nil); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", t.Name(), err)
	}
	return cols, nil
}

func appendColumns(cols *[]Column, t reflect.Type, prefix []int) error {
	for i := range t.NumField() {
		f := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		tag, hasTag := f.Tag.Lookup("db")
		if f.Anonymous && !hasTag && f.Type.Kind() == reflect.Struct {
			if err := appendColumns(cols, f.Type, index); err != nil {
				return err
			}
			continue
		}
		if !hasTag || tag == "-" {
			continue
		}
		col, err := columnOf(f, tag, index)
		if err != nil {
			return err
		}
		*cols = append(*cols, col)
	}
	return nil
}

func columnOf(f reflect.StructField, tag string, index []int) (Column, error) {
	name, opts, _ := strings.Cut(tag, ",")
	col := Column{Name: name, Index: index, Scale: DefaultScale}
	kind, err := kindOf(f.Type)
	if err != nil {
		return Column{}, fmt.Errorf("field %s: %w", f.Name, err)
	}
	col.Kind = kind
	if scale, ok := strings.CutPrefix(opts, "scale="); ok {
		n, err := strconv.Atoi(scale)
		if err != nil || n < 0 || n > DecimalPrecision {
			return Column{}, fmt.Errorf("field %s: invalid scale %q", f.Name, scale)
		}
		col.Scale = int32(n)
	}
	return col, nil
}

func kindOf(t reflect.Type) (Kind, error) {
	switch {
	case t == decimalType:
		return KindDecimal, nil
	case t == intType:
		return KindInt, nil
	case t == dateType:
		return KindDate, nil
	case t == rawType:
		return KindJSON, nil
	case t == timestampType || embedsTimestamp(t):
		return KindTimestamp, nil
	}
	switch t.Kind() {
	case reflect.Int64:
		return KindInt64, nil
	case reflect.Bool:
		return KindBool, nil
	case reflect.String:
		return KindString, nil
	}
	return 0, fmt.Errorf("unsupported type %s", t)
}

// embedsTimestamp reports whether t is a struct whose first field is an
// embedded extract.Timestamp, such as extract.RFC2822Time.
func embedsTimestamp(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() > 0 &&
		t.Field(0).Anonymous && t.Field(0).Type == timestampType
}

// SnapshotIDColumn is the first column of every snapshot table.
const SnapshotIDColumn = "snapshot_id"

// TableDDL returns the CREATE TABLE statement of a snapshot table.
func TableDDL(def extract.TableDef) (string, error) {
	cols, err := Columns(def.Row)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE IF NOT EXISTS %s (\n  %s BIGINT NOT NULL", def.Name, SnapshotIDColumn)
	for _, c := range cols {
		fmt.Fprintf(&b, ",\n  %s %s", c.Name, c.SQLType())
		if c.Kind == KindInt64 {
			b.WriteString(" NOT NULL")
		}
	}
	b.WriteString("\n)")
	return b.String(), nil
}

// SchemaVersion is the version of the tables that MetaDDL and TableDDL
// create. Open records it in a new database file and rejects a file that
// holds another version, because CREATE TABLE IF NOT EXISTS does not
// change existing tables. Raise it whenever a column changes, and teach
// upgradeSchema to bring the previous version forward.
//
// Version 2 added snapshots.base_snapshot_id.
const SchemaVersion = 2

// MetaDDL creates the tables that describe runs and snapshots. A run is
// one invocation of recon that loads snapshots and evaluates rules; each
// snapshot belongs to the run that loaded it. A snapshot's mode is 'full'
// or 'incremental', and an incremental snapshot names in base_snapshot_id
// the previous snapshot whose rows completed it.
var MetaDDL = []string{
	`CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)`,
	`CREATE SEQUENCE IF NOT EXISTS run_id_seq START 1`,
	`CREATE SEQUENCE IF NOT EXISTS snapshot_id_seq START 1`,
	`CREATE TABLE IF NOT EXISTS runs (
  run_id BIGINT PRIMARY KEY,
  command VARCHAR NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  as_of TIMESTAMPTZ,
  status VARCHAR NOT NULL
)`,
	`CREATE TABLE IF NOT EXISTS snapshots (
  snapshot_id BIGINT PRIMARY KEY,
  run_id BIGINT NOT NULL,
  source VARCHAR NOT NULL,
  system VARCHAR NOT NULL,
  origin VARCHAR NOT NULL,
  extracted_at TIMESTAMPTZ NOT NULL,
  loaded_at TIMESTAMPTZ NOT NULL,
  mode VARCHAR NOT NULL,
  parquet_dir VARCHAR,
  base_snapshot_id BIGINT
)`,
	`CREATE TABLE IF NOT EXISTS snapshot_tables (
  snapshot_id BIGINT NOT NULL,
  table_name VARCHAR NOT NULL,
  row_count BIGINT NOT NULL,
  PRIMARY KEY (snapshot_id, table_name)
)`,
}
