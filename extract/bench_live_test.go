package extract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/fixtures"
	"github.com/recon-tools/recon/fixtures/bcmock"
)

// store20k is the generated 20,000-order store, built once per process
// because writing and loading its files takes a while.
var store20k = sync.OnceValues(func() (*bcmock.Store, error) {
	dir, err := os.MkdirTemp("", "recon-bench-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	cfg := fixtures.DemoConfig()
	cfg.Orders = 20000
	business, err := fixtures.Generate(cfg)
	if err != nil {
		return nil, err
	}
	if err := business.WriteFiles(dir); err != nil {
		return nil, err
	}
	return bcmock.Load(os.DirFS(filepath.Join(dir, "bigcommerce")))
})

// requestTimes records when each request arrived and its status.
type requestTimes struct {
	next http.Handler
	mu   sync.Mutex
	at   []time.Time
	code []int
}

func (r *requestTimes) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rec := &statusWriter{ResponseWriter: w, code: http.StatusOK}
	arrived := time.Now()
	r.next.ServeHTTP(rec, req)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.at = append(r.at, arrived)
	r.code = append(r.code, rec.code)
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

// windowUse returns the mean and the lowest share of quota used by the
// successful requests of each full window counted from the first
// request, and the 429s in all and after the first window.
func (r *requestTimes) windowUse(window time.Duration, quota int) (mean, lowest float64, limited, limitedLate int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	start, end := r.at[0], r.at[0]
	for _, at := range r.at {
		start, end = minTime(start, at), maxTime(end, at)
	}
	full := int(end.Sub(start) / window)
	used := make([]int, full+1)
	for i, at := range r.at {
		slot := int(at.Sub(start) / window)
		if r.code[i] == http.StatusTooManyRequests {
			limited++
			if slot > 0 {
				limitedLate++
			}
			continue
		}
		used[slot]++
	}
	lowest = 1
	for _, n := range used[:full] {
		share := float64(n) / float64(quota)
		mean += share / float64(full)
		lowest = min(lowest, share)
	}
	return mean, lowest, limited, limitedLate
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// BenchmarkExtract20kOrders extracts a generated 20,000-order store
// through the mock at 450 requests per 1 s window, the Pro plan's quota
// on a shortened window, with the default 3 workers.
func BenchmarkExtract20kOrders(b *testing.B) {
	const quota, window = 450, time.Second
	store, err := store20k()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		times := &requestTimes{next: bcmock.New(store, bcmock.Options{
			StoreHash: testStoreHash, Token: testToken, Quota: quota, Window: window,
		})}
		server := httptest.NewServer(times)
		f := newFetcher(b, server, nil)

		snap, err := extract.ReadBigCommerce(context.Background(), f, liveOptions())
		server.Close()
		if err != nil {
			b.Fatal(err)
		}
		if n := snap.Tables[0].Len(); n != 20000 {
			b.Fatalf("%d orders, want 20000", n)
		}
		mean, lowest, limited, late := times.windowUse(window, quota)
		b.ReportMetric(100*mean, "%quota/window")
		b.ReportMetric(100*lowest, "%quota/lowest-window")
		b.ReportMetric(float64(limited), "429s")
		b.ReportMetric(float64(late), "429s-after-first-window")
		b.ReportMetric(float64(len(times.at)), "requests")
	}
}
