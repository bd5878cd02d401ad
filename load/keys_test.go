package load

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
)

func order(id int64, ref string) extract.Order {
	return extract.Order{ID: id, Record: extract.Record{SourceRef: ref}}
}

func wmsSnapshot(rows []extract.Fulfilment) extract.Snapshot {
	return extract.Snapshot{
		Source:      extract.SourceWMS,
		System:      "WMS",
		ExtractedAt: time.Date(2024, 3, 7, 12, 0, 0, 0, time.UTC),
		Tables:      []extract.Table{{Name: "wms_fulfilments", Rows: rows}},
	}
}

func fulfilment(shipment, sku, ref string) extract.Fulfilment {
	return extract.Fulfilment{ShipmentID: shipment, SKU: sku, Record: extract.Record{SourceRef: ref}}
}

func TestLoadRejectsBrokenKeys(t *testing.T) {
	shipment := extract.Shipment{ID: 5, OrderID: 101, Record: extract.Record{SourceRef: "v2/orders/101/shipments.json#0"}}
	withItems := bigCommerceSnapshot([]extract.Order{order(101, "v2/orders/page-0001.json#0")}, nil,
		[]extract.Shipment{shipment})
	withItems.Tables = append(withItems.Tables, extract.Table{Name: "bc_shipment_items", Rows: []extract.ShipmentItem{
		{ShipmentID: 5, OrderID: 101, OrderProductID: 9},
		{ShipmentID: 5, OrderID: 101, OrderProductID: 9},
	}})
	tests := []struct {
		name  string
		snap  extract.Snapshot
		want  string
		cause error
	}{
		{"order on a later page", bigCommerceSnapshot([]extract.Order{
			order(101, "v2/orders/page-0001.json#0"),
			order(102, "v2/orders/page-0001.json#1"),
			order(101, "v2/orders/page-0002.json#0"),
		}, nil, nil),
			"table bc_orders: duplicate key: order_id 101 in v2/orders/page-0001.json#0 and v2/orders/page-0002.json#0",
			ErrDuplicateKey},
		{"several duplicated orders", bigCommerceSnapshot([]extract.Order{
			order(103, "p#0"), order(103, "p#1"), order(102, "p#2"), order(102, "p#3"),
		}, nil, nil),
			"table bc_orders: duplicate key: order_id 102 in p#2 and p#3, and 1 more duplicated key",
			ErrDuplicateKey},
		{"order without id", bigCommerceSnapshot([]extract.Order{
			order(101, "v2/orders/page-0001.json#0"),
			order(0, "v2/orders/page-0001.json#1"),
		}, nil, nil),
			"table bc_orders: missing key: order_id is NULL, empty or 0 in row v2/orders/page-0001.json#1",
			ErrMissingKey},
		{"shipment item twice", withItems,
			"table bc_shipment_items: duplicate key: shipment_id 5, order_product_id 9 twice in v2/orders/101/shipments.json#0",
			ErrDuplicateKey},
		{"WMS row twice", wmsSnapshot([]extract.Fulfilment{
			fulfilment("SH-1", "MUG-1", "wms/shipments.csv:2"),
			fulfilment("SH-1", "POT-1", "wms/shipments.csv:3"),
			fulfilment("SH-1", "MUG-1", "wms/shipments.csv:9"),
		}),
			"table wms_fulfilments: duplicate key: shipment_id SH-1, sku MUG-1 in wms/shipments.csv:2 and wms/shipments.csv:9",
			ErrDuplicateKey},
		{"WMS rows without shipment", wmsSnapshot([]extract.Fulfilment{
			fulfilment("", "MUG-1", "wms/shipments.csv:4"),
			fulfilment("SH-1", "MUG-1", "wms/shipments.csv:2"),
			fulfilment("", "POT-1", "wms/shipments.csv:3"),
		}),
			"table wms_fulfilments: missing key: shipment_id is NULL, empty or 0 in row wms/shipments.csv:4 and 1 more row",
			ErrMissingKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTestStore(t, "")

			_, _, err := s.LoadRun(context.Background(), "run", []extract.Snapshot{erpSnapshot(), tt.snap})

			var keyErr *KeyError
			if !errors.As(err, &keyErr) {
				t.Fatalf("error = %v, want a *KeyError", err)
			}
			if keyErr.Error() != tt.want {
				t.Errorf("error = %q, want %q", keyErr.Error(), tt.want)
			}
			if !errors.Is(err, tt.cause) {
				t.Errorf("error %v is not %v", err, tt.cause)
			}
			if n := queryInt(t, s.DB(), `SELECT count(*) FROM snapshots`); n != 0 {
				t.Errorf("snapshots = %d, want 0 after the rollback", n)
			}
			if n := queryInt(t, s.DB(), `SELECT count(*) FROM erp_sales_orders`); n != 0 {
				t.Errorf("erp_sales_orders = %d rows, want 0 after the rollback", n)
			}
		})
	}
}

func TestLoadAcceptsSameKeyAcrossSnapshots(t *testing.T) {
	s := openTestStore(t, "")
	snap := bigCommerceSnapshot([]extract.Order{order(101, "p#0")}, nil, nil)

	for range 2 {
		if _, _, err := s.LoadRun(context.Background(), "run", []extract.Snapshot{snap}); err != nil {
			t.Fatal(err)
		}
	}

	if n := queryInt(t, s.DB(), `SELECT count(*) FROM bc_orders WHERE order_id = 101`); n != 2 {
		t.Errorf("order 101 has %d rows, want one per snapshot", n)
	}
}
