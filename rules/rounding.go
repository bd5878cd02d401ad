package rules

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
