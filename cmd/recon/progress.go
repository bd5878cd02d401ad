package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/recon-tools/recon/extract"
)

// newProgress returns progress bars when standard error is a terminal,
// and slog lines otherwise. limits returns the fetcher's rate-limit
// counters, for the requests left in the current window.
func newProgress(errWriter io.Writer, logger *slog.Logger, limits func() extract.RateLimitStats) extract.Progress {
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
