package rules

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/recon-tools/recon/extract"
)

func TestEvaluateResultAtStake(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 7, "23.50")
	addRefund(t, db, bcSnapshot, 1042, 8, "-1.25")
	addMemo(t, db, "CM-9", "1042-R9", "EUR", "4.00")

	result := evaluate(t, db, DefaultParams())

	if result.Findings() != 3 {
		t.Errorf("findings %d, want 3", result.Findings())
	}
	byID := map[string]RuleResult{}
	for _, rr := range result.Rules {
		byID[rr.RuleID] = rr
	}
	missing := byID["credit_memo.missing"]
	if missing.Findings != 2 {
		t.Errorf("credit_memo.missing findings %d, want 2", missing.Findings)
	}
	if got := missing.AtStake["USD"].String(); got != "24.75" {
		t.Errorf("credit_memo.missing at stake USD %s, want 24.75", got)
	}
	if got := byID["credit_memo.orphan"].AtStake["EUR"].String(); got != "4" {
		t.Errorf("credit_memo.orphan at stake EUR %s, want 4", got)
	}
	if len(result.Rules) != len(All()) {
		t.Errorf("%d rule results, want %d", len(result.Rules), len(All()))
	}
}

func TestEvaluateReplacesEarlierFindings(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 7, "23.50")

	evaluate(t, db, DefaultParams())
	evaluate(t, db, DefaultParams())

	got, _ := findingsOf(t, db, "credit_memo.missing")
	if len(got) != 1 {
		t.Errorf("got %d findings after two evaluations, want 1", len(got))
	}
}

func TestEvaluateFingerprintIgnoresAmounts(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 7, "23.50")
	evaluate(t, db, DefaultParams())
	first := fingerprints(t, db)

	exec(t, db, "UPDATE bc_refunds SET total_amount = 30 WHERE refund_id = 7")
	evaluate(t, db, DefaultParams())

	second := fingerprints(t, db)
	if len(first) != 1 || len(second) != 1 || first[0] != second[0] {
		t.Errorf("fingerprints %v then %v, want one unchanged", first, second)
	}
}

func fingerprints(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query("SELECT fingerprint FROM exceptions WHERE run_id = ? ORDER BY fingerprint", testRun)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestEvaluateSkipsRuleWithoutSource(t *testing.T) {
	db := openTestDB(t)
	exec(t, db, "DELETE FROM snapshots WHERE snapshot_id = 11")
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 7, "23.50")

	result := evaluate(t, db, DefaultParams())

	for _, rr := range result.Rules {
		r, _ := Lookup(rr.RuleID)
		want := slices.DeleteFunc(slices.Clone(r.Sources), func(s extract.Source) bool {
			return s == extract.SourceBigCommerce
		})
		if rr.Skipped != (len(want) > 0) {
			t.Errorf("rule %s skipped %v with only a BigCommerce snapshot, reads %v", rr.RuleID, rr.Skipped, r.Sources)
		}
		if !slices.Equal(rr.MissingSources, want) {
			t.Errorf("rule %s missing sources %v, want %v", rr.RuleID, rr.MissingSources, want)
		}
	}
	if result.Findings() != 0 {
		t.Errorf("findings %d, want 0", result.Findings())
	}
}

func TestEvaluateUnknownRun(t *testing.T) {
	db := openTestDB(t)

	_, err := Evaluate(context.Background(), db, 99, DefaultParams(), quietLogger())

	if !errors.Is(err, ErrRunNotFound) {
		t.Errorf("error %v, want ErrRunNotFound", err)
	}
}

func TestEvaluateFailureStoresNothing(t *testing.T) {
	db := openTestDB(t)
	addOrder(t, db, 1042, "USD")
	addRefund(t, db, bcSnapshot, 1042, 7, "23.50")
	evaluate(t, db, DefaultParams())
	addRefund(t, db, bcSnapshot, 1042, 8, "5.00")
	// A later rule fails: its SQL reads a table that does not exist.
	failing := register(Rule{ID: "zz.failing", Severity: SeverityLow, SQL: "SELECT * FROM no_such_table"})
	t.Cleanup(func() { registry = registry[:len(registry)-1] })

	_, err := Evaluate(context.Background(), db, testRun, DefaultParams(), quietLogger())

	if err == nil {
		t.Fatalf("rule %s did not fail", failing.ID)
	}
	got, _ := findingsOf(t, db, "credit_memo.missing")
	assertFindings(t, got, []finding{
		{"1042", "7", "NULL", "NULL", "NULL", "23.5000", "NULL", "-23.5000", "USD"},
	})
}

func TestEvaluateRejectsInvalidParams(t *testing.T) {
	db := openTestDB(t)
	p := DefaultParams()
	p.CreditMemoPattern = `^(\d+)$`

	_, err := Evaluate(context.Background(), db, testRun, p, quietLogger())

	if !errors.Is(err, ErrInvalidParam) {
		t.Errorf("error %v, want ErrInvalidParam", err)
	}
}

// TestEvaluateNoAmountsNoStake checks that findings without expected or
// actual amounts, such as empty SKUs, put nothing at stake.
func TestEvaluateNoAmountsNoStake(t *testing.T) {
	db := openTestDB(t)
	addVariant(t, db, bcSnapshot, 1, 10, "")
	emptySKU, ok := Lookup("catalog.empty_sku")
	if !ok {
		t.Fatal("no rule catalog.empty_sku")
	}

	result, err := EvaluateRules(context.Background(), db, testRun, DefaultParams(), []Rule{emptySKU}, quietLogger())

	if err != nil {
		t.Fatal(err)
	}
	if got := result.Rules[0].Findings; got != 1 {
		t.Errorf("findings %d, want 1", got)
	}
	if got := result.Rules[0].AtStake; len(got) != 0 {
		t.Errorf("at stake %v, want nothing", got)
	}
}
