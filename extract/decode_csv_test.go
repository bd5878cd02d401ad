package extract

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

type csvRow struct {
	Name   string    `csv:"name"`
	Count  int64     `csv:"count"`
	Qty    Int       `csv:"qty"`
	Amount Decimal   `csv:"amount"`
	OK     bool      `csv:"ok"`
	Day    Date      `csv:"day"`
	At     Timestamp `csv:"at"`
	Record
}

func TestDecodeCSV(t *testing.T) {
	in := "\ufeffname,count,qty,amount,ok,day,at,extra\n" +
		"\"a, b\",3,,12.3400,true,2024-06-03,2024-06-03T10:00:00+02:00,x\n" +
		"c,-1,7,,false,,2024-06-08 00:00:05,\n"
	rows, err := decodeCSV[csvRow](context.Background(), strings.NewReader(in), "t/rows.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("got %d rows, want 2", len(rows))
	}
	a, c := rows[0], rows[1]
	if a.Name != "a, b" || a.Count != 3 || a.Qty.Valid() || a.Amount.String() != "12.34" || !a.OK {
		t.Errorf("row 1 = %+v", a)
	}
	if a.Day.String() != "2024-06-03" || a.At.String() != "2024-06-03T08:00:00Z" {
		t.Errorf("row 1 times = %s, %s", a.Day, a.At)
	}
	if c.Count != -1 || c.Qty != NewInt(7) || c.Amount.Valid() || c.OK || c.Day.Valid() {
		t.Errorf("row 2 = %+v", c)
	}
	if c.At.String() != "2024-06-08T00:00:05Z" {
		t.Errorf("row 2 at = %s, want 2024-06-08T00:00:05Z", c.At)
	}
	if a.SourceRef != "t/rows.csv:2" || c.SourceRef != "t/rows.csv:3" {
		t.Errorf("SourceRefs = %s, %s", a.SourceRef, c.SourceRef)
	}
	wantRaw := `{"name":"a, b","count":"3","qty":"","amount":"12.3400","ok":"true","day":"2024-06-03","at":"2024-06-03T10:00:00+02:00","extra":"x"}`
	if string(a.Raw) != wantRaw {
		t.Errorf("Raw = %s, want %s", a.Raw, wantRaw)
	}
}

func TestDecodeCSVMultilineRecord(t *testing.T) {
	in := "name,count,qty,amount,ok,day,at\n\"two\nlines\",1,,,true,,\nnext,2,,,false,,\n"
	rows, err := decodeCSV[csvRow](context.Background(), strings.NewReader(in), "m.csv")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].SourceRef != "m.csv:2" || rows[1].SourceRef != "m.csv:4" {
		t.Errorf("SourceRefs = %s, %s, want m.csv:2, m.csv:4", rows[0].SourceRef, rows[1].SourceRef)
	}
}

func TestDecodeCSVQuotedHeaderAfterBOM(t *testing.T) {
	in := "\ufeff\"name\",\"count\",\"qty\",\"amount\",\"ok\",\"day\",\"at\"\r\n" +
		"\"Café\",\"2\",\"\",\"1.50\",\"true\",\"\",\"\"\r\n"

	rows, err := decodeCSV[csvRow](context.Background(), strings.NewReader(in), "erp/excel.csv")

	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("got %d rows, want 1", len(rows))
	}
	if rows[0].Name != "Café" {
		t.Errorf("name = %q, want %q", rows[0].Name, "Café")
	}
	if rows[0].Count != 2 {
		t.Errorf("count = %d, want 2", rows[0].Count)
	}
	if rows[0].SourceRef != "erp/excel.csv:2" {
		t.Errorf("SourceRef = %q, want erp/excel.csv:2", rows[0].SourceRef)
	}
}

func TestDecodeCSVCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	in := &cancellingReader{
		rows:     "name,count,qty,amount,ok,day,at\n" + strings.Repeat("a,1,,,true,,\n", 100000),
		cancelAt: 1000,
		cancel:   cancel,
	}

	rows, err := decodeCSV[csvRow](ctx, in, "erp/big.csv")

	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v, want context.Canceled", err)
	}
	if rows != nil {
		t.Errorf("got %d rows, want none", len(rows))
	}
	if in.offset == len(in.rows) {
		t.Errorf("decodeCSV read the whole input after the cancel")
	}
}

func TestDecodeCSVCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := decodeCSV[csvRow](ctx, strings.NewReader("name\n"), "erp/x.csv")

	if err == nil || err.Error() != "read erp/x.csv: context canceled" {
		t.Errorf("error = %v, want read erp/x.csv: context canceled", err)
	}
}

// cancellingReader serves rows in small reads and calls cancel once
// cancelAt bytes have been read.
type cancellingReader struct {
	rows     string
	offset   int
	cancelAt int
	cancel   context.CancelFunc
}

func (r *cancellingReader) Read(p []byte) (int, error) {
	if r.offset >= len(r.rows) {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), 512)], r.rows[r.offset:])
	r.offset += n
	if r.offset >= r.cancelAt {
		r.cancel()
	}
	return n, nil
}

func TestDecodeCSVErrors(t *testing.T) {
	const header = "name,count,qty,amount,ok,day,at\n"
	tests := []struct {
		name string
		in   string
		want string
		is   error
	}{
		{"bad decimal", header + "a,1,,1,true,,\nb,1,,\"12,5\",true,,\n",
			`erp/x.csv:3: field amount: invalid decimal "12,5"`, nil},
		{"bad bool", header + "a,1,,,yes,,\n", `erp/x.csv:2: field ok: invalid boolean "yes": expected true or false`, nil},
		{"empty int64", header + "a,,,,true,,\n", `erp/x.csv:2: field count: invalid integer ""`, nil},
		{"fractional Int", header + "a,1,1.5,,true,,\n", `erp/x.csv:2: field qty: invalid integer "1.5"`, nil},
		{"bad date", header + "a,1,,,true,03/06/2024,\n",
			`erp/x.csv:2: field day: invalid date "03/06/2024": expected YYYY-MM-DD`, nil},
		{"bad time", header + "a,1,,,true,,2024-06-03\n",
			`erp/x.csv:2: field at: invalid timestamp "2024-06-03": expected RFC 3339 or YYYY-MM-DD HH:MM:SS`, nil},
		{"missing header", "name,count,qty,amount,ok,day\n", `erp/x.csv:1: field at: missing header`, ErrMissingHeader},
		{"duplicate header", "name,count,qty,amount,ok,day,at,count\n", `erp/x.csv:1: field count: duplicate header`, ErrDuplicateHeader},
		{"field count", header + "a,1\n", `erp/x.csv:2: wrong number of fields`, nil},
		{"empty file", "", `erp/x.csv:1: empty file: missing header row`, nil},
		{"unclosed quote", header + "a,1,,,true,,\n\"b,2,,,true,,\nc,3,,,true,,\n",
			`erp/x.csv:3: extraneous or missing " in quoted-field: no closing quote up to line 4, column 14`, csv.ErrQuote},
		{"quote after field", header + "a,1,,,true,,\n\"b\"x,2,,,true,,\n",
			`erp/x.csv:3: extraneous or missing " in quoted-field`, csv.ErrQuote},
		{"invalid UTF-8 cell", header + "a,1,,,true,,\nCaf\xe9,1,,,true,,\n",
			`erp/x.csv:3: field name: invalid UTF-8 at byte 3 of the value: save the file as UTF-8`, ErrInvalidUTF8},
		{"invalid UTF-8 unbound cell", "name,count,qty,amount,ok,day,at,note\na,1,,,true,,,\"x\n\xc3(\"\n",
			`erp/x.csv:2: field note: invalid UTF-8 at byte 2 of the value: save the file as UTF-8`, ErrInvalidUTF8},
		{"invalid UTF-8 header", "name,count,qty,amount,ok,day,at,n\xf6te\n",
			`erp/x.csv:1: header of column 8: invalid UTF-8 at byte 1: save the file as UTF-8`, ErrInvalidUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeCSV[csvRow](context.Background(), strings.NewReader(tt.in), "erp/x.csv")
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("error %v is not a ParseError", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
}

func FuzzDecodeCSV(f *testing.F) {
	f.Add("name,count,qty,amount,ok,day,at\na,1,2,3.5,true,2024-01-02,2024-01-02 03:04:05\n")
	f.Add("\ufeffname,count,qty,amount,ok,day,at,extra\n\"x\ny\",1,,,false,,,\n")
	f.Add("name,name\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := decodeCSV[csvRow](context.Background(), strings.NewReader(in), "f.csv")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParseError", err)
			}
			return
		}
		for _, r := range rows {
			if !strings.HasPrefix(r.SourceRef, "f.csv:") || len(r.Raw) == 0 {
				t.Fatalf("row record = %q, %q", r.SourceRef, r.Raw)
			}
		}
	})
}

func FuzzDecodeOrdersPage(f *testing.F) {
	f.Add(`[{"id":1,"total_inc_tax":"12.3400","date_shipped":""}]`)
	f.Add(`[{"id":1,"total_inc_tax":12.34,"date_created":"Tue, 05 Mar 2019 21:40:11 +0000"}]`)
	f.Add(`[]`)
	f.Add(``)
	f.Add(`{"data":[]}`)
	f.Fuzz(func(t *testing.T, body string) {
		rows, err := decodeOrdersPage([]byte(body), "p")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a ParseError", err)
			}
			return
		}
		for _, r := range rows {
			if len(r.Raw) == 0 || !strings.HasPrefix(r.SourceRef, "p#") {
				t.Fatalf("row record = %q, %q", r.SourceRef, r.Raw)
			}
		}
	})
}

func FuzzDecodeV3Pages(f *testing.F) {
	f.Add(`{"data":[{"id":1,"order_id":"2","amount":3.4,"reference_transaction_id":{}}],"meta":{}}`)
	f.Add(`{"data":[{"identity":{"sku":"A"},"locations":[{"location_id":1}]}]}`)
	f.Add(`{"data":[{"id":1,"items":[{"item_type":"SHIPPING","requested_amount":"1"}]}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		// Only panics fail: any input may be rejected.
		_, _, _ = decodeTransactions([]byte(body), "t")
		_, _, _ = decodeInventoryPage([]byte(body), "i")
		_, _, _ = decodeRefundsPage([]byte(body), "r")
	})
}
