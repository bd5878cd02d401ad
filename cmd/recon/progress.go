package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/recon-tools/recon/extract"
)

// progressReporter is an extract.Progress that must be finished once the
// walk ends, successful or not, so that nothing of it stays on screen.
type progressReporter interface {
	extract.Progress
	finish()
}

// newProgress returns a status line when errWriter is standard error on
// a terminal, and slog lines otherwise. Limits returns the fetcher's
// rate-limit counters, for the requests left in the current window.
func newProgress(errWriter io.Writer, logger *slog.Logger, limits func() extract.RateLimitStats) progressReporter {
	lines := &logProgress{tally: newTally(), log: logger, limits: limits}
	if status, ok := errWriter.(*statusLine); ok {
		return &statusProgress{logProgress: lines, status: status}
	}
	return lines
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
	p.page(endpoint, records)
}

// page counts and logs one page and returns the endpoint's new totals.
func (p *logProgress) page(endpoint string, records int) endpointCounts {
	c := p.tally.page(endpoint, records)
	p.log.Debug("read bigcommerce page", "endpoint", endpoint, "page_records", records,
		"records", c.records, "requests", c.requests)
	return c
}

func (p *logProgress) Done(endpoint string) {
	c, first := p.tally.done(endpoint)
	if !first {
		return
	}
	p.log.Info("extracted bigcommerce endpoint", "endpoint", endpoint, "records", c.records,
		"requests", c.requests, "requests_left", p.limits().Left, "duration", time.Since(c.started).Round(time.Millisecond))
}

func (p *logProgress) finish() {}

// statusProgress logs like logProgress and shows the latest page's
// endpoint and totals on the terminal's status line. Log lines print
// above the status line because the logger writes through it.
type statusProgress struct {
	*logProgress
	status *statusLine
}

func (p *statusProgress) Page(endpoint string, records int) {
	c := p.page(endpoint, records)
	p.status.set(fmt.Sprintf("bigcommerce %s: %d records, %d requests, %d left in window",
		endpoint, c.records, c.requests, p.limits().Left))
}

// Done clears the status line, so that the endpoint's totals are not
// shown twice, and logs them.
func (p *statusProgress) Done(endpoint string) {
	p.status.clear()
	p.logProgress.Done(endpoint)
}

func (p *statusProgress) finish() { p.status.clear() }

// clearLine moves the cursor to the start of the line and erases it
// (carriage return, then the ANSI sequence "erase to end of line").
const clearLine = "\r\x1b[K"

// statusLine is standard error on a terminal: a writer that keeps one
// self-updating status line below the lines written through it. Each
// Write must end with a newline, as slog's handlers do.
type statusLine struct {
	mu    sync.Mutex
	w     io.Writer
	width int    // terminal columns, or 0 for no limit
	text  string // the status shown, or "" for none
}

// newStatusLine returns stderr wrapped in a statusLine when it is a
// terminal, and stderr itself otherwise.
func newStatusLine(stderr io.Writer) io.Writer {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return stderr
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil {
		width = 0
	}
	return &statusLine{w: f, width: width}
}

// Write writes p above the status line.
func (s *statusLine) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.text == "" {
		return s.w.Write(p)
	}
	if _, err := io.WriteString(s.w, clearLine); err != nil {
		return 0, err
	}
	n, err := s.w.Write(p)
	if err != nil {
		return n, err
	}
	_, err = io.WriteString(s.w, s.text)
	return n, err
}

// set replaces the status line with text, cut to the terminal's width
// so that it never wraps onto a line that clearLine would not erase.
func (s *statusLine) set(text string) {
	if s.width > 1 && len(text) > s.width-1 {
		text = text[:s.width-1]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	io.WriteString(s.w, clearLine+text)
	s.text = text
}

// clear erases the status line, if one is shown.
func (s *statusLine) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.text != "" {
		io.WriteString(s.w, clearLine)
		s.text = ""
	}
}
