package main

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/recon-tools/recon/rules"
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

func TestAtStakeSingularUnit(t *testing.T) {
	oneUnit := rules.RuleResult{AtStake: map[string]decimal.Decimal{"units": decimal.NewFromInt(1)}}
	mixed := rules.RuleResult{AtStake: map[string]decimal.Decimal{"units": decimal.NewFromInt(2), "USD": decimal.RequireFromString("1")}}

	if got := atStake(oneUnit); got != "1 unit" {
		t.Errorf("atStake of 1 unit = %q", got)
	}
	if got := atStake(mixed); got != "1.00 USD, 2 units" {
		t.Errorf("atStake of 2 units and 1 USD = %q", got)
	}
}
