package extract

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestDecimalUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in    string
		want  string // String() of the result, or "" when an error is expected
		valid bool
	}{
		{`"12.3400"`, "12.34", true},
		{`"8"`, "8", true},
		{`"924.47"`, "924.47", true},
		{`"0"`, "0", true},
		{`"-0.5"`, "-0.5", true},
		{`" 7.10 "`, "7.1", true},
		{`12.34`, "12.34", true},
		{`50`, "50", true},
		{`1e2`, "100", true},
		{`2.5E-1`, "0.25", true},
		{`null`, "NULL", false},
		{`""`, "NULL", false},
		{`"12,5"`, "", false},
		{`"abc"`, "", false},
		{`"1e2"`, "", false},
		{`"NaN"`, "", false},
		{`"0x10"`, "", false},
		{`"."`, "", false},
		{`"-"`, "", false},
		{`true`, "", false},
		{`{}`, "", false},
		{`[]`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var d Decimal
			err := json.Unmarshal([]byte(tt.in), &d)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %v, want an error", tt.in, d)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if got := d.String(); got != tt.want {
				t.Errorf("Unmarshal(%s) = %s, want %s", tt.in, got, tt.want)
			}
			if d.Valid() != tt.valid {
				t.Errorf("Unmarshal(%s).Valid() = %t, want %t", tt.in, d.Valid(), tt.valid)
			}
		})
	}
}

func TestDecimalKeepsScale(t *testing.T) {
	var d Decimal
	if err := json.Unmarshal([]byte(`"55.9900"`), &d); err != nil {
		t.Fatal(err)
	}
	if got := d.Value().StringFixed(4); got != "55.9900" {
		t.Errorf("StringFixed(4) = %s, want 55.9900", got)
	}
	if !d.Value().Equal(decimal.RequireFromString("55.99")) {
		t.Errorf("value = %s, want 55.99", d.Value())
	}
}

func TestDecimalErrorMessage(t *testing.T) {
	_, err := ParseDecimal("12,5")
	if err == nil || err.Error() != `invalid decimal "12,5"` {
		t.Errorf("ParseDecimal(12,5) error = %v, want invalid decimal \"12,5\"", err)
	}
}

func TestDecimalMarshalJSON(t *testing.T) {
	tests := []struct {
		in   Decimal
		want string
	}{
		{MustDecimal("12.3400"), `"12.34"`},
		{Decimal{}, `null`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, want %s", tt.in, b, tt.want)
		}
	}
}

func TestIntUnmarshalJSON(t *testing.T) {
	tests := []struct {
		in    string
		want  int64
		valid bool
		fails bool
	}{
		{`121`, 121, true, false},
		{`"121"`, 121, true, false},
		{`-3`, -3, true, false},
		{`0`, 0, true, false},
		{`null`, 0, false, false},
		{`""`, 0, false, false},
		{`1.5`, 0, false, true},
		{`"1.5"`, 0, false, true},
		{`1e2`, 0, false, true},
		{`"abc"`, 0, false, true},
		{`true`, 0, false, true},
		{`{}`, 0, false, true},
		{`99999999999999999999`, 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var i Int
			err := json.Unmarshal([]byte(tt.in), &i)
			if tt.fails {
				if err == nil {
					t.Fatalf("Unmarshal(%s) = %d, want an error", tt.in, i.Value())
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.in, err)
			}
			if i.Value() != tt.want || i.Valid() != tt.valid {
				t.Errorf("Unmarshal(%s) = (%d, %t), want (%d, %t)", tt.in, i.Value(), i.Valid(), tt.want, tt.valid)
			}
		})
	}
}

func TestParseRFC2822(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC; "NULL" for NULL; "" for an error
	}{
		{"Tue, 05 Mar 2019 21:40:11 +0000", "2019-03-05T21:40:11Z"},
		{"Thu, 20 Apr 2017 11:32:00 -0400", "2017-04-20T15:32:00Z"},
		{"Wed, 25 Jun 2025 05:22:10 +0200", "2025-06-25T03:22:10Z"},
		{"", "NULL"},
		{"2019-03-05T21:40:11+00:00", ""},
		{"Tue, 05 Mar 2019 21:40:11 GMT", ""},
		{"05 Mar 2019 21:40:11 +0000", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			checkTimestamp(t, tt.in, tt.want, ParseRFC2822)
		})
	}
}

func TestParseRFC3339(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2022-06-16T16:44:15+00:00", "2022-06-16T16:44:15Z"},
		{"2022-05-30T12:18:02Z", "2022-05-30T12:18:02Z"},
		{"2020-01-15T01:02:34-01:00", "2020-01-15T02:02:34Z"},
		{"2024-06-05T10:00:00.250+02:00", "2024-06-05T08:00:00.25Z"},
		{"", "NULL"},
		{"Tue, 05 Mar 2019 21:40:11 +0000", ""},
		{"2022-06-16 16:44:15", ""},
		{"2022-06-16", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			checkTimestamp(t, tt.in, tt.want, ParseRFC3339)
		})
	}
}

func checkTimestamp(t *testing.T, in, want string, parse func(string) (Timestamp, error)) {
	t.Helper()
	got, err := parse(in)
	if want == "" {
		if err == nil {
			t.Fatalf("parse(%q) = %v, want an error", in, got)
		}
		return
	}
	if err != nil {
		t.Fatalf("parse(%q): %v", in, err)
	}
	if got.String() != want {
		t.Errorf("parse(%q) = %s, want %s", in, got, want)
	}
	if got.Valid() && got.Time().Location() != time.UTC {
		t.Errorf("parse(%q) location = %v, want UTC", in, got.Time().Location())
	}
}

func TestTimeUnmarshalJSON(t *testing.T) {
	var v2 struct {
		Shipped RFC2822Time `json:"date_shipped"`
		Created RFC2822Time `json:"date_created"`
	}
	in := `{"date_shipped":"","date_created":"Tue, 05 Mar 2019 21:40:11 +0100"}`
	if err := json.Unmarshal([]byte(in), &v2); err != nil {
		t.Fatal(err)
	}
	if v2.Shipped.Valid() {
		t.Errorf("date_shipped \"\" is valid, want NULL")
	}
	if got := v2.Created.String(); got != "2019-03-05T20:40:11Z" {
		t.Errorf("date_created = %s, want 2019-03-05T20:40:11Z", got)
	}

	var v3 RFC3339Time
	if err := json.Unmarshal([]byte(`123`), &v3); err == nil {
		t.Errorf("Unmarshal(123) into RFC3339Time succeeded, want an error")
	}
	if err := json.Unmarshal([]byte(`null`), &v3); err != nil || v3.Valid() {
		t.Errorf("Unmarshal(null) = (%v, %v), want NULL and no error", v3, err)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2024-06-03", "2024-06-03"},
		{" 2024-02-29 ", "2024-02-29"},
		{"", "NULL"},
		{"2023-02-29", ""},
		{"03/06/2024", ""},
		{"2024-06-03T00:00:00Z", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %s, want an error", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12.3400", "8", "-0.5", "+1", ".5", "5.", "", "12,5", "1e2", "abc", "00012.000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil || !d.Valid() {
			return
		}
		want := decimal.RequireFromString(strings.TrimSpace(s))
		if !d.Value().Equal(want) {
			t.Fatalf("ParseDecimal(%q) = %s, want %s", s, d, want)
		}
		again, err := ParseDecimal(d.String())
		if err != nil {
			t.Fatalf("ParseDecimal(%q) of String() of %q: %v", d.String(), s, err)
		}
		if again.String() != d.String() {
			t.Fatalf("round trip of %q: %s then %s", s, d, again)
		}
	})
}

func FuzzDecimalUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`"12.3400"`, `12.34`, `1e2`, `null`, `""`, `"abc"`, `true`, `{}`, `-0`, `1E-10000`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var d Decimal
		if err := json.Unmarshal([]byte(s), &d); err != nil || !d.Valid() {
			return
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("Marshal(%s): %v", d, err)
		}
		var back Decimal
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s) of Marshal output: %v", b, err)
		}
		if !back.Value().Equal(d.Value()) {
			t.Fatalf("round trip of %s: %s then %s", s, d, back)
		}
	})
}

func FuzzIntUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`121`, `"121"`, `null`, `1.5`, `""`, `-9223372036854775808`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var i Int
		if err := json.Unmarshal([]byte(s), &i); err != nil || !i.Valid() {
			return
		}
		b, err := json.Marshal(i)
		if err != nil {
			t.Fatal(err)
		}
		var back Int
		if err := json.Unmarshal(b, &back); err != nil || back != i {
			t.Fatalf("round trip of %s: %d then %d (%v)", s, i.Value(), back.Value(), err)
		}
	})
}

func FuzzTimeUnmarshalJSON(f *testing.F) {
	for _, s := range []string{`"Tue, 05 Mar 2019 21:40:11 +0000"`, `"2022-06-16T16:44:15+00:00"`, `""`, `null`, `5`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var a RFC2822Time
		var b RFC3339Time
		// Errors are expected for most inputs; only the results matter.
		_ = a.UnmarshalJSON([]byte(s))
		_ = b.UnmarshalJSON([]byte(s))
		if a.Valid() && a.Time().Location() != time.UTC {
			t.Fatalf("RFC2822Time(%s) not in UTC", s)
		}
		if b.Valid() && b.Time().Location() != time.UTC {
			t.Fatalf("RFC3339Time(%s) not in UTC", s)
		}
	})
}
