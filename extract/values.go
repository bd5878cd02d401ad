package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Decimal is a nullable fixed-point number: money, rates and quantities.
// It decodes exactly from a JSON string, a JSON number or null, and from
// CSV text. An empty string is NULL, because BigCommerce sends "" for
// fields that do not apply to an order. The zero value is NULL.
type Decimal struct {
	value decimal.Decimal
	valid bool
}

// NewDecimal returns a valid Decimal holding d.
func NewDecimal(d decimal.Decimal) Decimal { return Decimal{value: d, valid: true} }

// MustDecimal parses s and panics if it is not a decimal number. It is
// meant for tests and constants.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// ParseDecimal parses a decimal number such as "12.3400", "8" or "-0.5".
// Surrounding spaces are ignored and an empty string is NULL. Exponents,
// hexadecimal, NaN and infinities are rejected.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Decimal{}, nil
	}
	if !isPlainDecimal(s) {
		return Decimal{}, fmt.Errorf("invalid decimal %q", s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Decimal{}, fmt.Errorf("invalid decimal %q", s)
	}
	return NewDecimal(d), nil
}

// isPlainDecimal reports whether s is an optional sign, digits and at most
// one decimal point with digits on at least one side.
func isPlainDecimal(s string) bool {
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	digits, dots := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// Valid reports whether d holds a value.
func (d Decimal) Valid() bool { return d.valid }

// Value returns the number, or zero when d is NULL.
func (d Decimal) Value() decimal.Decimal { return d.value }

// DecimalValue returns the number and whether it is set.
func (d Decimal) DecimalValue() (decimal.Decimal, bool) { return d.value, d.valid }

// String returns the number as written, or "NULL".
func (d Decimal) String() string {
	if !d.valid {
		return "NULL"
	}
	return d.value.String()
}

// UnmarshalJSON accepts a JSON string, a JSON number or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*d = Decimal{}
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return fmt.Errorf("invalid decimal %s", b)
		}
	} else if strings.ContainsAny(text, "eE") {
		// JSON allows exponents in numbers; decimal parses them exactly.
		v, err := decimal.NewFromString(text)
		if err != nil {
			return fmt.Errorf("invalid decimal %s", b)
		}
		*d = NewDecimal(v)
		return nil
	}
	v, err := ParseDecimal(text)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes the number as a JSON string, or null.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if !d.valid {
		return []byte("null"), nil
	}
	return json.Marshal(d.value.String())
}

// Int is a nullable integer that decodes from a JSON number, a numeric
// JSON string or null. BigCommerce sends some ids as strings, for example
// a transaction's order_id.
type Int struct {
	value int64
	valid bool
}

// NewInt returns a valid Int holding v.
func NewInt(v int64) Int { return Int{value: v, valid: true} }

// ParseInt parses a base-10 integer; an empty string is NULL.
func ParseInt(s string) (Int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Int{}, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return Int{}, fmt.Errorf("invalid integer %q", s)
	}
	return NewInt(v), nil
}

// Valid reports whether i holds a value.
func (i Int) Valid() bool { return i.valid }

// Value returns the integer, or zero when i is NULL.
func (i Int) Value() int64 { return i.value }

// IntValue returns the integer and whether it is set.
func (i Int) IntValue() (int64, bool) { return i.value, i.valid }

// UnmarshalJSON accepts a JSON number without a fraction, a string holding
// one, an empty string or null.
func (i *Int) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*i = Int{}
		return nil
	}
	text := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &text); err != nil {
			return fmt.Errorf("invalid integer %s", b)
		}
	}
	v, err := ParseInt(text)
	if err != nil {
		return err
	}
	*i = v
	return nil
}

// MarshalJSON writes the integer as a JSON number, or null.
func (i Int) MarshalJSON() ([]byte, error) {
	if !i.valid {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatInt(i.value, 10)), nil
}

// Timestamp is a nullable instant, always held in UTC.
type Timestamp struct {
	t     time.Time
	valid bool
}

// NewTimestamp returns a valid Timestamp for t, converted to UTC.
func NewTimestamp(t time.Time) Timestamp { return Timestamp{t: t.UTC(), valid: true} }

// Valid reports whether t holds a value.
func (t Timestamp) Valid() bool { return t.valid }

// Time returns the instant in UTC, or the zero time when t is NULL.
func (t Timestamp) Time() time.Time { return t.t }

// TimeValue returns the instant in UTC and whether it is set.
func (t Timestamp) TimeValue() (time.Time, bool) { return t.t, t.valid }

// String formats t as RFC 3339, or "NULL".
func (t Timestamp) String() string {
	if !t.valid {
		return "NULL"
	}
	return t.t.Format(time.RFC3339Nano)
}

// ParseRFC2822 parses a BigCommerce v2 date such as
// "Tue, 05 Mar 2019 21:40:11 +0000". An empty string is NULL.
func ParseRFC2822(s string) (Timestamp, error) {
	return parseLayout(s, time.RFC1123Z, "RFC 2822")
}

// ParseRFC3339 parses an RFC 3339 date-time such as
// "2022-06-16T16:44:15+00:00". An empty string is NULL.
func ParseRFC3339(s string) (Timestamp, error) {
	return parseLayout(s, time.RFC3339Nano, "RFC 3339")
}

func parseLayout(s, layout, name string) (Timestamp, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Timestamp{}, nil
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return Timestamp{}, fmt.Errorf("invalid %s date %q", name, s)
	}
	return NewTimestamp(t), nil
}

// RFC2822Time is a Timestamp written as BigCommerce v2 writes dates.
type RFC2822Time struct{ Timestamp }

// UnmarshalJSON accepts an RFC 2822 string, an empty string or null.
func (t *RFC2822Time) UnmarshalJSON(b []byte) error {
	return unmarshalTime(b, &t.Timestamp, ParseRFC2822)
}

// MarshalJSON writes the RFC 2822 form, or "" when NULL, as v2 does.
func (t RFC2822Time) MarshalJSON() ([]byte, error) {
	if !t.valid {
		return []byte(`""`), nil
	}
	return json.Marshal(t.t.Format(time.RFC1123Z))
}

// RFC3339Time is a Timestamp written as BigCommerce v3 writes dates.
type RFC3339Time struct{ Timestamp }

// UnmarshalJSON accepts an RFC 3339 string, an empty string or null.
func (t *RFC3339Time) UnmarshalJSON(b []byte) error {
	return unmarshalTime(b, &t.Timestamp, ParseRFC3339)
}

// MarshalJSON writes the RFC 3339 form, or null.
func (t RFC3339Time) MarshalJSON() ([]byte, error) {
	if !t.valid {
		return []byte("null"), nil
	}
	return json.Marshal(t.t.Format(time.RFC3339))
}

func unmarshalTime(b []byte, dst *Timestamp, parse func(string) (Timestamp, error)) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*dst = Timestamp{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("invalid date %s: not a string", b)
	}
	v, err := parse(s)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// Date is a nullable calendar date without a time zone, such as an ERP
// posting date. It is stored as midnight UTC.
type Date struct {
	t     time.Time
	valid bool
}

// ParseDate parses "2006-01-02"; an empty string is NULL.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: expected YYYY-MM-DD", s)
	}
	return Date{t: t, valid: true}, nil
}

// NewDate returns the Date of t's calendar day in t's location.
func NewDate(t time.Time) Date {
	y, m, d := t.Date()
	return Date{t: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), valid: true}
}

// Valid reports whether d holds a value.
func (d Date) Valid() bool { return d.valid }

// DateValue returns the date as midnight UTC and whether it is set.
func (d Date) DateValue() (time.Time, bool) { return d.t, d.valid }

// String formats d as YYYY-MM-DD, or "NULL".
func (d Date) String() string {
	if !d.valid {
		return "NULL"
	}
	return d.t.Format(time.DateOnly)
}
