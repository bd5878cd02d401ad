package rules

import (
	"context"
	"testing"
)

// TestExplainCapsRowsPerTable explains a SKU on more order lines than
// Explain returns, and checks the total and the rows it keeps.
func TestExplainCapsRowsPerTable(t *testing.T) {
	db := openTestDB(t)
	for i := range int64(MaxExplainRows + 1) {
		addLine(t, db, 1000+i, 1, "MUG", 1)
	}
	evaluate(t, db, DefaultParams())

	ex, err := Explain(context.Background(), db, DefaultParams(), "mug", All())

	if err != nil {
		t.Fatal(err)
	}
	if ex.Kind != EntitySKU {
		t.Fatalf("kind %q, want %q", ex.Kind, EntitySKU)
	}
	for _, r := range ex.Records {
		if r.Table != "bc_order_products" {
			continue
		}
		if r.Total != MaxExplainRows+1 || len(r.Rows) != MaxExplainRows {
			t.Errorf("bc_order_products: %d rows of %d, want %d of %d", len(r.Rows), r.Total, MaxExplainRows, MaxExplainRows+1)
		}
		if string(r.Rows[0]) != `{"line":"1000"}` {
			t.Errorf("first row %s, want line 1000", r.Rows[0])
		}
		return
	}
	t.Errorf("no bc_order_products records in %+v", ex.Records)
}
