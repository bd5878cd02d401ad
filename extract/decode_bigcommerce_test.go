package extract

import (
	"errors"
	"testing"
)

func TestDecodeOrderResourcesOf(t *testing.T) {
	tests := []struct {
		name   string
		decode func([]byte, string) error
		ref    string
		body   string
		want   string
	}{
		{"products of order", v2Error(decodeOrderProductsOf(7)), "v2/orders/7/products.json",
			`[{"id":1,"order_id":7},{"id":2,"order_id":7}]`, ""},
		{"product of another order", v2Error(decodeOrderProductsOf(7)), "v2/orders/7/products.json",
			`[{"id":1,"order_id":7},{"id":2,"order_id":8}]`,
			"v2/orders/7/products.json#1: field order_id: record belongs to another order: " +
				"order_id is 8, but the response is for order 7"},
		{"shipment of another order", v2Error(decodeShipmentsOf(7)), "v2/orders/7/shipments.json",
			`[{"id":5,"order_id":70,"items":[]}]`,
			"v2/orders/7/shipments.json#0: field order_id: record belongs to another order: " +
				"order_id is 70, but the response is for order 7"},
		{"no shipments", v2Error(decodeShipmentsOf(7)), "v2/orders/7/shipments.json", ``, ""},
		{"transactions of order", v3Error(decodeTransactionsOf(7)), "v3/orders/7/transactions.json",
			`{"data":[{"id":1,"order_id":"7"}],"meta":{}}`, ""},
		{"transaction of another order", v3Error(decodeTransactionsOf(7)), "v3/orders/7/transactions.json",
			`{"data":[{"id":1,"order_id":"7"},{"id":2,"order_id":"17"}],"meta":{}}`,
			"v3/orders/7/transactions.json#1: field order_id: record belongs to another order: " +
				"order_id is 17, but the response is for order 7"},
		{"transaction without order", v3Error(decodeTransactionsOf(7)), "v3/orders/7/transactions.json",
			`{"data":[{"id":1,"order_id":null}],"meta":{}}`,
			"v3/orders/7/transactions.json#0: field order_id: record belongs to another order: " +
				"order_id is missing, but the response is for order 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode([]byte(tt.body), tt.ref)

			if tt.want == "" {
				if err != nil {
					t.Fatalf("error = %v, want none", err)
				}
				return
			}
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if !errors.Is(err, ErrOtherOrder) {
				t.Errorf("error %v is not ErrOtherOrder", err)
			}
		})
	}
}
