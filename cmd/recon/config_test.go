package main

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/recon-tools/recon/rules"
)

func TestConfigUnknownKeyNamesLine(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"top level", "db: x.duckdb\nreprot: r.xlsx\n",
			`config c.yaml:2: unknown key "reprot": use data, db, report, rules, bigcommerce, locations`},
		{"token in file", "bigcommerce:\n  store_hash: abc\n  token: secret\n",
			`config c.yaml:3: unknown key "token" in bigcommerce: use store_hash, base_url, workers, token_env ` +
				"(the access token never goes in the file"},
		{"rules section", "rules:\n  custom: sql\n", `config c.yaml:2: unknown key "custom" in rules: use custom_dir, params`},
		{"location", "locations:\n  MAIN: {erp: MAIN, wsm: WH1}\n",
			`config c.yaml:2: unknown key "wsm" in locations.MAIN: use erp, wms`},
		{"rule parameter", "rules:\n  params:\n    stock_bufer: 2\n", `c.yaml:3: invalid rule parameter: unknown parameter "stock_bufer"`},
		{"bad value", "rules:\n  params:\n    stock_buffer: two\n", `c.yaml:3: invalid rule parameter: stock_buffer: "two" is not a whole number`},
		{"invalid value", "rules:\n  params:\n    local_currency: usd\n", `local_currency "usd" is not a three-letter ISO code`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parseConfig("c.yaml", []byte(c.yaml))

			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestConfigSetsParamsAndPaths(t *testing.T) {
	yaml := "db: runs/recon.duckdb\nrules:\n  custom_dir: sql\n  params:\n    stock_buffer: 3\n    tax_line_tolerance: 0.01\n" +
		"bigcommerce:\n  token_env: SHOP_TOKEN\nlocations:\n  MAIN: {erp: MAIN, wms: WH1}\n"

	cfg, err := parseConfig(filepath.Join("conf", "recon.yaml"), []byte(yaml))

	if err != nil {
		t.Fatal(err)
	}
	if cfg.params.StockBuffer != 3 || cfg.params.TaxLineTolerance.String() != "0.01" {
		t.Errorf("params = %+v, want stock_buffer 3 and tax_line_tolerance 0.01", cfg.params)
	}
	if cfg.db != filepath.Join("conf", "runs", "recon.duckdb") || cfg.customDir != filepath.Join("conf", "sql") {
		t.Errorf("db %s, custom_dir %s, want both relative to conf", cfg.db, cfg.customDir)
	}
	if cfg.report != defaultReport {
		t.Errorf("report %s, want the default %s", cfg.report, defaultReport)
	}
	if cfg.locations["MAIN"].WMS != "WH1" {
		t.Errorf("locations = %v, want MAIN mapped to WMS WH1", cfg.locations)
	}
	if cfg.bigCommerce.TokenEnv != "SHOP_TOKEN" {
		t.Errorf("token_env %q, want SHOP_TOKEN", cfg.bigCommerce.TokenEnv)
	}
}

func TestInitOutputParsesToDefaults(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "recon.yaml")

	stdout, stderr, code := runReconOut(t, "init", path)

	if code != 0 || stdout != "wrote "+path+"\n" {
		t.Fatalf("init: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parseConfig(path, data)
	if err != nil {
		t.Fatalf("init output does not parse: %v\n%s", err, data)
	}
	got, want := paramText(cfg.params), paramText(rules.DefaultParams())
	if !reflect.DeepEqual(got, want) {
		t.Errorf("params %v, want the defaults %v", got, want)
	}
	if cfg.db != filepath.Join(dir, defaultDB) || cfg.report != filepath.Join(dir, defaultReport) || cfg.data != "" {
		t.Errorf("db %s, report %s, data %q; want the defaults", cfg.db, cfg.report, cfg.data)
	}
	if cfg.bigCommerce != defaultConfig().bigCommerce {
		t.Errorf("bigcommerce %+v, want %+v", cfg.bigCommerce, defaultConfig().bigCommerce)
	}
	for _, p := range paramDocs() {
		if !strings.Contains(string(data), "\n    "+p.Name+": ") {
			t.Errorf("template lacks parameter %s", p.Name)
		}
	}
	if strings.Contains(string(data), "token:") {
		t.Error("template has a token key")
	}
}

// paramText returns each parameter's value as text, because equal
// decimals may differ in their internal representation.
func paramText(p rules.Params) []string {
	v := reflect.ValueOf(p)
	out := make([]string, v.NumField())
	for i := range out {
		out[i] = fmt.Sprint(v.Field(i).Interface())
	}
	return out
}

func TestInitRefusesToOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "recon.yaml")
	os.WriteFile(path, []byte("db: mine.duckdb\n"), 0o644)

	_, stderr, code := runReconOut(t, "init", path)

	if code != 1 || !strings.Contains(stderr, "already exists: pass --force") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if data, _ := os.ReadFile(path); string(data) != "db: mine.duckdb\n" {
		t.Errorf("file changed to %q", data)
	}
	if _, stderr, code := runReconOut(t, "init", "--force", path); code != 0 {
		t.Errorf("init --force: exit %d: %s", code, stderr)
	}
}

func TestRunFlagsOverrideConfig(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "recon.yaml")
	os.WriteFile(config, []byte("db: from-config.duckdb\nreport: from-config.xlsx\nrules:\n  custom_dir: sql\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "sql"), 0o755)
	writeFile(t, filepath.Join(dir, "sql", "big_orders.sql"), `-- id: custom.big_orders
-- title: Order above 500
-- severity: low
-- owner: finance
-- sources: bigcommerce
SELECT order_id, total_inc_tax AS actual, upper(currency_code) AS unit,
  'order total ' || total_inc_tax AS reason
FROM run_bc_orders WHERE total_inc_tax > 500
`)
	flagDB := filepath.Join(dir, "from-flag.duckdb")

	stdout, stderr, code := runReconOut(t, "--config", config, "--log-level", "error", "run", "--db", flagDB, "--keep-parquet=false")

	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(flagDB); err != nil {
		t.Errorf("the --db flag did not win over the config: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "from-config.duckdb")); err == nil {
		t.Error("the config's db was written despite --db")
	}
	if _, err := os.Stat(filepath.Join(dir, "from-config.xlsx")); err != nil {
		t.Errorf("the config's report was not written: %v", err)
	}
	if !strings.Contains(stdout, "custom.big_orders") {
		t.Errorf("summary lacks the custom rule:\n%s", stdout)
	}

	stdout, _, code = runReconOut(t, "--config", config, "rules", "list")
	if code != 0 || !strings.Contains(stdout, "custom.big_orders  finance  low  Order above 500") ||
		!strings.Contains(stdout, "stock.mismatch  operations  medium") {
		t.Errorf("rules list: exit %d:\n%s", code, stdout)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWorkersDescribedAlike(t *testing.T) {
	want := "number of orders whose details are fetched at the same time, 1 to 16, default 4"

	help := runRecon(t, "extract", "bigcommerce", "--help")

	if workersUsage != want {
		t.Errorf("workersUsage %q, want %q", workersUsage, want)
	}
	if !strings.Contains(help.stdout, "--workers int        "+want) {
		t.Errorf("--workers help lacks %q:\n%s", want, help.stdout)
	}
	if !strings.Contains(configTemplate(), "  # Number of orders whose details are fetched at the same time, 1 to 16, default 4.\n  workers: 4\n") {
		t.Errorf("config template describes workers otherwise:\n%s", configTemplate())
	}
}

func TestRulesListShowsConfiguredValues(t *testing.T) {
	config := filepath.Join(t.TempDir(), "recon.yaml")
	writeFile(t, config, "rules:\n  params:\n    stock_buffer: 2\n")

	configured, _, code := runReconOut(t, "--config", config, "rules", "list")
	defaults, _, defaultCode := runReconOut(t, "rules", "list")

	if code != 0 || !strings.Contains(configured, `params:   stock_buffer 2 (default 0), stock_location_map ""`) {
		t.Errorf("rules list with stock_buffer 2: exit %d:\n%s", code, configured)
	}
	if defaultCode != 0 || !strings.Contains(defaults, `params:   stock_buffer 0, stock_location_map ""`) {
		t.Errorf("rules list without a config: exit %d:\n%s", defaultCode, defaults)
	}
}

func TestConfigInvalidValueNamesLine(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"rounding mode", "rules:\n  params:\n    tax_rounding: bankers\n",
			`config c.yaml:3: invalid rule parameter: tax_rounding "bankers" is not half_up, half_even, up or down`},
		{"flow style", "rules: {params: {stock_buffer: 1, local_currency: usd}}\n",
			`config c.yaml:1: invalid rule parameter: local_currency "usd" is not a three-letter ISO code`},
		{"empty account", "rules:\n  params:\n    stock_buffer: 1\n    erp_shipping_account: ''\n",
			`config c.yaml:4: invalid rule parameter: erp_shipping_account is empty; set the G/L account of shipping lines`},
		{"masked by overlap", "rules:\n  params:\n    unpaid_statuses: '2'\n    tax_rounding: bankers\n    paid_statuses: '11'\n",
			`config c.yaml:4: invalid rule parameter: tax_rounding "bankers" is not half_up, half_even, up or down`},
		{"paid and unpaid overlap", "rules:\n  params:\n    paid_statuses: '2,3'\n    unpaid_statuses: '0,3'\n",
			`config c.yaml:4: invalid rule parameter: status_id 3 is in both paid_statuses and unpaid_statuses`},
		{"workers above range", "bigcommerce:\n  store_hash: abc\n  workers: 40\n",
			`config c.yaml:3: invalid bigcommerce.workers 40: use 1 to 16`},
		{"workers negative", "bigcommerce: {workers: -1}\n",
			`config c.yaml:1: invalid bigcommerce.workers -1: use 1 to 16`},
		{"workers not a number", "bigcommerce:\n  workers: many\n",
			`config c.yaml:2: invalid bigcommerce.workers "many": expected a whole number`},
		{"path is a list", "data: x\ndb: [a, b]\n",
			`config c.yaml:2: invalid db: expected a single value, got a list`},
		{"file is a list", "- db: x.duckdb\n",
			`config c.yaml:1: expected a mapping of keys to values, got a list`},
		{"section is a list", "rules:\n  - a\n",
			`config c.yaml:1: invalid rules: expected a mapping of keys to values, got a list`},
		{"location is a value", "locations:\n  MAIN: WH1\n",
			`config c.yaml:2: invalid locations.MAIN: expected a mapping of keys to values, got a single value`},
		{"location code is a mapping", "locations:\n  MAIN: {erp: {code: MAIN}}\n",
			`config c.yaml:2: invalid locations.MAIN.erp: expected a single value, got a mapping`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "c.yaml"), c.yaml)
			t.Chdir(dir)

			_, stderr, code := runReconOut(t, "--config", "c.yaml", "rules", "list")

			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if stderr != "recon: "+c.want+"\n" {
				t.Errorf("stderr %q, want %q", stderr, "recon: "+c.want+"\n")
			}
		})
	}
}

func TestRunDataFolderMissing(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nothere")
	file := filepath.Join(dir, "file.txt")
	writeFile(t, file, "not a folder\n")
	config := filepath.Join(dir, "c.yaml")
	writeFile(t, config, "db: r.duckdb\ndata: nothere\n")
	hint := "give the folder that holds bigcommerce/, erp/, wms/ and payouts/ (see docs/formats.md), " +
		"or leave %s out to reconcile the bundled demo"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"flag", []string{"run", "--data", missing},
			"--data folder " + missing + " does not exist: " + fmt.Sprintf(hint, "--data")},
		{"flag names a file", []string{"run", "--data", file},
			"--data folder " + file + " is not a folder: " + fmt.Sprintf(hint, "--data")},
		{"config", []string{"--config", config, "run"},
			"config " + config + ":2: data folder " + missing + " does not exist: " + fmt.Sprintf(hint, "data")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append(c.args, "--db", filepath.Join(dir, "r.duckdb"), "--report", filepath.Join(dir, "r.xlsx"))

			_, stderr, code := runReconOut(t, args...)

			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if stderr != "recon: "+c.want+"\n" {
				t.Errorf("stderr %q, want %q", stderr, "recon: "+c.want+"\n")
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "r.duckdb")); err == nil {
		t.Error("a run with a missing data folder created the database")
	}
}

func TestConfigCustomDirMissing(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "c.yaml")
	writeFile(t, config, "db: r.duckdb\nrules:\n  custom_dir: nothere\n")
	missing := filepath.Join(dir, "nothere")
	want := "recon: config " + config + ":3: rules.custom_dir folder " + missing + " does not exist: " +
		"create it (mkdir -p " + missing + ") or choose another rules.custom_dir\n"

	for _, args := range [][]string{
		{"--config", config, "rules", "list"},
		{"--config", config, "run", "--db", filepath.Join(dir, "r.duckdb"), "--report", filepath.Join(dir, "r.xlsx")},
	} {
		_, stderr, code := runReconOut(t, args...)

		if code != 1 {
			t.Errorf("%s: exit %d, want 1", args[2], code)
		}
		if stderr != want {
			t.Errorf("%s: stderr %q, want %q", args[2], stderr, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "r.duckdb")); err == nil {
		t.Error("a run with a missing custom_dir created the database")
	}
}

func TestInitRejectsBadPath(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing folder", []string{"init", filepath.Join(sub, "new.yaml")},
			"config folder " + sub + " does not exist: create it (mkdir -p " + sub + ") or choose another FILE"},
		{"folder", []string{"init", dir},
			"invalid FILE " + dir + ": it is a folder; give a file name such as " + filepath.Join(dir, defaultConfigFile)},
		{"two paths", []string{"init", filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")},
			`unexpected argument "` + filepath.Join(dir, "b.yaml") + `": 'recon init' takes at most one FILE, the config file to write (see 'recon init --help')`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runReconOut(t, c.args...)

			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if stderr != "recon: "+c.want+"\n" {
				t.Errorf("stderr %q, want %q", stderr, "recon: "+c.want+"\n")
			}
			if stdout != "" {
				t.Errorf("stdout %q, want none", stdout)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "a.yaml")); err == nil {
		t.Error("init with two paths wrote the first")
	}
}
