package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/recon-tools/recon/extract"
)

func TestEndpointName(t *testing.T) {
	cases := map[string]string{
		"/v2/time":                           "",
		"/v2/orders":                         "orders",
		"/v2/orders/1001/products":           "order products",
		"/v2/orders/1001/shipments":          "shipments",
		"/v3/orders/1001/transactions":       "transactions",
		"/v3/orders/payment_actions/refunds": "refunds",
		"/v3/catalog/variants":               "variants",
		"/v3/inventory/locations":            "locations",
		"/v3/inventory/items":                "inventory",
	}
	for path, want := range cases {
		if got := endpointName(path); got != want {
			t.Errorf("endpointName(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestCountRecords(t *testing.T) {
	cases := map[string]int{
		``:                              0,
		`[]`:                            0,
		`[{"id":1},{"id":2}]`:           2,
		`{"data":[{"id":1}],"meta":{}}`: 1,
		`{"data":{"id":1}}`:             0,
		`not json`:                      0,
	}
	for body, want := range cases {
		if got := countRecords([]byte(body)); got != want {
			t.Errorf("countRecords(%q) = %d, want %d", body, got, want)
		}
	}
}

// recordingProgress records the calls it receives.
type recordingProgress struct{ calls []string }

func (p *recordingProgress) Page(endpoint string, records int) {
	p.calls = append(p.calls, "page "+endpoint+" "+strconv.Itoa(records))
}

func (p *recordingProgress) Done(endpoint string) { p.calls = append(p.calls, "done "+endpoint) }

// bodyFetcher returns body for every path.
type bodyFetcher struct{ body string }

func (f bodyFetcher) Get(context.Context, string, url.Values) (extract.Response, error) {
	return extract.Response{Status: 200, Body: []byte(f.body)}, nil
}

func TestProgressFetcherEndsGroups(t *testing.T) {
	rec := &recordingProgress{}
	f := &progressFetcher{next: bodyFetcher{body: `[{"id":1}]`}, progress: rec}
	ctx := context.Background()

	for _, path := range []string{"/v2/time", "/v2/orders", "/v2/orders",
		"/v2/orders/1/products", "/v2/orders/1/shipments", "/v2/orders/2/products", "/v3/catalog/variants"} {
		if _, err := f.Get(ctx, path, nil); err != nil {
			t.Fatal(err)
		}
	}
	f.finish()

	want := []string{
		"page orders 1", "page orders 1", "done orders",
		"page order products 1", "page shipments 1", "page order products 1",
		"done order products", "done shipments",
		"page variants 1", "done variants",
	}
	if strings.Join(rec.calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(rec.calls, "\n"), strings.Join(want, "\n"))
	}
}

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
