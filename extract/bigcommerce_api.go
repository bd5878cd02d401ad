package extract

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

// Defaults of APIConfig.
const (
	DefaultBaseURL    = "https://api.bigcommerce.com"
	DefaultTimeout    = 60 * time.Second
	DefaultMaxRetries = 5
	DefaultMaxBackoff = 60 * time.Second
)

// maxBodyBytes bounds a decoded response body. A page of 250 orders is
// well under a megabyte.
const maxBodyBytes = 256 << 20

// APIConfig configures an APIFetcher. Zero fields take the defaults.
type APIConfig struct {
	// BaseURL is the API host, without the "/stores/{hash}" prefix. Set
	// it to reach a sandbox or a mock server.
	BaseURL string
	// StoreHash identifies the store, as in /stores/{StoreHash}/v3.
	StoreHash string
	// Token is the API account's access token, sent as X-Auth-Token. It
	// never appears in logs, errors or String.
	Token string
	// HTTPClient sends the requests. It defaults to http.DefaultClient.
	HTTPClient *http.Client
	// UserAgent is sent as User-Agent. It defaults to "recon/{version}".
	UserAgent string
	// Timeout bounds one attempt, from sending the request to reading the
	// whole body.
	Timeout time.Duration
	// MaxRetries is how many times a request is repeated after a server
	// error, a network error, a timeout or a truncated body. A negative
	// value disables those retries. A 429 with rate-limit headers is
	// retried separately, up to maxRateLimitedRetries times.
	MaxRetries int
	// MaxBackoff caps the wait between retries.
	MaxBackoff time.Duration
	// Logger receives a Debug line per request and an Info or Warn line
	// per retry. Nothing is logged when it is nil.
	Logger *slog.Logger
	// Limiter paces the requests. Give every fetcher of one store the same
	// limiter; a new one is made when nil.
	Limiter *RateLimiter
	// Clock supplies the time and the waits. It defaults to the system
	// clock.
	Clock Clock
	// Random returns a number in [0, 1) to jitter waits. It defaults to
	// rand.Float64.
	Random func() float64
}

// String formats the configuration with the token redacted.
func (c APIConfig) String() string {
	token := ""
	if c.Token != "" {
		token = "[redacted]"
	}
	return fmt.Sprintf("APIConfig{BaseURL: %q, StoreHash: %q, Token: %q, "+
		"UserAgent: %q, Timeout: %v, MaxRetries: %d, MaxBackoff: %v}",
		c.BaseURL, c.StoreHash, token,
		c.UserAgent, c.Timeout, c.MaxRetries, c.MaxBackoff)
}

// GoString formats the configuration for %#v with the token redacted.
func (c APIConfig) GoString() string { return c.String() }

// APIFetcher is a Fetcher that reads the BigCommerce REST API over HTTP.
// It paces requests through its RateLimiter and retries the failures that
// a later attempt can fix. It is safe for concurrent use.
type APIFetcher struct {
	cfg     APIConfig
	base    *url.URL // BaseURL with the store prefix
	limiter *RateLimiter
	clock   Clock
	log     *slog.Logger
}

// storeHashPattern limits a store hash to letters and digits, so that it
// stays one URL path segment.
var storeHashPattern = regexp.MustCompile(`^[A-Za-z0-9]+$`)

// NewAPIFetcher validates cfg, fills in its defaults and returns the
// fetcher. Errors name the invalid field but never show the token.
func NewAPIFetcher(cfg APIConfig) (*APIFetcher, error) {
	cfg = withAPIDefaults(cfg)
	if cfg.StoreHash == "" {
		return nil, errors.New("bigcommerce config: missing store hash")
	}
	if !storeHashPattern.MatchString(cfg.StoreHash) {
		return nil, fmt.Errorf("bigcommerce config: invalid store hash %q: "+
			"expected letters and digits only", cfg.StoreHash)
	}
	if strings.TrimSpace(cfg.Token) == "" {
		return nil, errors.New("bigcommerce config: missing access token")
	}
	base, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	base.Path = strings.TrimRight(base.Path, "/") + "/stores/" + cfg.StoreHash

	f := &APIFetcher{cfg: cfg, base: base, limiter: cfg.Limiter, clock: cfg.Clock, log: cfg.Logger}
	return f, nil
}

// String describes the fetcher with the token redacted.
func (f *APIFetcher) String() string { return "APIFetcher(" + f.cfg.String() + ")" }

// Limiter returns the rate limiter that paces the fetcher.
func (f *APIFetcher) Limiter() *RateLimiter { return f.limiter }

func withAPIDefaults(cfg APIConfig) APIConfig {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "recon/" + reconVersion()
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = systemClock{}
	}
	if cfg.Limiter == nil {
		cfg.Limiter = NewRateLimiter(cfg.Clock)
	}
	if cfg.Random == nil {
		cfg.Random = rand.Float64
	}
	return cfg
}

func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("bigcommerce config: invalid base URL: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("bigcommerce config: invalid base URL %q: "+
			"expected http(s)://host", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("bigcommerce config: invalid base URL %q: "+
			"expected no user, query or fragment", u.Redacted())
	}
	if host, found := TrimStorePath(raw); found {
		return nil, fmt.Errorf("bigcommerce config: invalid base URL %q: expected the API host without "+
			"/stores/{hash}, such as %s, because the store path is built from the store hash", raw, host)
	}
	return u, nil
}

// TrimStorePath cuts a base URL before its first "stores" path segment,
// so that a URL copied with its store path, such as
// https://api.bigcommerce.com/stores/abc123/v3, gives the API host. It
// returns the cut URL without user, query or fragment, and whether raw
// had such a segment. An unparsable raw returns "" and false.
func TrimStorePath(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	segments := strings.Split(u.Path, "/")
	for i, segment := range segments {
		if segment != "stores" {
			continue
		}
		host := url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.Join(segments[:i], "/")}
		return host.String(), true
	}
	return "", false
}

// reconVersion returns the version of the recon module in this binary, or
// "dev" when it was built from a working tree.
func reconVersion() string {
	const module = "github.com/recon-tools/recon"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dev"
	}
	version := ""
	if info.Main.Path == module {
		version = info.Main.Version
	}
	for _, dep := range info.Deps {
		if dep.Path == module {
			version = dep.Version
		}
	}
	if version == "" || version == "(devel)" {
		return "dev"
	}
	return version
}

// requestURL joins the store prefix, path and query. Path must start with
// /v2/ or /v3/. Each query value is percent-encoded exactly once, with
// spaces as %20, because BigCommerce ignores a filter such as
// min_date_modified when its value arrives unencoded or encoded twice.
func (f *APIFetcher) requestURL(path string, query url.Values) (string, error) {
	if !strings.HasPrefix(path, "/v2/") && !strings.HasPrefix(path, "/v3/") {
		return "", fmt.Errorf("bigcommerce GET %s: invalid path: expected /v2/ or /v3/ prefix", path)
	}
	if strings.ContainsAny(path, "?#") {
		return "", fmt.Errorf("bigcommerce GET %s: invalid path: pass the query as url.Values", path)
	}
	rawQuery, err := encodeQuery(query)
	if err != nil {
		return "", fmt.Errorf("bigcommerce GET %s: %w", path, err)
	}
	u := *f.base
	u.Path += path
	u.RawQuery = rawQuery
	return u.String(), nil
}

// percentEscape matches a percent-encoded byte such as %2C.
var percentEscape = regexp.MustCompile(`%[0-9A-Fa-f]{2}`)

// encodeQuery encodes query sorted by key. It rejects values that already
// contain percent-encoded bytes, since sending them would encode them twice.
func encodeQuery(query url.Values) (string, error) {
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var b strings.Builder
	for _, k := range keys {
		for _, v := range query[k] {
			if percentEscape.MatchString(v) {
				return "", fmt.Errorf("query parameter %s=%q is already percent-encoded: "+
					"pass the decoded value", k, v)
			}
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(escapeQueryComponent(k))
			b.WriteByte('=')
			b.WriteString(escapeQueryComponent(v))
		}
	}
	return b.String(), nil
}

// escapeQueryComponent percent-encodes s, writing a space as %20 rather
// than "+". QueryEscape encodes a literal "+" as %2B, so the swap is safe.
func escapeQueryComponent(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// newRequest builds a GET request with BigCommerce's headers. It
// sets Accept-Encoding: gzip itself, which turns off the transport's
// transparent decompression, so readBody decodes gzip whatever transport
// HTTPClient uses.
func (f *APIFetcher) newRequest(ctx context.Context, target string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("X-Auth-Token", f.cfg.Token)
	return req, nil
}

// readBody reads and, when gzip-encoded, decompresses a response body. A
// body shorter than its Content-Length fails with io.ErrUnexpectedEOF.
func readBody(resp *http.Response) ([]byte, error) {
	var r io.Reader = resp.Body
	switch enc := strings.ToLower(resp.Header.Get("Content-Encoding")); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("invalid gzip body: %w", err)
		}
		defer zr.Close()
		r = zr
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q: %w", enc, errBodyRejected)
	}

	body, err := io.ReadAll(io.LimitReader(r, maxBodyBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxBodyBytes {
		return nil, fmt.Errorf("body exceeds %d bytes: %w", maxBodyBytes, errBodyRejected)
	}
	return body, nil
}
