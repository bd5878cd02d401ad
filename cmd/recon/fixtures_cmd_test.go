package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recon-tools/recon/fixtures"
)

// readCSVRecords returns the records of a CSV file, header first.
func readCSVRecords(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return records
}

func TestFixturesGenerateWritesBusiness(t *testing.T) {
	out := filepath.Join(t.TempDir(), "business")

	stdout, stderr, code := runReconOut(t, "--log-level", "warn", "fixtures", "generate",
		"--orders", "120", "--seed", "9", "--month", "2027-02", "--out", out)

	if code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	for _, name := range []string{
		"bigcommerce/v2/time.json", "bigcommerce/v2/orders/page-0001.json",
		"bigcommerce/v3/catalog/variants/page-0001.json", "erp/salesOrders.csv",
		"erp/manifest.json", "wms/shipments.csv", "payouts/payouts.csv",
		"payouts/payout_reconciliation_itemized.csv", "ground_truth.csv",
	} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}

	b, err := fixtures.Generate(fixtures.Config{Orders: 120, Seed: 9,
		Month: time.Date(2027, time.February, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := len(b.Exceptions())
	if got := len(readCSVRecords(t, filepath.Join(out, "ground_truth.csv"))) - 1; got != want {
		t.Errorf("ground_truth.csv has %d rows, want %d", got, want)
	}
	if !strings.Contains(stdout, strconv.Itoa(want)+" seeded exceptions") {
		t.Errorf("stdout lacks the exception count %d:\n%s", want, stdout)
	}
	if got := len(readCSVRecords(t, filepath.Join(out, "erp", "salesOrders.csv"))); got < 2 {
		t.Errorf("salesOrders.csv has %d records, want a header and sales orders", got)
	}
}

func TestFixturesGenerateRejectsNonEmptyFolder(t *testing.T) {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "notes.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}

	_, stderr, code := runReconOut(t, "fixtures", "generate", "--orders", "10", "--out", out)

	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	if !strings.Contains(stderr, "--force") {
		t.Errorf("stderr does not suggest --force: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "ground_truth.csv")); err == nil {
		t.Error("ground_truth.csv written into a non-empty folder without --force")
	}
}

func TestFixturesGenerateForceReplacesBusiness(t *testing.T) {
	out := t.TempDir()
	stale := filepath.Join(out, "bigcommerce", "v2", "orders", "999999", "products.json")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{stale, filepath.Join(out, "notes.txt")} {
		if err := os.WriteFile(path, []byte("[]"), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	_, stderr, code := runReconOut(t, "--log-level", "warn", "fixtures", "generate",
		"--orders", "10", "--out", out, "--force")

	if code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("stale file of the earlier business survived --force")
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Errorf("--force removed a file it did not write: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "ground_truth.csv")); err != nil {
		t.Errorf("missing ground_truth.csv: %v", err)
	}
}

func TestFixturesGenerateRejectsBadFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"month", []string{"--month", "2026-13"}, "--month"},
		{"orders", []string{"--orders", "0"}, "--orders"},
		{"out", nil, "out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"fixtures", "generate"}
			if c.name != "out" {
				args = append(args, "--out", filepath.Join(t.TempDir(), "business"))
			}

			_, stderr, code := runReconOut(t, append(args, c.args...)...)

			if code != 1 {
				t.Fatalf("exit code %d, want 1", code)
			}
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr does not name %s: %s", c.want, stderr)
			}
		})
	}
}

func TestFixturesGenerateHelpNamesFlags(t *testing.T) {
	stdout, _, code := runReconOut(t, "fixtures", "generate", "--help")

	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	for _, flag := range []string{"--orders", "--seed", "--month", "--out", "--force"} {
		if !strings.Contains(stdout, flag) {
			t.Errorf("help lacks %s:\n%s", flag, stdout)
		}
	}
}
