package rules

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/load"
)

// The runs and snapshots every test database has. Run 2's snapshots hold
// rows that run 1's rules must not see.
const (
	testRun       = 1
	bcSnapshot    = 10
	erpSnapshot   = 11
	otherRun      = 2
	otherBCSnap   = 20
	otherERPSnap  = 21
	quietLogLevel = slog.LevelError + 1
)

// openTestDB returns an in-memory database with the snapshot schema, the
// exceptions table, and runs 1 and 2 with one BigCommerce and one ERP
// snapshot each.
func openTestDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	stmts := append([]string(nil), load.MetaDDL...)
	for _, def := range extract.Tables {
		ddl, err := load.TableDDL(def)
		if err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, ddl)
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := CreateSchema(ctx, db); err != nil {
		t.Fatal(err)
	}
	addSnapshot(t, db, testRun, bcSnapshot, extract.SourceBigCommerce)
	addSnapshot(t, db, testRun, erpSnapshot, extract.SourceERP)
	addSnapshot(t, db, otherRun, otherBCSnap, extract.SourceBigCommerce)
	addSnapshot(t, db, otherRun, otherERPSnap, extract.SourceERP)
	return db
}

func addSnapshot(t *testing.T, db *sql.DB, runID, snapshotID int64, source extract.Source) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO snapshots (snapshot_id, run_id, source, system, origin, extracted_at, loaded_at, mode, parquet_dir) VALUES (%d, %d, '%s', 'test system', 'testdata',
  TIMESTAMPTZ '2026-03-01 12:00:00+00', TIMESTAMPTZ '2026-03-01 12:05:00+00', 'full', NULL)`,
		snapshotID, runID, source))
}

func exec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: quietLogLevel}))
}

// evaluate runs Evaluate for the test run and fails the test on error.
func evaluate(t *testing.T, db *sql.DB, p Params) Result {
	t.Helper()
	result, err := Evaluate(context.Background(), db, testRun, p, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	return result
}

// finding is one exceptions row with every value as text, NULL as "NULL".
type finding struct {
	OrderID, RefundID, SKU, Location, Document string
	Expected, Actual, Difference, Unit         string
}

func (f finding) String() string {
	return fmt.Sprintf("{order %s refund %s sku %s location %s document %s expected %s actual %s difference %s %s}",
		f.OrderID, f.RefundID, f.SKU, f.Location, f.Document, f.Expected, f.Actual, f.Difference, f.Unit)
}

const findingColumns = `coalesce(CAST(order_id AS VARCHAR), 'NULL'), coalesce(CAST(refund_id AS VARCHAR), 'NULL'),
  coalesce(sku, 'NULL'), coalesce(location, 'NULL'), coalesce(document, 'NULL'),
  coalesce(CAST(expected AS VARCHAR), 'NULL'), coalesce(CAST(actual AS VARCHAR), 'NULL'),
  coalesce(CAST(difference AS VARCHAR), 'NULL'), unit`

// findingsOf returns the test run's findings of one rule, with their
// reasons, ordered by their keys.
func findingsOf(t *testing.T, db *sql.DB, ruleID string) ([]finding, []string) {
	t.Helper()
	rows, err := db.Query(`SELECT `+findingColumns+`, reason FROM exceptions
WHERE run_id = ? AND rule_id = ?
ORDER BY order_id NULLS FIRST, refund_id NULLS FIRST, sku NULLS FIRST, location, document`, testRun, ruleID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var found []finding
	var reasons []string
	for rows.Next() {
		var f finding
		var reason string
		if err := rows.Scan(&f.OrderID, &f.RefundID, &f.SKU, &f.Location, &f.Document,
			&f.Expected, &f.Actual, &f.Difference, &f.Unit, &reason); err != nil {
			t.Fatal(err)
		}
		found = append(found, f)
		reasons = append(reasons, reason)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return found, reasons
}

// assertFindings compares the findings of one rule with want, in order.
func assertFindings(t *testing.T, got, want []finding) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d findings, want %d:\n got  %v\n want %v", len(got), len(want), got, want)
		return
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d:\n got  %v\n want %v", i, got[i], want[i])
		}
	}
}

// raw returns a SQL literal of a small JSON object for a raw column.
func raw(kind string, id any) string {
	return fmt.Sprintf(`'{"%s": "%v"}'`, kind, id)
}

// evidenceOf returns the evidence of the test run's findings of one rule,
// as JSON text ordered like findingsOf.
func evidenceOf(t *testing.T, db *sql.DB, ruleID string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT CAST(evidence AS VARCHAR) FROM exceptions
WHERE run_id = ? AND rule_id = ?
ORDER BY order_id NULLS FIRST, refund_id NULLS FIRST, sku NULLS FIRST, location, document`, testRun, ruleID)
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
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
