package rules

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// refLine is one row of run_tax_lines as the tests write it. An empty
// taxPercent is NULL: the ERP has no such line.
type refLine struct {
	net, gross, bcTax, taxPercent string
}

// refOrder is one order's taxable lines.
type refOrder struct {
	id        int64
	inclusive bool
	lines     []refLine
}

type taxResult struct {
	tax   string
	taxed int
}

// loadTaxLines opens a connection of db that holds orders' lines in a
// temporary run_tax_lines table.
func loadTaxLines(t *testing.T, db *sql.DB, orders []refOrder) *sql.Conn {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE run_tax_lines (order_id BIGINT,
  inclusive BOOLEAN, net DECIMAL(18,4), gross DECIMAL(18,4), bc_tax DECIMAL(18,4), tax_percent DECIMAL(18,4))`); err != nil {
		t.Fatal(err)
	}
	var values []string
	for _, o := range orders {
		for _, l := range o.lines {
			percent := "NULL"
			if l.taxPercent != "" {
				percent = l.taxPercent
			}
			values = append(values, fmt.Sprintf("(%d, %t, %s, %s, %s, %s)", o.id, o.inclusive, l.net, l.gross, l.bcTax, percent))
		}
	}
	for start := 0; start < len(values); start += 1000 {
		stmt := "INSERT INTO run_tax_lines VALUES " + strings.Join(values[start:min(start+1000, len(values))], ", ")
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	return conn
}

// sqlExpectedTax runs tax_expected.sql over the lines loadTaxLines
// stored on conn under method m, and returns each order's tax, with four
// decimals, and its taxed lines.
func sqlExpectedTax(t *testing.T, conn *sql.Conn, m taxMethod) map[int64]taxResult {
	t.Helper()
	ctx := context.Background()
	digits := -m.amountPrecision.Exponent()
	if m.amountPrecision.Equal(decimal.NewFromInt(1)) {
		digits = 0
	}

	for _, s := range []struct {
		sql   string
		value any
	}{
		{"SET VARIABLE tax_level = CAST(? AS VARCHAR)", m.level},
		{"SET VARIABLE tax_rounding = CAST(? AS VARCHAR)", string(m.mode)},
		{"SET VARIABLE tax_precision = CAST(? AS DECIMAL(18,4))", m.precision.String()},
		{"SET VARIABLE currency_digits = CAST(? AS INTEGER)", digits},
	} {
		if _, err := conn.ExecContext(ctx, s.sql, s.value); err != nil {
			t.Fatalf("%s: %v", s.sql, err)
		}
	}

	rows, err := conn.QueryContext(ctx, "SELECT order_id, CAST(expected_tax AS VARCHAR), taxed_lines FROM ("+taxExpectedSQL+")")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]taxResult{}
	for rows.Next() {
		var id int64
		var r taxResult
		if err := rows.Scan(&id, &r.tax, &r.taxed); err != nil {
			t.Fatal(err)
		}
		out[id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// refExpectedTax is sqlExpectedTax computed by the Go reference.
func refExpectedTax(m taxMethod, orders []refOrder) map[int64]taxResult {
	out := map[int64]taxResult{}
	for _, o := range orders {
		var lines []taxLine
		for _, l := range o.lines {
			net, gross, bcTax := decimalOf(l.net), decimalOf(l.gross), decimalOf(l.bcTax)
			percent := decimal.Zero
			if l.taxPercent != "" {
				percent = decimalOf(l.taxPercent)
			}
			rate := refLineRate(net, gross, bcTax, percent, l.taxPercent != "", o.inclusive)
			lines = append(lines, taxLine{net: net, gross: gross, rate: rate})
		}
		tax, taxed := m.orderTax(lines, o.inclusive)
		out[o.id] = taxResult{tax: tax.StringFixed(4), taxed: taxed}
	}
	return out
}

// TestTaxExpectedRoundsLikeReference rounds every case of roundingCases
// in SQL, as the tax on one line of ten times the amount at 10%.
func TestTaxExpectedRoundsLikeReference(t *testing.T) {
	var orders []refOrder
	for i, c := range roundingCases {
		net := decimalOf(c.in).Mul(decimal.NewFromInt(10)).String()
		orders = append(orders, refOrder{id: int64(i + 1), lines: []refLine{{net, net, "0", "10"}}})
	}
	conn := loadTaxLines(t, openTestDB(t), orders)
	for _, mode := range roundingModes {
		for _, precision := range []string{"0.0001", "0.01", "0.05", "1"} {
			m := taxMethod{level: TaxLevelLine, mode: mode, precision: decimalOf(precision), amountPrecision: decimalOf("0.01")}
			taxes := sqlExpectedTax(t, conn, m)
			for i, c := range roundingCases {
				if c.precision != precision {
					continue
				}
				got := taxes[int64(i+1)]
				want := map[RoundingMode]string{RoundHalfUp: c.halfUp, RoundHalfEven: c.halfEven, RoundUp: c.up, RoundDown: c.down}[mode]
				if !decimalOf(got.tax).Equal(decimalOf(want)) || got.taxed != 1 {
					t.Errorf("%s at %s in %s: tax %s on %d lines, want %s on 1", c.in, c.precision, mode, got.tax, got.taxed, want)
				}
			}
		}
	}
}

// TestTaxExpectedMatchesReference compares tax_expected.sql with the Go
// reference on random orders under every level, mode and a range of
// precisions. Half-cent amounts at 50% and 10% make ties common.
func TestTaxExpectedMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	orders := randomTaxOrders(rng, 600)
	conn := loadTaxLines(t, openTestDB(t), orders)
	methods := 0
	for _, level := range []string{TaxLevelLine, TaxLevelDocument} {
		for _, mode := range roundingModes {
			for _, precision := range []string{"0.01", "0.05", "1", "0.0001"} {
				for _, amount := range []string{"0.01", "1", "0.0001"} {
					m := taxMethod{level: level, mode: mode, precision: decimalOf(precision), amountPrecision: decimalOf(amount)}
					got, want := sqlExpectedTax(t, conn, m), refExpectedTax(m, orders)
					methods++
					if len(got) != len(want) {
						t.Fatalf("%+v: %d orders, want %d", m, len(got), len(want))
					}
					bad := 0
					for id, w := range want {
						if g := got[id]; g != w && bad < 5 {
							bad++
							t.Errorf("%s %s %s %s order %d %+v: got %+v, want %+v",
								level, mode, precision, amount, id, orders[id-1], g, w)
						}
					}
				}
			}
		}
	}
	if methods != 96 {
		t.Fatalf("compared %d methods, want 96", methods)
	}
}

// randomTaxOrders returns n orders of one to five lines with ids 1..n.
// Amounts have one, two or four decimals, reach past a billion and may
// be negative or zero. Some lines have no ERP rate, so the rate comes
// from BigCommerce's tax.
func randomTaxOrders(rng *rand.Rand, n int) []refOrder {
	percents := []string{"", "", "0", "5", "7.5", "8.25", "10", "19.6", "20", "33.3333", "50", "-100.5"}
	amount := func() decimal.Decimal {
		switch rng.IntN(5) {
		case 4:
			// Past a billion, where the SQL scales through DECIMAL(38,4).
			return decimal.New(rng.Int64N(10_000_000_000_000_000)-5_000_000_000_000_000, -4)
		case 0:
			return decimal.New(rng.Int64N(200_001)-100_000, -4)
		case 1:
			return decimal.New(rng.Int64N(2_001)-100, -2)
		case 2:
			return decimal.New(rng.Int64N(50), -1)
		default:
			return decimal.Zero
		}
	}
	orders := make([]refOrder, n)
	for i := range orders {
		o := refOrder{id: int64(i + 1), inclusive: rng.IntN(3) == 0}
		for range 1 + rng.IntN(5) {
			net, tax := amount(), amount()
			l := refLine{net: net.String(), gross: net.Add(tax).String(), bcTax: tax.String(),
				taxPercent: percents[rng.IntN(len(percents))]}
			o.lines = append(o.lines, l)
		}
		orders[i] = o
	}
	return orders
}
