package extract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

const (
	// maxRateLimitedRetries bounds the retries after 429 responses that
	// carry a reset time. With BigCommerce's 30 s window it allows up to
	// about 15 minutes of waiting for one request.
	maxRateLimitedRetries = 30
	// rateLimitJitter is the maximum added to a 429's reset time, so that
	// workers held by the same 429 do not all retry at once.
	rateLimitJitter = 500 * time.Millisecond
	// firstBackoff is the ceiling of the first backoff. Each further
	// failure doubles it, up to MaxBackoff.
	firstBackoff = time.Second
	// excerptBytes is how much of a failed response's body an error shows.
	excerptBytes = 200
)

// errBodyRejected marks a body that no retry can fix.
var errBodyRejected = errors.New("body rejected")

// errAttemptTimeout is the cause of a context cancelled by Timeout.
var errAttemptTimeout = errors.New("attempt timed out")

// APIError reports a BigCommerce request that failed for good. It names
// the request path but never the host, the store hash or the token.
type APIError struct {
	// Path is the request path, such as "/v2/orders".
	Path string
	// URLPath is the path of the request URL, with the base URL's path
	// and the store prefix, such as "/stores/abc123/v2/orders".
	URLPath string
	// Status is the last HTTP status received, or 0 if no attempt got one.
	Status int
	// Attempts is how many times the request was sent.
	Attempts int
	// Body is the start of the last response body, cleaned for printing.
	Body string
	// Err is the last failure that was not an HTTP status, such as a
	// network error, a timeout or a truncated body, or nil.
	Err error
}

// Error formats e as "bigcommerce GET {path}: ..." with the status, the
// last error and the body excerpt that are known.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bigcommerce GET %s: ", e.Path)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, "failed after %d attempts: last ", e.Attempts)
	}
	parts := []string{}
	if e.Status != 0 {
		parts = append(parts, fmt.Sprintf("status %d %s", e.Status, http.StatusText(e.Status)))
	}
	if e.Err != nil {
		parts = append(parts, e.Err.Error())
	}
	if e.Body != "" {
		parts = append(parts, "body: "+e.Body)
	}
	b.WriteString(strings.Join(parts, ": "))
	return b.String()
}

// Unwrap returns the last non-HTTP failure.
func (e *APIError) Unwrap() error { return e.Err }

// retryKind selects whether and how a failed attempt is repeated.
type retryKind int

const (
	retryNever      retryKind = iota
	retryBackoff              // after an exponential backoff
	retryAfterReset           // after the 429's reset time
)

// attemptError is one failed attempt.
type attemptError struct {
	kind   retryKind
	status int
	reset  time.Duration // for retryAfterReset
	body   string
	err    error
}

// retryState carries what Get learned over the attempts of one request.
type retryState struct {
	failures    int // failed attempts that count against MaxRetries
	rateLimited int // 429 responses with a reset time
	lastStatus  int
}

// Get implements Fetcher. It returns the body of a 2xx response, an empty
// body for 204, and an *APIError for a status it cannot use or when the
// retries run out. A cancelled ctx ends it at once, even during a wait.
func (f *APIFetcher) Get(ctx context.Context, path string, query url.Values) (Response, error) {
	target, err := f.requestURL(path, query)
	if err != nil {
		return Response{}, err
	}

	var state retryState
	for {
		resp, failed := f.attempt(ctx, path, target)
		if failed == nil {
			return resp, nil
		}
		if err := ctx.Err(); err != nil {
			return Response{}, fmt.Errorf("bigcommerce GET %s: %w", path, err)
		}
		wait, err := f.retryWait(path, failed, &state)
		if err != nil {
			return Response{}, err
		}

		f.logRetry(path, failed, wait, state)
		if err := f.clock.Sleep(ctx, wait); err != nil {
			return Response{}, fmt.Errorf("bigcommerce GET %s: %w", path, err)
		}
		f.limiter.noteRetry(wait)
	}
}

// retryWait returns how long to wait before repeating a failed attempt,
// or the final error when it must not be repeated.
func (f *APIFetcher) retryWait(path string, failed *attemptError, state *retryState) (time.Duration, error) {
	if failed.status != 0 {
		state.lastStatus = failed.status
	}
	switch failed.kind {
	case retryAfterReset:
		state.rateLimited++
		if state.rateLimited <= maxRateLimitedRetries {
			jitter := time.Duration(f.cfg.Random() * float64(rateLimitJitter))
			return failed.reset + jitter, nil
		}
	case retryBackoff:
		state.failures++
		if state.failures <= f.cfg.MaxRetries {
			return f.backoff(state.failures), nil
		}
	}
	return 0, &APIError{
		Path:     path,
		URLPath:  f.base.Path + path,
		Status:   state.lastStatus,
		Attempts: state.failures + state.rateLimited + boolInt(failed.kind == retryNever),
		Body:     failed.body,
		Err:      failed.err,
	}
}

// backoff returns a random wait below firstBackoff doubled per earlier
// failure and capped at MaxBackoff ("full jitter").
func (f *APIFetcher) backoff(failures int) time.Duration {
	ceiling := f.cfg.MaxBackoff
	if failures <= 30 {
		ceiling = min(ceiling, firstBackoff<<(failures-1))
	}
	return time.Duration(f.cfg.Random() * float64(ceiling))
}

func (f *APIFetcher) logRetry(path string, failed *attemptError, wait time.Duration, state retryState) {
	attrs := []any{
		"path", path,
		"status", failed.status,
		"attempt", state.failures + state.rateLimited,
		"wait", wait,
	}
	if failed.err != nil {
		attrs = append(attrs, "error", failed.err.Error())
	}
	if failed.kind == retryAfterReset {
		f.log.Info("bigcommerce rate limit reached, retrying after reset", attrs...)
		return
	}
	f.log.Warn("bigcommerce request failed, retrying", attrs...)
}

// attempt sends the request once through the rate limiter.
func (f *APIFetcher) attempt(ctx context.Context, path, target string) (Response, *attemptError) {
	if err := f.limiter.acquire(ctx); err != nil {
		return Response{}, &attemptError{kind: retryNever, err: err}
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := f.clock.AfterFunc(f.cfg.Timeout, func() { cancel(errAttemptTimeout) })
	defer stop()

	start := f.clock.Now()
	resp, body, err := f.roundTrip(ctx, target)
	status, header := 0, http.Header(nil)
	if resp != nil {
		status, header = resp.StatusCode, resp.Header
	}
	f.limiter.release(status, header)
	f.log.Debug("bigcommerce request", "path", path, "status", status,
		"bytes", len(body), "duration", f.clock.Now().Sub(start))

	if context.Cause(ctx) == errAttemptTimeout {
		err = fmt.Errorf("timed out after %v", f.cfg.Timeout)
	}
	if resp == nil {
		return Response{}, &attemptError{kind: retryBackoff, err: err}
	}
	return f.classify(resp, body, err)
}

// roundTrip sends the request and reads the body. Transport errors lose
// their URL, which contains the store hash.
func (f *APIFetcher) roundTrip(ctx context.Context, target string) (*http.Response, []byte, error) {
	req, err := f.newRequest(ctx, target)
	if err != nil {
		return nil, nil, err
	}
	resp, err := f.cfg.HTTPClient.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, nil, err
	}
	defer resp.Body.Close()

	body, err := readBody(resp)
	return resp, body, err
}

// classify turns a response into the Response or the failure to retry.
func (f *APIFetcher) classify(resp *http.Response, body []byte, readErr error) (Response, *attemptError) {
	status := resp.StatusCode
	failed := &attemptError{status: status, err: readErr}
	switch {
	case status == http.StatusNoContent:
		return Response{Status: status, Header: resp.Header, Body: []byte{}}, nil
	case readErr != nil && errors.Is(readErr, errBodyRejected):
		failed.kind = retryNever
	case status == http.StatusTooManyRequests:
		failed.kind = retryBackoff
		if reset, ok := rateLimitReset(resp.Header); ok {
			failed.kind, failed.reset = retryAfterReset, reset
		}
	case status == http.StatusInternalServerError, status == http.StatusBadGateway,
		status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
		failed.kind = retryBackoff
	case status >= 200 && status < 300 && readErr != nil:
		failed.kind = retryBackoff
	case status >= 200 && status < 300:
		return Response{Status: status, Header: resp.Header, Body: body}, nil
	default:
		failed.kind = retryNever
		failed.body = f.excerpt(body)
	}
	return Response{}, failed
}

// excerpt returns the start of body on one line, with control characters
// removed and the token, should a server echo it, redacted.
func (f *APIFetcher) excerpt(body []byte) string {
	s := strings.ReplaceAll(string(body), f.cfg.Token, "[redacted]")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > excerptBytes {
		s = strings.ToValidUTF8(s[:excerptBytes], "") + "..."
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
