package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/fixtures"
)

// generatedEntries are the files and folders fixtures generate writes
// into its output folder, and so the ones --force replaces.
var generatedEntries = []string{"bigcommerce", "erp", "wms", "payouts", "ground_truth.csv"}

func fixturesCommand() *cli.Command {
	return &cli.Command{
		Name:  "fixtures",
		Usage: "work with generated test businesses",
		Commands: []*cli.Command{
			fixturesGenerateCommand(),
		},
	}
}

func fixturesGenerateCommand() *cli.Command {
	demo := fixtures.DemoConfig()
	return &cli.Command{
		Name:  "generate",
		Usage: "write a seeded business with known drift, for trying and testing recon",
		Description: "Generates a BigCommerce store, its ERP, WMS and Stripe payouts, consistent " +
			"with each other except for seeded drift, and writes them in the layout of " +
			"docs/formats.md with ground_truth.csv listing every exception the rules must " +
			"find. The same --orders, --seed and --month give byte-identical files. " +
			"Reconcile the result with 'recon run --data DIR'.",
		Flags: []cli.Flag{
			&cli.IntFlag{
				Name:  "orders",
				Value: demo.Orders,
				Usage: "number of orders placed in the month, at least 1; time and memory grow linearly with it",
			},
			&cli.Int64Flag{
				Name:  "seed",
				Value: demo.Seed,
				Usage: "seed of the random generator; each seed gives a different business",
			},
			&cli.StringFlag{
				Name:  "month",
				Value: demo.Month.Format(monthLayout),
				Usage: "calendar month (YYYY-MM, UTC) in which the orders are placed; the systems are extracted on the first day of the next month",
			},
			&cli.StringFlag{
				Name:     "out",
				Required: true,
				Usage:    "folder to write the business to; created if missing, and it must be empty unless --force is set",
			},
			&cli.BoolFlag{
				Name:  "force",
				Usage: "write into a non-empty --out folder, first removing its bigcommerce/, erp/, wms/, payouts/ and ground_truth.csv; other files are kept",
			},
		},
		Action: fixturesGenerateAction,
	}
}

// monthLayout is the time layout of the --month flag.
const monthLayout = "2006-01"

func fixturesGenerateAction(ctx context.Context, cmd *cli.Command) error {
	logger, err := newLogger(cmd)
	if err != nil {
		return err
	}
	month, err := time.Parse(monthLayout, cmd.String("month"))
	if err != nil {
		return fmt.Errorf("invalid --month %q: use YYYY-MM, such as 2026-11", cmd.String("month"))
	}
	cfg := fixtures.Config{Orders: cmd.Int("orders"), Seed: cmd.Int64("seed"), Month: month}
	if cfg.Orders < 1 {
		return fmt.Errorf("invalid --orders %d: use at least 1", cfg.Orders)
	}
	out := cmd.String("out")
	if err := prepareOutput(out, cmd.Bool("force")); err != nil {
		return err
	}

	start := time.Now()
	b, err := fixtures.Generate(cfg)
	if err != nil {
		return err
	}
	logger.Info("generated business", "orders", cfg.Orders, "seed", cfg.Seed,
		"month", cfg.Month.Format(monthLayout), "duration", time.Since(start))
	start = time.Now()
	if err := b.WriteFiles(out); err != nil {
		return err
	}
	logger.Info("wrote business", "out", out, "duration", time.Since(start))
	return printGenerated(cmd.Root().Writer, cfg, out, len(b.Exceptions()))
}

// prepareOutput creates dir when missing and rejects a non-empty dir
// unless force is set. With force it removes what an earlier generation
// wrote there, so no stale file of a larger business survives.
func prepareOutput(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("create output folder: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read output folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if !force {
		return fmt.Errorf("output folder %s is not empty: choose an empty folder or pass --force to replace its business", dir)
	}
	for _, name := range generatedEntries {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("replace business in %s: %w", dir, err)
		}
	}
	return nil
}

func printGenerated(w io.Writer, cfg fixtures.Config, out string, exceptions int) error {
	_, err := fmt.Fprintf(w, "Wrote a business of %d orders (seed %d, %s) to %s\n"+
		"ground_truth.csv lists %d seeded exceptions\n"+
		"Reconcile it with: recon run --data %s\n",
		cfg.Orders, cfg.Seed, cfg.Month.Format(monthLayout), out, exceptions, out)
	return err
}
