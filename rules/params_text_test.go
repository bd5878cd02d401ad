package rules

import (
	"maps"
	"slices"
	"testing"
)

func TestParamsSetRoundTrips(t *testing.T) {
	defaults := DefaultParams()
	var p Params
	for name, text := range defaults.Values() {
		if err := p.Set(name, text); err != nil {
			t.Fatalf("Set(%s, %q): %v", name, text, err)
		}
	}
	if got, want := p.Values(), defaults.Values(); !maps.Equal(got, want) {
		t.Errorf("round trip:\n got  %v\n want %v", got, want)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("round-tripped defaults invalid: %v", err)
	}
}

func TestParamNamesCoverValues(t *testing.T) {
	names := ParamNames()
	values := DefaultParams().Values()
	for _, name := range names {
		if _, ok := values[name]; !ok {
			t.Errorf("parameter %s has no value", name)
		}
	}
	if len(names) != len(values) {
		t.Errorf("%d names, %d values", len(names), len(values))
	}
	for _, r := range All() {
		for _, param := range r.Params {
			if !slices.Contains(names, param.Name) {
				t.Errorf("rule %s declares %s, which cannot be set", r.ID, param.Name)
			}
		}
	}
}

func TestParamsSetRejects(t *testing.T) {
	var p Params
	cases := map[string]string{
		"stock_buffer":       "two",
		"tax_precision":      "1,5",
		"paid_statuses":      "2;3",
		"stock_location_map": "MAIN",
		"no_such_parameter":  "1",
	}
	for name, text := range cases {
		if err := p.Set(name, text); err == nil {
			t.Errorf("Set(%s, %q) accepted", name, text)
		}
	}
}

func TestParamsSetStatuses(t *testing.T) {
	var p Params
	if err := p.Set("paid_statuses", " 2, 3 ,10 "); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.PaidStatuses, []int64{2, 3, 10}) {
		t.Errorf("paid statuses %v, want [2 3 10]", p.PaidStatuses)
	}
}
