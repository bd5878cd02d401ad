package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/recon-tools/recon/extract"
)

// extractProgress receives the progress of one BigCommerce extraction.
// The walker calls Page once for each response it decodes, with the
// number of records in it (0 for an empty page or a 204), and Done once
// per endpoint after its last page. An endpoint is one list, such as
// "orders" or "order products". Implementations keep the running totals
// and are safe for concurrent use, so a concurrent walker can call them
// from every worker.
type extractProgress interface {
	Page(endpoint string, records int)
	Done(endpoint string)
}

// newProgress returns progress bars when standard error is a terminal,
// and slog lines otherwise. limits returns the fetcher's rate-limit
// counters, for the requests left in the current window.
func newProgress(errWriter io.Writer, logger *slog.Logger, limits func() extract.RateLimitStats) extractProgress {
	if f, ok := errWriter.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return newBarProgress(f, limits)
	}
	return &logProgress{tally: newTally(), log: logger, limits: limits}
}

// endpointCounts is the running total of one endpoint.
type endpointCounts struct {
	records  int
	requests int
	started  time.Time
	done     bool
}

// progressTally keeps the totals of every endpoint under a lock.
type progressTally struct {
	mu     sync.Mutex
	counts map[string]*endpointCounts
}

func newTally() progressTally {
	return progressTally{counts: map[string]*endpointCounts{}}
}

// page adds one response of endpoint and returns the new totals.
func (t *progressTally) page(endpoint string, records int) endpointCounts {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.get(endpoint)
	c.records += records
	c.requests++
	return *c
}

// done marks endpoint complete and reports false when it already was.
func (t *progressTally) done(endpoint string) (endpointCounts, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.get(endpoint)
	first := !c.done
	c.done = true
	return *c, first
}

// group returns the totals of the endpoints that share endpoint's
// progress bar, and whether all of them are complete.
func (t *progressTally) group(endpoint string) (endpointCounts, []string, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var sum endpointCounts
	var parts []string
	allDone := true
	for _, name := range progressGroups[barGroup(endpoint)] {
		c, ok := t.counts[name]
		if !ok {
			continue
		}
		sum.records += c.records
		sum.requests += c.requests
		allDone = allDone && c.done
		parts = append(parts, fmt.Sprintf("%s %d", name, c.records))
	}
	return sum, parts, allDone
}

func (t *progressTally) get(endpoint string) *endpointCounts {
	c, ok := t.counts[endpoint]
	if !ok {
		c = &endpointCounts{started: time.Now()}
		t.counts[endpoint] = c
	}
	return c
}

// logProgress logs one Debug line per page and one Info line per
// endpoint when it is complete.
type logProgress struct {
	tally  progressTally
	log    *slog.Logger
	limits func() extract.RateLimitStats
}

func (p *logProgress) Page(endpoint string, records int) {
	c := p.tally.page(endpoint, records)
	p.log.Debug("read bigcommerce page", "endpoint", endpoint, "page_records", records,
		"records", c.records, "requests", c.requests)
}

func (p *logProgress) Done(endpoint string) {
	c, first := p.tally.done(endpoint)
	if !first {
		return
	}
	p.log.Info("extracted bigcommerce endpoint", "endpoint", endpoint, "records", c.records,
		"requests", c.requests, "requests_left", p.limits().Left, "duration", time.Since(c.started).Round(time.Millisecond))
}

// progressGroups lists the endpoints that share one progress bar. The
// walker reads an order's products, shipments and transactions together,
// so separate bars on one terminal line would overwrite each other.
var progressGroups = map[string][]string{
	"order details": {"order products", "shipments", "transactions"},
}

// barGroup returns the name of endpoint's progress bar.
func barGroup(endpoint string) string {
	for group, members := range progressGroups {
		for _, m := range members {
			if m == endpoint {
				return group
			}
		}
	}
	return endpoint
}

// barProgress draws a progress bar per endpoint, or per group of
// endpoints read together, on a terminal.
type barProgress struct {
	tally  progressTally
	w      io.Writer
	limits func() extract.RateLimitStats
	mu     sync.Mutex
	bars   map[string]*progressbar.ProgressBar
}

func newBarProgress(w io.Writer, limits func() extract.RateLimitStats) *barProgress {
	return &barProgress{tally: newTally(), w: w, limits: limits, bars: map[string]*progressbar.ProgressBar{}}
}

func (p *barProgress) Page(endpoint string, records int) {
	p.tally.page(endpoint, records)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.render(endpoint, false)
}

func (p *barProgress) Done(endpoint string) {
	if _, first := p.tally.done(endpoint); !first {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.render(endpoint, true)
}

// render updates endpoint's bar and ends it on its own line once every
// endpoint of its group is complete. The caller holds p.mu.
func (p *barProgress) render(endpoint string, done bool) {
	group := barGroup(endpoint)
	bar, ok := p.bars[group]
	if !ok {
		bar = progressbar.NewOptions64(-1,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
		)
		p.bars[group] = bar
	}
	sum, parts, allDone := p.tally.group(endpoint)
	records := fmt.Sprintf("%d records", sum.records)
	if len(parts) > 1 {
		records = strings.Join(parts, ", ")
	}
	bar.Describe(fmt.Sprintf("%-14s %s, %d requests, %d left in window",
		group, records, sum.requests, p.limits().Left))
	bar.Set(sum.records)
	if done && allDone {
		bar.Exit()
	}
}

// progressFetcher reports the walker's progress from the responses it
// passes on, until the walker calls an extractProgress itself. It takes
// an endpoint as complete when the walker moves on to another group of
// endpoints, or when finish is called.
//
// TODO: remove it once BigCommerceOptions takes an extractProgress; it
// counts records by decoding each body a second time.
type progressFetcher struct {
	next     extract.Fetcher
	progress extractProgress
	mu       sync.Mutex
	group    string
	open     []string
}

func (f *progressFetcher) Get(ctx context.Context, path string, query url.Values) (extract.Response, error) {
	resp, err := f.next.Get(ctx, path, query)
	endpoint := endpointName(path)
	if err != nil || endpoint == "" {
		return resp, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if group := barGroup(endpoint); group != f.group {
		f.finishLocked()
		f.group = group
	}
	if !slices.Contains(f.open, endpoint) {
		f.open = append(f.open, endpoint)
	}
	f.progress.Page(endpoint, countRecords(resp.Body))
	return resp, nil
}

// finish reports every endpoint still open as complete.
func (f *progressFetcher) finish() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.finishLocked()
}

func (f *progressFetcher) finishLocked() {
	for _, endpoint := range f.open {
		f.progress.Done(endpoint)
	}
	f.open = nil
}

// endpointName returns the endpoint of a request path, or "" for a
// request that reads no records, such as GET /v2/time.
func endpointName(path string) string {
	switch {
	case path == "/v2/orders":
		return "orders"
	case strings.HasPrefix(path, "/v2/orders/") && strings.HasSuffix(path, "/products"):
		return "order products"
	case strings.HasPrefix(path, "/v2/orders/") && strings.HasSuffix(path, "/shipments"):
		return "shipments"
	case strings.HasPrefix(path, "/v3/orders/") && strings.HasSuffix(path, "/transactions"):
		return "transactions"
	case path == "/v3/orders/payment_actions/refunds":
		return "refunds"
	case path == "/v3/catalog/variants":
		return "variants"
	case path == "/v3/inventory/locations":
		return "locations"
	case path == "/v3/inventory/items":
		return "inventory"
	}
	return ""
}

// countRecords returns the number of records in a v2 array or a v3
// {"data": [...]} body, and 0 for an empty body or one it cannot decode,
// which the walker reports itself.
func countRecords(body []byte) int {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '{' {
		var v3 struct {
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(body, &v3) != nil {
			return 0
		}
		body = bytes.TrimSpace(v3.Data)
	}
	var records []json.RawMessage
	if len(body) == 0 || body[0] != '[' || json.Unmarshal(body, &records) != nil {
		return 0
	}
	return len(records)
}
