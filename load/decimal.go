package load

import (
	"fmt"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/shopspring/decimal"
)

// maxUnscaled is the largest unscaled value of a DECIMAL(18, s) column.
const maxUnscaled = 999_999_999_999_999_999

// pow10 holds 10^0 through 10^18, all of which fit in an int64.
var pow10 = func() [DecimalPrecision + 1]int64 {
	var p [DecimalPrecision + 1]int64
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// unscaledDecimal returns d as an unscaled integer at the given scale, so
// that d = n / 10^scale exactly. It never rounds. It returns an error
// when d has a nonzero digit beyond the scale, or when n has more than
// DecimalPrecision digits. Trailing zeros beyond the scale are dropped.
func unscaledDecimal(d decimal.Decimal, scale int32) (int64, error) {
	if d.NumDigits() > DecimalPrecision {
		return unscaledBig(d, scale)
	}
	n, shift := d.CoefficientInt64(), scale+d.Exponent()
	if shift < 0 {
		if -shift > DecimalPrecision || n%pow10[-shift] != 0 {
			if n != 0 {
				return 0, errTooManyDecimals(d, scale)
			}
			return 0, nil
		}
		return n / pow10[-shift], nil
	}
	if shift > DecimalPrecision || abs(n) > maxUnscaled/pow10[shift] {
		if n != 0 {
			return 0, errOutOfRange(d, scale)
		}
		return 0, nil
	}
	return n * pow10[shift], nil
}

// unscaledBig is unscaledDecimal for coefficients beyond int64. Such a
// value can still fit when its coefficient ends in zeros.
func unscaledBig(d decimal.Decimal, scale int32) (int64, error) {
	n, shift := d.Coefficient(), int64(scale)+int64(d.Exponent())
	ten := big.NewInt(10)
	if shift < 0 {
		divisor := new(big.Int).Exp(ten, big.NewInt(-shift), nil)
		var rem big.Int
		n.QuoRem(n, divisor, &rem)
		if rem.Sign() != 0 {
			return 0, errTooManyDecimals(d, scale)
		}
	} else {
		n.Mul(n, new(big.Int).Exp(ten, big.NewInt(shift), nil))
	}
	if n.CmpAbs(big.NewInt(maxUnscaled)) > 0 {
		return 0, errOutOfRange(d, scale)
	}
	return n.Int64(), nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func errTooManyDecimals(d decimal.Decimal, scale int32) error {
	return fmt.Errorf("value %s has more than %d decimals, which the column cannot store without rounding", d, scale)
}

func errOutOfRange(d decimal.Decimal, scale int32) error {
	return fmt.Errorf("value %s does not fit DECIMAL(%d,%d)", d, DecimalPrecision, scale)
}

// decimalNum converts d to an Arrow decimal128 at the given scale.
func decimalNum(d decimal.Decimal, scale int32) (decimal128.Num, error) {
	n, err := unscaledDecimal(d, scale)
	if err != nil {
		return decimal128.Num{}, err
	}
	return decimal128.FromI64(n), nil
}
