package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/rules"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "describe the rules",
		Commands: []*cli.Command{
			{
				Name:  "list",
				Usage: "print every rule: id, owner, severity, title, question and parameters",
				Description: "Lists the built-in rules and the custom rules in the folder " +
					"that rules.custom_dir in the config names.",
				Action: rulesListAction,
			},
		},
	}
}

func rulesListAction(ctx context.Context, cmd *cli.Command) error {
	cfg, err := loadSettings(cmd)
	if err != nil {
		return err
	}
	custom, err := loadCustom(cfg)
	if err != nil {
		return err
	}
	w := cmd.Root().Writer
	values := cfg.params.Values()
	for _, r := range rules.All() {
		printRule(w, r, "built-in", values)
	}
	for _, cr := range custom {
		printRule(w, cr.Rule, "custom, "+cr.File, values)
	}
	return nil
}

// printRule writes one rule with the value of each parameter it reads
// under the config, and the default where the config changed it.
func printRule(w io.Writer, r rules.Rule, origin string, values map[string]string) {
	fmt.Fprintf(w, "%s  %s  %s  %s\n", r.ID, r.Owner, r.Severity, r.Title)
	fmt.Fprintf(w, "    question: %s\n", r.Question)
	params := make([]string, len(r.Params))
	for i, p := range r.Params {
		value := values[p.Name]
		params[i] = p.Name + " " + quoteEmpty(value)
		if value != p.Default {
			params[i] += " (default " + quoteEmpty(p.Default) + ")"
		}
	}
	if len(params) > 0 {
		fmt.Fprintf(w, "    params:   %s\n", strings.Join(params, ", "))
	}
	fmt.Fprintf(w, "    origin:   %s\n\n", origin)
}

// quoteEmpty returns s, or "" in quotes when s is empty.
func quoteEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// loadCustom reads the custom rules of the configured folder, if any.
func loadCustom(cfg config) ([]rules.CustomRule, error) {
	if cfg.customDir == "" {
		return nil, nil
	}
	if err := checkCustomDir(cfg); err != nil {
		return nil, err
	}
	return rules.LoadCustomDir(cfg.customDir)
}

// checkCustomDir checks that the folder rules.custom_dir names, if any,
// exists. Errors name the config file, the key's line and the folder.
func checkCustomDir(cfg config) error {
	if cfg.customDir == "" {
		return nil
	}
	return checkFolder(cfg.source("rules.custom_dir"), cfg.customDir, "rules.custom_dir")
}

// ruleSet returns the built-in rules and the configured custom rules,
// checked against db's tables, ordered by id.
func ruleSet(ctx context.Context, db *sql.DB, cfg config) ([]rules.Rule, error) {
	custom, err := loadCustom(cfg)
	if err != nil {
		return nil, err
	}
	normalized, err := rules.NormalizeCustom(ctx, db, cfg.params, custom)
	if err != nil {
		return nil, err
	}
	set := append(rules.All(), normalized...)
	slices.SortFunc(set, func(a, b rules.Rule) int { return strings.Compare(a.ID, b.ID) })
	return set, nil
}
