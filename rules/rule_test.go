package rules

import (
	"slices"
	"testing"

	"github.com/shopspring/decimal"
)

func TestAllRuleIDs(t *testing.T) {
	var ids []string
	for _, r := range All() {
		ids = append(ids, r.ID)
	}
	want := []string{
		"catalog.duplicate_sku",
		"catalog.empty_sku",
		"catalog.unmapped_sku",
		"credit_memo.amount_mismatch",
		"credit_memo.line_mismatch",
		"credit_memo.missing",
		"credit_memo.orphan",
		"credit_memo.restock_mismatch",
		"dispatch.not_in_bigcommerce",
		"dispatch.partial",
		"order.missing_in_erp",
		"order.totals_mismatch",
		"order.unpaid_in_erp",
		"payout.capture_not_paid_out",
		"payout.charge_unmatched",
		"payout.net_mismatch",
		"payout.refund_not_paid_out",
		"stock.mismatch",
		"stock.missing_in_bigcommerce",
		"stock.missing_in_erp",
		"tax.mismatch",
		"tax.rounding",
	}
	if !slices.Equal(ids, want) {
		t.Errorf("rule ids %v, want %v", ids, want)
	}
}

func TestAllRulesDescribed(t *testing.T) {
	owners := []Owner{OwnerEcommerce, OwnerOperations, OwnerFinance}
	severities := []Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh}
	for _, r := range All() {
		if r.Title == "" || r.Question == "" || r.SQL == "" || len(r.Sources) == 0 {
			t.Errorf("rule %s lacks a title, question, SQL or source", r.ID)
		}
		if !slices.Contains(owners, r.Owner) {
			t.Errorf("rule %s owner %q", r.ID, r.Owner)
		}
		if !slices.Contains(severities, r.Severity) {
			t.Errorf("rule %s severity %q", r.ID, r.Severity)
		}
	}
}

func TestParamDefaults(t *testing.T) {
	want := map[string]string{
		"stock_buffer":          "0",
		"tax_line_tolerance":    "0.005",
		"currency_precision":    "0.01",
		"local_currency":        "USD",
		"credit_memo_pattern":   `^(\d+)-R(\d+)$`,
		"credit_memo_tolerance": "0",
		"paid_statuses":         "2,3,4,9,10,11,14",
		"unpaid_statuses":       "0,1,5,6,7,12",
		"order_grace_hours":     "24",
		"erp_shipping_account":  "6110",
		"shipped_statuses":      "2,3,4,10,14",
		"dispatch_grace_hours":  "4",
		"payout_grace_days":     "3",
		"tax_level":             "line",
		"tax_rounding":          "half_up",
		"tax_precision":         "0.01",
		"erp_goodwill_account":  "6910",
		"stock_location_map":    "",
	}
	seen := map[string]bool{}
	for _, r := range All() {
		for _, p := range r.Params {
			seen[p.Name] = true
			if p.Default != want[p.Name] {
				t.Errorf("rule %s param %s default %q, want %q", r.ID, p.Name, p.Default, want[p.Name])
			}
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("param %s used by no rule", name)
		}
	}
}

func TestParamsValidate(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*Params)
	}{
		{"negative buffer", func(p *Params) { p.StockBuffer = -1 }},
		{"five decimals", func(p *Params) { p.TaxLineTolerance = decimal.RequireFromString("0.00005") }},
		{"negative tolerance", func(p *Params) { p.CreditMemoTolerance = decimal.RequireFromString("-0.01") }},
		{"precision not a power of ten", func(p *Params) { p.CurrencyPrecision = decimal.RequireFromString("0.05") }},
		{"lower-case currency", func(p *Params) { p.LocalCurrency = "usd" }},
		{"pattern with one group", func(p *Params) { p.CreditMemoPattern = `^(\d+)$` }},
		{"pattern invalid", func(p *Params) { p.CreditMemoPattern = `^(\d+` }},
		{"no paid statuses", func(p *Params) { p.PaidStatuses = nil }},
		{"incomplete counted as paid", func(p *Params) { p.PaidStatuses = []int64{0, 2} }},
		{"status paid and unpaid", func(p *Params) { p.UnpaidStatuses = []int64{7, 11} }},
		{"negative status", func(p *Params) { p.ShippedStatuses = []int64{-2} }},
		{"repeated status", func(p *Params) { p.ShippedStatuses = []int64{2, 2} }},
		{"negative order grace", func(p *Params) { p.OrderGraceHours = -1 }},
		{"negative dispatch grace", func(p *Params) { p.DispatchGraceHours = -1 }},
		{"blank shipping account", func(p *Params) { p.ERPShippingAccount = " " }},
		{"negative payout grace", func(p *Params) { p.PayoutGraceDays = -1 }},
		{"payout grace over ten years", func(p *Params) { p.PayoutGraceDays = 3661 }},
		{"unknown tax level", func(p *Params) { p.TaxLevel = "invoice" }},
		{"unknown tax rounding", func(p *Params) { p.TaxRounding = "nearest" }},
		{"zero tax precision", func(p *Params) { p.TaxPrecision = decimal.Zero }},
		{"empty shipping account", func(p *Params) { p.ERPShippingAccount = " " }},
		{"location map empty side", func(p *Params) { p.StockLocationMap = map[string]string{"MAIN": ""} }},
	}
	if err := DefaultParams().Validate(); err != nil {
		t.Fatalf("default params: %v", err)
	}
	for _, c := range cases {
		p := DefaultParams()
		c.modify(&p)
		if err := p.Validate(); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}
