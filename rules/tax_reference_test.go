package rules

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// This file holds a reference implementation of the expected tax in Go,
// on shopspring decimals, which the tests compare tax_expected.sql with.

// roundMultiple rounds d to a multiple of precision, which must be
// positive, in mode. Precision need not be a power of ten: 0.05 and 1
// work as well as 0.01.
func roundMultiple(d, precision decimal.Decimal, mode RoundingMode) decimal.Decimal {
	return roundQuotient(d, decimal.NewFromInt(1), precision, mode)
}

// roundQuotient rounds the exact quotient a / b to a multiple of
// precision in mode. It divides with remainder instead of calling Div,
// which cuts the quotient to 16 digits and could move it onto or off a
// tie. b must be non-zero and precision positive.
func roundQuotient(a, b, precision decimal.Decimal, mode RoundingMode) decimal.Decimal {
	divisor := b.Abs().Mul(precision)
	dividend := a
	if b.IsNegative() {
		dividend = a.Neg()
	}
	// dividend = divisor × q + r with q whole and r carrying dividend's sign.
	q, r := dividend.QuoRem(divisor, 0)
	if r.IsZero() {
		return q.Mul(precision)
	}
	away := false
	switch twiceRest := r.Abs().Add(r.Abs()); mode {
	case RoundUp:
		away = true
	case RoundDown:
		away = false
	case RoundHalfUp:
		away = twiceRest.Cmp(divisor) >= 0
	case RoundHalfEven:
		c := twiceRest.Cmp(divisor)
		away = c > 0 || (c == 0 && !q.Mod(decimal.NewFromInt(2)).IsZero())
	default:
		panic(fmt.Sprintf("unknown rounding mode %q", mode))
	}
	if away {
		q = q.Add(decimal.NewFromInt(int64(r.Sign())))
	}
	return q.Mul(precision)
}

// taxMethod is the ERP's tax computation: level, rounding mode and
// precision, plus the currency precision that amounts including tax are
// split at.
type taxMethod struct {
	level           string
	mode            RoundingMode
	precision       decimal.Decimal
	amountPrecision decimal.Decimal
}

// taxLine is one taxable line with its rate as a fraction, such as 0.0825.
type taxLine struct {
	net, gross, rate decimal.Decimal
}

// refLineRate is a line's rate: taxPercent / 100 when the ERP has the
// line (hasPercent), otherwise BigCommerce's tax over the net, divided
// to 16 decimals and rounded half away from zero as Decimal.Div does.
func refLineRate(net, gross, bcTax, taxPercent decimal.Decimal, hasPercent, inclusive bool) decimal.Decimal {
	if hasPercent {
		return taxPercent.Shift(-2)
	}
	base := net
	if inclusive {
		base = gross.Sub(bcTax)
	}
	if base.IsZero() {
		return decimal.Zero
	}
	return bcTax.Div(base)
}

// orderTax returns the tax on one order's lines and the number of lines
// taxed at a non-zero rate.
func (m taxMethod) orderTax(lines []taxLine, inclusive bool) (decimal.Decimal, int) {
	taxed := 0
	for _, l := range lines {
		if !l.rate.IsZero() {
			taxed++
		}
	}
	bases := lines
	if m.level == TaxLevelDocument {
		bases = sumPerRate(lines)
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
		net := roundQuotient(l.gross, decimal.NewFromInt(1).Add(l.rate), m.amountPrecision, RoundHalfUp)
		return l.gross.Sub(net)
	}
	return roundMultiple(l.net.Mul(l.rate), m.precision, m.mode)
}

// sumPerRate returns one line per distinct rate holding the sums of the
// lines at that rate.
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
