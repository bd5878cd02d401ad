package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// paramSetter parses the text form of one parameter into Params.
type paramSetter struct {
	name string
	set  func(p *Params, text string) error
}

// paramSetters lists every parameter in the order of Params' fields. The
// text forms are those Values writes, so a config file round-trips.
var paramSetters = []paramSetter{
	{"stock_buffer", intParam(func(p *Params) *int64 { return &p.StockBuffer })},
	{"tax_line_tolerance", decimalParam(func(p *Params) *decimal.Decimal { return &p.TaxLineTolerance })},
	{"currency_precision", decimalParam(func(p *Params) *decimal.Decimal { return &p.CurrencyPrecision })},
	{"local_currency", stringParam(func(p *Params) *string { return &p.LocalCurrency })},
	{"credit_memo_pattern", stringParam(func(p *Params) *string { return &p.CreditMemoPattern })},
	{"credit_memo_tolerance", decimalParam(func(p *Params) *decimal.Decimal { return &p.CreditMemoTolerance })},
	{"paid_statuses", statusesParam(func(p *Params) *[]int64 { return &p.PaidStatuses })},
	{"unpaid_statuses", statusesParam(func(p *Params) *[]int64 { return &p.UnpaidStatuses })},
	{"order_grace_hours", intParam(func(p *Params) *int64 { return &p.OrderGraceHours })},
	{"erp_shipping_account", stringParam(func(p *Params) *string { return &p.ERPShippingAccount })},
	{"shipped_statuses", statusesParam(func(p *Params) *[]int64 { return &p.ShippedStatuses })},
	{"dispatch_grace_hours", intParam(func(p *Params) *int64 { return &p.DispatchGraceHours })},
	{"payout_grace_days", intParam(func(p *Params) *int64 { return &p.PayoutGraceDays })},
	{"tax_level", stringParam(func(p *Params) *string { return &p.TaxLevel })},
	{"tax_rounding", func(p *Params, text string) error { p.TaxRounding = RoundingMode(text); return nil }},
	{"tax_precision", decimalParam(func(p *Params) *decimal.Decimal { return &p.TaxPrecision })},
	{"erp_goodwill_account", stringParam(func(p *Params) *string { return &p.ERPGoodwillAccount })},
	{"stock_location_map", func(p *Params, text string) error {
		m, err := ParseLocationMap(text)
		p.StockLocationMap = m
		return err
	}},
}

// ParamNames returns the name of every parameter, in the order of
// Params' fields.
func ParamNames() []string {
	names := make([]string, len(paramSetters))
	for i, s := range paramSetters {
		names[i] = s.name
	}
	return names
}

// Set parses text as the value of the named parameter. It checks the
// text's form only; Validate checks the value.
func (p *Params) Set(name, text string) error {
	for _, s := range paramSetters {
		if s.name == name {
			if err := s.set(p, strings.TrimSpace(text)); err != nil {
				return fmt.Errorf("%w: %s: %w", ErrInvalidParam, name, err)
			}
			return nil
		}
	}
	return fmt.Errorf("%w: unknown parameter %q; use one of %s", ErrInvalidParam, name, strings.Join(ParamNames(), ", "))
}

// Values returns every parameter's value as text, keyed by name, in the
// form Set reads.
func (p Params) Values() map[string]string { return p.values() }

func intParam(field func(*Params) *int64) func(*Params, string) error {
	return func(p *Params, text string) error {
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", text)
		}
		*field(p) = n
		return nil
	}
}

func decimalParam(field func(*Params) *decimal.Decimal) func(*Params, string) error {
	return func(p *Params, text string) error {
		d, err := decimal.NewFromString(text)
		if err != nil {
			return fmt.Errorf("%q is not a decimal number", text)
		}
		*field(p) = d
		return nil
	}
}

func stringParam(field func(*Params) *string) func(*Params, string) error {
	return func(p *Params, text string) error {
		*field(p) = text
		return nil
	}
}

// statusesParam parses a comma-separated list of status ids, such as
// "2,3,10".
func statusesParam(field func(*Params) *[]int64) func(*Params, string) error {
	return func(p *Params, text string) error {
		var ids []int64
		for _, part := range strings.Split(text, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			id, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return fmt.Errorf("%q is not a status id", part)
			}
			ids = append(ids, id)
		}
		*field(p) = ids
		return nil
	}
}
