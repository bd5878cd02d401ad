package load

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
)

func TestRunLifecycle(t *testing.T) {
	s := openTestStore(t, "")
	ctx := context.Background()
	run := beginRun(t, s)
	if got := queryString(t, s.DB(), `SELECT status || '|' || command || '|' || (finished_at IS NULL) FROM runs WHERE run_id = ?`, run); got != "running|test|true" {
		t.Errorf("begun run %q, want running|test|true", got)
	}

	asOf := time.Date(2024, 3, 7, 12, 0, 0, 250000000, time.FixedZone("EST", -5*3600))
	if err := s.FinishRun(ctx, run, RunSucceeded, asOf); err != nil {
		t.Fatal(err)
	}

	got := queryString(t, s.DB(), `SELECT status || '|' || epoch_us(as_of) || '|' || (finished_at >= started_at) FROM runs WHERE run_id = ?`, run)
	if want := "succeeded|1709830800250000|true"; got != want {
		t.Errorf("finished run %q, want %q", got, want)
	}
}

func TestFinishRunZeroAsOfIsNull(t *testing.T) {
	s := openTestStore(t, "")
	run := beginRun(t, s)
	if err := s.FinishRun(context.Background(), run, RunFailed, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got := queryString(t, s.DB(), `SELECT as_of::VARCHAR FROM runs`); got != "NULL" {
		t.Errorf("as_of %s, want NULL", got)
	}
}

func TestFinishRunUnknownRun(t *testing.T) {
	s := openTestStore(t, "")
	err := s.FinishRun(context.Background(), 42, RunFailed, time.Time{})
	if err == nil || !strings.Contains(err.Error(), "finish run 42: run not found") {
		t.Errorf("error %v, want run not found", err)
	}
}

func TestRunAndLatestSnapshots(t *testing.T) {
	s := openTestStore(t, ":memory:")
	ctx := context.Background()
	first := beginRun(t, s)
	bc := bigCommerceSnapshot([]extract.Order{fullOrder()}, nil, nil)
	if _, err := s.LoadSnapshots(ctx, first, []extract.Snapshot{bc, erpSnapshot()}); err != nil {
		t.Fatal(err)
	}
	second := beginRun(t, s)
	if _, err := s.LoadSnapshots(ctx, second, []extract.Snapshot{erpSnapshot()}); err != nil {
		t.Fatal(err)
	}

	ids, err := s.RunSnapshots(ctx, first)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[extract.SourceBigCommerce] != 1 || ids[extract.SourceERP] != 2 {
		t.Errorf("first run snapshots %v, want bigcommerce:1 erp:2", ids)
	}
	latest, err := s.LatestSnapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(latest) != 2 || latest[extract.SourceBigCommerce] != 1 || latest[extract.SourceERP] != 3 {
		t.Errorf("latest snapshots %v, want bigcommerce:1 erp:3", latest)
	}
}
