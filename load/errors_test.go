package load

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/recon-tools/recon/extract"
)

func TestLoadRejectsInvalidUTF8(t *testing.T) {
	tests := []struct {
		name   string
		change func(*extract.Order)
		column string
		want   string
	}{
		{"string column", func(o *extract.Order) { o.Status = "Sh\xffipped" }, "status",
			"table bc_orders, row v2/orders/page-0001.json#0, column status: invalid UTF-8 at byte 2"},
		{"raw record", func(o *extract.Order) { o.Raw = []byte(`{"id": 101, "first_name": "Jos` + "\xe9" + `"}`) }, "raw",
			"table bc_orders, row v2/orders/page-0001.json#0, column raw: invalid UTF-8 at byte 30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t, "")
			order := fullOrder()
			tt.change(&order)

			_, err := s.LoadSnapshots(context.Background(), beginRun(t, s),
				[]extract.Snapshot{bigCommerceSnapshot([]extract.Order{order}, nil, nil)})

			var valueErr *ValueError
			if !errors.As(err, &valueErr) {
				t.Fatalf("error %v, want a *ValueError", err)
			}
			if valueErr.Column != tt.column {
				t.Errorf("column %q, want %q", valueErr.Column, tt.column)
			}
			if valueErr.Error() != tt.want {
				t.Errorf("error %q, want %q", valueErr.Error(), tt.want)
			}
		})
	}
}

func TestDatabaseErrorMessage(t *testing.T) {
	path := "/tmp/.staging-123/4/bc_orders.parquet"
	duckErr := errors.New(`Invalid Input Error: Invalid string encoding found in Parquet file "` + path +
		`": value "` + strings.Repeat("x", 300) + `" is not valid UTF8!`)
	err := &DatabaseError{Table: "bc_orders", Op: "insert rows", Path: path, Err: duckErr}

	want := "insert rows of bc_orders: Invalid Input Error: Invalid string encoding found in Parquet file " +
		`of table bc_orders: value "` + strings.Repeat("x", 106) + "... (214 more bytes not shown)"
	if err.Error() != want {
		t.Errorf("error = %q, want %q", err.Error(), want)
	}
	if !errors.Is(err, duckErr) {
		t.Errorf("error does not wrap the DuckDB error")
	}
}

func TestLoadDatabaseErrorNamesTable(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, dir+"/recon.duckdb")
	order := fullOrder()
	order.Raw = []byte(`{"id": 101, "note": "` + strings.Repeat("private ", 100) + `"`)

	_, err := s.LoadSnapshots(context.Background(), beginRun(t, s),
		[]extract.Snapshot{bigCommerceSnapshot([]extract.Order{order}, nil, nil)})

	var dbErr *DatabaseError
	if !errors.As(err, &dbErr) {
		t.Fatalf("error %v, want a *DatabaseError", err)
	}
	if dbErr.Table != "bc_orders" {
		t.Errorf("table %q, want bc_orders", dbErr.Table)
	}
	if strings.Contains(err.Error(), ".staging-") {
		t.Errorf("error %q names the staging folder", err)
	}
	if n := strings.Count(err.Error(), "private"); n > 20 {
		t.Errorf("error quotes %d words of the record: %q", n, err)
	}
}

func TestTruncateMessageRuneBoundary(t *testing.T) {
	got := truncateMessage("abcé", 4)

	if got != "abc... (2 more bytes not shown)" {
		t.Errorf("truncateMessage = %q, want the cut before é", got)
	}
}
