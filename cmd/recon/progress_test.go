package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/recon-tools/recon/extract"
)

func TestBarProgressDescribesGroup(t *testing.T) {
	var out bytes.Buffer
	limits := func() extract.RateLimitStats { return extract.RateLimitStats{Left: 42} }
	p := newBarProgress(&out, limits)

	p.Page("order products", 3)
	p.Page("shipments", 2)
	p.Done("order products")
	p.Done("shipments")

	text := out.String()
	for _, want := range []string{"order details", "order products 3, shipments 2", "2 requests", "42 left in window"} {
		if !strings.Contains(text, want) {
			t.Errorf("bar output lacks %q:\n%q", want, text)
		}
	}
}

func TestNewProgressLogsOffTerminal(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, slog.New(slog.DiscardHandler), func() extract.RateLimitStats { return extract.RateLimitStats{} })

	if _, ok := p.(*logProgress); !ok {
		t.Errorf("newProgress on a buffer returned %T, want *logProgress", p)
	}
}
