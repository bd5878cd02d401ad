package extract

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestReadDir(t *testing.T) {
	snaps, err := ReadDir(context.Background(), os.DirFS("testdata/store"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range snaps {
		got = append(got, string(s.Source)+"/"+s.System+"/"+s.Origin+"/"+s.ExtractedAt.Format(time.RFC3339))
	}
	want := []string{
		"bigcommerce/BigCommerce/bigcommerce/2024-06-10T06:13:20Z",
		"erp/Business Central/erp/2024-06-10T04:00:00Z",
		"wms/Acme WMS/wms/2024-06-10T04:00:00Z",
		"payouts/Stripe/payouts/2024-06-10T00:00:00Z",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("snapshots = %v, want %v", got, want)
	}
}

func TestReadDirSkipsAbsentFolders(t *testing.T) {
	fsys := fstest.MapFS{
		"wms/manifest.json": {Data: []byte(`{"extracted_at":"2024-06-10T04:00:00Z"}`)},
		"wms/shipments.csv": {Data: []byte("shipment_id,order_reference,sku,quantity,tracking_number,carrier,shipped_at,warehouse\n")},
	}
	snaps, err := ReadDir(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 1 || snaps[0].Source != SourceWMS || snaps[0].System != "WMS" {
		t.Fatalf("snapshots = %+v, want one WMS snapshot", snaps)
	}
	if snaps[0].Tables[0].Len() != 0 {
		t.Errorf("fulfilments = %d rows, want 0", snaps[0].Tables[0].Len())
	}
}

func TestReadDirBrokenFolder(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		want  string
		isErr error
	}{
		{"no manifest", fstest.MapFS{"erp/salesOrders.csv": {Data: []byte("id\n")}},
			"read erp: read manifest: open erp/manifest.json: file does not exist", fs.ErrNotExist},
		{"bad manifest time", fstest.MapFS{"payouts/manifest.json": {Data: []byte(`{"extracted_at":"yesterday"}`)}},
			`read payouts: payouts/manifest.json: field extracted_at: invalid RFC 3339 date "yesterday"`, nil},
		{"missing csv", fstest.MapFS{"wms/manifest.json": {Data: []byte(`{"extracted_at":"2024-06-10T04:00:00Z"}`)}},
			"read wms: read wms/shipments.csv: open wms/shipments.csv: file does not exist", fs.ErrNotExist},
		{"empty bigcommerce", fstest.MapFS{"bigcommerce/v2/orders/page-0001.json": {Data: nil}},
			"read bigcommerce: get /v2/time: read saved response: open v2/time.json: file does not exist", fs.ErrNotExist},
		{"manifest not UTF-8", fstest.MapFS{"wms/manifest.json": {Data: []byte(`{"system":"Lager` + "\xe4" + `","extracted_at":"2024-06-10T04:00:00Z"}`)}},
			"read wms: wms/manifest.json: invalid UTF-8: the file must be UTF-8", ErrInvalidUTF8},
		{"manifest year 1", fstest.MapFS{"erp/manifest.json": {Data: []byte(`{"extracted_at":"0001-01-01T00:00:00Z"}`)}},
			"read erp: erp/manifest.json: field extracted_at: invalid extraction time 0001-01-01T00:00:00Z: " +
				"expected a time between 1970-01-01T00:00:01Z and 9999-12-31T23:59:59Z", nil},
		{"zero store time", fstest.MapFS{"bigcommerce/v2/time.json": {Data: []byte(`{"time":0}`)}},
			"read bigcommerce: v2/time.json: field time: invalid store time 0: expected Unix seconds from 1 to 253402300799", nil},
		{"negative store time", fstest.MapFS{"bigcommerce/v2/time.json": {Data: []byte(`{"time":-86400}`)}},
			"read bigcommerce: v2/time.json: field time: invalid store time -86400: expected Unix seconds from 1 to 253402300799", nil},
		{"store time in milliseconds", fstest.MapFS{"bigcommerce/v2/time.json": {Data: []byte(`{"time":1718000000000}`)}},
			"read bigcommerce: v2/time.json: field time: invalid store time 1718000000000: expected Unix seconds from 1 to 253402300799", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadDir(context.Background(), tt.fsys)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if tt.isErr != nil && !errors.Is(err, tt.isErr) {
				t.Errorf("error %v is not %v", err, tt.isErr)
			}
		})
	}
}

func TestReadERP(t *testing.T) {
	snap, err := ReadERP(context.Background(), os.DirFS("testdata/store"), "erp")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"erp_sales_orders": 2, "erp_sales_order_lines": 2, "erp_credit_memos": 1,
		"erp_credit_memo_lines": 1, "erp_stock": 2}
	var names []string
	for _, tb := range snap.Tables {
		names = append(names, tb.Name)
		if tb.Len() != want[tb.Name] {
			t.Errorf("%s has %d rows, want %d", tb.Name, tb.Len(), want[tb.Name])
		}
	}
	if strings.Join(names, ",") != "erp_sales_orders,erp_sales_order_lines,erp_credit_memos,erp_credit_memo_lines,erp_stock" {
		t.Errorf("tables = %v", names)
	}
	so := tableRows[SalesOrder](t, snap, "erp_sales_orders")
	a, b := so[0], so[1]
	if a.ID != "so-1" || a.CustomerName != "Doe, Jane" || a.CurrencyCode != "" || !a.FullyShipped {
		t.Errorf("order 1 = %+v", a)
	}
	if a.TotalTaxAmount.String() != "9" || a.PostingDate.String() != "2024-06-04" || a.SourceRef != "erp/salesOrders.csv:2" {
		t.Errorf("order 1 = %s, %s, %s", a.TotalTaxAmount, a.PostingDate, a.SourceRef)
	}
	if b.PostingDate.Valid() || b.LastModifiedDateTime.Valid() || b.TotalAmountIncludingTax.String() != "924.47" {
		t.Errorf("order 2 = %+v", b)
	}
	if !strings.HasPrefix(string(a.Raw), `{"id":"so-1",`) || !strings.HasSuffix(string(a.Raw), `"extraColumn":"x"}`) {
		t.Errorf("order 1 Raw = %s", a.Raw)
	}
}

func TestReadPayouts(t *testing.T) {
	snap, err := ReadPayouts(context.Background(), os.DirFS("testdata/store"), "payouts")
	if err != nil {
		t.Fatal(err)
	}
	lines := tableRows[PayoutLine](t, snap, "payout_lines")
	payouts := tableRows[Payout](t, snap, "payouts")

	if len(lines) != 2 || len(payouts) != 1 {
		t.Fatalf("got %d lines and %d payouts, want 2 and 1", len(lines), len(payouts))
	}
	r := lines[1]
	if r.Gross.String() != "-15.25" || r.SourceID != "re_103" || r.ChargeID != "ch_103" || r.MetadataOrderID != "103" {
		t.Errorf("refund line = %+v", r)
	}
	if r.Created.String() != "2024-06-07T12:00:05Z" {
		t.Errorf("refund line created = %s", r.Created)
	}
	if payouts[0].Amount.String() != "37.72" || payouts[0].ArrivalDate.String() != "2024-06-08T00:00:00Z" {
		t.Errorf("payout = %+v", payouts[0])
	}
}

func TestReadWMS(t *testing.T) {
	snap, err := ReadWMS(context.Background(), os.DirFS("testdata/store"), "wms")
	if err != nil {
		t.Fatal(err)
	}
	rows := tableRows[Fulfilment](t, snap, "wms_fulfilments")
	if len(rows) != 2 || rows[1].SKU != "POT-1" || rows[1].Quantity.String() != "1" || rows[1].Warehouse != "MAIN" {
		t.Errorf("fulfilments = %+v", rows)
	}
}
