package rules

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
)

// orderRule finds every BigCommerce order of the run, so a test drives
// its findings by adding and removing orders.
var orderRule = Rule{
	ID: "test.order", Title: "Order exists", Owner: OwnerFinance, Severity: SeverityLow,
	Sources: []extract.Source{extract.SourceBigCommerce},
	SQL: `SELECT order_id, CAST(NULL AS BIGINT) AS refund_id, CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location, CAST(NULL AS VARCHAR) AS document,
  CAST(1 AS DECIMAL(18,4)) AS expected, CAST(2 AS DECIMAL(18,4)) AS actual, 'USD' AS unit,
  'order ' || order_id AS reason, CAST(NULL AS JSON) AS evidence
FROM run_bc_orders`,
}

// lifecycleDB returns a test database whose runs 1 to 4 each have one
// BigCommerce snapshot (id 10 × run) taken two days after the previous.
func lifecycleDB(t *testing.T) *sql.DB {
	t.Helper()
	db := openTestDB(t)
	exec(t, db, "DELETE FROM snapshots")
	for run := int64(1); run <= 4; run++ {
		addSnapshot(t, db, run, 10*run, extract.SourceBigCommerce)
		exec(t, db, fmt.Sprintf(`UPDATE snapshots SET extracted_at = TIMESTAMPTZ '2026-03-01 12:00:00+00'
  + INTERVAL %d DAY WHERE run_id = %d`, 2*(run-1), run))
	}
	return db
}

func addOrders(t *testing.T, db *sql.DB, run int64, orderIDs ...int64) {
	t.Helper()
	for _, id := range orderIDs {
		exec(t, db, fmt.Sprintf(`INSERT INTO bc_orders (snapshot_id, order_id, customer_id, status_id)
VALUES (%d, %d, 0, 0)`, 10*run, id))
	}
}

func evaluateRun(t *testing.T, db *sql.DB, run int64) Result {
	t.Helper()
	result, err := EvaluateRules(context.Background(), db, run, DefaultParams(), []Rule{orderRule}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	return result
}

func fingerprintOf(t *testing.T, db *sql.DB, orderID int64) string {
	t.Helper()
	var fp string
	if err := db.QueryRow(`SELECT fingerprint FROM exception_state WHERE order_id = ?`, orderID).Scan(&fp); err != nil {
		t.Fatal(err)
	}
	return fp
}

func eventsOf(t *testing.T, db *sql.DB, fp string) string {
	t.Helper()
	history, err := LoadHistory(context.Background(), db, fp)
	if err != nil {
		t.Fatal(err)
	}
	var s string
	for _, e := range history {
		s += fmt.Sprintf("%d:%s ", e.RunID, e.Event)
	}
	return s
}

func TestLifecycleAcrossRuns(t *testing.T) {
	ctx := context.Background()
	db := lifecycleDB(t)
	addOrders(t, db, 1, 1, 2)
	addOrders(t, db, 2, 1, 2)
	addOrders(t, db, 3, 2)
	addOrders(t, db, 4, 1, 2)

	first := evaluateRun(t, db, 1)
	if first.Lifecycle.Opened != 2 || first.Rules[0].Findings != 2 {
		t.Fatalf("run 1: %+v, findings %d; want 2 opened and 2 findings", first.Lifecycle, first.Rules[0].Findings)
	}
	one, two := fingerprintOf(t, db, 1), fingerprintOf(t, db, 2)
	until := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	err := Accept(ctx, db, two, until, Action{Actor: "ana", Note: "known", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}

	second := evaluateRun(t, db, 2)
	if got := second.Rules[0]; got.Findings != 1 || got.Accepted != 1 {
		t.Errorf("run 2: findings %d accepted %d, want 1 and 1", got.Findings, got.Accepted)
	}
	if got := second.Rules[0].AtStake["USD"].String(); got != "1" {
		t.Errorf("run 2 at stake %s USD, want 1", got)
	}
	state, err := LoadState(ctx, db, one)
	if err != nil {
		t.Fatal(err)
	}
	if state.Occurrences != 2 || state.LastSeenRun != 2 {
		t.Errorf("order 1 after run 2: occurrences %d last seen run %d, want 2 and 2", state.Occurrences, state.LastSeenRun)
	}
	var ageDays int64
	if err := db.QueryRow(`SELECT age_days FROM exception_status WHERE run_id = 2 AND fingerprint = ?`, one).Scan(&ageDays); err != nil {
		t.Fatal(err)
	}
	if ageDays != 2 {
		t.Errorf("order 1 age in run 2 = %d days, want 2", ageDays)
	}

	third := evaluateRun(t, db, 3)
	if third.Lifecycle.Resolved != 1 || third.Lifecycle.Expired != 1 {
		t.Errorf("run 3 lifecycle %+v, want 1 resolved and 1 expired", third.Lifecycle)
	}
	if got := third.Rules[0]; got.Findings != 1 || got.Accepted != 0 {
		t.Errorf("run 3: findings %d accepted %d, want 1 and 0", got.Findings, got.Accepted)
	}

	fourth := evaluateRun(t, db, 4)
	if fourth.Lifecycle.Reopened != 1 || fourth.Lifecycle.Seen != 1 {
		t.Errorf("run 4 lifecycle %+v, want 1 reopened and 1 seen", fourth.Lifecycle)
	}
	if got, want := eventsOf(t, db, one), "1:opened 2:seen 3:resolved 4:reopened "; got != want {
		t.Errorf("order 1 history %q, want %q", got, want)
	}
	if got, want := eventsOf(t, db, two), "1:opened 1:accepted 2:seen 3:seen 3:expired 4:seen "; got != want {
		t.Errorf("order 2 history %q, want %q", got, want)
	}
}

func TestLifecycleSkipsEarlierRun(t *testing.T) {
	db := lifecycleDB(t)
	addOrders(t, db, 1, 1)
	addOrders(t, db, 2, 1)
	evaluateRun(t, db, 2)

	result := evaluateRun(t, db, 1)

	if !result.Lifecycle.Skipped {
		t.Errorf("evaluating run 1 after run 2 changed the lifecycle: %+v", result.Lifecycle)
	}
	if got := eventsOf(t, db, fingerprintOf(t, db, 1)); got != "2:opened " {
		t.Errorf("history %q, want only run 2's opened event", got)
	}
}

// TestLifecycleSkipsOlderData checks that a newer run of older data, such
// as last month's exports loaded after this month's, changes nothing.
func TestLifecycleSkipsOlderData(t *testing.T) {
	db := lifecycleDB(t)
	exec(t, db, `UPDATE snapshots SET extracted_at = TIMESTAMPTZ '2026-02-01 12:00:00+00' WHERE run_id = 3`)
	addOrders(t, db, 2, 1)
	addOrders(t, db, 3, 2)
	evaluateRun(t, db, 2)

	result := evaluateRun(t, db, 3)

	if !result.Lifecycle.Skipped {
		t.Errorf("run 3, as of a month before run 2, changed the lifecycle: %+v", result.Lifecycle)
	}
	if got := eventsOf(t, db, fingerprintOf(t, db, 1)); got != "2:opened " {
		t.Errorf("history of order 1 %q, want only run 2's opened event", got)
	}
	var states int
	if err := db.QueryRow("SELECT count(*) FROM exception_state").Scan(&states); err != nil {
		t.Fatal(err)
	}
	if states != 1 {
		t.Errorf("%d exception states, want 1: run 3's finding must not open", states)
	}
}

func TestAcceptRejectsPastExpiry(t *testing.T) {
	ctx := context.Background()
	db := lifecycleDB(t)
	addOrders(t, db, 1, 1)
	evaluateRun(t, db, 1)
	fp := fingerprintOf(t, db, 1)
	at := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

	err := Accept(ctx, db, fp, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), Action{Actor: "ana", Note: "x", At: at})
	if !errors.Is(err, ErrInvalidAcceptance) {
		t.Errorf("expiry equal to the as-of time: error %v, want ErrInvalidAcceptance", err)
	}
	err = Accept(ctx, db, fp, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Action{Actor: "ana", At: at})
	if !errors.Is(err, ErrInvalidAcceptance) {
		t.Errorf("empty note: error %v, want ErrInvalidAcceptance", err)
	}
}

func TestFindFingerprintPrefix(t *testing.T) {
	ctx := context.Background()
	db := lifecycleDB(t)
	addOrders(t, db, 1, 1)
	evaluateRun(t, db, 1)
	fp := fingerprintOf(t, db, 1)

	got, err := FindFingerprint(ctx, db, fp[:6])
	if err != nil || got != fp {
		t.Errorf("prefix %s: %q, %v; want %s", fp[:6], got, err, fp)
	}
	if _, err := FindFingerprint(ctx, db, "zz12"); !errors.Is(err, ErrUnknownFingerprint) {
		t.Errorf("non-hexadecimal prefix: error %v, want ErrUnknownFingerprint", err)
	}
	other := "0000"
	if fp[:4] == other {
		other = "ffff"
	}
	if _, err := FindFingerprint(ctx, db, other); !errors.Is(err, ErrUnknownFingerprint) {
		t.Errorf("prefix %s: error %v, want ErrUnknownFingerprint", other, err)
	}
}

// TestAcknowledgeAgainKeepsNote acknowledges an exception twice, the
// second time without a note, which must not erase the first note.
func TestAcknowledgeAgainKeepsNote(t *testing.T) {
	db := lifecycleDB(t)
	addOrders(t, db, 1, 1)
	evaluateRun(t, db, 1)
	fp := fingerprintOf(t, db, 1)
	ctx := context.Background()
	first := Action{Actor: "ana", Note: "ERP team on it", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	second := Action{Actor: "ben", At: time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)}

	if err := Acknowledge(ctx, db, fp, first); err != nil {
		t.Fatal(err)
	}
	if err := Acknowledge(ctx, db, fp, second); err != nil {
		t.Fatal(err)
	}

	var by, note string
	if err := db.QueryRow("SELECT acknowledged_by, acknowledged_note FROM exception_state WHERE fingerprint = ?", fp).Scan(&by, &note); err != nil {
		t.Fatal(err)
	}
	if by != "ben" || note != "ERP team on it" {
		t.Errorf("acknowledged by %q with note %q, want ben with the first note", by, note)
	}
}
