package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/recon-tools/recon/extract"
)

// screen returns the lines a terminal shows after printing out, which
// may contain carriage returns and the "erase to end of line" sequence.
func screen(out string) []string {
	lines := []string{""}
	col := 0
	for i := 0; i < len(out); i++ {
		last := len(lines) - 1
		switch {
		case strings.HasPrefix(out[i:], "\x1b[K"):
			lines[last] = lines[last][:col]
			i += len("\x1b[K") - 1
		case out[i] == '\r':
			col = 0
		case out[i] == '\n':
			lines = append(lines, "")
			col = 0
		default:
			line := lines[last]
			if col < len(line) {
				lines[last] = line[:col] + string(out[i]) + line[col+1:]
			} else {
				lines[last] = line + string(out[i])
			}
			col++
		}
	}
	return lines
}

// statusLogger returns a text logger writing to w without the time and
// duration, which change from run to run.
func statusLogger(w *statusLine) *slog.Logger {
	drop := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "duration" {
			return slog.Attr{}
		}
		return a
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: drop}))
}

func TestStatusLineFinalScreen(t *testing.T) {
	var out bytes.Buffer
	status := &statusLine{w: &out}
	logger := statusLogger(status)
	limits := func() extract.RateLimitStats { return extract.RateLimitStats{Left: 42} }
	p := newProgress(status, logger, limits)

	p.Page(extract.EndpointOrders, 50)
	p.Page(extract.EndpointOrders, 20)
	p.Done(extract.EndpointOrders)
	p.Page(extract.EndpointOrderProducts, 3)
	logger.Warn("request retried", "status", 429)
	p.Page(extract.EndpointShipments, 2)
	p.Done(extract.EndpointOrderProducts)
	p.Done(extract.EndpointShipments)
	p.Page(extract.EndpointVariants, 250)
	p.finish()

	want := []string{
		`level=INFO msg="extracted bigcommerce endpoint" endpoint=orders records=70 requests=2 requests_left=42`,
		`level=WARN msg="request retried" status=429`,
		`level=INFO msg="extracted bigcommerce endpoint" endpoint="order products" records=3 requests=1 requests_left=42`,
		`level=INFO msg="extracted bigcommerce endpoint" endpoint=shipments records=2 requests=1 requests_left=42`,
		"",
	}
	got := screen(out.String())
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("screen:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestStatusLineShowsLatestPage(t *testing.T) {
	var out bytes.Buffer
	status := &statusLine{w: &out}
	limits := func() extract.RateLimitStats { return extract.RateLimitStats{Left: 7} }
	p := newProgress(status, statusLogger(status), limits)

	p.Page(extract.EndpointOrders, 50)
	p.Page(extract.EndpointOrders, 20)
	before := screen(out.String())
	p.finish()

	want := []string{"bigcommerce orders: 70 records, 2 requests, 7 left in window"}
	if strings.Join(before, "\n") != strings.Join(want, "\n") {
		t.Errorf("screen before finish %q, want %q", before, want)
	}
	if after := screen(out.String()); len(after) != 1 || after[0] != "" {
		t.Errorf("screen after finish %q, want one empty line", after)
	}
}

func TestStatusLineCutToWidth(t *testing.T) {
	var out bytes.Buffer
	status := &statusLine{w: &out, width: 20}

	status.set("bigcommerce orders: 70 records")

	if got := screen(out.String()); len(got) != 1 || got[0] != "bigcommerce orders:" {
		t.Errorf("screen %q, want the status cut to 19 columns", got)
	}
}

func TestNewProgressLogsOffTerminal(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, slog.New(slog.DiscardHandler), func() extract.RateLimitStats { return extract.RateLimitStats{} })

	if _, ok := p.(*logProgress); !ok {
		t.Errorf("newProgress on a buffer returned %T, want *logProgress", p)
	}
	if w := newStatusLine(&out); w != &out {
		t.Errorf("newStatusLine on a buffer returned %T, want the buffer", w)
	}
}
