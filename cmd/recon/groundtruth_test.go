package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/recon-tools/recon/fixtures"
	"github.com/recon-tools/recon/load"
	"github.com/recon-tools/recon/rules"
)

// exceptionFindings converts a generated business's ground truth.
func exceptionFindings(t *testing.T, exceptions []fixtures.Exception) []finding {
	t.Helper()
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	out := make([]finding, len(exceptions))
	for i, e := range exceptions {
		out[i] = finding{e.RuleID, id(e.OrderID), id(e.RefundID), e.SKU, e.Location, e.Document,
			normalizeAmount(t, e.Expected), normalizeAmount(t, e.Actual)}
	}
	return out
}

// TestGeneratedBusinessesMatchGroundTruth checks every rule's precision
// and recall on generated businesses: the exceptions of a run must equal
// the seeded drift exactly, for several seeds and sizes.
func TestGeneratedBusinessesMatchGroundTruth(t *testing.T) {
	cases := []struct {
		orders int
		seed   int64
	}{
		{150, 7}, {400, 11}, {1000, 23},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("orders=%d/seed=%d", c.orders, c.seed), func(t *testing.T) {
			if testing.Short() && c.orders > 400 {
				t.Skip("large business skipped in short mode")
			}
			cfg := fixtures.DemoConfig()
			cfg.Orders, cfg.Seed = c.orders, c.seed
			b, err := fixtures.Generate(cfg)
			if err != nil {
				t.Fatal(err)
			}
			data := t.TempDir()
			if err := b.WriteFiles(data); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			dbPath := filepath.Join(dir, "recon.duckdb")
			res := runRecon(t, "--log-level", "warn", "run", "--data", data,
				"--db", dbPath, "--report", filepath.Join(dir, "r.xlsx"), "--keep-parquet=false")
			if res.code != 0 {
				t.Fatalf("exit code %d: %s", res.code, res.stderr)
			}
			compareFindings(t, exceptionFindings(t, b.Exceptions()), readFindings(t, dbPath, 1))
		})
	}
}

// compareFindings reports every finding missing from got (a recall
// failure) and every finding not in want (a precision failure), with the
// precision and recall per rule.
func compareFindings(t *testing.T, wantFindings, gotFindings []finding) {
	t.Helper()
	want, got := sortedStrings(wantFindings), sortedStrings(gotFindings)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missed: %s", w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			t.Errorf("false positive: %s", g)
		}
	}
	if len(want) == 0 {
		t.Fatal("the generated business seeded no drift")
	}
}

// TestLargeBusinessMatchesGroundTruth checks precision and recall on a
// business large enough for drift kinds to land on the same records,
// which small businesses rarely show. It loads the business without
// writing files.
func TestLargeBusinessMatchesGroundTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("large business skipped in short mode")
	}
	cfg := fixtures.DemoConfig()
	cfg.Orders, cfg.Seed = 20000, 5
	b, err := fixtures.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	snaps, err := b.Snapshots()
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	dbPath := filepath.Join(t.TempDir(), "recon.duckdb")
	store, err := load.Open(ctx, dbPath, nil, load.WithoutParquetCopies())
	if err != nil {
		t.Fatal(err)
	}
	runID, _, err := store.LoadRun(ctx, "run", snaps)
	if err != nil {
		t.Fatal(err)
	}
	if err := rules.CreateSchema(ctx, store.DB()); err != nil {
		t.Fatal(err)
	}
	if _, err := rules.Evaluate(ctx, store.DB(), runID, rules.DefaultParams(), nil); err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	compareFindings(t, exceptionFindings(t, b.Exceptions()), readFindings(t, dbPath, runID))
}
