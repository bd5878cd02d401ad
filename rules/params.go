package rules

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Params are the settings rules read. The zero value is not useful: start
// from DefaultParams.
type Params struct {
	// StockBuffer is the number of units the storefront holds back from
	// the ERP's available stock.
	StockBuffer int64
	// TaxLineTolerance is the rounding difference allowed per taxed line,
	// in major currency units: half a minor unit, 0.005.
	TaxLineTolerance decimal.Decimal
	// CurrencyPrecision is the smallest currency unit the ERP books, such
	// as 0.01; it must be a power of ten.
	CurrencyPrecision decimal.Decimal
	// LocalCurrency is the ERP's local currency as an ISO 4217 code. The
	// ERP leaves currencyCode empty for it.
	LocalCurrency string
	// CreditMemoPattern matches a credit memo's externalDocumentNumber;
	// group 1 captures the BigCommerce order id and group 2 the refund id.
	CreditMemoPattern string
	// CreditMemoTolerance is the amount a credit memo may differ from its
	// refund without a finding, in major currency units.
	CreditMemoTolerance decimal.Decimal

	// PaidStatuses are the BigCommerce status_id values of orders whose
	// payment was taken, which the ERP must hold a sales order for.
	PaidStatuses []int64
	// UnpaidStatuses are the status_id values of orders whose payment was
	// never captured, which the ERP must not hold a sales order for.
	UnpaidStatuses []int64
	// OrderGraceHours is how long a paid order may go without an ERP
	// sales order before it is reported.
	OrderGraceHours int64
	// ERPShippingAccount is the G/L account number the ERP books shipping
	// to, on an Account line.
	ERPShippingAccount string
	// ShippedStatuses are the status_id values an order may have once it
	// has shipped.
	ShippedStatuses []int64
	// DispatchGraceHours is how long BigCommerce may lag behind a WMS
	// shipment before it is reported.
	DispatchGraceHours int64
	// PayoutGraceDays is how many days a captured charge or a refund may
	// go without a payout before it is reported, counted back from the
	// run's as-of time.
	PayoutGraceDays int64
	// TaxLevel is the level at which the ERP rounds tax: per "line" or per "document"
	// and tax rate.
	TaxLevel string
	// TaxRounding is the ERP's tax rounding mode.
	TaxRounding RoundingMode
	// TaxPrecision is the multiple the ERP rounds tax to, such as 0.01,
	// 0.05 or 1.
	TaxPrecision decimal.Decimal
	// ERPGoodwillAccount is the G/L account of goodwill (order-level)
	// refund lines.
	ERPGoodwillAccount string
	// StockLocationMap maps a BigCommerce location code or id to an ERP
	// location code. A location it does not list maps to the ERP location
	// of the same code.
	StockLocationMap map[string]string
}

// DefaultParams returns the parameters used when the config sets none.
func DefaultParams() Params {
	return Params{
		StockBuffer:         0,
		TaxLineTolerance:    decimal.RequireFromString("0.005"),
		CurrencyPrecision:   decimal.RequireFromString("0.01"),
		LocalCurrency:       "USD",
		CreditMemoPattern:   `^(\d+)-R(\d+)$`,
		CreditMemoTolerance: decimal.Zero,

		PaidStatuses:       []int64{2, 3, 4, 9, 10, 11, 14},
		UnpaidStatuses:     []int64{0, 1, 5, 6, 7, 12},
		OrderGraceHours:    24,
		ERPShippingAccount: "6110",
		ShippedStatuses:    []int64{2, 3, 4, 10, 14},
		DispatchGraceHours: 4,
		PayoutGraceDays:    3,
		TaxLevel:           TaxLevelLine,
		TaxRounding:        RoundHalfUp,
		TaxPrecision:       decimal.RequireFromString("0.01"),
		ERPGoodwillAccount: "6910",
	}
}

// Param describes one parameter for the config template and the report
// legend. The rule SQL reads each parameter with getvariable(Name), except
// currency_precision, which it reads as its number of decimals,
// getvariable('currency_digits').
type Param struct {
	Name        string
	Description string
	Default     string
}

// The parameters, in the order of Params' fields.
var (
	ParamStockBuffer = Param{
		Name:        "stock_buffer",
		Description: "Units the storefront holds back from the ERP's available stock.",
	}
	ParamTaxLineTolerance = Param{
		Name:        "tax_line_tolerance",
		Description: "Tax rounding difference allowed per taxed line, in currency units.",
	}
	ParamCurrencyPrecision = Param{
		Name:        "currency_precision",
		Description: "Smallest currency unit; BigCommerce tax is rounded to it half away from zero.",
	}
	ParamLocalCurrency = Param{
		Name:        "local_currency",
		Description: "ISO code of the ERP's local currency, which the ERP writes as an empty currencyCode.",
	}
	ParamCreditMemoPattern = Param{
		Name:        "credit_memo_pattern",
		Description: "Regular expression for a credit memo's externalDocumentNumber: group 1 is the order id, group 2 the refund id.",
	}
	ParamCreditMemoTolerance = Param{
		Name:        "credit_memo_tolerance",
		Description: "Amount a credit memo may differ from its refund, in currency units.",
	}

	ParamPaidStatuses = Param{
		Name:        "paid_statuses",
		Description: "BigCommerce status_id values of paid orders, which the ERP must hold; comma-separated, never 0 (Incomplete).",
	}
	ParamUnpaidStatuses = Param{
		Name:        "unpaid_statuses",
		Description: "BigCommerce status_id values of orders never captured, which the ERP must not hold; comma-separated.",
	}
	ParamOrderGraceHours = Param{
		Name:        "order_grace_hours",
		Description: "Hours a paid order may go without an ERP sales order, counted from its creation to the BigCommerce extraction.",
	}
	ParamERPShippingAccount = Param{
		Name:        "erp_shipping_account",
		Description: "G/L account number of the ERP's shipping lines (lineType Account).",
	}
	ParamShippedStatuses = Param{
		Name:        "shipped_statuses",
		Description: "BigCommerce status_id values an order may have after it shipped; comma-separated.",
	}
	ParamDispatchGraceHours = Param{
		Name:        "dispatch_grace_hours",
		Description: "Hours BigCommerce may take to record a WMS shipment, counted from shipped_at to the BigCommerce extraction.",
	}
	ParamPayoutGraceDays = Param{
		Name:        "payout_grace_days",
		Description: "Days a captured charge or a refund may wait for a payout before it is reported.",
	}
)

// withDefault returns p with Default set from DefaultParams.
func withDefault(p Param) Param {
	p.Default = DefaultParams().values()[p.Name]
	return p
}

// values returns each parameter's value as text, keyed by parameter name.
func (p Params) values() map[string]string {
	return map[string]string{
		ParamStockBuffer.Name:         strconv.FormatInt(p.StockBuffer, 10),
		ParamTaxLineTolerance.Name:    p.TaxLineTolerance.String(),
		ParamCurrencyPrecision.Name:   p.CurrencyPrecision.String(),
		ParamLocalCurrency.Name:       p.LocalCurrency,
		ParamCreditMemoPattern.Name:   p.CreditMemoPattern,
		ParamCreditMemoTolerance.Name: p.CreditMemoTolerance.String(),

		ParamPaidStatuses.Name:       statusList(p.PaidStatuses),
		ParamUnpaidStatuses.Name:     statusList(p.UnpaidStatuses),
		ParamOrderGraceHours.Name:    strconv.FormatInt(p.OrderGraceHours, 10),
		ParamERPShippingAccount.Name: p.ERPShippingAccount,
		ParamShippedStatuses.Name:    statusList(p.ShippedStatuses),
		ParamDispatchGraceHours.Name: strconv.FormatInt(p.DispatchGraceHours, 10),
		ParamPayoutGraceDays.Name:    strconv.FormatInt(p.PayoutGraceDays, 10),
		ParamTaxLevel.Name:           p.TaxLevel,
		ParamTaxRounding.Name:        string(p.TaxRounding),
		ParamTaxPrecision.Name:       p.TaxPrecision.String(),
		ParamERPGoodwillAccount.Name: p.ERPGoodwillAccount,
		ParamStockLocationMap.Name:   formatLocationMap(p.StockLocationMap),
	}
}

// Validate reports the first parameter that rules cannot use.
func (p Params) Validate() error {
	if p.StockBuffer < 0 {
		return fmt.Errorf("%w: stock_buffer %d is negative", ErrInvalidParam, p.StockBuffer)
	}
	if err := checkAmount("tax_line_tolerance", p.TaxLineTolerance); err != nil {
		return err
	}
	if err := checkAmount("credit_memo_tolerance", p.CreditMemoTolerance); err != nil {
		return err
	}
	if _, err := currencyDigits(p.CurrencyPrecision); err != nil {
		return err
	}
	if !isCurrencyCode(p.LocalCurrency) {
		return fmt.Errorf("%w: local_currency %q is not a three-letter ISO code", ErrInvalidParam, p.LocalCurrency)
	}
	re, err := regexp.Compile(p.CreditMemoPattern)
	if err != nil {
		return fmt.Errorf("%w: credit_memo_pattern: %w", ErrInvalidParam, err)
	}
	if re.NumSubexp() < 2 {
		return fmt.Errorf("%w: credit_memo_pattern %q needs two groups, order id and refund id", ErrInvalidParam, p.CreditMemoPattern)
	}
	if err := p.validateOrderFlow(); err != nil {
		return err
	}
	return p.validateDepthParams()
}

// validateOrderFlow checks the parameters of the order and dispatch
// rules.
func (p Params) validateOrderFlow() error {
	for _, s := range []struct {
		name     string
		statuses []int64
	}{
		{"paid_statuses", p.PaidStatuses},
		{"unpaid_statuses", p.UnpaidStatuses},
		{"shipped_statuses", p.ShippedStatuses},
	} {
		if err := checkStatuses(s.name, s.statuses); err != nil {
			return err
		}
	}
	if len(p.PaidStatuses) == 0 {
		return fmt.Errorf("%w: paid_statuses is empty; list at least one status_id", ErrInvalidParam)
	}
	if slices.Contains(p.PaidStatuses, 0) {
		return fmt.Errorf("%w: paid_statuses contains 0, Incomplete, which is never a paid order", ErrInvalidParam)
	}
	for _, id := range p.PaidStatuses {
		if slices.Contains(p.UnpaidStatuses, id) {
			return fmt.Errorf("%w: status_id %d is in both paid_statuses and unpaid_statuses", ErrInvalidParam, id)
		}
	}
	if p.OrderGraceHours < 0 {
		return fmt.Errorf("%w: order_grace_hours %d is negative", ErrInvalidParam, p.OrderGraceHours)
	}
	if p.DispatchGraceHours < 0 {
		return fmt.Errorf("%w: dispatch_grace_hours %d is negative", ErrInvalidParam, p.DispatchGraceHours)
	}
	if strings.TrimSpace(p.ERPShippingAccount) == "" {
		return fmt.Errorf("%w: erp_shipping_account is empty; set the G/L account of shipping lines", ErrInvalidParam)
	}
	if p.PayoutGraceDays < 0 || p.PayoutGraceDays > maxPayoutGraceDays {
		return fmt.Errorf("%w: payout_grace_days %d is not between 0 and %d", ErrInvalidParam, p.PayoutGraceDays, maxPayoutGraceDays)
	}
	return nil
}

// checkStatuses rejects a negative or repeated BigCommerce status_id.
func checkStatuses(name string, statuses []int64) error {
	for i, id := range statuses {
		if id < 0 {
			return fmt.Errorf("%w: %s contains the negative status_id %d", ErrInvalidParam, name, id)
		}
		if slices.Contains(statuses[:i], id) {
			return fmt.Errorf("%w: %s contains status_id %d twice", ErrInvalidParam, name, id)
		}
	}
	return nil
}

// statusList writes status ids as the comma-separated text of the
// config and the report legend.
func statusList(statuses []int64) string {
	parts := make([]string, len(statuses))
	for i, id := range statuses {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// checkAmount rejects a negative amount and one with more than four
// decimals, because binding it into DECIMAL(18,4) would round it silently.
func checkAmount(name string, d decimal.Decimal) error {
	if d.IsNegative() {
		return fmt.Errorf("%w: %s %s is negative", ErrInvalidParam, name, d)
	}
	if !d.Equal(d.Truncate(4)) {
		return fmt.Errorf("%w: %s %s has more than 4 decimals", ErrInvalidParam, name, d)
	}
	return nil
}

// currencyDigits returns the number of decimals of a precision such as
// 0.01, which must be 1 or a negative power of ten down to 0.0001.
func currencyDigits(precision decimal.Decimal) (int32, error) {
	for digits := int32(0); digits <= 4; digits++ {
		if precision.Equal(decimal.New(1, -digits)) {
			return digits, nil
		}
	}
	return 0, fmt.Errorf("%w: currency_precision %s is not 1, 0.1, 0.01, 0.001 or 0.0001", ErrInvalidParam, precision)
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for _, c := range s {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// setVariables stores the parameters as DuckDB variables on tx's
// connection, where the rule SQL reads them with getvariable.
func (p Params) setVariables(ctx context.Context, tx *sql.Tx) error {
	digits, err := currencyDigits(p.CurrencyPrecision)
	if err != nil {
		return err
	}
	statements := []struct {
		sql   string
		value any
	}{
		{"SET VARIABLE stock_buffer = CAST(? AS BIGINT)", p.StockBuffer},
		{"SET VARIABLE tax_line_tolerance = CAST(? AS DECIMAL(18,4))", p.TaxLineTolerance.String()},
		{"SET VARIABLE currency_digits = CAST(? AS INTEGER)", digits},
		{"SET VARIABLE local_currency = CAST(? AS VARCHAR)", p.LocalCurrency},
		{"SET VARIABLE credit_memo_pattern = CAST(? AS VARCHAR)", p.CreditMemoPattern},
		{"SET VARIABLE credit_memo_tolerance = CAST(? AS DECIMAL(18,4))", p.CreditMemoTolerance.String()},

		{"SET VARIABLE paid_statuses = CAST(json(?) AS BIGINT[])", "[" + statusList(p.PaidStatuses) + "]"},
		{"SET VARIABLE unpaid_statuses = CAST(json(?) AS BIGINT[])", "[" + statusList(p.UnpaidStatuses) + "]"},
		{"SET VARIABLE order_grace_hours = CAST(? AS BIGINT)", p.OrderGraceHours},
		{"SET VARIABLE erp_shipping_account = CAST(? AS VARCHAR)", strings.TrimSpace(p.ERPShippingAccount)},
		{"SET VARIABLE shipped_statuses = CAST(json(?) AS BIGINT[])", "[" + statusList(p.ShippedStatuses) + "]"},
		{"SET VARIABLE dispatch_grace_hours = CAST(? AS BIGINT)", p.DispatchGraceHours},
		{"SET VARIABLE payout_grace_days = CAST(? AS INTEGER)", p.PayoutGraceDays},
		{"SET VARIABLE tax_level = CAST(? AS VARCHAR)", p.TaxLevel},
		{"SET VARIABLE tax_rounding = CAST(? AS VARCHAR)", string(p.TaxRounding)},
		{"SET VARIABLE tax_precision = CAST(? AS DECIMAL(18,4))", p.TaxPrecision.String()},
		{"SET VARIABLE erp_goodwill_account = CAST(? AS VARCHAR)", p.ERPGoodwillAccount},
		{"SET VARIABLE stock_location_map = CAST(? AS JSON)", locationMapJSON(p.StockLocationMap)},
	}
	for _, s := range statements {
		if _, err := tx.ExecContext(ctx, s.sql, s.value); err != nil {
			return fmt.Errorf("set rule parameter: %s: %w", s.sql, err)
		}
	}
	return nil
}

// maxPayoutGraceDays bounds payout_grace_days at ten years, so that the
// grace always fits DuckDB's INTEGER day count.
const maxPayoutGraceDays = 3660

// The tax levels of TaxLevel.
const (
	TaxLevelLine     = "line"
	TaxLevelDocument = "document"
)

// The parameters of the tax recomputation, the credit memo line rules
// and the stock location mapping.
var (
	ParamTaxLevel = Param{
		Name:        "tax_level",
		Description: "Where the ERP rounds tax: line (each line) or document (each tax rate's total).",
	}
	ParamTaxRounding = Param{
		Name:        "tax_rounding",
		Description: "ERP tax rounding: half_up (ties away from zero), half_even (ties to even), up (away from zero) or down (toward zero).",
	}
	ParamTaxPrecision = Param{
		Name:        "tax_precision",
		Description: "Multiple the ERP rounds tax to, such as 0.01, 0.05 or 1, in currency units.",
	}
	ParamERPGoodwillAccount = Param{
		Name:        "erp_goodwill_account",
		Description: "ERP G/L account of goodwill (order-level) refund lines on credit memos.",
	}
	ParamStockLocationMap = Param{
		Name:        "stock_location_map",
		Description: "BigCommerce location code or id to ERP location code, as CODE=ERPCODE pairs separated by commas; unlisted locations match the ERP location of the same code.",
	}
)

// validateDepthParams checks the parameters of the block above.
func (p Params) validateDepthParams() error {
	if p.TaxLevel != TaxLevelLine && p.TaxLevel != TaxLevelDocument {
		return fmt.Errorf("%w: tax_level %q is not line or document", ErrInvalidParam, p.TaxLevel)
	}
	if !slices.Contains(roundingModes, p.TaxRounding) {
		return fmt.Errorf("%w: tax_rounding %q is not half_up, half_even, up or down", ErrInvalidParam, p.TaxRounding)
	}
	if !p.TaxPrecision.IsPositive() {
		return fmt.Errorf("%w: tax_precision %s is not positive", ErrInvalidParam, p.TaxPrecision)
	}
	if err := checkAmount("tax_precision", p.TaxPrecision); err != nil {
		return err
	}
	if strings.TrimSpace(p.ERPShippingAccount) == "" || strings.TrimSpace(p.ERPGoodwillAccount) == "" {
		return fmt.Errorf("%w: erp_shipping_account and erp_goodwill_account must not be empty", ErrInvalidParam)
	}
	for from, to := range p.StockLocationMap {
		if strings.TrimSpace(from) == "" || strings.TrimSpace(to) == "" {
			return fmt.Errorf("%w: stock_location_map entry %q=%q has an empty side", ErrInvalidParam, from, to)
		}
	}
	return nil
}

// ParseLocationMap reads a stock_location_map value such as
// "MAIN=WH1, 2=EAST". Keys are BigCommerce location codes or ids; an
// empty value is the identity mapping.
func ParseLocationMap(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		if strings.TrimSpace(pair) == "" {
			continue
		}
		from, to, ok := strings.Cut(pair, "=")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !ok || from == "" || to == "" {
			return nil, fmt.Errorf("%w: stock_location_map entry %q is not CODE=ERPCODE", ErrInvalidParam, pair)
		}
		out[strings.ToUpper(from)] = to
	}
	return out, nil
}

// formatLocationMap writes m in ParseLocationMap's form, keys sorted.
func formatLocationMap(m map[string]string) string {
	pairs := make([]string, 0, len(m))
	for from, to := range m {
		pairs = append(pairs, from+"="+to)
	}
	slices.Sort(pairs)
	return strings.Join(pairs, ",")
}

// locationMapJSON returns m as a JSON object with upper-case keys, which
// the stock SQL reads with json_extract_string.
func locationMapJSON(m map[string]string) string {
	upper := make(map[string]string, len(m))
	for from, to := range m {
		upper[strings.ToUpper(strings.TrimSpace(from))] = strings.TrimSpace(to)
	}
	data, err := json.Marshal(upper)
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return string(data)
}
