package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recon-tools/recon/load"
	"github.com/recon-tools/recon/rules"
)

func TestExplainOrderAndFingerprint(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "recon.duckdb")
	lifecycleRun(t, copyDemo(t), dbPath)
	now = func() time.Time { return time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = time.Now })

	stdout, stderr, code := runReconOut(t, "explain", "1092", "--db", dbPath)
	if code != 0 {
		t.Fatalf("explain 1092: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"order 1092 in run 1, data as of 2026-12-01T06:00:00Z",
		"bigcommerce bc_orders: 1 row",
		"erp erp_sales_orders: 1 row",
		"erp erp_credit_memos: 1 row",
		`"externalDocumentNumber":"1092-R13"`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("explain 1092 lacks %q:\n%s", want, stdout)
		}
	}
	verdicts := map[string]string{}
	for _, line := range strings.Split(stdout, "\n") {
		if fields := strings.Fields(line); len(fields) >= 2 && strings.Contains(fields[0], ".") {
			verdicts[fields[0]] = fields[1]
		}
	}
	if verdicts["credit_memo.amount_mismatch"] != "finding" || verdicts["stock.mismatch"] != "no" {
		t.Errorf("verdicts %v, want a credit_memo.amount_mismatch finding and no stock.mismatch one", verdicts)
	}

	fp, _, _, _ := capRedState(t, dbPath)
	if _, stderr, code := runReconOut(t, "ack", fp[:10], "--db", dbPath, "--note", "counting", "--by", "ana"); code != 0 {
		t.Fatalf("ack: exit %d: %s", code, stderr)
	}
	stdout, stderr, code = runReconOut(t, "explain", fp[:10], "--db", dbPath, "--json")
	if code != 0 {
		t.Fatalf("explain %s: exit %d: %s", fp[:10], code, stderr)
	}
	var ex rules.Explanation
	if err := json.Unmarshal([]byte(stdout), &ex); err != nil {
		t.Fatalf("explain --json: %v\n%s", err, stdout)
	}
	if ex.Kind != "fingerprint" || ex.Key != fp || ex.SKU != "CAP-RED" {
		t.Errorf("explained %s %s sku %q, want fingerprint %s of CAP-RED", ex.Kind, ex.Key, ex.SKU, fp)
	}
	var tables []string
	for _, r := range ex.Records {
		tables = append(tables, fmt.Sprintf("%s:%d/%d", r.Table, r.Total, len(r.Rows)))
	}
	wantTables := []string{"bc_variants:1/1", "bc_inventory:1/1", "bc_order_products:12/12", "erp_stock:2/2",
		"erp_sales_order_lines:11/11", "erp_credit_memo_lines:1/1", "wms_fulfilments:9/9"}
	if !slices.Equal(tables, wantTables) {
		t.Errorf("records per table (total/shown) %v, want %v", tables, wantTables)
	}
	if len(ex.History) != 2 || ex.History[1].Event != "acknowledged" || ex.History[1].Actor != "ana" ||
		ex.History[1].Note != "counting" || !ex.History[1].OccurredAt.Equal(now()) {
		t.Errorf("history = %+v, want opened then ana's acknowledgement at %s", ex.History, now())
	}
	if ex.State == nil || ex.State.AcknowledgedBy != "ana" {
		t.Errorf("state = %+v, want acknowledged by ana", ex.State)
	}
}

// TestExplainSKUOnlyOnOrderLines explains a SKU that only order lines
// carry, such as the demo's SKU the ERP does not know.
func TestExplainSKUOnlyOnOrderLines(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "recon.duckdb")
	lifecycleRun(t, copyDemo(t), dbPath)

	stdout, stderr, code := runReconOut(t, "explain", "totered", "--db", dbPath, "--json")

	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var ex rules.Explanation
	if err := json.Unmarshal([]byte(stdout), &ex); err != nil {
		t.Fatalf("explain --json: %v\n%s", err, stdout)
	}
	if ex.Kind != "sku" {
		t.Errorf("kind %q, want sku", ex.Kind)
	}
	totals := map[string]int{}
	for _, r := range ex.Records {
		totals[r.Table] = r.Total
		// Each row is the record itself, an object, not a string of JSON.
		for _, row := range r.Rows {
			if len(row) == 0 || row[0] != '{' {
				t.Errorf("%s row %s, want a JSON object", r.Table, row)
			}
		}
	}
	if totals["bc_order_products"] == 0 || totals["bc_variants"] != 0 || totals["erp_stock"] != 0 {
		t.Errorf("rows per table %v, want order lines only", totals)
	}
	var verdict string
	for _, v := range ex.Verdicts {
		if v.RuleID == "catalog.unmapped_sku" && len(v.Findings) > 0 {
			verdict = v.Findings[0].Reason
		}
	}
	if !strings.Contains(verdict, "TOTERED") {
		t.Errorf("catalog.unmapped_sku verdict %q, want a finding naming TOTERED", verdict)
	}
}

func TestExplainUnknownEntity(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "recon.duckdb")
	lifecycleRun(t, copyDemo(t), dbPath)

	_, stderr, code := runReconOut(t, "explain", "NO-SUCH-SKU", "--db", dbPath)

	if code != 1 || !strings.Contains(stderr, `"NO-SUCH-SKU" not found as an order id, SKU or fingerprint in run 1`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestExplainBeforeAnyRun(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "recon.duckdb")
	store, err := load.Open(context.Background(), dbPath, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	store.Close()

	_, stderr, code := runReconOut(t, "--log-level", "warn", "explain", "1092", "--db", dbPath)

	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	want := "recon: no run has recorded exceptions yet in " + dbPath + ": run 'recon run --db " + dbPath +
		"' first, then explain again\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}
