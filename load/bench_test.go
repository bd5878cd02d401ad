package load

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
)

// orderLines returns n order-product rows with every money column set.
func orderLines(n int) []extract.OrderProduct {
	lines := make([]extract.OrderProduct, n)
	price := extract.MustDecimal("24.9900")
	tax := extract.MustDecimal("4.1650")
	for i := range lines {
		lines[i] = extract.OrderProduct{
			ID:                    int64(i + 1),
			OrderID:               int64(i/3 + 100),
			ProductID:             extract.NewInt(int64(i % 500)),
			VariantID:             extract.NewInt(int64(i % 2000)),
			Name:                  "Widget",
			SKU:                   fmt.Sprintf("SKU-%05d", i%2000),
			Type:                  "physical",
			Quantity:              extract.NewInt(int64(i%4 + 1)),
			BasePrice:             price,
			PriceExTax:            price,
			PriceIncTax:           price,
			PriceTax:              tax,
			BaseTotal:             price,
			TotalExTax:            price,
			TotalIncTax:           price,
			TotalTax:              tax,
			DiscountedTotalIncTax: price,
			QuantityShipped:       extract.NewInt(1),
			QuantityRefunded:      extract.NewInt(0),
			Record: extract.Record{
				SourceRef: fmt.Sprintf("v2/orders/%d/products.json#%d", i/3+100, i%3),
				Raw:       []byte(`{"id":1,"sku":"SKU-00001","base_price":"24.9900"}`),
			},
		}
	}
	return lines
}

// BenchmarkLoadOrderLines loads 1,000,000 order-product rows into a
// database file, including the checkpoint that writes them to the file.
func BenchmarkLoadOrderLines(b *testing.B) {
	const n = 1_000_000
	lines := orderLines(n)
	snap := extract.Snapshot{
		Source:      extract.SourceBigCommerce,
		System:      "BigCommerce",
		ExtractedAt: time.Now(),
		Tables:      []extract.Table{{Name: "bc_order_products", Rows: lines}},
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		s, err := Open(ctx, filepath.Join(b.TempDir(), "recon.duckdb"), nil)
		if err != nil {
			b.Fatal(err)
		}
		run, err := s.BeginRun(ctx, "bench")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		if _, err := s.LoadSnapshots(ctx, run, []extract.Snapshot{snap}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.DB().ExecContext(ctx, "CHECKPOINT"); err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkWriteParquet measures the Arrow and Parquet half of a load:
// 1,000,000 order-product rows to one Parquet file.
func BenchmarkWriteParquet(b *testing.B) {
	const n = 1_000_000
	rows := reflect.ValueOf(orderLines(n))
	cols, err := Columns(rows.Type().Elem())
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "bc_order_products.parquet")
	b.ResetTimer()
	for b.Loop() {
		if _, err := writeParquet(context.Background(), path, "bc_order_products", cols, rows, DefaultBatchRows); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
