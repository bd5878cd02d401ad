package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v3"
)

// storeConfigFor returns the store settings that args give over
// settings, as `recon extract bigcommerce` would read them.
func storeConfigFor(t *testing.T, settings config, args ...string) storeConfig {
	t.Helper()
	var got storeConfig
	cmd := &cli.Command{
		Name:  "extract",
		Flags: storeFlags(),
		Action: func(_ context.Context, cmd *cli.Command) error {
			got = storeConfigFrom(cmd, settings)
			return nil
		},
	}
	if err := cmd.Run(context.Background(), append([]string{"extract"}, args...)); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestStoreConfigPrecedence(t *testing.T) {
	t.Setenv(envStoreHash, "fromenv")
	t.Setenv("SHOP_TOKEN", "shop-token")
	t.Setenv(envToken, "default-token")
	fromFile := defaultConfig()
	fromFile.bigCommerce = bigCommerceConfig{StoreHash: "fromfile", BaseURL: "http://127.0.0.1:9",
		Workers: 7, TokenEnv: "SHOP_TOKEN"}

	cases := []struct {
		name     string
		settings config
		args     []string
		want     storeConfig
	}{
		{"defaults and environment", defaultConfig(), nil,
			storeConfig{BaseURL: defaultConfig().bigCommerce.BaseURL, StoreHash: "fromenv",
				Token: "default-token", TokenEnv: envToken, Workers: defaultWorkers}},
		{"config over environment", fromFile, nil,
			storeConfig{BaseURL: "http://127.0.0.1:9", StoreHash: "fromfile",
				Token: "shop-token", TokenEnv: "SHOP_TOKEN", Workers: 7}},
		{"flags over config", fromFile,
			[]string{"--base-url", "http://127.0.0.1:8", "--store-hash", "fromflag", "--workers", "2"},
			storeConfig{BaseURL: "http://127.0.0.1:8", StoreHash: "fromflag",
				Token: "shop-token", TokenEnv: "SHOP_TOKEN", Workers: 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := storeConfigFor(t, c.settings, c.args...)

			if got != c.want {
				t.Errorf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func TestExtractReadsStoreFromConfig(t *testing.T) {
	_, baseURL := mockStore(t)
	t.Setenv(envStoreHash, "")
	t.Setenv(envToken, "")
	t.Setenv("SHOP_BC_TOKEN", testToken)
	dir := t.TempDir()
	config := filepath.Join(dir, "recon.yaml")
	writeFile(t, config, "db: store.duckdb\nbigcommerce:\n  store_hash: "+testStoreHash+
		"\n  base_url: "+baseURL+"\n  workers: 3\n  token_env: SHOP_BC_TOKEN\n")

	out := runRecon(t, "--config", config, "extract", "bigcommerce")

	if out.code != 0 {
		t.Fatalf("exit code %d, stderr:\n%s", out.code, out.stderr)
	}
	if !strings.Contains(out.stdout, "full snapshot 1 of bigcommerce") {
		t.Errorf("stdout lacks the snapshot line:\n%s", out.stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "store.duckdb")); err != nil {
		t.Errorf("the config's db was not written: %v", err)
	}
	if strings.Contains(out.stderr, testToken) || strings.Contains(out.stdout, testToken) {
		t.Error("the token appears in the output")
	}
}

func TestExtractNamesConfiguredTokenEnv(t *testing.T) {
	t.Setenv("SHOP_BC_TOKEN", "")
	dir := t.TempDir()
	config := filepath.Join(dir, "recon.yaml")
	writeFile(t, config, "bigcommerce:\n  store_hash: abc\n  base_url: http://127.0.0.1:1\n  token_env: SHOP_BC_TOKEN\n")

	out := runRecon(t, "--config", config, "extract", "bigcommerce")

	if out.code != 1 {
		t.Errorf("exit code %d, want 1", out.code)
	}
	want := "missing BigCommerce access token: set the environment variable SHOP_BC_TOKEN"
	if !strings.Contains(out.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, out.stderr)
	}
}

func TestConfigRejectsWorkersOutOfRange(t *testing.T) {
	_, err := parseConfig("c.yaml", []byte("bigcommerce:\n  workers: 40\n"))

	want := "config c.yaml:2: invalid bigcommerce.workers 40: use 1 to 16"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestConfigRejectsStorePathInBaseURL(t *testing.T) {
	_, err := parseConfig("c.yaml", []byte("bigcommerce:\n  base_url: https://api.bigcommerce.com/stores/abc123/v3\n"))

	want := `config c.yaml: invalid bigcommerce.base_url "https://api.bigcommerce.com/stores/abc123/v3": ` +
		"give the API host without /stores/{hash}, here https://api.bigcommerce.com, " +
		"and the store hash as bigcommerce.store_hash"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestExtractRejectsStorePathInBaseURL(t *testing.T) {
	m := startMock(t, nil)
	setStoreEnv(t, testToken)
	dir := t.TempDir()
	db := filepath.Join(dir, "recon.duckdb")

	out := runRecon(t, extractArgs(db, m.url+"/stores/"+testStoreHash+"/v3")...)

	if out.code != 1 {
		t.Errorf("exit code %d, want 1", out.code)
	}
	want := `recon: invalid --base-url "` + m.url + "/stores/" + testStoreHash + `/v3": give the API host ` +
		"without /stores/{hash}, here --base-url " + m.url + ", and the store hash with --store-hash\n"
	if out.stderr != want {
		t.Errorf("stderr %q, want %q", out.stderr, want)
	}
	if n := m.server.Stats().Requests; n != 0 {
		t.Errorf("mock got %d requests, want 0", n)
	}
	if names := folderNames(t, dir); len(names) != 0 {
		t.Errorf("folder contains %v after the rejected base URL, want nothing", names)
	}
}

func TestStoreConfigRedactsBaseURLPassword(t *testing.T) {
	cfg := storeConfig{BaseURL: "http://user:pa55word@127.0.0.1:1/stores/abc/v3", StoreHash: "abc",
		Token: testToken, Workers: 2}

	err := cfg.validate()

	if err == nil {
		t.Fatal("validate returned no error")
	}
	if strings.Contains(err.Error(), "pa55word") {
		t.Errorf("error %q shows the password", err)
	}
}
