package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recon-tools/recon/fixtures/bcmock"
)

// bcTableCounts returns the rows of each bc_* table in snapshot id.
func bcTableCounts(t *testing.T, db string, id int64) map[string]int {
	t.Helper()
	conn := openDB(t, db)
	defer conn.Close()
	counts := map[string]int{}
	for table := range demoCounts(t) {
		counts[table] = int(queryInt(t, conn, `SELECT count(*) FROM `+table+` WHERE snapshot_id = ?`, id))
	}
	return counts
}

func TestExtractResumesAfterInterrupt(t *testing.T) {
	m := startMock(t, nil)
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")
	staging := stagingDir(db)

	stopped := runReconInterrupted(t, `msg="read bigcommerce page" endpoint=refunds`, extractArgs(db, m.url)...)
	firstRequests := m.server.Stats().Requests

	if stopped.code != 130 {
		t.Fatalf("interrupted extract: exit code %d, want 130; stderr:\n%s", stopped.code, stopped.stderr)
	}
	if !strings.Contains(stopped.stderr, "the next extract resumes from the staging folder") {
		t.Errorf("stderr lacks the resume message:\n%s", stopped.stderr)
	}
	if _, err := os.Stat(filepath.Join(staging, "window.json")); err != nil {
		t.Fatalf("staging folder not kept: %v", err)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("interrupted first extract left the database file it created: %v", err)
	}

	resumed := runRecon(t, extractArgs(db, m.url)...)
	resumedRequests := m.server.Stats().Requests - firstRequests

	if resumed.code != 0 {
		t.Fatalf("resumed extract: exit code %d, stderr:\n%s", resumed.code, resumed.stderr)
	}
	if !strings.Contains(resumed.stderr, "bigcommerce extract resumes from staging folder") {
		t.Errorf("stderr lacks the resumed message:\n%s", resumed.stderr)
	}
	if resumedRequests >= firstRequests {
		t.Errorf("resumed extract sent %d requests, want fewer than the %d before the interrupt",
			resumedRequests, firstRequests)
	}
	got := bcTableCounts(t, db, 1)
	for table, want := range demoCounts(t) {
		if got[table] != want {
			t.Errorf("%s: %d rows after resuming, want %d as in a clean extract", table, got[table], want)
		}
	}
	if _, err := os.Stat(staging); !os.IsNotExist(err) {
		t.Errorf("staging folder left after a stored extract: %v", err)
	}
}

func TestExtractRemovesStagingRoot(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	out := runRecon(t, extractArgs(db, baseURL)...)

	if out.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	if _, err := os.Stat(db + ".staging"); !os.IsNotExist(err) {
		t.Errorf("staging root %s.staging left after a stored extract: %v", db, err)
	}
}

func TestRunStoreRemovesStagingRoot(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, testToken)
	dir := t.TempDir()
	db := filepath.Join(dir, "recon.duckdb")

	out := runRecon(t, "run", "--store", "--base-url", baseURL, "--db", db, "--report", filepath.Join(dir, "report.xlsx"))

	if out.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	if _, err := os.Stat(db + ".staging"); !os.IsNotExist(err) {
		t.Errorf("staging root %s.staging left after a stored run: %v", db, err)
	}
}

func TestExtractIncrementalAfterResume(t *testing.T) {
	m := startMock(t, nil)
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")
	runReconInterrupted(t, `msg="read bigcommerce page" endpoint=variants`, extractArgs(db, m.url)...)
	if out := runRecon(t, extractArgs(db, m.url)...); out.code != 0 {
		t.Fatalf("resumed extract: exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	m.edit(t)

	out := runRecon(t, extractArgs(db, m.url)...)

	if out.code != 0 {
		t.Fatalf("incremental extract: exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	if !strings.Contains(out.stdout, "incremental snapshot 2 of bigcommerce, completed from snapshot 1") {
		t.Errorf("stdout lacks the incremental snapshot line:\n%s", out.stdout)
	}
	if got, want := bcTableCounts(t, db, 2)["bc_refunds"], demoCounts(t)["bc_refunds"]+1; got != want {
		t.Errorf("%d refunds in snapshot 2, want %d", got, want)
	}
}

// pairedDelay is a bcmock After that holds the first slow request until
// a second one arrives, so both are in progress at once. A request
// arrives only from another worker, so with one worker the first would
// wait for ever: a safety release after a minute lets the test fail
// instead of hang.
type pairedDelay struct {
	mu    sync.Mutex
	first chan time.Time
}

func (p *pairedDelay) After(time.Duration) <-chan time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	ch := make(chan time.Time, 1)
	if p.first == nil {
		p.first = ch
		time.AfterFunc(time.Minute, p.release)
		return ch
	}
	ch <- time.Time{}
	p.releaseLocked()
	return ch
}

func (p *pairedDelay) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.releaseLocked()
}

func (p *pairedDelay) releaseLocked() {
	select {
	case p.first <- time.Time{}:
	default:
	}
}

func TestExtractWorkersRunConcurrently(t *testing.T) {
	delay := &pairedDelay{}
	m := startMock(t, func(o *bcmock.Options) {
		o.Faults = []bcmock.Fault{{Kind: bcmock.FaultSlow, Path: "/v2/orders/*/products", Times: 2, Delay: time.Second}}
		o.After = delay.After
	})
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	out := runRecon(t, extractArgs(db, m.url, "--workers", "3")...)

	if out.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	if got := m.server.Stats().MaxConcurrent; got < 2 {
		t.Errorf("at most %d requests in progress at once, want at least 2 with --workers 3", got)
	}
}
