package extract

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testToken = "tok-s3cr3t-1234"
	testHash  = "abc123"
)

// newTestFetcher returns a fetcher for baseURL on a virtual clock, with
// jitter fixed at half its range. Edit changes the config first.
func newTestFetcher(t *testing.T, baseURL string, edit func(*APIConfig)) *APIFetcher {
	t.Helper()
	cfg := APIConfig{
		BaseURL:   baseURL,
		StoreHash: testHash,
		Token:     testToken,
		Clock:     newVirtualClock(0),
		Random:    func() float64 { return 0.5 },
	}
	if edit != nil {
		edit(&cfg)
	}
	f, err := NewAPIFetcher(cfg)
	if err != nil {
		t.Fatalf("NewAPIFetcher: %v", err)
	}
	return f
}

// sequenceServer serves the nth request with handlers[n], repeating the
// last handler, and counts the requests.
type sequenceServer struct {
	handlers []http.HandlerFunc
	requests atomic.Int64
}

func (s *sequenceServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(s.requests.Add(1)) - 1
	s.handlers[min(n, len(s.handlers)-1)](w, r)
}

func startSequence(t *testing.T, handlers ...http.HandlerFunc) (*sequenceServer, *httptest.Server) {
	t.Helper()
	seq := &sequenceServer{handlers: handlers}
	srv := httptest.NewServer(seq)
	t.Cleanup(srv.Close)
	return seq, srv
}

func status(code int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(code)
		fmt.Fprint(w, body)
	}
}

func TestNewAPIFetcherValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  APIConfig
		want string
	}{
		{"missing hash", APIConfig{Token: testToken}, "missing store hash"},
		{"invalid hash", APIConfig{StoreHash: "a/b", Token: testToken}, `invalid store hash "a/b"`},
		{"missing token", APIConfig{StoreHash: testHash}, "missing access token"},
		{"blank token", APIConfig{StoreHash: testHash, Token: " "}, "missing access token"},
		{"relative base", APIConfig{StoreHash: testHash, Token: testToken, BaseURL: "api.example"}, "invalid base URL"},
		{"ftp base", APIConfig{StoreHash: testHash, Token: testToken, BaseURL: "ftp://x"}, "invalid base URL"},
		{"store path in base", APIConfig{StoreHash: testHash, Token: testToken,
			BaseURL: "http://127.0.0.1:1/stores/abc123/v3"},
			`invalid base URL "http://127.0.0.1:1/stores/abc123/v3": expected the API host without /stores/{hash}, ` +
				"such as http://127.0.0.1:1, because the store path is built from the store hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewAPIFetcher(tt.cfg)

			if err == nil {
				t.Fatal("NewAPIFetcher returned no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error %q shows the token", err)
			}
		})
	}
}

func TestAPIConfigRedactsToken(t *testing.T) {
	cfg := APIConfig{StoreHash: testHash, Token: testToken}
	f := newTestFetcher(t, "http://127.0.0.1:1", nil)

	outputs := []string{
		fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg),
		fmt.Sprintf("%s", cfg), fmt.Sprintf("%v", &cfg), fmt.Sprintf("%v", f),
	}

	for _, out := range outputs {
		if strings.Contains(out, testToken) {
			t.Errorf("output %q shows the token", out)
		}
		if !strings.Contains(out, `Token: "[redacted]"`) {
			t.Errorf("output %q lacks the redacted token", out)
		}
	}
}

func TestAPIFetcherSendsRequest(t *testing.T) {
	var got *http.Request
	_, srv := startSequence(t, func(w http.ResponseWriter, r *http.Request) {
		got = r
		fmt.Fprint(w, `[{"id":1}]`)
	})
	f := newTestFetcher(t, srv.URL, nil)
	query := url.Values{}
	query.Set("min_date_modified", "Tue, 20 Nov 2012 00:00:00 +0000")
	query.Set("limit", "250")

	resp, err := f.Get(context.Background(), "/v2/orders", query)

	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if string(resp.Body) != `[{"id":1}]` || resp.Status != 200 {
		t.Errorf("response = %d %q, want 200 [{\"id\":1}]", resp.Status, resp.Body)
	}
	if got.URL.Path != "/stores/abc123/v2/orders" {
		t.Errorf("path = %q, want /stores/abc123/v2/orders", got.URL.Path)
	}
	wantQuery := "limit=250&min_date_modified=Tue%2C%2020%20Nov%202012%2000%3A00%3A00%20%2B0000"
	if got.URL.RawQuery != wantQuery {
		t.Errorf("raw query = %q, want %q", got.URL.RawQuery, wantQuery)
	}
	if v := got.URL.Query().Get("min_date_modified"); v != "Tue, 20 Nov 2012 00:00:00 +0000" {
		t.Errorf("server decoded min_date_modified = %q", v)
	}
	if v := got.Header.Get("X-Auth-Token"); v != testToken {
		t.Errorf("X-Auth-Token = %q, want the token", v)
	}
	if v := got.Header.Get("Accept"); v != "application/json" {
		t.Errorf("Accept = %q, want application/json", v)
	}
	if v := got.Header.Get("User-Agent"); !strings.HasPrefix(v, "recon/") {
		t.Errorf("User-Agent = %q, want recon/{version}", v)
	}
}

func TestAPIFetcherBaseURLPath(t *testing.T) {
	var path string
	_, srv := startSequence(t, func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
	})
	f := newTestFetcher(t, srv.URL+"/sandbox/", nil)

	if _, err := f.Get(context.Background(), "/v3/catalog/variants", nil); err != nil {
		t.Fatalf("Get: %v", err)
	}

	if path != "/sandbox/stores/abc123/v3/catalog/variants" {
		t.Errorf("path = %q", path)
	}
}

func TestTrimStorePath(t *testing.T) {
	cases := []struct {
		raw   string
		want  string
		found bool
	}{
		{"https://api.bigcommerce.com/stores/abc123/v3", "https://api.bigcommerce.com", true},
		{"https://api.bigcommerce.com/stores/abc123", "https://api.bigcommerce.com", true},
		{"http://127.0.0.1:8765/sandbox/stores/abc123/v2/", "http://127.0.0.1:8765/sandbox", true},
		{"https://api.bigcommerce.com/stores", "https://api.bigcommerce.com", true},
		{"https://api.bigcommerce.com", "", false},
		{"http://127.0.0.1:8765/sandbox/", "", false},
		{"http://127.0.0.1:8765/mystores/v3", "", false},
		{"http://127.0.0.1:8765/%zz", "", false},
	}
	for _, c := range cases {
		got, found := TrimStorePath(c.raw)
		if got != c.want {
			t.Errorf("TrimStorePath(%q) = %q, want %q", c.raw, got, c.want)
		}
		if found != c.found {
			t.Errorf("TrimStorePath(%q) found = %t, want %t", c.raw, found, c.found)
		}
	}
}

func TestAPIErrorURLPath(t *testing.T) {
	_, srv := startSequence(t, status(404, "not here"))
	f := newTestFetcher(t, srv.URL+"/sandbox/", nil)

	_, err := f.Get(context.Background(), "/v2/time", nil)

	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if apiErr.URLPath != "/sandbox/stores/abc123/v2/time" {
		t.Errorf("URLPath = %q, want /sandbox/stores/abc123/v2/time", apiErr.URLPath)
	}
	if apiErr.Path != "/v2/time" {
		t.Errorf("Path = %q, want /v2/time", apiErr.Path)
	}
}

func TestAPIFetcherRejectsBadRequests(t *testing.T) {
	seq, srv := startSequence(t, status(200, "[]"))
	f := newTestFetcher(t, srv.URL, nil)
	tests := []struct {
		name  string
		path  string
		query url.Values
		want  string
	}{
		{"no version", "/orders", nil, "expected /v2/ or /v3/ prefix"},
		{"query in path", "/v2/orders?page=2", nil, "pass the query as url.Values"},
		{"encoded value", "/v2/orders", url.Values{"min_date_modified": {"Tue%2C%2020%20Nov"}}, "already percent-encoded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.Get(context.Background(), tt.path, tt.query)

			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if n := seq.requests.Load(); n != 0 {
		t.Errorf("server got %d requests, want 0", n)
	}
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestAPIFetcherDecodesGzip(t *testing.T) {
	body := gzipped(t, `{"time":1529512970}`)
	var acceptEncoding string
	_, srv := startSequence(t, func(w http.ResponseWriter, r *http.Request) {
		acceptEncoding = r.Header.Get("Accept-Encoding")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(body)
	})
	clients := map[string]*http.Client{
		"default transport":    nil,
		"compression disabled": {Transport: &http.Transport{DisableCompression: true}},
	}
	for name, client := range clients {
		t.Run(name, func(t *testing.T) {
			f := newTestFetcher(t, srv.URL, func(c *APIConfig) { c.HTTPClient = client })

			resp, err := f.Get(context.Background(), "/v2/time", nil)

			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if string(resp.Body) != `{"time":1529512970}` {
				t.Errorf("body = %q", resp.Body)
			}
			if acceptEncoding != "gzip" {
				t.Errorf("Accept-Encoding = %q, want gzip", acceptEncoding)
			}
		})
	}
}

func TestAPIFetcherNoContent(t *testing.T) {
	_, srv := startSequence(t, status(http.StatusNoContent, ""))
	f := newTestFetcher(t, srv.URL, nil)

	resp, err := f.Get(context.Background(), "/v2/orders/1001/shipments", nil)

	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if resp.Status != http.StatusNoContent || len(resp.Body) != 0 {
		t.Errorf("response = %d %q, want 204 and no body", resp.Status, resp.Body)
	}
}

func TestAPIFetcherFailsAtOnce(t *testing.T) {
	tests := []struct {
		code int
		body string
		want string
	}{
		{401, `{"status":401,"title":"Unauthorized"}`,
			`bigcommerce GET /v2/orders/7: status 401 Unauthorized: body: {"status":401,"title":"Unauthorized"}`},
		{404, "not\nfound " + testToken,
			`bigcommerce GET /v2/orders/7: status 404 Not Found: body: not found [redacted]`},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.code), func(t *testing.T) {
			seq, srv := startSequence(t, status(tt.code, tt.body))
			f := newTestFetcher(t, srv.URL, nil)

			_, err := f.Get(context.Background(), "/v2/orders/7", nil)

			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %s", err, tt.want)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.Status != tt.code || apiErr.Attempts != 1 {
				t.Errorf("error = %#v, want an *APIError with status %d after 1 attempt", err, tt.code)
			}
			if n := seq.requests.Load(); n != 1 {
				t.Errorf("server got %d requests, want 1", n)
			}
		})
	}
}

func TestAPIFetcherLongBodyExcerpt(t *testing.T) {
	_, srv := startSequence(t, status(400, strings.Repeat("x", 500)))
	f := newTestFetcher(t, srv.URL, nil)

	_, err := f.Get(context.Background(), "/v2/orders", nil)

	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if want := strings.Repeat("x", excerptBytes) + "..."; apiErr.Body != want {
		t.Errorf("Body has %d bytes, want %d", len(apiErr.Body), len(want))
	}
}

func TestAPIFetcherRetriesServerErrors(t *testing.T) {
	seq, srv := startSequence(t,
		status(500, "oops"), status(503, "down"), status(200, "[1]"))
	clock := newVirtualClock(0)
	f := newTestFetcher(t, srv.URL, func(c *APIConfig) { c.Clock = clock })

	resp, err := f.Get(context.Background(), "/v2/orders", nil)

	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if string(resp.Body) != "[1]" {
		t.Errorf("body = %q, want [1]", resp.Body)
	}
	if n := seq.requests.Load(); n != 3 {
		t.Errorf("server got %d requests, want 3", n)
	}
	// Half of the 1 s and 2 s backoff ceilings.
	assertSlept(t, clock, 500*time.Millisecond, time.Second)
	stats := f.Limiter().Stats()
	if stats.Retries != 2 || stats.RetryWait != 1500*time.Millisecond || stats.Requests != 3 {
		t.Errorf("stats = %+v, want 3 requests, 2 retries, 1.5s waited", stats)
	}
}

func assertSlept(t *testing.T, clock *virtualClock, want ...time.Duration) {
	t.Helper()
	got := clock.Slept()
	if len(got) != len(want) {
		t.Fatalf("slept %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sleep %d = %v, want %v", i+1, got[i], want[i])
		}
	}
}

func TestAPIFetcherGivesUp(t *testing.T) {
	seq, srv := startSequence(t, status(502, "bad gateway"))
	clock := newVirtualClock(0)
	f := newTestFetcher(t, srv.URL, func(c *APIConfig) {
		c.Clock = clock
		c.MaxRetries = 3
		c.MaxBackoff = 1500 * time.Millisecond
	})

	_, err := f.Get(context.Background(), "/v3/orders/1001/transactions", nil)

	want := "bigcommerce GET /v3/orders/1001/transactions: failed after 4 attempts: last status 502 Bad Gateway"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if n := seq.requests.Load(); n != 4 {
		t.Errorf("server got %d requests, want 4", n)
	}
	// Ceilings 1 s, 2 s, 4 s capped at 1.5 s, with jitter at one half.
	assertSlept(t, clock, 500*time.Millisecond, 750*time.Millisecond, 750*time.Millisecond)
}

func TestAPIFetcherRateLimited(t *testing.T) {
	limited := func(w http.ResponseWriter, r *http.Request) {
		// Lower-case names, as some BigCommerce front ends send them.
		w.Header()["x-rate-limit-time-reset-ms"] = []string{"15000"}
		w.Header()["x-rate-limit-requests-left"] = []string{"0"}
		w.Header()["x-rate-limit-requests-quota"] = []string{"150"}
		w.Header()["x-rate-limit-time-window-ms"] = []string{"30000"}
		w.WriteHeader(http.StatusTooManyRequests)
	}
	seq, srv := startSequence(t, limited, limited, status(200, "[]"))
	clock := newVirtualClock(0)
	f := newTestFetcher(t, srv.URL, func(c *APIConfig) {
		c.Clock = clock
		c.MaxRetries = -1
	})

	_, err := f.Get(context.Background(), "/v2/orders", nil)

	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if n := seq.requests.Load(); n != 3 {
		t.Errorf("server got %d requests, want 3", n)
	}
	// The reset time plus half the jitter, each time.
	assertSlept(t, clock, 15250*time.Millisecond, 15250*time.Millisecond)
	stats := f.Limiter().Stats()
	if stats.RateLimited != 2 || stats.Overloaded != 0 || stats.Retries != 2 {
		t.Errorf("stats = %+v, want 2 rate limited, 2 retries", stats)
	}
	if stats.Quota != 150 || stats.Left != 0 || stats.Window != 30*time.Second {
		t.Errorf("stats = %+v, want quota 150, left 0, window 30s", stats)
	}
}

func TestAPIFetcherRateLimitedBound(t *testing.T) {
	limited := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Rate-Limit-Time-Reset-Ms", "1000")
		w.WriteHeader(http.StatusTooManyRequests)
	}
	seq, srv := startSequence(t, limited)
	f := newTestFetcher(t, srv.URL, nil)

	_, err := f.Get(context.Background(), "/v2/orders", nil)

	want := fmt.Sprintf("bigcommerce GET /v2/orders: failed after %d attempts: last status 429 Too Many Requests",
		maxRateLimitedRetries+1)
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if n := seq.requests.Load(); n != maxRateLimitedRetries+1 {
		t.Errorf("server got %d requests, want %d", n, maxRateLimitedRetries+1)
	}
}

func TestAPIFetcherOverloaded(t *testing.T) {
	seq, srv := startSequence(t, status(429, ""), status(200, "[]"))
	clock := newVirtualClock(0)
	f := newTestFetcher(t, srv.URL, func(c *APIConfig) { c.Clock = clock })

	_, err := f.Get(context.Background(), "/v2/orders", nil)

	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if n := seq.requests.Load(); n != 2 {
		t.Errorf("server got %d requests, want 2", n)
	}
	assertSlept(t, clock, 500*time.Millisecond)
	if s := f.Limiter().Stats(); s.Overloaded != 1 || s.RateLimited != 0 {
		t.Errorf("stats = %+v, want 1 overloaded, 0 rate limited", s)
	}
}

func TestAPIFetcherOverloadedCountsRetries(t *testing.T) {
	_, srv := startSequence(t, status(429, ""))
	f := newTestFetcher(t, srv.URL, func(c *APIConfig) { c.MaxRetries = -1 })

	_, err := f.Get(context.Background(), "/v2/orders", nil)

	want := "bigcommerce GET /v2/orders: status 429 Too Many Requests"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestAPIFetcherRetriesBrokenBodies(t *testing.T) {
	tests := []struct {
		name   string
		broken http.HandlerFunc
	}{
		{"truncated", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			w.Write([]byte(`[{"id":`))
		}},
		{"invalid gzip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write([]byte(`[{"id":1}]`))
		}},
		{"truncated gzip", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			body := gzipped(t, strings.Repeat(`{"id":1},`, 100))
			w.Write(body[:len(body)/2])
		}},
		{"connection closed", func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close()
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seq, srv := startSequence(t, tt.broken, status(200, "[]"))
			clock := newVirtualClock(0)
			f := newTestFetcher(t, srv.URL, func(c *APIConfig) { c.Clock = clock })

			resp, err := f.Get(context.Background(), "/v2/orders", nil)

			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if string(resp.Body) != "[]" {
				t.Errorf("body = %q, want []", resp.Body)
			}
			if n := seq.requests.Load(); n != 2 {
				t.Errorf("server got %d requests, want 2", n)
			}
			assertSlept(t, clock, 500*time.Millisecond)
		})
	}
}

func TestAPIFetcherTimeout(t *testing.T) {
	clock := newVirtualClock(0)
	slow := func(w http.ResponseWriter, r *http.Request) {
		clock.Advance(DefaultTimeout)
		<-r.Context().Done()
	}
	seq, srv := startSequence(t, slow, status(200, "[]"))
	f := newTestFetcher(t, srv.URL, func(c *APIConfig) { c.Clock = clock })

	resp, err := f.Get(context.Background(), "/v2/orders", nil)

	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if string(resp.Body) != "[]" {
		t.Errorf("body = %q, want []", resp.Body)
	}
	if n := seq.requests.Load(); n != 2 {
		t.Errorf("server got %d requests, want 2", n)
	}
}

func TestAPIFetcherTimeoutGivesUp(t *testing.T) {
	clock := newVirtualClock(0)
	_, srv := startSequence(t, func(w http.ResponseWriter, r *http.Request) {
		clock.Advance(time.Second)
		<-r.Context().Done()
	})
	f := newTestFetcher(t, srv.URL, func(c *APIConfig) {
		c.Clock = clock
		c.Timeout = time.Second
		c.MaxRetries = 1
	})

	_, err := f.Get(context.Background(), "/v2/orders", nil)

	want := "bigcommerce GET /v2/orders: failed after 2 attempts: last timed out after 1s"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if strings.Contains(err.Error(), "127.0.0.1") || strings.Contains(err.Error(), testHash) {
		t.Errorf("error %q shows the host or store", err)
	}
}

// cancellingClock is a virtual clock whose Sleep cancels the context
// passed in, then waits for it like the system clock does.
type cancellingClock struct {
	*virtualClock
	cancel context.CancelFunc
}

func (c cancellingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.cancel()
	return systemClock{}.Sleep(ctx, time.Hour)
}

func TestAPIFetcherCancelDuringBackoff(t *testing.T) {
	seq, srv := startSequence(t, status(503, ""))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := cancellingClock{newVirtualClock(0), cancel}
	f := newTestFetcher(t, srv.URL, func(c *APIConfig) { c.Clock = clock })

	_, err := f.Get(ctx, "/v2/orders", nil)

	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
	if n := seq.requests.Load(); n != 1 {
		t.Errorf("server got %d requests, want 1", n)
	}
}

func TestSystemClockSleepCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	err := systemClock{}.Sleep(ctx, time.Hour)

	if err != context.Canceled {
		t.Errorf("Sleep error = %v, want context.Canceled", err)
	}
}
