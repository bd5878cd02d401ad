package load

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestUnscaledDecimal(t *testing.T) {
	cases := []struct {
		in    string
		scale int32
		want  int64
	}{
		{"0", 4, 0},
		{"55.99", 4, 559900},
		{"-0.0001", 4, -1},
		{"12.30000", 4, 123000},
		{"8", 0, 8},
		{"99999999999999.9999", 4, 999_999_999_999_999_999},
		{"-99999999999999.9999", 4, -999_999_999_999_999_999},
		{"0.1234567891", 10, 1234567891},
		{"1.0000000000000000000000", 4, 10000},
		{"0.000000000000000000000", 4, 0},
	}
	for _, c := range cases {
		got, err := unscaledDecimal(decimal.RequireFromString(c.in), c.scale)
		if err != nil {
			t.Errorf("%s at scale %d: %v", c.in, c.scale, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s at scale %d: got %d, want %d", c.in, c.scale, got, c.want)
		}
	}
}

func TestUnscaledDecimalWithExponent(t *testing.T) {
	got, err := unscaledDecimal(decimal.New(5, 3), 4)
	if err != nil {
		t.Fatal(err)
	}
	if got != 50_000_000 {
		t.Errorf("5e3 at scale 4: got %d, want 50000000", got)
	}
}

func TestUnscaledDecimalRejects(t *testing.T) {
	cases := []struct {
		in    string
		scale int32
		want  string
	}{
		{"1.23456", 4, "more than 4 decimals"},
		{"-0.00001", 4, "more than 4 decimals"},
		{"0.5", 0, "more than 0 decimals"},
		{"100000000000000", 4, "does not fit DECIMAL(18,4)"},
		{"-100000000000000", 4, "does not fit DECIMAL(18,4)"},
		{"12345678901234567890", 0, "does not fit DECIMAL(18,0)"},
		{"1.0000000000000000000001", 4, "more than 4 decimals"},
		{"0.0000000000000000000001", 4, "more than 4 decimals"},
	}
	for _, c := range cases {
		_, err := unscaledDecimal(decimal.RequireFromString(c.in), c.scale)
		if err == nil {
			t.Errorf("%s at scale %d: no error", c.in, c.scale)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s at scale %d: error %q, want it to contain %q", c.in, c.scale, err, c.want)
		}
	}
}
