package main

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestStakeTextGroupsThousands(t *testing.T) {
	cases := []struct {
		amount, unit, want string
	}{
		{"1234567.891", "USD", "1,234,567.89"},
		{"-1234.5", "EUR", "-1,234.50"},
		{"0", "USD", "0.00"},
		{"100", "USD", "100.00"},
		{"999.995", "USD", "1,000.00"},
		{"1", "units", "1"},
		{"2.5", "units", "2.5"},
	}
	for _, c := range cases {
		if got := stakeText(decimal.RequireFromString(c.amount), c.unit); got != c.want {
			t.Errorf("stakeText(%s, %s) = %q, want %q", c.amount, c.unit, got, c.want)
		}
	}
}
