package rules

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// RoundingMode is the rule for rounding an amount to a multiple of a precision.
// Every mode is exact on decimals: none goes through float64.
type RoundingMode string

// The rounding modes. "Up" and "down" are by magnitude, so they treat
// negative amounts like their positive counterparts.
const (
	// RoundHalfUp rounds to the nearest multiple and a tie away from
	// zero, as Business Central's "Nearest" VAT rounding does.
	RoundHalfUp RoundingMode = "half_up"
	// RoundHalfEven rounds to the nearest multiple and a tie to the even
	// multiple (bankers' rounding).
	RoundHalfEven RoundingMode = "half_even"
	// RoundUp rounds away from zero.
	RoundUp RoundingMode = "up"
	// RoundDown rounds toward zero (truncation).
	RoundDown RoundingMode = "down"
)

// roundingModes lists the valid modes, for validation and messages.
var roundingModes = []RoundingMode{RoundHalfUp, RoundHalfEven, RoundUp, RoundDown}

// Round rounds d to a multiple of precision, which must be positive, in
// mode. Precision need not be a power of ten: 0.05 and 1 work as well as
// 0.01.
func Round(d, precision decimal.Decimal, mode RoundingMode) decimal.Decimal {
	return RoundQuotient(d, decimal.NewFromInt(1), precision, mode)
}

// RoundQuotient rounds the exact quotient a / b to a multiple of
// precision in mode. It divides with remainder instead of calling Div,
// which cuts the quotient to 16 digits and could move it onto or off a
// tie. b must be non-zero and precision positive.
func RoundQuotient(a, b, precision decimal.Decimal, mode RoundingMode) decimal.Decimal {
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
		away = c > 0 || (c == 0 && !isEven(q))
	default:
		panic(fmt.Sprintf("rules: unknown rounding mode %q", mode))
	}
	if away {
		q = q.Add(decimal.NewFromInt(int64(r.Sign())))
	}
	return q.Mul(precision)
}

// isEven reports whether the whole number q is even.
func isEven(q decimal.Decimal) bool {
	return q.Mod(decimal.NewFromInt(2)).IsZero()
}
