package load

import (
	"fmt"
	"reflect"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/recon-tools/recon/extract"
)

// sourceRefColumn is the column that names a row's origin in error
// messages. Row types that embed extract.Record have it.
const sourceRefColumn = "source_ref"

// arrowType returns the Arrow type that carries a column to Parquet and
// whether the column may be NULL. Strings use 64-bit offsets, so a batch
// of large raw records cannot overflow them.
func arrowType(c Column) (arrow.DataType, bool) {
	switch c.Kind {
	case KindInt64:
		return arrow.PrimitiveTypes.Int64, false
	case KindInt:
		return arrow.PrimitiveTypes.Int64, true
	case KindBool:
		return arrow.FixedWidthTypes.Boolean, false
	case KindString:
		return arrow.BinaryTypes.LargeString, false
	case KindDecimal:
		return &arrow.Decimal128Type{Precision: DecimalPrecision, Scale: c.Scale}, true
	case KindTimestamp:
		return arrow.FixedWidthTypes.Timestamp_us, true
	case KindDate:
		return arrow.FixedWidthTypes.Date32, true
	case KindJSON:
		return arrow.BinaryTypes.LargeString, true
	}
	panic(fmt.Sprintf("load: unknown column kind %d", c.Kind))
}

// arrowSchema returns the Arrow schema of a row type's columns.
func arrowSchema(cols []Column) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		typ, nullable := arrowType(c)
		fields[i] = arrow.Field{Name: c.Name, Type: typ, Nullable: nullable}
	}
	return arrow.NewSchema(fields, nil)
}

// encoder appends one field of a row to its column's Arrow builder.
type encoder func(field reflect.Value) error

func newEncoder(c Column, b array.Builder) encoder {
	switch c.Kind {
	case KindInt64:
		return encodeInt64(b.(*array.Int64Builder))
	case KindInt:
		return encodeInt(b.(*array.Int64Builder))
	case KindBool:
		return encodeBool(b.(*array.BooleanBuilder))
	case KindString:
		return encodeString(b.(*array.LargeStringBuilder))
	case KindDecimal:
		return encodeDecimal(b.(*array.Decimal128Builder), c.Scale)
	case KindTimestamp:
		return encodeTimestamp(b.(*array.TimestampBuilder))
	case KindDate:
		return encodeDate(b.(*array.Date32Builder))
	case KindJSON:
		return encodeJSON(b.(*array.LargeStringBuilder))
	}
	panic(fmt.Sprintf("load: unknown column kind %d", c.Kind))
}

func encodeInt64(b *array.Int64Builder) encoder {
	return func(f reflect.Value) error {
		b.Append(f.Int())
		return nil
	}
}

func encodeInt(b *array.Int64Builder) encoder {
	return func(f reflect.Value) error {
		v, ok := f.Addr().Interface().(*extract.Int).IntValue()
		if !ok {
			b.AppendNull()
			return nil
		}
		b.Append(v)
		return nil
	}
}

func encodeBool(b *array.BooleanBuilder) encoder {
	return func(f reflect.Value) error {
		b.Append(f.Bool())
		return nil
	}
}

// encodeString rejects a string that is not valid UTF-8, which DuckDB
// would reject later with a message that quotes the whole value.
func encodeString(b *array.LargeStringBuilder) encoder {
	return func(f reflect.Value) error {
		s := f.String()
		if !utf8.ValidString(s) {
			return invalidUTF8([]byte(s))
		}
		b.Append(s)
		return nil
	}
}

func encodeDecimal(b *array.Decimal128Builder, scale int32) encoder {
	return func(f reflect.Value) error {
		d, ok := f.Addr().Interface().(*extract.Decimal).DecimalValue()
		if !ok {
			b.AppendNull()
			return nil
		}
		n, err := decimalNum(d, scale)
		if err != nil {
			return err
		}
		b.Append(n)
		return nil
	}
}

// encodeTimestamp accepts extract.Timestamp and the types that embed it
// as their first field, such as extract.RFC2822Time.
func encodeTimestamp(b *array.TimestampBuilder) encoder {
	return func(f reflect.Value) error {
		if f.Type() != timestampType {
			f = f.Field(0)
		}
		t, ok := f.Addr().Interface().(*extract.Timestamp).TimeValue()
		if !ok {
			b.AppendNull()
			return nil
		}
		if t.Nanosecond()%1000 != 0 {
			return fmt.Errorf("timestamp %s has digits below a microsecond, which the column cannot store without truncating", t.Format("2006-01-02T15:04:05.999999999Z07:00"))
		}
		b.Append(arrow.Timestamp(t.UnixMicro()))
		return nil
	}
}

func encodeDate(b *array.Date32Builder) encoder {
	return func(f reflect.Value) error {
		t, ok := f.Addr().Interface().(*extract.Date).DateValue()
		if !ok {
			b.AppendNull()
			return nil
		}
		b.Append(arrow.Date32FromTime(t))
		return nil
	}
}

// encodeJSON stores an empty json.RawMessage as NULL and, like
// encodeString, rejects one that is not valid UTF-8.
func encodeJSON(b *array.LargeStringBuilder) encoder {
	return func(f reflect.Value) error {
		raw := f.Bytes()
		if len(raw) == 0 {
			b.AppendNull()
			return nil
		}
		if !utf8.Valid(raw) {
			return invalidUTF8(raw)
		}
		b.BinaryBuilder.Append(raw)
		return nil
	}
}

// invalidUTF8 returns the error for b, which is not valid UTF-8. It gives
// the offset of the first invalid byte but not the value, which may be a
// customer record.
func invalidUTF8(b []byte) error {
	at := 0
	for at < len(b) {
		r, size := utf8.DecodeRune(b[at:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		at += size
	}
	return fmt.Errorf("invalid UTF-8 at byte %d", at)
}

// batchBuilder turns rows of one table into Arrow record batches.
type batchBuilder struct {
	table    string
	cols     []Column
	encoders []encoder
	refIndex []int // field index of source_ref, or nil when the row has none
	builder  *array.RecordBuilder
}

func newBatchBuilder(mem memory.Allocator, table string, cols []Column) *batchBuilder {
	bb := &batchBuilder{
		table:    table,
		cols:     cols,
		encoders: make([]encoder, len(cols)),
		builder:  array.NewRecordBuilder(mem, arrowSchema(cols)),
	}
	for i, c := range cols {
		bb.encoders[i] = newEncoder(c, bb.builder.Field(i))
		if c.Name == sourceRefColumn && c.Kind == KindString {
			bb.refIndex = c.Index
		}
	}
	return bb
}

// append adds row, an addressable struct value, as the next row of the
// batch. rowNumber counts from 1 and names rows without a source_ref.
func (bb *batchBuilder) append(row reflect.Value, rowNumber int) error {
	for i, c := range bb.cols {
		if err := bb.encoders[i](row.FieldByIndex(c.Index)); err != nil {
			return &ValueError{
				Table:     bb.table,
				SourceRef: bb.sourceRef(row, rowNumber),
				Column:    c.Name,
				Err:       err,
			}
		}
	}
	return nil
}

func (bb *batchBuilder) sourceRef(row reflect.Value, rowNumber int) string {
	if bb.refIndex != nil {
		if ref := row.FieldByIndex(bb.refIndex).String(); ref != "" {
			return ref
		}
	}
	return "row " + strconv.Itoa(rowNumber)
}

// batch returns the rows appended since the previous call; the caller
// releases it.
func (bb *batchBuilder) batch() arrow.RecordBatch { return bb.builder.NewRecordBatch() }

func (bb *batchBuilder) release() { bb.builder.Release() }
