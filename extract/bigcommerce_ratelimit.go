package extract

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Clock supplies the time to APIFetcher and RateLimiter. Tests replace it
// so that waits, retries and timeouts run in virtual time.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first, and
	// returns ctx.Err() in the second case.
	Sleep(ctx context.Context, d time.Duration) error
	// AfterFunc calls f in its own goroutine after d. The returned stop
	// function cancels the call and reports whether it did so.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// systemClock is the Clock of the real world.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func (systemClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

const (
	// rateLimitBurst is how many requests may be in flight before any
	// response has carried rate-limit headers.
	rateLimitBurst = 2
	// rateLimitPoll is how long a request waits before it checks again
	// when the limiter waits for responses rather than for a time.
	rateLimitPoll = 100 * time.Millisecond
	// defaultRateWindow is BigCommerce's documented quota window, used
	// when a response omits X-Rate-Limit-Time-Window-Ms.
	defaultRateWindow = 30 * time.Second
)

// RateLimitStats counts what a RateLimiter has seen since it was created.
type RateLimitStats struct {
	// Requests is the number of requests sent, retries included.
	Requests int64
	// RateLimited is the number of 429 responses that carried
	// X-Rate-Limit-Time-Reset-Ms, meaning the store's quota ran out.
	RateLimited int64
	// Overloaded is the number of 429 responses without rate-limit
	// headers, which BigCommerce sends when the platform is under load.
	Overloaded int64
	// Retries is the number of requests repeated after a failure.
	Retries int64
	// PacingWait is the time requests waited for the limiter and
	// RetryWait the time they waited before a retry. Both are summed over
	// all workers, so they can exceed the elapsed time.
	PacingWait time.Duration
	RetryWait  time.Duration
	// Quota, Left and Window are the last values seen in the
	// X-Rate-Limit-Requests-Quota, X-Rate-Limit-Requests-Left and
	// X-Rate-Limit-Time-Window-Ms headers, or zero before any.
	Quota  int
	Left   int
	Window time.Duration
}

// RateLimiter paces the requests of all workers that share one store's
// API quota. It learns the quota from the rate-limit headers of every
// response rather than from the plan, because other apps installed on the
// store spend the same quota. It spreads the requests left in the window
// evenly over the time left, counts requests in flight against what is
// left, and holds every worker when the window is spent. It is safe for
// concurrent use.
type RateLimiter struct {
	clock Clock

	mu       sync.Mutex
	known    bool // whether a response has carried rate-limit headers
	quota    int
	left     int
	window   time.Duration
	resetAt  time.Time
	inFlight int
	lastSend time.Time
	stats    RateLimitStats
}

// NewRateLimiter returns a RateLimiter that reads the time from clock, or
// from the system clock when clock is nil.
func NewRateLimiter(clock Clock) *RateLimiter {
	if clock == nil {
		clock = systemClock{}
	}
	return &RateLimiter{clock: clock}
}

// Stats returns a copy of the counters.
func (l *RateLimiter) Stats() RateLimitStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// acquire waits until a request may be sent and counts it as in flight.
// Every successful acquire must be followed by one release.
func (l *RateLimiter) acquire(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := l.clock.Now()
		wait := l.delayLocked(now)
		if wait <= 0 {
			l.inFlight++
			l.lastSend = now
			l.stats.Requests++
			l.mu.Unlock()
			return nil
		}
		l.mu.Unlock()

		if err := l.clock.Sleep(ctx, wait); err != nil {
			return err
		}
		l.mu.Lock()
		l.stats.PacingWait += wait
		l.mu.Unlock()
	}
}

// delayLocked returns how long a request must wait at now, or zero or less
// when it may go.
func (l *RateLimiter) delayLocked(now time.Time) time.Duration {
	if !l.known {
		if l.inFlight < rateLimitBurst {
			return 0
		}
		return rateLimitPoll
	}
	if !now.Before(l.resetAt) {
		l.rollWindowLocked(now)
	}
	untilReset := l.resetAt.Sub(now)
	if l.left <= 0 {
		return untilReset
	}
	// NOTE: every request in flight is subtracted, including those the
	// server counted before the last response, so with overlapping
	// requests the limiter can leave up to one request per worker unused
	// until their responses arrive.
	available := l.left - l.inFlight
	if available <= 0 {
		// The responses in flight will tell how much is left.
		return min(rateLimitPoll, untilReset)
	}

	// Spread the available requests, plus the last one sent, evenly
	// between the last send and the reset.
	from := l.lastSend
	if windowStart := l.resetAt.Add(-l.window); from.Before(windowStart) {
		from = windowStart
	}
	gap := l.resetAt.Sub(from) / time.Duration(available+1)
	return from.Add(gap).Sub(now)
}

// rollWindowLocked starts the window that contains now, assuming the full
// quota is left until a response reports otherwise.
func (l *RateLimiter) rollWindowLocked(now time.Time) {
	windows := now.Sub(l.resetAt)/l.window + 1
	l.resetAt = l.resetAt.Add(windows * l.window)
	l.left = l.quota
}

// release ends a request acquired before and learns from its response.
// Status is 0 and header nil when no response arrived.
func (l *RateLimiter) release(status int, header http.Header) {
	l.mu.Lock()
	defer l.mu.Unlock()

	l.inFlight--
	if status == http.StatusTooManyRequests {
		if _, ok := rateLimitReset(header); ok {
			l.stats.RateLimited++
		} else {
			l.stats.Overloaded++
		}
	}
	if info, ok := parseRateHeaders(header); ok {
		l.observeLocked(info, l.clock.Now())
	}
}

// noteRetry counts a retry that waited for wait.
func (l *RateLimiter) noteRetry(wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stats.Retries++
	l.stats.RetryWait += wait
}

// observeLocked updates the window from the headers of a response
// received at now.
func (l *RateLimiter) observeLocked(info rateInfo, now time.Time) {
	l.stats.Left = info.left
	if info.quota > 0 {
		l.quota = info.quota
		l.stats.Quota = info.quota
	}
	if info.window > 0 {
		l.window = info.window
		l.stats.Window = info.window
	}
	if l.window <= 0 {
		l.window = defaultRateWindow
	}
	if l.quota < info.left {
		l.quota = info.left
	}

	resetAt := now.Add(info.reset)
	switch {
	case !l.known || resetAt.After(l.resetAt.Add(l.window/2)):
		l.left = info.left // a new window
	case resetAt.Before(l.resetAt.Add(-l.window / 2)):
		return // a late response from a window already over
	default:
		// Responses can arrive out of order, and the count left only
		// falls within a window, so the smallest is the latest.
		l.left = min(l.left, info.left)
	}
	l.resetAt = resetAt
	l.known = true
}

// rateInfo is the content of the rate-limit headers of one response.
type rateInfo struct {
	left   int
	quota  int // 0 when absent
	reset  time.Duration
	window time.Duration // 0 when absent
}

// parseRateHeaders reads the rate-limit headers of a response. It returns
// false unless both X-Rate-Limit-Requests-Left and
// X-Rate-Limit-Time-Reset-Ms are present and valid. Header.Get matches
// the names in any letter case.
func parseRateHeaders(h http.Header) (rateInfo, bool) {
	left, okLeft := headerInt(h, "X-Rate-Limit-Requests-Left")
	resetMs, okReset := headerInt(h, "X-Rate-Limit-Time-Reset-Ms")
	if !okLeft || !okReset {
		return rateInfo{}, false
	}
	quota, _ := headerInt(h, "X-Rate-Limit-Requests-Quota")
	windowMs, _ := headerInt(h, "X-Rate-Limit-Time-Window-Ms")
	return rateInfo{
		left:   left,
		quota:  quota,
		reset:  time.Duration(resetMs) * time.Millisecond,
		window: time.Duration(windowMs) * time.Millisecond,
	}, true
}

// rateLimitReset returns the wait that a 429 response requests:
// X-Rate-Limit-Time-Reset-Ms, or else X-Retry-After in seconds. It returns
// false when the response has neither.
func rateLimitReset(h http.Header) (time.Duration, bool) {
	if ms, ok := headerInt(h, "X-Rate-Limit-Time-Reset-Ms"); ok {
		return time.Duration(ms) * time.Millisecond, true
	}
	if s, ok := headerInt(h, "X-Retry-After"); ok {
		return time.Duration(s) * time.Second, true
	}
	return 0, false
}

// headerInt parses a non-negative integer header.
func headerInt(h http.Header, name string) (int, bool) {
	v := h.Get(name)
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}
