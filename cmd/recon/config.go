package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"

	"github.com/urfave/cli/v3"
	"go.yaml.in/yaml/v3"

	"github.com/recon-tools/recon/extract"
	"github.com/recon-tools/recon/rules"
)

// defaultConfigFile is read from the current directory when neither
// --config nor RECON_CONFIG names a file.
const defaultConfigFile = "recon.yaml"

// Defaults of the settings the config file and the flags share.
const (
	defaultDB       = "recon.duckdb"
	defaultReport   = "recon-report.xlsx"
	defaultTokenEnv = "RECON_BC_TOKEN"
	defaultWorkers  = 4
)

// fileConfig is the YAML config file as written; docs/config.md
// describes every key.
type fileConfig struct {
	Data        string                    `yaml:"data"`
	DB          string                    `yaml:"db"`
	Report      string                    `yaml:"report"`
	Rules       rulesConfig               `yaml:"rules"`
	BigCommerce bigCommerceConfig         `yaml:"bigcommerce"`
	Locations   map[string]locationConfig `yaml:"locations"`
}

type rulesConfig struct {
	CustomDir string    `yaml:"custom_dir"`
	Params    yaml.Node `yaml:"params"`
}

// bigCommerceConfig is the store to extract from, which the flags of
// storeFlags override. The access token is never part of the file: it is
// read from the environment variable that TokenEnv names.
type bigCommerceConfig struct {
	StoreHash string `yaml:"store_hash"`
	BaseURL   string `yaml:"base_url"`
	// Workers is the number of orders whose details are fetched at the
	// same time, 1 to maxWorkers; 0 means defaultWorkers.
	Workers  int    `yaml:"workers"`
	TokenEnv string `yaml:"token_env"`
}

// locationConfig maps one BigCommerce location code to the codes the
// ERP and the WMS use for the same place.
type locationConfig struct {
	ERP string `yaml:"erp"`
	WMS string `yaml:"wms"`
}

// config is the settings recon runs with: the config file's values over
// the defaults, with relative paths resolved against the file's folder.
type config struct {
	// path is the config file read, or "" when there was none.
	path string
	// lines maps each dotted key the file sets, such as
	// "rules.custom_dir", to its line.
	lines map[string]int
	// flags lists the path settings, such as "data", that a flag set
	// over the file's value.
	flags       []string
	data        string
	db          string
	report      string
	customDir   string
	params      rules.Params
	bigCommerce bigCommerceConfig
	locations   map[string]locationConfig
}

// defaultConfig returns the settings used without a config file.
func defaultConfig() config {
	return config{
		db:          defaultDB,
		report:      defaultReport,
		params:      rules.DefaultParams(),
		bigCommerce: bigCommerceConfig{BaseURL: extract.DefaultBaseURL, Workers: defaultWorkers, TokenEnv: defaultTokenEnv},
	}
}

// configFlag is the root flag that names the config file.
func configFlag() cli.Flag {
	return &cli.StringFlag{
		Name:    "config",
		Usage:   "YAML config file (see docs/config.md); default recon.yaml in the current directory if it exists",
		Sources: cli.EnvVars("RECON_CONFIG"),
	}
}

// loadConfig reads the config file named by --config or RECON_CONFIG,
// else recon.yaml in the current directory if present, else returns the
// defaults.
func loadConfig(cmd *cli.Command) (config, error) {
	path := cmd.String("config")
	if path == "" {
		if _, err := os.Stat(defaultConfigFile); err != nil {
			return defaultConfig(), nil
		}
		path = defaultConfigFile
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return config{}, fmt.Errorf("read config: %w", err)
	}
	return parseConfig(path, data)
}

// parseConfig decodes a config file. Unknown keys are errors that name
// the key, its line and the valid keys.
func parseConfig(path string, data []byte) (config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return config{}, fmt.Errorf("config %s: %w", path, err)
	}
	if err := checkKeys(path, &doc, reflect.TypeFor[fileConfig](), ""); err != nil {
		return config{}, err
	}
	var fc fileConfig
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&fc); err != nil && !errors.Is(err, io.EOF) {
		return config{}, fmt.Errorf("config %s: %w", path, err)
	}
	cfg := defaultConfig()
	cfg.path = path
	cfg.lines = map[string]int{}
	keyLines(&doc, "", cfg.lines)
	if err := setParams(&cfg.params, path, &fc.Rules.Params); err != nil {
		return config{}, err
	}
	if w := fc.BigCommerce.Workers; w < 0 || w > maxWorkers {
		return config{}, fmt.Errorf("config %s:%d: invalid bigcommerce.workers %d: use 1 to %d",
			path, cfg.lines["bigcommerce.workers"], w, maxWorkers)
	}
	if host, found := extract.TrimStorePath(fc.BigCommerce.BaseURL); found {
		return config{}, fmt.Errorf("config %s: invalid bigcommerce.base_url %q: give the API host without "+
			"/stores/{hash}, here %s, and the store hash as bigcommerce.store_hash",
			path, redactURL(fc.BigCommerce.BaseURL), host)
	}
	cfg.apply(fc, filepath.Dir(path))
	return cfg, nil
}

// apply copies the file's settings over the defaults. A relative path is
// taken relative to base, the config file's folder.
func (c *config) apply(fc fileConfig, base string) {
	resolve := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	c.data = resolve(fc.Data)
	c.customDir = resolve(fc.Rules.CustomDir)
	if fc.DB != "" {
		c.db = resolve(fc.DB)
	}
	if fc.Report != "" {
		c.report = resolve(fc.Report)
	}
	bc := fc.BigCommerce
	c.bigCommerce.StoreHash = bc.StoreHash
	if bc.BaseURL != "" {
		c.bigCommerce.BaseURL = bc.BaseURL
	}
	if bc.Workers > 0 {
		c.bigCommerce.Workers = bc.Workers
	}
	if bc.TokenEnv != "" {
		c.bigCommerce.TokenEnv = bc.TokenEnv
	}
	c.locations = fc.Locations
}

// paramEntry is one rule parameter as the config file sets it.
type paramEntry struct {
	name, text string
	line       int
}

// setParams sets each rule parameter the params mapping names, then
// checks the parameters as `recon run` would. Errors name the file and
// the line of the parameter at fault.
func setParams(p *rules.Params, path string, node *yaml.Node) error {
	if node.Kind == 0 {
		return nil
	}
	if node.Kind != yaml.MappingNode {
		return fmt.Errorf("config %s:%d: rules.params must be a mapping of parameter names to values", path, node.Line)
	}
	var entries []paramEntry
	for i := 0; i+1 < len(node.Content); i += 2 {
		key, value := node.Content[i], node.Content[i+1]
		if value.Kind != yaml.ScalarNode {
			return fmt.Errorf("config %s:%d: rule parameter %s must be a single value", path, value.Line, key.Value)
		}
		if err := p.Set(key.Value, value.Value); err != nil {
			return fmt.Errorf("config %s:%d: %w", path, key.Line, err)
		}
		entries = append(entries, paramEntry{name: key.Value, text: value.Value, line: key.Line})
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("config %s:%d: %w", path, paramErrorLine(entries, err), err)
	}
	return nil
}

// paramErrorLine returns the line of the entry that causes err, which
// Validate returned for all entries. That is the first entry that causes
// err on its own. An error that needs two entries, such as a status_id in
// two lists, gets the entry at which setting them in file order first
// causes it.
func paramErrorLine(entries []paramEntry, err error) int {
	for _, e := range entries {
		alone := rules.DefaultParams()
		if alone.Set(e.name, e.text) == nil && sameError(alone.Validate(), err) {
			return e.line
		}
	}
	prefix := rules.DefaultParams()
	for _, e := range entries {
		if prefix.Set(e.name, e.text) == nil && sameError(prefix.Validate(), err) {
			return e.line
		}
	}
	// The loop above returns at the last entry at the latest, because
	// setting every entry causes err.
	return 0
}

func sameError(a, b error) bool {
	return a != nil && b != nil && a.Error() == b.Error()
}

// paramDocs returns every parameter, in the order of rules.Params, with
// the description a rule declares for it and its default value.
func paramDocs() []rules.Param {
	declared := map[string]rules.Param{}
	for _, r := range rules.All() {
		for _, p := range r.Params {
			declared[p.Name] = p
		}
	}
	defaults := rules.DefaultParams().Values()
	var out []rules.Param
	for _, name := range rules.ParamNames() {
		p := declared[name]
		p.Name = name
		p.Default = defaults[name]
		out = append(out, p)
	}
	return out
}

// withFlags returns c with the value of each path flag the user set on
// cmd, because flags override the config file.
func (c config) withFlags(cmd *cli.Command) config {
	c.flags = nil
	for name, field := range map[string]*string{"data": &c.data, "db": &c.db, "report": &c.report} {
		if cmd.IsSet(name) {
			*field = cmd.String(name)
			c.flags = append(c.flags, name)
		}
	}
	return c
}

// source names where the setting key came from, for messages: its flag,
// such as "--data", when a flag set it, else the config file, the key's
// line and the key.
func (c config) source(key string) string {
	if slices.Contains(c.flags, key) {
		return "--" + key
	}
	return fmt.Sprintf("config %s:%d: %s", c.path, c.lines[key], key)
}

// loadSettings returns the config file's settings with the flags of cmd
// applied over them.
func loadSettings(cmd *cli.Command) (config, error) {
	cfg, err := loadConfig(cmd)
	if err != nil {
		return config{}, err
	}
	return cfg.withFlags(cmd), nil
}
