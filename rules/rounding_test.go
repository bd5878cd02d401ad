package rules

import (
	"testing"

	"github.com/shopspring/decimal"
)

// roundingCases are amounts rounded to a precision in each mode.
var roundingCases = []struct {
	in, precision              string
	halfUp, halfEven, up, down string
}{
	{"0.125", "0.01", "0.13", "0.12", "0.13", "0.12"},
	{"0.135", "0.01", "0.14", "0.14", "0.14", "0.13"},
	{"-0.125", "0.01", "-0.13", "-0.12", "-0.13", "-0.12"},
	{"-0.135", "0.01", "-0.14", "-0.14", "-0.14", "-0.13"},
	{"0.1249", "0.01", "0.12", "0.12", "0.13", "0.12"},
	{"0.1251", "0.01", "0.13", "0.13", "0.13", "0.12"},
	{"-0.1251", "0.01", "-0.13", "-0.13", "-0.13", "-0.12"},
	{"0.12", "0.01", "0.12", "0.12", "0.12", "0.12"},
	{"-0.12", "0.01", "-0.12", "-0.12", "-0.12", "-0.12"},
	{"0", "0.01", "0", "0", "0", "0"},
	{"0.005", "0.01", "0.01", "0", "0.01", "0"},
	{"-0.005", "0.01", "-0.01", "0", "-0.01", "0"},
	{"0.015", "0.01", "0.02", "0.02", "0.02", "0.01"},
	{"4.025", "0.01", "4.03", "4.02", "4.03", "4.02"},
	{"0.075", "0.05", "0.1", "0.1", "0.1", "0.05"},
	{"0.025", "0.05", "0.05", "0", "0.05", "0"},
	{"0.125", "0.05", "0.15", "0.1", "0.15", "0.1"},
	{"-0.125", "0.05", "-0.15", "-0.1", "-0.15", "-0.1"},
	{"0.0749", "0.05", "0.05", "0.05", "0.1", "0.05"},
	{"2.5", "1", "3", "2", "3", "2"},
	{"3.5", "1", "4", "4", "4", "3"},
	{"-2.5", "1", "-3", "-2", "-3", "-2"},
	{"-3.5", "1", "-4", "-4", "-4", "-3"},
	{"2.0001", "1", "2", "2", "3", "2"},
	{"-2.0001", "1", "-2", "-2", "-3", "-2"},
	{"1234567.895", "0.01", "1234567.9", "1234567.9", "1234567.9", "1234567.89"},
	{"0.00005", "0.0001", "0.0001", "0", "0.0001", "0"},
}

func TestRoundModesAtTiesAndSigns(t *testing.T) {
	for _, c := range roundingCases {
		want := map[RoundingMode]string{RoundHalfUp: c.halfUp, RoundHalfEven: c.halfEven, RoundUp: c.up, RoundDown: c.down}
		for _, mode := range roundingModes {
			got := roundMultiple(decimal.RequireFromString(c.in), decimal.RequireFromString(c.precision), mode)
			if !got.Equal(decimal.RequireFromString(want[mode])) {
				t.Errorf("roundMultiple(%s, %s, %s) = %s, want %s", c.in, c.precision, mode, got, want[mode])
			}
		}
	}
}

// TestRoundHalfEvenEveryTie walks every tie between -10.00 and 10.00 at
// 0.01 and checks that half_even lands on an even number of cents.
func TestRoundHalfEvenEveryTie(t *testing.T) {
	precision := decimal.RequireFromString("0.01")
	for cents := int64(-1000); cents < 1000; cents++ {
		tie := decimal.New(cents*10+5, -3)
		got := roundMultiple(tie, precision, RoundHalfEven)
		lower := decimal.New(cents, -2)
		upper := decimal.New(cents+1, -2)
		want := lower
		if cents%2 != 0 {
			want = upper
		}
		if !got.Equal(want) {
			t.Errorf("roundMultiple(%s, 0.01, half_even) = %s, want %s", tie, got, want)
		}
		halfUp := roundMultiple(tie, precision, RoundHalfUp)
		wantHalfUp := upper
		if tie.IsNegative() {
			wantHalfUp = lower
		}
		if !halfUp.Equal(wantHalfUp) {
			t.Errorf("roundMultiple(%s, 0.01, half_up) = %s, want %s", tie, halfUp, wantHalfUp)
		}
	}
}

func TestRoundQuotientExactTie(t *testing.T) {
	// 0.03 / 1.2 = 0.025 exactly.
	cases := []struct {
		a, b string
		mode RoundingMode
		want string
	}{
		{"0.03", "1.2", RoundHalfUp, "0.03"},
		{"0.03", "1.2", RoundHalfEven, "0.02"},
		{"0.03", "1.2", RoundDown, "0.02"},
		{"-0.03", "1.2", RoundHalfUp, "-0.03"},
		{"0.03", "-1.2", RoundHalfUp, "-0.03"},
		{"10", "3", RoundHalfUp, "3.33"},
		{"10", "3", RoundUp, "3.34"},
		{"20", "3", RoundHalfEven, "6.67"},
	}
	for _, c := range cases {
		got := roundQuotient(decimal.RequireFromString(c.a), decimal.RequireFromString(c.b),
			decimal.RequireFromString("0.01"), c.mode)
		if !got.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("roundQuotient(%s, %s, 0.01, %s) = %s, want %s", c.a, c.b, c.mode, got, c.want)
		}
	}
}
