package extract

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

func rateHeader(left, quota int, reset, window time.Duration) http.Header {
	h := http.Header{}
	h.Set("X-Rate-Limit-Requests-Left", strconv.Itoa(left))
	h.Set("X-Rate-Limit-Requests-Quota", strconv.Itoa(quota))
	h.Set("X-Rate-Limit-Time-Reset-Ms", strconv.FormatInt(reset.Milliseconds(), 10))
	h.Set("X-Rate-Limit-Time-Window-Ms", strconv.FormatInt(window.Milliseconds(), 10))
	return h
}

func TestParseRateHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("x-rate-limit-requests-left", "35")
	h.Set("x-rate-limit-time-reset-ms", "15000")
	h.Set("x-rate-limit-requests-quota", "150")
	h.Set("x-rate-limit-time-window-ms", "30000")

	info, ok := parseRateHeaders(h)

	if !ok {
		t.Fatal("parseRateHeaders returned false")
	}
	want := rateInfo{left: 35, quota: 150, reset: 15 * time.Second, window: 30 * time.Second}
	if info != want {
		t.Errorf("info = %+v, want %+v", info, want)
	}
}

func TestParseRateHeadersMissing(t *testing.T) {
	h := http.Header{}
	h.Set("X-Rate-Limit-Requests-Left", "3")

	if _, ok := parseRateHeaders(h); ok {
		t.Error("parseRateHeaders returned true without a reset time")
	}
	if _, ok := rateLimitReset(h); ok {
		t.Error("rateLimitReset returned true without a reset time")
	}
}

func TestRateLimitResetRetryAfter(t *testing.T) {
	h := http.Header{}
	h.Set("X-Retry-After", "15")

	reset, ok := rateLimitReset(h)

	if !ok || reset != 15*time.Second {
		t.Errorf("rateLimitReset = %v, %v, want 15s, true", reset, ok)
	}
}

func TestRateLimiterInitialBurst(t *testing.T) {
	clock := newVirtualClock(0)
	l := NewRateLimiter(clock)

	got := []time.Duration{}
	for range 3 {
		l.mu.Lock()
		got = append(got, l.delayLocked(clock.Now()))
		l.inFlight++
		l.mu.Unlock()
	}

	want := []time.Duration{0, 0, rateLimitPoll}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("delay of request %d = %v, want %v", i+1, got[i], want[i])
		}
	}
}

func TestRateLimiterPacesOverWindow(t *testing.T) {
	clock := newVirtualClock(0)
	l := NewRateLimiter(clock)
	if err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}

	l.release(http.StatusOK, rateHeader(19, 20, 30*time.Second, 30*time.Second))

	l.mu.Lock()
	defer l.mu.Unlock()
	// 19 requests left plus the one just sent share 30 s: one per 1.5 s.
	if got := l.delayLocked(clock.Now()); got != 1500*time.Millisecond {
		t.Errorf("delay = %v, want 1.5s", got)
	}
}

func TestRateLimiterBlocksWhenSpent(t *testing.T) {
	clock := newVirtualClock(0)
	l := NewRateLimiter(clock)
	if err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}

	l.release(http.StatusTooManyRequests, rateHeader(0, 20, 12*time.Second, 30*time.Second))

	l.mu.Lock()
	got := l.delayLocked(clock.Now())
	l.mu.Unlock()
	if got != 12*time.Second {
		t.Errorf("delay = %v, want 12s", got)
	}
	if s := l.Stats(); s.RateLimited != 1 || s.Overloaded != 0 {
		t.Errorf("RateLimited, Overloaded = %d, %d, want 1, 0", s.RateLimited, s.Overloaded)
	}
}

func TestRateLimiterCountsInFlight(t *testing.T) {
	clock := newVirtualClock(0)
	l := NewRateLimiter(clock)
	for range 2 {
		if err := l.acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
	}

	// One request came back with one left, but the other is in flight
	// and will take it.
	l.release(http.StatusOK, rateHeader(1, 20, 10*time.Second, 30*time.Second))

	l.mu.Lock()
	defer l.mu.Unlock()
	if got := l.delayLocked(clock.Now()); got != rateLimitPoll {
		t.Errorf("delay = %v, want %v", got, rateLimitPoll)
	}
}

func TestRateLimiterIgnoresStaleLeft(t *testing.T) {
	clock := newVirtualClock(0)
	l := NewRateLimiter(clock)
	for range 2 {
		if err := l.acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
	}

	l.release(http.StatusOK, rateHeader(5, 20, 10*time.Second, 30*time.Second))
	l.release(http.StatusOK, rateHeader(6, 20, 10*time.Second, 30*time.Second))

	l.mu.Lock()
	defer l.mu.Unlock()
	if l.left != 5 {
		t.Errorf("left = %d, want 5", l.left)
	}
}

func TestRateLimiterAcquireCancelled(t *testing.T) {
	clock := newVirtualClock(0)
	l := NewRateLimiter(clock)
	if err := l.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	l.release(http.StatusOK, rateHeader(0, 20, 10*time.Second, 30*time.Second))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	err := l.acquire(ctx)

	if err != context.Canceled {
		t.Errorf("acquire error = %v, want context.Canceled", err)
	}
}

// quotaServer simulates BigCommerce's fixed-window quota in virtual time.
// Other apps spend otherApps requests at the start of every window.
type quotaServer struct {
	clock     *virtualClock
	quota     int
	window    time.Duration
	otherApps int

	mu       sync.Mutex
	used     map[int]int // requests counted per window, other apps included
	served   map[int]int // our requests served with 200 per window
	rejected map[int]int // our requests rejected with 429 per window
	early    map[int]int // our requests in the first half of each window
}

func newQuotaServer(clock *virtualClock, quota, otherApps int) *quotaServer {
	return &quotaServer{
		clock: clock, quota: quota, window: 30 * time.Second, otherApps: otherApps,
		used: map[int]int{}, served: map[int]int{}, rejected: map[int]int{},
		early: map[int]int{},
	}
}

func (s *quotaServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := s.clock.Now()
	elapsed := now.Sub(testEpoch)
	index := int(elapsed / s.window)
	reset := s.window - elapsed%s.window

	s.mu.Lock()
	if _, seen := s.used[index]; !seen {
		s.used[index] = s.otherApps
	}
	ok := s.used[index] < s.quota
	if reset > s.window/2 {
		s.early[index]++
	}
	if ok {
		s.used[index]++
		s.served[index]++
	} else {
		s.rejected[index]++
	}
	left := s.quota - s.used[index]
	s.mu.Unlock()

	for k, v := range rateHeader(left, s.quota, reset, s.window) {
		w.Header()[k] = v
	}
	if !ok {
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	w.Write([]byte(`[]`))
}

// runWorkers sends perWorker requests from each of workers goroutines
// through fetchers sharing one limiter.
func runWorkers(t *testing.T, clock *virtualClock, srv *httptest.Server, workers, perWorker int) *RateLimiter {
	t.Helper()
	limiter := NewRateLimiter(clock)
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for range workers {
		f := newTestFetcher(t, srv.URL, func(c *APIConfig) {
			c.Clock = clock
			c.Limiter = limiter
		})
		wg.Go(func() {
			defer clock.workerDone()
			for range perWorker {
				if _, err := f.Get(context.Background(), "/v2/orders", nil); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Get: %v", err)
	}
	return limiter
}

func TestRateLimiterSharedByWorkers(t *testing.T) {
	const workers, perWorker, quota = 4, 25, 20
	clock := newVirtualClock(workers)
	quotaSrv := newQuotaServer(clock, quota, 0)
	srv := httptest.NewServer(quotaSrv)
	defer srv.Close()

	limiter := runWorkers(t, clock, srv, workers, perWorker)

	total := 0
	for index := 0; index < len(quotaSrv.served); index++ {
		if n := quotaSrv.rejected[index]; n != 0 {
			t.Errorf("window %d: %d responses were 429", index, n)
		}
		total += quotaSrv.served[index]
	}
	if total != workers*perWorker {
		t.Errorf("served %d requests, want %d", total, workers*perWorker)
	}
	// Every window but the last, where the work runs out, must use at
	// least 95% of the quota.
	for index := 0; index < len(quotaSrv.served)-1; index++ {
		if n := quotaSrv.served[index]; n*100 < quota*95 {
			t.Errorf("window %d served %d requests, want at least 95%% of %d", index, n, quota)
		}
	}
	// Paced requests spread over the window: at most half the quota,
	// plus the first burst, arrive in its first half.
	for index, n := range quotaSrv.early {
		if n > quota/2+rateLimitBurst {
			t.Errorf("window %d got %d requests in its first half, want at most %d",
				index, n, quota/2+rateLimitBurst)
		}
	}
	stats := limiter.Stats()
	if stats.Requests != workers*perWorker {
		t.Errorf("Stats().Requests = %d, want %d", stats.Requests, workers*perWorker)
	}
	if stats.RateLimited != 0 || stats.Retries != 0 {
		t.Errorf("Stats() RateLimited, Retries = %d, %d, want 0, 0", stats.RateLimited, stats.Retries)
	}
	if stats.Quota != quota || stats.Window != 30*time.Second {
		t.Errorf("Stats() Quota, Window = %d, %v, want %d, 30s", stats.Quota, stats.Window, quota)
	}
}

func TestRateLimiterOtherAppsShareQuota(t *testing.T) {
	const workers, perWorker, quota, otherApps = 4, 15, 20, 8
	clock := newVirtualClock(workers)
	quotaSrv := newQuotaServer(clock, quota, otherApps)
	srv := httptest.NewServer(quotaSrv)
	defer srv.Close()

	runWorkers(t, clock, srv, workers, perWorker)

	for index := 0; index < len(quotaSrv.served); index++ {
		if n := quotaSrv.rejected[index]; n != 0 {
			t.Errorf("window %d: %d responses were 429", index, n)
		}
	}
	for index := 0; index < len(quotaSrv.served)-1; index++ {
		if n := quotaSrv.served[index]; n != quota-otherApps {
			t.Errorf("window %d served %d requests, want %d", index, n, quota-otherApps)
		}
	}
}
