package load

import (
	"context"
	"fmt"
	"os"
	"reflect"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// writeParquet writes rows, a slice of a row struct, to a new Parquet
// file at path, one row group per batch of at most batchRows rows, so
// memory holds one batch at a time. It returns the number of rows written.
func writeParquet(ctx context.Context, path, table string, cols []Column, rows reflect.Value, batchRows int) (int, error) {
	bb := newBatchBuilder(memory.DefaultAllocator, table, cols)
	defer bb.release()

	f, err := os.Create(path)
	if err != nil {
		return 0, fmt.Errorf("create parquet file: %w", err)
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithMaxRowGroupLength(int64(batchRows)),
		// DECIMAL(18, s) fits an INT64 physical type, which is cheaper
		// to write and read than the default fixed-length bytes.
		parquet.WithStoreDecimalAsInteger(true),
		parquet.WithDictionaryDefault(false),
	)
	w, err := pqarrow.NewFileWriter(bb.builder.Schema(), f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		f.Close()
		return 0, fmt.Errorf("create parquet writer for %s: %w", table, err)
	}

	n, err := writeBatches(ctx, w, bb, rows, batchRows)
	if closeErr := w.Close(); err == nil && closeErr != nil {
		err = fmt.Errorf("close parquet file of %s: %w", table, closeErr)
	}
	return n, err
}

func writeBatches(ctx context.Context, w *pqarrow.FileWriter, bb *batchBuilder, rows reflect.Value, batchRows int) (int, error) {
	total := rows.Len()
	for start := 0; start < total; start += batchRows {
		if err := ctx.Err(); err != nil {
			return start, err
		}
		end := min(start+batchRows, total)
		bb.builder.Reserve(end - start)
		for i := start; i < end; i++ {
			if err := bb.append(rows.Index(i), i+1); err != nil {
				return i, err
			}
		}
		if err := writeBatch(w, bb); err != nil {
			return start, fmt.Errorf("write parquet batch of %s: %w", bb.table, err)
		}
	}
	return total, nil
}

func writeBatch(w *pqarrow.FileWriter, bb *batchBuilder) error {
	rec := bb.batch()
	defer rec.Release()
	return w.Write(rec)
}

// rowSlice returns rows as a slice value of the table's row type.
func rowSlice(table string, rowType reflect.Type, rows any) (reflect.Value, error) {
	if rows == nil {
		return reflect.MakeSlice(reflect.SliceOf(rowType), 0, 0), nil
	}
	v := reflect.ValueOf(rows)
	if v.Kind() != reflect.Slice || v.Type().Elem() != rowType {
		return reflect.Value{}, fmt.Errorf("table %s: rows are %T, want []%s", table, rows, rowType)
	}
	return v, nil
}
