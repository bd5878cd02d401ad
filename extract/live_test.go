package extract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/fixtures"
	"github.com/recon-tools/recon/fixtures/bcmock"
)

const (
	testStoreHash = "abc123"
	testToken     = "tok-3f9a7c21e5"
)

// demoStore loads the demo business's saved BigCommerce responses.
func demoStore(t testing.TB) *bcmock.Store {
	t.Helper()
	sub, err := fs.Sub(fixtures.Demo, "bigcommerce")
	if err != nil {
		t.Fatal(err)
	}
	store, err := bcmock.Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	return store
}

// savedDemo reads the demo's saved responses as ReadDir does.
func savedDemo(t *testing.T) extract.Snapshot {
	t.Helper()
	snaps, err := extract.ReadDir(context.Background(), fixtures.Demo)
	if err != nil {
		t.Fatal(err)
	}
	return snaps[0]
}

// startMock serves store on 127.0.0.1 with the test store hash and token.
// Rate limiting is off unless opt sets a Quota.
func startMock(t testing.TB, store *bcmock.Store, opt bcmock.Options) (*bcmock.Server, *httptest.Server) {
	t.Helper()
	opt.StoreHash, opt.Token = testStoreHash, testToken
	if opt.Quota == 0 {
		opt.Quota = -1
	}
	mock := bcmock.New(store, opt)
	server := httptest.NewServer(mock)
	t.Cleanup(server.Close)
	return mock, server
}

// newFetcher returns an APIFetcher for server with waits short enough
// for tests and no jitter.
func newFetcher(t testing.TB, server *httptest.Server, edit func(*extract.APIConfig)) *extract.APIFetcher {
	t.Helper()
	cfg := extract.APIConfig{
		BaseURL:    server.URL,
		StoreHash:  testStoreHash,
		Token:      testToken,
		HTTPClient: server.Client(),
		MaxBackoff: time.Millisecond,
		Random:     func() float64 { return 0 },
	}
	if edit != nil {
		edit(&cfg)
	}
	f, err := extract.NewAPIFetcher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// liveOptions returns the options of a live full extract.
func liveOptions() extract.BigCommerceOptions {
	return extract.BigCommerceOptions{Origin: "bigcommerce", Live: true}
}

func readLive(t *testing.T, f extract.Fetcher, opt extract.BigCommerceOptions) extract.Snapshot {
	t.Helper()
	snap, err := extract.ReadBigCommerce(context.Background(), f, opt)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// compareTables reports every table whose rows differ between got and
// want. With ignoreRefs, SourceRef is left out, since rows read by
// another request sequence come from other pages.
func compareTables(t *testing.T, got, want extract.Snapshot, ignoreRefs bool) {
	t.Helper()
	if len(got.Tables) != len(want.Tables) {
		t.Fatalf("got %d tables, want %d", len(got.Tables), len(want.Tables))
	}
	for i, wt := range want.Tables {
		gt := got.Tables[i]
		if gt.Name != wt.Name {
			t.Errorf("table %d = %s, want %s", i, gt.Name, wt.Name)
			continue
		}
		g, w := rowsOf(gt.Rows, ignoreRefs), rowsOf(wt.Rows, ignoreRefs)
		if len(g) != len(w) {
			t.Errorf("%s: %d rows, want %d", wt.Name, len(g), len(w))
			continue
		}
		for j := range w {
			if !reflect.DeepEqual(g[j], w[j]) {
				t.Errorf("%s row %d:\ngot  %+v\nwant %+v", wt.Name, j, g[j], w[j])
				break
			}
		}
	}
}

// rowsOf returns the rows of a table as values, with SourceRef cleared
// when ignoreRefs is set.
func rowsOf(rows any, ignoreRefs bool) []any {
	v := reflect.ValueOf(rows)
	out := make([]any, v.Len())
	for i := range v.Len() {
		row := reflect.New(v.Index(i).Type()).Elem()
		row.Set(v.Index(i))
		if rec := row.FieldByName("Record"); ignoreRefs && rec.IsValid() {
			rec.FieldByName("SourceRef").SetString("")
		}
		out[i] = row.Interface()
	}
	return out
}

func TestLiveMatchesSavedFiles(t *testing.T) {
	_, server := startMock(t, demoStore(t), bcmock.Options{})
	want := savedDemo(t)

	got := readLive(t, newFetcher(t, server, nil), liveOptions())

	if !got.ExtractedAt.Equal(want.ExtractedAt) {
		t.Errorf("ExtractedAt = %v, want %v", got.ExtractedAt, want.ExtractedAt)
	}
	if got.Incremental {
		t.Error("Incremental = true for a full extract")
	}
	compareTables(t, got, want, false)
}

func TestLiveFaultsRecovered(t *testing.T) {
	tests := []struct {
		name  string
		fault bcmock.Fault
	}{
		{"429 with headers", bcmock.Fault{Kind: bcmock.FaultRateLimit, Path: "/v2/orders/*/products", Nth: 5, Times: 3}},
		{"429 without headers", bcmock.Fault{Kind: bcmock.FaultRateLimitBare, Path: "/v2/orders", Nth: 2, Times: 2}},
		{"500", bcmock.Fault{Kind: bcmock.FaultInternalError, Path: "/v3/orders/*/transactions", Nth: 7, Times: 3}},
		{"503", bcmock.Fault{Kind: bcmock.FaultUnavailable, Path: "/v3/catalog/variants", Times: 2}},
		{"slow", bcmock.Fault{Kind: bcmock.FaultSlow, Path: "/v2/orders/*/shipments", Nth: 4, Times: 2, Delay: time.Hour}},
		{"truncated", bcmock.Fault{Kind: bcmock.FaultTruncate, Path: "/v3/orders/payment_actions/refunds", Times: 2}},
	}
	want := savedDemo(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mock, server := startMock(t, demoStore(t), bcmock.Options{
				Window: 20 * time.Millisecond,
				Faults: []bcmock.Fault{tt.fault},
			})
			f := newFetcher(t, server, func(c *extract.APIConfig) { c.Timeout = 200 * time.Millisecond })

			got := readLive(t, f, liveOptions())

			compareTables(t, got, want, false)
			if retries := f.Limiter().Stats().Retries; retries == 0 {
				t.Errorf("no retries; the fault did not fire (stats %+v)", mock.Stats())
			}
		})
	}
}

func TestLiveFaultsExhaustRetries(t *testing.T) {
	tests := []struct {
		name   string
		fault  bcmock.Fault
		status int
	}{
		{"500", bcmock.Fault{Kind: bcmock.FaultInternalError, Path: "/v3/orders/*/transactions", Nth: 10, Times: 100}, 500},
		{"429 without headers", bcmock.Fault{Kind: bcmock.FaultRateLimitBare, Path: "/v2/orders", Nth: 3, Times: 100}, 429},
		{"truncated", bcmock.Fault{Kind: bcmock.FaultTruncate, Path: "/v3/inventory/items", Times: 100}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, server := startMock(t, demoStore(t), bcmock.Options{Faults: []bcmock.Fault{tt.fault}})
			f := newFetcher(t, server, func(c *extract.APIConfig) { c.MaxRetries = 2 })

			snap, err := extract.ReadBigCommerce(context.Background(), f, liveOptions())

			var apiErr *extract.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want an *APIError", err)
			}
			if apiErr.Status != tt.status || apiErr.Attempts != 3 {
				t.Errorf("status %d after %d attempts, want %d after 3", apiErr.Status, apiErr.Attempts, tt.status)
			}
			if snap.Tables != nil {
				t.Errorf("snapshot has %d tables alongside the error", len(snap.Tables))
			}
		})
	}
}

// steppingClock returns a bcmock clock that starts at start and moves one
// second on every reading, so that each edit is later than the last
// GET /v2/time.
func steppingClock(start time.Time) func() time.Time {
	var n atomic.Int64
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * time.Second) }
}

// demoClock is the store clock saved with the demo.
var demoClock = time.Date(2026, time.December, 1, 6, 0, 0, 0, time.UTC)

func TestLiveOrdersEditedWhilePaging(t *testing.T) {
	edited := []int{1001, 1002, 1003, 1120, 1190}
	mock, server := startMock(t, demoStore(t), bcmock.Options{
		Clock: steppingClock(demoClock),
		Faults: []bcmock.Fault{{
			Kind: bcmock.FaultModifyOrders, Path: "/v2/orders", Nth: 2,
			OrderIDs: edited, Fields: map[string]any{"customer_id": 987654},
		}},
	})
	f := newFetcher(t, server, nil)

	got := readLive(t, f, liveOptions())
	clean := readLive(t, f, liveOptions())

	compareTables(t, got, clean, true)
	orders := tableRows[extract.Order](t, got, "bc_orders")
	if len(orders) != 200 {
		t.Errorf("%d orders, want 200", len(orders))
	}
	for _, o := range orders {
		if slices.Contains(edited, int(o.ID)) != (o.CustomerID == 987654) {
			t.Errorf("order %d has customer_id %d after the edit of orders %v", o.ID, o.CustomerID, edited)
		}
	}
	if n := mock.Stats().ByRoute["/v2/orders"]; n < 8 {
		t.Errorf("%d order list requests, want the 5 pages and at least 3 re-lists", n)
	}
}

func tableRows[T any](t *testing.T, snap extract.Snapshot, name string) []T {
	t.Helper()
	for _, table := range snap.Tables {
		if table.Name == name {
			return table.Rows.([]T)
		}
	}
	t.Fatalf("snapshot has no table %s", name)
	return nil
}

// settableClock is a bcmock clock the test moves by hand.
type settableClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *settableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *settableClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// withFields returns raw with the top-level members of fields replaced.
func withFields(t *testing.T, raw json.RawMessage, fields map[string]any) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range fields {
		m[k] = v
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// editStore edits order 1005, adds order 1201 and adds refund 9001, all
// at the time at.
func editStore(t *testing.T, store *bcmock.Store, prev extract.Snapshot, at time.Time) {
	t.Helper()
	stamp := bcmock.FormatRFC2822(at)
	if err := store.SetOrderFields(1005, map[string]any{"customer_id": 55, "date_modified": stamp}); err != nil {
		t.Fatal(err)
	}
	order := tableRows[extract.Order](t, prev, "bc_orders")[0]
	newOrder := withFields(t, order.Raw, map[string]any{"id": 1201, "date_created": stamp, "date_modified": stamp})
	if err := store.AddOrder(newOrder); err != nil {
		t.Fatal(err)
	}
	refund := tableRows[extract.Refund](t, prev, "bc_refunds")[0]
	newRefund := withFields(t, refund.Raw, map[string]any{"id": 9001, "order_id": 1005, "created": at.Format(time.RFC3339)})
	if err := store.AddRefund(newRefund); err != nil {
		t.Fatal(err)
	}
}

func TestIncrementalAfterEdits(t *testing.T) {
	clock := &settableClock{now: demoClock}
	store := demoStore(t)
	_, server := startMock(t, store, bcmock.Options{Clock: clock.Now})
	f := newFetcher(t, server, nil)
	prev := readLive(t, f, liveOptions())

	editStore(t, store, prev, demoClock.Add(10*time.Minute))
	clock.Set(demoClock.Add(time.Hour))
	opt := liveOptions()
	opt.Since = prev.ExtractedAt
	inc := readLive(t, f, opt)
	full := readLive(t, f, liveOptions())

	if !inc.Incremental || !inc.ExtractedAt.Equal(demoClock.Add(time.Hour)) {
		t.Errorf("Incremental %t ExtractedAt %v, want true and %v", inc.Incremental, inc.ExtractedAt, demoClock.Add(time.Hour))
	}
	wantIDs := recentOrderIDs(t, full, prev.ExtractedAt.Add(-extract.DefaultOverlap))
	if got := orderIDsOf(t, inc); !slices.Equal(got, wantIDs) {
		t.Errorf("incremental orders %v, want %v", got, wantIDs)
	}
	compareTables(t, sortedByKey(t, merge(t, prev, inc)), sortedByKey(t, full), true)
}

// recentOrderIDs returns the ids of the orders of snap modified from
// since on.
func recentOrderIDs(t *testing.T, snap extract.Snapshot, since time.Time) []int64 {
	var ids []int64
	for _, o := range tableRows[extract.Order](t, snap, "bc_orders") {
		if !o.DateModified.Time().Before(since) {
			ids = append(ids, o.ID)
		}
	}
	return ids
}

func orderIDsOf(t *testing.T, snap extract.Snapshot) []int64 {
	var ids []int64
	for _, o := range tableRows[extract.Order](t, snap, "bc_orders") {
		ids = append(ids, o.ID)
	}
	return ids
}

// merge completes an incremental snapshot as the loader does: a table
// with a MergeKey keeps the previous rows of every key value its parent
// table does not list in inc, and adds the rows of inc.
func merge(t *testing.T, prev, inc extract.Snapshot) extract.Snapshot {
	t.Helper()
	parents := map[string]string{"order_id": "bc_orders", "refund_id": "bc_refunds"}
	out := inc
	out.Incremental = false
	out.Tables = nil
	for i, table := range inc.Tables {
		def, _ := extract.LookupTable(table.Name)
		if def.MergeKey == "" {
			out.Tables = append(out.Tables, table)
			continue
		}
		replaced := map[string]bool{}
		for _, row := range rowsOf(tableOf(t, inc, parents[def.MergeKey]), false) {
			replaced[column(row, def.MergeKey)] = true
		}
		merged := reflect.MakeSlice(reflect.TypeOf(table.Rows), 0, 0)
		prevRows := reflect.ValueOf(tableOf(t, prev, table.Name))
		for j := range prevRows.Len() {
			if !replaced[column(prevRows.Index(j).Interface(), def.MergeKey)] {
				merged = reflect.Append(merged, prevRows.Index(j))
			}
		}
		merged = reflect.AppendSlice(merged, reflect.ValueOf(inc.Tables[i].Rows))
		out.Tables = append(out.Tables, extract.Table{Name: table.Name, Rows: merged.Interface()})
	}
	return out
}

func tableOf(t *testing.T, snap extract.Snapshot, name string) any {
	t.Helper()
	for _, table := range snap.Tables {
		if table.Name == name {
			return table.Rows
		}
	}
	t.Fatalf("snapshot has no table %s", name)
	return nil
}

// column returns the value of the field of row whose db tag is name.
func column(row any, name string) string {
	v := reflect.ValueOf(row)
	for i := range v.NumField() {
		tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("db"), ",")
		if tag != name {
			continue
		}
		if n, ok := v.Field(i).Interface().(interface{ IntValue() (int64, bool) }); ok {
			id, _ := n.IntValue()
			return fmt.Sprint(id)
		}
		return fmt.Sprint(v.Field(i).Interface())
	}
	return ""
}

// sortedByKey returns snap with every table's rows sorted by its Key.
func sortedByKey(t *testing.T, snap extract.Snapshot) extract.Snapshot {
	t.Helper()
	out := snap
	out.Tables = nil
	for _, table := range snap.Tables {
		def, _ := extract.LookupTable(table.Name)
		v := reflect.ValueOf(table.Rows)
		sorted := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(sorted, v)
		key := func(i int) string {
			var parts []string
			for _, col := range def.Key {
				parts = append(parts, fmt.Sprintf("%020s", column(sorted.Index(i).Interface(), col)))
			}
			return strings.Join(parts, "|")
		}
		out.Tables = append(out.Tables, extract.Table{Name: table.Name, Rows: sortSlice(sorted, key)})
	}
	return out
}

func indexes(n int) []int {
	ix := make([]int, n)
	for i := range ix {
		ix[i] = i
	}
	return ix
}

// sortSlice returns the rows of v ordered by key, a function of the
// index in v.
func sortSlice(v reflect.Value, key func(int) string) any {
	order := indexes(v.Len())
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(key(a), key(b)) })
	out := reflect.MakeSlice(v.Type(), 0, v.Len())
	for _, i := range order {
		out = reflect.Append(out, v.Index(i))
	}
	return out.Interface()
}

func TestIncrementalRejectsIgnoredFilter(t *testing.T) {
	_, server := startMock(t, demoStore(t), bcmock.Options{Clock: func() time.Time { return demoClock }})
	f := dropFilter{Fetcher: newFetcher(t, server, nil), name: "min_date_modified"}
	opt := liveOptions()
	opt.Since = demoClock.Add(-time.Hour)

	_, err := extract.ReadBigCommerce(context.Background(), f, opt)

	if !errors.Is(err, extract.ErrOutsideWindow) {
		t.Fatalf("error = %v, want ErrOutsideWindow", err)
	}
	for _, want := range []string{"get /v2/orders?page=1", "order 1001", "min_date_modified=2026-12-01T04%3A55%3A00Z"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// dropFilter is a Fetcher that loses one query parameter, as the API
// ignores a filter it cannot read.
type dropFilter struct {
	extract.Fetcher
	name string
}

func (d dropFilter) Get(ctx context.Context, path string, q url.Values) (extract.Response, error) {
	q = cloneQuery(q)
	q.Del(d.name)
	return d.Fetcher.Get(ctx, path, q)
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = slices.Clone(v)
	}
	return out
}

// requestLog is a Fetcher that records the requests that
// succeeded and cancels a context after a given number of requests.
type requestLog struct {
	extract.Fetcher
	mu       sync.Mutex
	done     map[string]bool
	calls    int
	cancelAt int
	cancel   context.CancelFunc
}

func (r *requestLog) Get(ctx context.Context, path string, q url.Values) (extract.Response, error) {
	resp, err := r.Fetcher.Get(ctx, path, q)
	r.mu.Lock()
	defer r.mu.Unlock()
	if err == nil {
		r.done[path+"?"+q.Encode()] = true
	}
	r.calls++
	if r.calls == r.cancelAt {
		r.cancel()
	}
	return resp, err
}

func TestStagingResumesInterruptedExtract(t *testing.T) {
	cleanMock, cleanServer := startMock(t, demoStore(t), bcmock.Options{})
	clean := readLive(t, newFetcher(t, cleanServer, nil), liveOptions())
	cleanRequests := cleanMock.Stats().Requests
	mock, server := startMock(t, demoStore(t), bcmock.Options{})
	dir := filepath.Join(t.TempDir(), "staging")
	ctx, cancel := context.WithCancel(context.Background())
	first := &requestLog{Fetcher: newFetcher(t, server, nil), done: map[string]bool{}, cancelAt: 150, cancel: cancel}

	staging, err := extract.OpenBigCommerceStaging(dir, first, liveOptions())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := extract.ReadBigCommerce(ctx, staging, liveOptions()); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted extract error = %v, want context.Canceled", err)
	}
	stored, firstRequests := staging.Stats().Stored, mock.Stats().Requests
	second := &requestLog{Fetcher: newFetcher(t, server, nil), done: map[string]bool{}}
	resumed, err := extract.OpenBigCommerceStaging(dir, second, liveOptions())
	if err != nil {
		t.Fatal(err)
	}
	got := readLive(t, resumed, liveOptions())

	compareTables(t, got, clean, false)
	if !resumed.Resumed() || resumed.Stats().Served != stored {
		t.Errorf("resumed %t served %d, want true and the %d staged", resumed.Resumed(), resumed.Stats().Served, stored)
	}
	// Requests in flight when the first run was cancelled reached the mock
	// but were not staged, so the resumed run may send up to one more per
	// worker; what finished is never sent again (checked below).
	want := cleanRequests - int(stored)
	if n := mock.Stats().Requests - firstRequests; n < want || n > want+extract.DefaultWorkers {
		t.Errorf("resumed extract sent %d requests, want %d to %d of %d", n, want, want+extract.DefaultWorkers, cleanRequests)
	}
	for req := range second.done {
		if first.done[req] {
			t.Errorf("request %s was sent again", req)
		}
	}
	if err := resumed.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("staging folder after Commit: %v, want it removed", err)
	}
}

func TestStagingRejectsOtherWindow(t *testing.T) {
	dir := t.TempDir()
	if _, err := extract.OpenBigCommerceStaging(dir, nil, liveOptions()); err != nil {
		t.Fatal(err)
	}
	opt := liveOptions()
	opt.Since = demoClock

	_, err := extract.OpenBigCommerceStaging(dir, nil, opt)

	if !errors.Is(err, extract.ErrStagingWindow) {
		t.Errorf("error = %v, want ErrStagingWindow", err)
	}
}

// TestStagingRejectsOtherStore checks that responses staged from one
// store are not served to an extract of another.
func TestStagingRejectsOtherStore(t *testing.T) {
	dir := t.TempDir()
	opt := liveOptions()
	opt.Origin = "https://api.bigcommerce.com/stores/first"
	if _, err := extract.OpenBigCommerceStaging(dir, nil, opt); err != nil {
		t.Fatal(err)
	}
	opt.Origin = "https://api.bigcommerce.com/stores/second"

	_, err := extract.OpenBigCommerceStaging(dir, nil, opt)

	if !errors.Is(err, extract.ErrStagingWindow) {
		t.Errorf("error = %v, want ErrStagingWindow", err)
	}
}

func TestStagingKeepsUpperBound(t *testing.T) {
	clock := &settableClock{now: demoClock}
	_, server := startMock(t, demoStore(t), bcmock.Options{Clock: clock.Now})
	dir := t.TempDir()
	staging, err := extract.OpenBigCommerceStaging(dir, newFetcher(t, server, nil), liveOptions())
	if err != nil {
		t.Fatal(err)
	}
	readLive(t, staging, liveOptions())
	clock.Set(demoClock.Add(time.Hour))

	snap := readLive(t, staging, liveOptions())

	if !snap.ExtractedAt.Equal(demoClock) {
		t.Errorf("resumed ExtractedAt = %v, want the staged %v", snap.ExtractedAt, demoClock)
	}
	if at, ok := staging.UpperBound(); !ok || !at.Equal(demoClock) {
		t.Errorf("UpperBound = %v, %t, want %v", at, ok, demoClock)
	}
}

// echoToken responds to GET /v3/inventory/items with 400 and a body that
// repeats the token, as a careless server might; other paths go to next.
type echoToken struct{ next http.Handler }

func (e echoToken) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/v3/inventory/items") {
		http.Error(w, `{"title":"bad token `+r.Header.Get("X-Auth-Token")+`"}`, http.StatusBadRequest)
		return
	}
	e.next.ServeHTTP(w, r)
}

func TestTokenNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mock := bcmock.New(demoStore(t), bcmock.Options{StoreHash: testStoreHash, Token: testToken, Quota: -1, Faults: []bcmock.Fault{
		{Kind: bcmock.FaultInternalError, Path: "/v2/orders"},
		{Kind: bcmock.FaultRateLimitBare, Path: "/v2/orders/*/products", Nth: 3},
		{Kind: bcmock.FaultTruncate, Path: "/v3/orders/*/transactions", Nth: 2},
	}})
	server := httptest.NewServer(echoToken{next: mock})
	t.Cleanup(server.Close)
	f := newFetcher(t, server, func(c *extract.APIConfig) { c.Logger = logger })
	opt := liveOptions()
	opt.Logger = logger

	_, err := extract.ReadBigCommerce(context.Background(), f, opt)
	_, wrongErr := extract.ReadBigCommerce(context.Background(),
		newFetcher(t, server, func(c *extract.APIConfig) { c.Logger, c.Token = logger, "other-"+testToken }), opt)

	if err == nil || wrongErr == nil {
		t.Fatalf("errors %v and %v, want both set", err, wrongErr)
	}
	for _, text := range []string{err.Error(), wrongErr.Error(), logs.String(), fmt.Sprint(f)} {
		if strings.Contains(text, testToken) {
			t.Errorf("token appears in %q", text)
		}
	}
	if !strings.Contains(err.Error(), "[redacted]") {
		t.Errorf("error %q does not show the echoed token redacted", err)
	}
	if !strings.Contains(logs.String(), "retrying") {
		t.Errorf("no retry logged, so the faults did not fire:\n%s", logs.String())
	}
}
