package rules

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/shopspring/decimal"
)

// taxLinesSQL streams every taxable line of the run's BigCommerce orders
// that have an ERP sales order, ordered by order id.
//
//go:embed tax_lines.sql
var taxLinesSQL string

// taxExpectedDDL creates the table fillTaxExpectations writes: per order,
// the tax the ERP should hold and the number of taxed lines.
const taxExpectedDDL = `CREATE OR REPLACE TEMP TABLE tax_expected (
  order_id BIGINT NOT NULL,
  expected_tax DECIMAL(18,4) NOT NULL,
  taxed_lines INTEGER NOT NULL
)`

// taxInsertBatch is the number of orders one INSERT writes.
const taxInsertBatch = 1000

// taxMethod is the ERP's tax computation: TaxLevel, TaxRounding and
// TaxPrecision, plus the currency precision that amounts including tax
// are split at.
type taxMethod struct {
	level           string
	mode            RoundingMode
	precision       decimal.Decimal
	amountPrecision decimal.Decimal
}

// taxLine is one taxable line of an order: a product line or the
// shipping. rate is a fraction, such as 0.0825.
type taxLine struct {
	net, gross, rate decimal.Decimal
}

// orderTax is one order's computed tax, a row of tax_expected.
type orderTax struct {
	orderID    int64
	tax        decimal.Decimal
	taxedLines int
}

// fillTaxExpectations computes the tax the ERP should hold on each order
// under the configured method and stores it in the tax_expected table.
// It reads the lines in one streamed query and inserts the results in
// batches after the query is closed, because the transaction's
// connection cannot run a statement while a result is open.
func fillTaxExpectations(ctx context.Context, tx *sql.Tx, p Params) error {
	if _, err := tx.ExecContext(ctx, taxExpectedDDL); err != nil {
		return fmt.Errorf("create tax_expected: %w", err)
	}
	method := taxMethod{level: p.TaxLevel, mode: p.TaxRounding,
		precision: p.TaxPrecision, amountPrecision: p.CurrencyPrecision}
	taxes, err := computeOrderTaxes(ctx, tx, method)
	if err != nil {
		return fmt.Errorf("compute expected tax: %w", err)
	}
	for start := 0; start < len(taxes); start += taxInsertBatch {
		if err := insertOrderTaxes(ctx, tx, taxes[start:min(start+taxInsertBatch, len(taxes))]); err != nil {
			return fmt.Errorf("store expected tax: %w", err)
		}
	}
	return nil
}

// computeOrderTaxes streams the taxable lines and computes each order's
// tax when its last line has been read.
func computeOrderTaxes(ctx context.Context, tx *sql.Tx, method taxMethod) ([]orderTax, error) {
	rows, err := tx.QueryContext(ctx, taxLinesSQL)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out []orderTax
	var lines []taxLine
	current, inclusive := int64(0), false
	flush := func() {
		if len(lines) > 0 {
			tax, taxed := method.orderTax(lines, inclusive)
			out = append(out, orderTax{orderID: current, tax: tax, taxedLines: taxed})
		}
		lines = lines[:0]
	}
	for rows.Next() {
		var orderID int64
		var lineInclusive bool
		var net, gross, bcTax, taxPercent sql.Null[duckdb.Decimal]
		if err := rows.Scan(&orderID, &lineInclusive, &net, &gross, &bcTax, &taxPercent); err != nil {
			return nil, err
		}
		if orderID != current {
			flush()
			current, inclusive = orderID, lineInclusive
		}
		l := taxLine{net: toDecimal(net), gross: toDecimal(gross)}
		l.rate = lineRate(l, toDecimal(bcTax), taxPercent, inclusive)
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	flush()
	return out, nil
}

// lineRate returns the line's tax rate: the ERP line's taxPercent when
// the ERP has the line, otherwise BigCommerce's line tax over its net
// amount, which reproduces BigCommerce's tax at line level.
func lineRate(l taxLine, bcTax decimal.Decimal, taxPercent sql.Null[duckdb.Decimal], inclusive bool) decimal.Decimal {
	if taxPercent.Valid {
		return toDecimal(taxPercent).Shift(-2)
	}
	net := l.net
	if inclusive {
		net = l.gross.Sub(bcTax)
	}
	if net.IsZero() {
		return decimal.Zero
	}
	return bcTax.Div(net)
}

// orderTax returns the tax on lines and the number of lines taxed at a
// non-zero rate. At document level the lines are summed per rate, as
// Business Central sums them per VAT identifier, and each sum is taxed
// once. With tax-exclusive prices the tax is net × rate rounded in the
// configured mode and precision. With tax-inclusive prices the amount
// including tax is exact: the net is the gross divided by 1 + rate,
// rounded half-up to the currency precision, and the tax is the rest.
// Business Central splits inclusive amounts so, and its VAT rounding
// settings do not apply to them.
func (m taxMethod) orderTax(lines []taxLine, inclusive bool) (decimal.Decimal, int) {
	taxed := 0
	bases := lines
	if m.level == TaxLevelDocument {
		bases = sumPerRate(lines)
	}
	for _, l := range lines {
		if !l.rate.IsZero() {
			taxed++
		}
	}
	total := decimal.Zero
	for _, b := range bases {
		total = total.Add(m.lineTax(b, inclusive))
	}
	return total, taxed
}

func (m taxMethod) lineTax(l taxLine, inclusive bool) decimal.Decimal {
	if l.rate.IsZero() {
		return decimal.Zero
	}
	if inclusive {
		net := RoundQuotient(l.gross, decimal.NewFromInt(1).Add(l.rate), m.amountPrecision, RoundHalfUp)
		return l.gross.Sub(net)
	}
	return Round(l.net.Mul(l.rate), m.precision, m.mode)
}

// sumPerRate returns one line per distinct rate, in order of first use,
// holding the sums of the lines at that rate.
func sumPerRate(lines []taxLine) []taxLine {
	var out []taxLine
	for _, l := range lines {
		found := false
		for i := range out {
			if out[i].rate.Equal(l.rate) {
				out[i].net = out[i].net.Add(l.net)
				out[i].gross = out[i].gross.Add(l.gross)
				found = true
				break
			}
		}
		if !found {
			out = append(out, l)
		}
	}
	return out
}

// insertOrderTaxes writes one batch with a single multi-row INSERT.
func insertOrderTaxes(ctx context.Context, tx *sql.Tx, batch []orderTax) error {
	var b strings.Builder
	b.WriteString("INSERT INTO tax_expected VALUES ")
	args := make([]any, 0, 3*len(batch))
	for i, t := range batch {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, CAST(? AS DECIMAL(18,4)), ?)")
		args = append(args, t.orderID, t.tax.String(), t.taxedLines)
	}
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}

// toDecimal converts a DuckDB DECIMAL, NULL as zero.
func toDecimal(v sql.Null[duckdb.Decimal]) decimal.Decimal {
	if !v.Valid || v.V.Value == nil {
		return decimal.Zero
	}
	return decimal.NewFromBigInt(v.V.Value, -int32(v.V.Scale))
}
