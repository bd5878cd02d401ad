package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/extract"
)

func initCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "write a commented starter config file",
		ArgsUsage: "[FILE]",
		Description: "Writes FILE (default recon.yaml) with every setting at its default " +
			"and every rule parameter with its description. The BigCommerce access token " +
			"is never written: recon reads it from the environment variable that " +
			"bigcommerce.token_env names.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "force", Usage: "overwrite FILE if it exists"},
		},
		Action: initAction,
	}
}

func initAction(ctx context.Context, cmd *cli.Command) error {
	path, err := initPath(cmd)
	if err != nil {
		return err
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if cmd.Bool("force") {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: pass --force to overwrite it", path)
	}
	if err != nil {
		return fmt.Errorf("write config: %w", err)
	}
	if _, err := f.WriteString(configTemplate()); err != nil {
		f.Close()
		return fmt.Errorf("write config %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write config %s: %w", path, err)
	}
	fmt.Fprintf(cmd.Root().Writer, "wrote %s\n", path)
	return nil
}

// initPath returns the config file that `recon init` writes, after
// checking that it is not a folder and that its folder exists.
func initPath(cmd *cli.Command) (string, error) {
	if cmd.Args().Len() > 1 {
		return "", fmt.Errorf("unexpected argument %q: '%s' takes at most one FILE, the config file to write (see '%s --help')",
			cmd.Args().Get(1), cmd.FullName(), cmd.FullName())
	}
	path := cmd.Args().First()
	if path == "" {
		path = defaultConfigFile
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return "", fmt.Errorf("invalid FILE %s: it is a folder; give a file name such as %s",
			path, filepath.Join(path, defaultConfigFile))
	}
	if err := checkFolder("config", filepath.Dir(path), "FILE"); err != nil {
		return "", err
	}
	return path, nil
}

// configTemplate returns the starter config: every key at its default,
// each rule parameter from the rules registry with its description.
func configTemplate() string {
	var b strings.Builder
	b.WriteString(`# recon configuration; docs/config.md describes every key.
# Every key is optional. Paths are relative to this file's folder.
# Command-line flags override these values.

# Folder holding bigcommerce/, erp/, wms/ and payouts/ (docs/formats.md).
# Empty: the demo business bundled with recon.
data: ""
# DuckDB file that keeps every run, its snapshots and exceptions.
db: ` + defaultDB + `
# Exceptions workbook each run writes.
report: ` + defaultReport + `

rules:
  # Folder of custom rules, one SQL file each; empty for none.
  custom_dir: ""
  params:
`)
	for _, p := range paramDocs() {
		for _, line := range wrap(p.Description, 70) {
			b.WriteString("    # " + line + "\n")
		}
		fmt.Fprintf(&b, "    %s: %s\n", p.Name, yamlScalar(p.Default))
	}
	fmt.Fprintf(&b, `
# The store that 'recon extract bigcommerce' and 'recon run --store' read.
bigcommerce:
  # The store's API path, as in /stores/{store_hash}/v3. Empty: the
  # environment variable RECON_BC_STORE_HASH.
  store_hash: ""
  base_url: %s
  # %s.
  workers: %d
  # Environment variable that holds the API access token.
  token_env: %s

# BigCommerce location code: the ERP's and the WMS's code for the
# same place, for example
#   MAIN: {erp: MAIN, wms: WH1}
# NOTE: no rule reads this map yet. The stock rules map locations with
# rules.params.stock_location_map above.
locations: {}
`, extract.DefaultBaseURL, upperFirst(workersUsage), defaultWorkers, defaultTokenEnv)
	return b.String()
}

// upperFirst returns s with its first letter in upper case.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// yamlScalar writes a parameter value: a number as it is, anything else
// single-quoted so that YAML reads it back as the same text.
func yamlScalar(s string) string {
	if _, err := decimal.NewFromString(s); err == nil {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// wrap splits text into lines of at most width characters, breaking at
// spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
