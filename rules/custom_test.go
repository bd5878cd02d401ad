package rules

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bigRefundsSQL = `-- Refunds that need a second look.
-- id: custom.big_refunds
-- title: Refund above 100
-- severity: high
-- owner: finance
-- sources: bigcommerce
-- question: Is every refund at most 100?

SELECT order_id, refund_id, total_amount AS actual, 'USD' AS unit
FROM run_bc_refunds
WHERE total_amount > 100;
`

func writeRule(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadCustomDir(t *testing.T) {
	dir := t.TempDir()
	writeRule(t, dir, "big_refunds.sql", bigRefundsSQL)

	custom, err := LoadCustomDir(dir)
	if err != nil {
		t.Fatal(err)
	}

	if len(custom) != 1 {
		t.Fatalf("loaded %d rules, want 1", len(custom))
	}
	r := custom[0]
	if r.ID != "custom.big_refunds" || r.Title != "Refund above 100" || r.Severity != SeverityHigh ||
		r.Owner != OwnerFinance || r.Question != "Is every refund at most 100?" {
		t.Errorf("header = %+v", r.Rule)
	}
	if len(r.Sources) != 1 || r.Sources[0] != "bigcommerce" {
		t.Errorf("sources = %v, want [bigcommerce]", r.Sources)
	}
	if !strings.HasPrefix(r.SQL, "SELECT order_id") || strings.HasSuffix(r.SQL, ";") {
		t.Errorf("SQL = %q, want the body without its semicolon", r.SQL)
	}
}

func TestLoadCustomHeaderErrors(t *testing.T) {
	cases := []struct {
		name, content, want string
		line                int
	}{
		{"unknown key", "-- id: custom.a\n-- titel: x\nSELECT 1", `unknown header key "titel"`, 2},
		{"bad severity", "-- id: custom.a\n-- title: x\n-- owner: finance\n-- severity: urgent\nSELECT 1", `invalid severity "urgent"`, 4},
		{"bad id", "-- id: Big Refunds\nSELECT 1", `invalid id "Big Refunds"`, 1},
		{"missing owner", "-- id: custom.a\n-- title: x\n-- severity: low\nSELECT 1", `header lacks "owner"`, 0},
		{"no SQL", "-- id: custom.a\n-- title: x\n-- severity: low\n-- owner: finance\n", "no SQL", 0},
		{"built-in id", "-- id: stock.mismatch\n-- title: x\n-- severity: low\n-- owner: finance\nSELECT 1", "built-in", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeRule(t, dir, "rule.sql", c.content)

			_, err := LoadCustomDir(dir)

			var ce *CustomError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v, want a *CustomError", err)
			}
			if ce.File != path || ce.Line != c.line {
				t.Errorf("error at %s:%d, want %s:%d", ce.File, ce.Line, path, c.line)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q lacks %q", err, c.want)
			}
		})
	}
}

func TestNormalizeCustomRunsLikeBuiltIn(t *testing.T) {
	dir := t.TempDir()
	writeRule(t, dir, "big_refunds.sql", bigRefundsSQL)
	custom, err := LoadCustomDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := openTestDB(t)
	exec(t, db, `INSERT INTO bc_refunds (snapshot_id, refund_id, order_id, total_amount, uses_merchant_override_values)
VALUES (10, 5, 1042, 250, false), (10, 6, 1043, 20, false)`)

	normalized, err := NormalizeCustom(context.Background(), db, DefaultParams(), custom)
	if err != nil {
		t.Fatal(err)
	}
	result, err := EvaluateRules(context.Background(), db, testRun, DefaultParams(), normalized, quietLogger())
	if err != nil {
		t.Fatal(err)
	}

	if result.Findings() != 1 {
		t.Fatalf("findings %d, want 1", result.Findings())
	}
	got, reasons := findingsOf(t, db, "custom.big_refunds")
	want := []finding{{"1042", "5", "NULL", "NULL", "NULL", "NULL", "250.0000", "250.0000", "USD"}}
	assertFindings(t, got, want)
	if reasons[0] != "Refund above 100" {
		t.Errorf("reason %q, want the title in place of the missing reason", reasons[0])
	}
}

func TestNormalizeCustomErrorsNameFile(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"SQL error", "SELECT order_id FROM run_no_such_table", "invalid SQL"},
		{"unknown column", "SELECT order_id, 1 AS amount FROM run_bc_orders", `column "amount" is not a finding column`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := writeRule(t, dir, "r.sql", "-- id: custom.r\n-- title: r\n-- severity: low\n-- owner: finance\n"+c.body)
			custom, err := LoadCustomDir(dir)
			if err != nil {
				t.Fatal(err)
			}

			_, err = NormalizeCustom(context.Background(), openTestDB(t), DefaultParams(), custom)

			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one naming %s and %q", err, path, c.want)
			}
		})
	}
}
