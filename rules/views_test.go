package rules

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"testing"
)

func TestUsedHelpersFollowReads(t *testing.T) {
	cases := []struct {
		rules []string
		want  []string
	}{
		{[]string{"stock.mismatch"}, []string{"run_stock_pairs"}},
		{[]string{"credit_memo.missing"}, []string{"run_credit_memo_refs", "run_refund_credits"}},
		{[]string{"payout.net_mismatch"}, []string{"run_payout_batches", "run_payout_items"}},
		{[]string{"payout.capture_not_paid_out"}, []string{"run_gateway_transactions", "run_payout_items", "run_payout_providers"}},
		{[]string{"tax.rounding", "catalog.empty_sku"}, []string{"run_tax_comparison"}},
		{[]string{"catalog.empty_sku"}, nil},
	}
	for _, c := range cases {
		var set []Rule
		for _, id := range c.rules {
			r, ok := Lookup(id)
			if !ok {
				t.Fatalf("no rule %s", id)
			}
			set = append(set, r)
		}
		got := slices.Sorted(maps.Keys(usedHelpers(set)))
		if !slices.Equal(got, c.want) {
			t.Errorf("%v: helpers %v, want %v", c.rules, got, c.want)
		}
	}
}

// TestEvaluateResetsConnection checks that an evaluation, successful or
// not, leaves its connection without temporary objects and with DuckDB's
// optimizers as they were, because the pool hands the connection to the
// next caller.
func TestEvaluateResetsConnection(t *testing.T) {
	for _, fail := range []bool{false, true} {
		db := openTestDB(t)
		db.SetMaxOpenConns(1)
		addOrder(t, db, 1042, "USD")
		set := All()
		if fail {
			set = append(set, Rule{ID: "custom.broken", Severity: SeverityLow, SQL: "SELECT no_such_column"})
		}

		_, err := EvaluateRules(context.Background(), db, testRun, DefaultParams(), set, quietLogger())

		if (err != nil) != fail {
			t.Fatalf("failing rule %t: error %v", fail, err)
		}
		assertConnectionReset(t, db)
	}
}

func assertConnectionReset(t *testing.T, db *sql.DB) {
	t.Helper()
	var disabled string
	if err := db.QueryRowContext(context.Background(),
		"SELECT current_setting('disabled_optimizers')").Scan(&disabled); err != nil {
		t.Fatal(err)
	}
	if disabled != "" {
		t.Errorf("disabled_optimizers %q after evaluation, want empty", disabled)
	}
	var temps int
	if err := db.QueryRowContext(context.Background(), `SELECT
  (SELECT count(*) FROM duckdb_tables() WHERE temporary) +
  (SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal)`).Scan(&temps); err != nil {
		t.Fatal(err)
	}
	if temps != 0 {
		t.Errorf("%d temporary tables and views after evaluation, want 0", temps)
	}
}
