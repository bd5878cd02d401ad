package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/fixtures"
	"github.com/recon-tools/recon/fixtures/bcmock"
)

const (
	testToken     = "tok-9f3c1e2d7a6b5c4d"
	testStoreHash = "r3c0nd3m0"
)

// mockStore serves the demo store on 127.0.0.1 with a quota high enough
// that the fetcher never waits for the rate limit.
func mockStore(t *testing.T) (*bcmock.Store, string) {
	t.Helper()
	m := startMock(t, nil)
	return m.store, m.url
}

// demoStoreTime is the store clock saved with the demo's BigCommerce
// responses.
var demoStoreTime = time.Unix(1796104800, 0).UTC()

// mock is a running mock of the demo store, whose clock starts at
// demoStoreTime and moves only when a test sets it.
type mock struct {
	store  *bcmock.Store
	server *bcmock.Server
	url    string
	clock  *mockClock
}

type mockClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *mockClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *mockClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// startMock serves the demo store on 127.0.0.1 like mockStore, with the
// options changed by change when it is not nil.
func startMock(t *testing.T, change func(*bcmock.Options)) *mock {
	t.Helper()
	store, err := demoStore()
	if err != nil {
		t.Fatal(err)
	}
	clock := &mockClock{now: demoStoreTime}
	opt := bcmock.Options{
		StoreHash: testStoreHash,
		Token:     testToken,
		Quota:     1_000_000,
		Window:    time.Second,
		Clock:     clock.Now,
	}
	if change != nil {
		change(&opt)
	}
	server := bcmock.New(store, opt)
	httpServer := httptest.NewServer(server)
	t.Cleanup(httpServer.Close)
	if !strings.HasPrefix(httpServer.URL, "http://127.0.0.1:") {
		t.Fatalf("mock server at %s, want 127.0.0.1", httpServer.URL)
	}
	return &mock{store: store, server: server, url: httpServer.URL, clock: clock}
}

// reconOutput is what one recon invocation wrote and returned.
type reconOutput struct {
	code   int
	stdout string
	stderr string
}

func runRecon(t *testing.T, args ...string) reconOutput {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"recon"}, args...), &stdout, &stderr)
	return reconOutput{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// extractArgs returns the arguments of `recon extract bigcommerce`
// against baseURL, with debug logging so that every request is logged.
func extractArgs(db, baseURL string, extra ...string) []string {
	args := []string{"--log-level", "debug", "extract", "bigcommerce", "--db", db, "--base-url", baseURL}
	return append(args, extra...)
}

func setStoreEnv(t *testing.T, token string) {
	t.Setenv(envStoreHash, testStoreHash)
	t.Setenv(envToken, token)
}

func openDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryInt(t *testing.T, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// demoCounts returns the rows per bc_* table read from the saved demo
// files.
func demoCounts(t *testing.T) map[string]int {
	t.Helper()
	sub, err := fs.Sub(fixtures.Demo, "bigcommerce")
	if err != nil {
		t.Fatal(err)
	}
	snap, err := extract.ReadBigCommerce(context.Background(), extract.NewFileFetcher(sub), extract.BigCommerceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, table := range snap.Tables {
		counts[table.Name] = table.Len()
	}
	return counts
}

func TestExtractMatchesDemoFiles(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	out := runRecon(t, extractArgs(db, baseURL)...)

	if out.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	conn := openDB(t, db)
	for table, want := range demoCounts(t) {
		got := queryInt(t, conn, `SELECT row_count FROM snapshot_tables WHERE snapshot_id = 1 AND table_name = ?`, table)
		if got != int64(want) {
			t.Errorf("%s: %d rows recorded, want %d as in the demo files", table, got, want)
		}
		stored := queryInt(t, conn, `SELECT count(*) FROM `+table+` WHERE snapshot_id = 1`)
		if stored != int64(want) {
			t.Errorf("%s: %d rows stored, want %d", table, stored, want)
		}
	}
	if mode := queryString(t, conn, `SELECT mode FROM snapshots WHERE snapshot_id = 1`); mode != "full" {
		t.Errorf("mode %q, want full", mode)
	}
	if status := queryString(t, conn, `SELECT status || ' ' || command FROM runs`); status != "succeeded extract bigcommerce" {
		t.Errorf("run %q, want succeeded extract bigcommerce", status)
	}
	if !strings.Contains(out.stdout, "full snapshot 1 of bigcommerce") {
		t.Errorf("stdout lacks the snapshot line:\n%s", out.stdout)
	}
}

func queryString(t *testing.T, db *sql.DB, query string, args ...any) string {
	t.Helper()
	var s string
	if err := db.QueryRow(query, args...).Scan(&s); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return s
}

// edit marks one order modified after the demo's store time, adds a
// refund created after it, moves the store clock past both and returns
// the order's id.
func (m *mock) edit(t *testing.T) int {
	t.Helper()
	store := m.store
	after := demoStoreTime.Add(time.Hour)
	m.clock.Set(after.Add(time.Hour))
	const orderID = 1003
	err := store.SetOrderFields(orderID, map[string]any{
		"date_modified":    bcmock.FormatRFC2822(after),
		"customer_message": "edited after the first extract",
	})
	if err != nil {
		t.Fatal(err)
	}
	refund := map[string]any{
		"id": 9001, "order_id": orderID, "user_id": 0, "created": after.Format(time.RFC3339),
		"reason": "added after the first extract", "total_amount": 5, "total_tax": 0,
		"uses_merchant_override_values": false,
		"items":                         []any{map[string]any{"item_type": "ORDER", "item_id": orderID, "requested_amount": 5, "reason": ""}},
		"payments":                      []any{map[string]any{"id": 9901, "provider_id": "stripe", "amount": 5, "offline": false, "is_declined": false, "declined_message": ""}},
	}
	raw, err := json.Marshal(refund)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.AddRefund(raw); err != nil {
		t.Fatal(err)
	}
	return orderID
}

func TestExtractSecondRunIsIncremental(t *testing.T) {
	m := startMock(t, nil)
	baseURL := m.url
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")
	if out := runRecon(t, extractArgs(db, baseURL)...); out.code != 0 {
		t.Fatalf("first extract: exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	orderID := m.edit(t)

	out := runRecon(t, extractArgs(db, baseURL)...)

	if out.code != 0 {
		t.Fatalf("second extract: exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	if !strings.Contains(out.stdout, "incremental snapshot 2 of bigcommerce, completed from snapshot 1") {
		t.Errorf("stdout lacks the incremental snapshot line:\n%s", out.stdout)
	}
	conn := openDB(t, db)
	demo := demoCounts(t)
	if got := queryInt(t, conn, `SELECT count(*) FROM bc_orders WHERE snapshot_id = 2`); got != int64(demo["bc_orders"]) {
		t.Errorf("%d orders in snapshot 2, want %d", got, demo["bc_orders"])
	}
	if got := queryInt(t, conn, `SELECT count(*) FROM bc_refunds WHERE snapshot_id = 2`); got != int64(demo["bc_refunds"]+1) {
		t.Errorf("%d refunds in snapshot 2, want %d", got, demo["bc_refunds"]+1)
	}
	for _, table := range []string{"bc_order_products", "bc_shipments", "bc_transactions", "bc_variants"} {
		if got := queryInt(t, conn, `SELECT count(*) FROM `+table+` WHERE snapshot_id = 2`); got != int64(demo[table]) {
			t.Errorf("%d rows of %s in snapshot 2, want %d", got, table, demo[table])
		}
	}
	edited := queryString(t, conn, `SELECT raw::VARCHAR FROM bc_orders WHERE snapshot_id = 2 AND order_id = ?`, orderID)
	if !strings.Contains(edited, "edited after the first extract") {
		t.Errorf("order %d in snapshot 2 is not the edited one: %s", orderID, edited)
	}
	base := queryString(t, conn, `SELECT mode || ' ' || base_snapshot_id FROM snapshots WHERE snapshot_id = 2`)
	if base != "incremental 1" {
		t.Errorf("snapshot 2 is %q, want incremental 1", base)
	}
}

// dbState returns the row count of every table in the file and the
// newest snapshot id, for comparing before and after a failed command.
func dbState(t *testing.T, path string) map[string]int64 {
	t.Helper()
	conn := openDB(t, path)
	rows, err := conn.Query(`SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	state := map[string]int64{}
	for _, table := range tables {
		state[table] = queryInt(t, conn, `SELECT count(*) FROM `+table)
	}
	state["max snapshot_id"] = queryInt(t, conn, `SELECT coalesce(max(snapshot_id), 0) FROM snapshots`)
	conn.Close()
	return state
}

func TestExtractWrongTokenChangesNothing(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")
	if out := runRecon(t, extractArgs(db, baseURL)...); out.code != 0 {
		t.Fatalf("first extract: exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	before := dbState(t, db)
	setStoreEnv(t, "wrong-"+testToken)

	out := runRecon(t, extractArgs(db, baseURL, "--full")...)

	if out.code != 1 {
		t.Errorf("exit code %d, want 1", out.code)
	}
	for _, want := range []string{"401", "check that " + envToken} {
		if !strings.Contains(out.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out.stderr)
		}
	}
	after := dbState(t, db)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s: %d after the failed extract, want %d", table, after[table], n)
		}
	}
	if _, err := os.Stat(db + ".staging"); !os.IsNotExist(err) {
		t.Errorf("staging root left after an extract that staged nothing: %v", err)
	}
}

// folderNames returns the names of the entries in dir.
func folderNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestExtractWrongTokenLeavesNoFiles(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, "wrong-"+testToken)
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")

	out := runRecon(t, extractArgs(db, baseURL)...)

	if out.code != 1 {
		t.Errorf("exit code %d, want 1", out.code)
	}
	if !strings.Contains(out.stderr, "status 401 Unauthorized") {
		t.Errorf("stderr lacks the 401 error:\n%s", out.stderr)
	}
	if strings.Contains(out.stderr, "resumes from the staging folder") {
		t.Errorf("stderr promises a resume though nothing was staged:\n%s", out.stderr)
	}
	for _, name := range []string{db, db + ".wal", db + ".staging"} {
		if _, err := os.Stat(name); !os.IsNotExist(err) {
			t.Errorf("%s left after an extract that loaded nothing: %v", filepath.Base(name), err)
		}
	}
	if names := folderNames(t, dir); len(names) != 0 {
		t.Errorf("folder contains %v after the failed extract, want nothing", names)
	}
}

func TestRunStoreWrongTokenLeavesNoFiles(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, "wrong-"+testToken)
	dir := t.TempDir()

	out := runRecon(t, "run", "--store", "--base-url", baseURL, "--db", filepath.Join(dir, "w.duckdb"),
		"--report", filepath.Join(dir, "report.xlsx"))

	if out.code != 1 {
		t.Errorf("exit code %d, want 1", out.code)
	}
	if strings.Contains(out.stderr, "resumes from the staging folder") {
		t.Errorf("stderr promises a resume though nothing was staged:\n%s", out.stderr)
	}
	if names := folderNames(t, dir); len(names) != 0 {
		t.Errorf("folder contains %v after the failed run, want nothing", names)
	}
}

func TestExtractWrongStoreHashNamesPath(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	out := runRecon(t, extractArgs(db, baseURL, "--store-hash", "n0tmyst0re")...)

	if out.code != 1 {
		t.Errorf("exit code %d, want 1", out.code)
	}
	if !strings.Contains(out.stderr, "status 404 Not Found") {
		t.Errorf("stderr lacks the 404 error:\n%s", out.stderr)
	}
	want := ": the API found no /stores/n0tmyst0re/v2/time: check that --store-hash is the store's hash " +
		"and --base-url the API host without /stores/{hash}, such as https://api.bigcommerce.com"
	if !strings.Contains(out.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, out.stderr)
	}
	if strings.Contains(out.stderr, testToken) {
		t.Error("stderr contains the token")
	}
}

func TestStatusHintNotFound(t *testing.T) {
	err := fmt.Errorf("get /v2/orders/7/shipments: %w",
		&extract.APIError{Path: "/v2/orders/7/shipments", URLPath: "/stores/abc/v2/orders/7/shipments", Status: 404})
	cases := []struct {
		name        string
		hadResponse bool
		want        string
	}{
		{"first response", false, ": the API found no /stores/abc/v2/orders/7/shipments: check that --store-hash " +
			"is the store's hash and --base-url the API host without /stores/{hash}, such as https://api.bigcommerce.com"},
		{"after responses", true, ": the API found no /stores/abc/v2/orders/7/shipments"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := statusHint(err, envToken, c.hadResponse); got != c.want {
				t.Errorf("statusHint = %q, want %q", got, c.want)
			}
		})
	}
}

// textColumns returns "table.column" for every VARCHAR and JSON column.
func textColumns(t *testing.T, db *sql.DB) [][2]string {
	t.Helper()
	rows, err := db.Query(`SELECT table_name, column_name FROM information_schema.columns
WHERE data_type IN ('VARCHAR', 'JSON')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols [][2]string
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, [2]string{table, col})
	}
	return cols
}

// checkNoSecret fails when secret appears in any text column of the
// database, in any kept Parquet file, or in the outputs.
func checkNoSecret(t *testing.T, dbPath, secret string, outputs ...reconOutput) {
	t.Helper()
	for i, out := range outputs {
		if strings.Contains(out.stdout+out.stderr, secret) {
			t.Errorf("output of invocation %d contains the token", i+1)
		}
	}
	conn := openDB(t, dbPath)
	cols := textColumns(t, conn)
	if len(cols) < 10 {
		t.Fatalf("found %d text columns, want the metadata and snapshot ones", len(cols))
	}
	for _, c := range cols {
		n := queryInt(t, conn, `SELECT count(*) FROM "`+c[0]+`" WHERE contains("`+c[1]+`"::VARCHAR, ?)`, secret)
		if n != 0 {
			t.Errorf("%s.%s: %d values contain the token", c[0], c[1], n)
		}
	}
	root := strings.TrimSuffix(dbPath, filepath.Ext(dbPath)) + ".snapshots"
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(secret)) {
			t.Errorf("%s contains the token", path)
		}
		return err
	})
}

func TestExtractTokenNeverStored(t *testing.T) {
	m := startMock(t, nil)
	baseURL := m.url
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	full := runRecon(t, extractArgs(db, baseURL)...)
	m.edit(t)
	incremental := runRecon(t, extractArgs(db, baseURL)...)
	setStoreEnv(t, "wrong-"+testToken)
	failed := runRecon(t, extractArgs(db, baseURL)...)

	if full.code != 0 || incremental.code != 0 || failed.code != 1 {
		t.Fatalf("exit codes %d, %d, %d, want 0, 0, 1; stderr of the last:\n%s",
			full.code, incremental.code, failed.code, failed.stderr)
	}
	checkNoSecret(t, db, testToken, full, incremental, failed)
	checkNoSecret(t, db, "wrong-"+testToken, failed)
}

func TestExtractMissingToken(t *testing.T) {
	setStoreEnv(t, "")
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	out := runRecon(t, extractArgs(db, "http://127.0.0.1:1")...)

	if out.code != 1 {
		t.Errorf("exit code %d, want 1", out.code)
	}
	if !strings.Contains(out.stderr, "missing BigCommerce access token: set the environment variable "+envToken) {
		t.Errorf("stderr lacks the missing token message:\n%s", out.stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("database file created before the token was checked: %v", err)
	}
}

func TestExtractSinceNeedsEarlierSnapshot(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	out := runRecon(t, extractArgs(db, baseURL, "--since", "2026-11-15")...)

	if out.code != 1 {
		t.Errorf("exit code %d, want 1", out.code)
	}
	if !strings.Contains(out.stderr, "run a full extract first") {
		t.Errorf("stderr lacks the advice to run a full extract:\n%s", out.stderr)
	}
}

func TestExtractFullAndSinceConflict(t *testing.T) {
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	out := runRecon(t, extractArgs(db, "http://127.0.0.1:1", "--full", "--since", "2026-11-15")...)

	if !strings.Contains(out.stderr, "--full and --since conflict") {
		t.Errorf("stderr lacks the conflict message:\n%s", out.stderr)
	}
}

func TestParseSince(t *testing.T) {
	cases := []struct {
		value string
		want  time.Time
	}{
		{"", time.Time{}},
		{"2026-11-01", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-11-01T09:30:00+01:00", time.Date(2026, 11, 1, 8, 30, 0, 0, time.UTC)},
		{"2026-11-01T09:30:00Z", time.Date(2026, 11, 1, 9, 30, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		got, err := parseSince(c.value)
		if err != nil {
			t.Errorf("parseSince(%q): %v", c.value, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("parseSince(%q) = %v, want %v", c.value, got, c.want)
		}
	}
	if _, err := parseSince("01/11/2026"); err == nil || !strings.Contains(err.Error(), "RFC 3339") {
		t.Errorf("parseSince(01/11/2026) error %v, want one naming RFC 3339", err)
	}
}

func TestExtractLogsEachEndpoint(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, testToken)
	db := filepath.Join(t.TempDir(), "recon.duckdb")

	out := runRecon(t, extractArgs(db, baseURL)...)

	for _, want := range []string{
		`msg="extracted bigcommerce endpoint" endpoint=orders records=200`,
		`endpoint="order products" records=509`,
		`msg="read bigcommerce page" endpoint=refunds`,
		"requests_left=",
	} {
		if !strings.Contains(out.stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
}

func TestStoreConfigRedactsToken(t *testing.T) {
	cfg := storeConfig{BaseURL: "http://127.0.0.1:1", StoreHash: "abc", Token: testToken, Workers: 2}

	for _, s := range []string{cfg.String(), cfg.GoString(), cfg.LogValue().String()} {
		if strings.Contains(s, testToken) {
			t.Errorf("%q contains the token", s)
		}
	}
}

func TestRunStoreReadsLive(t *testing.T) {
	_, baseURL := mockStore(t)
	setStoreEnv(t, testToken)
	dir := t.TempDir()
	db := filepath.Join(dir, "recon.duckdb")

	out := runRecon(t, "run", "--store", "--base-url", baseURL, "--db", db, "--report", filepath.Join(dir, "report.xlsx"))

	if out.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	conn := openDB(t, db)
	origin := queryString(t, conn, `SELECT origin FROM snapshots WHERE source = 'bigcommerce'`)
	if origin != baseURL+"/stores/"+testStoreHash {
		t.Errorf("bigcommerce origin %q, want the mock's URL", origin)
	}
	if n := queryInt(t, conn, `SELECT count(*) FROM snapshots`); n != 4 {
		t.Errorf("%d snapshots, want 4", n)
	}
}

// runReconOut runs recon like runRecon and returns the output parts.
func runReconOut(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	out := runRecon(t, args...)
	return out.stdout, out.stderr, out.code
}
