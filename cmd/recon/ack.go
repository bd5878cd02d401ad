package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/load"
	"github.com/recon-tools/recon/rules"
)

// now is the clock that stamps acknowledgements and acceptances; tests
// replace it.
var now = time.Now

func ackCommand() *cli.Command {
	return &cli.Command{
		Name:      "ack",
		Usage:     "acknowledge an exception: it still counts, but is marked as seen",
		ArgsUsage: "FINGERPRINT",
		Description: "Marks the exception as acknowledged in the lifecycle tables and logs an " +
			"acknowledged event. FINGERPRINT may be a unique prefix of at least 4 digits, " +
			"as shown in the report and by 'recon explain'.",
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "note", Usage: "why, or what is being done about it"},
			byFlag(),
		},
		Action: ackAction,
	}
}

func ackAction(ctx context.Context, cmd *cli.Command) error {
	return withFingerprint(ctx, cmd, func(db *sql.DB, fp string) error {
		a := rules.Action{Actor: cmd.String("by"), Note: cmd.String("note"), At: now()}
		if err := rules.Acknowledge(ctx, db, fp, a); err != nil {
			return err
		}
		fmt.Fprintf(cmd.Root().Writer, "acknowledged %s\n", fp)
		return nil
	})
}

func dbFlag() cli.Flag {
	return &cli.StringFlag{
		Name:  "db",
		Value: defaultDB,
		Usage: "DuckDB file of earlier runs",
	}
}

func byFlag() cli.Flag {
	return &cli.StringFlag{
		Name:    "by",
		Value:   "unknown",
		Usage:   "who takes the action",
		Sources: cli.EnvVars("RECON_USER", "USER"),
	}
}

// withFingerprint opens the database of earlier runs, finds the one
// fingerprint the first argument names and calls fn with both.
func withFingerprint(ctx context.Context, cmd *cli.Command, fn func(*sql.DB, string) error) error {
	prefix := cmd.Args().First()
	if prefix == "" || cmd.Args().Len() > 1 {
		return fmt.Errorf("give one fingerprint, as listed in the report or by 'recon explain'")
	}
	cfg, err := loadSettings(cmd)
	if err != nil {
		return err
	}
	store, err := openExisting(ctx, cmd, cfg.db)
	if err != nil {
		return err
	}
	defer store.Close()
	fp, err := rules.FindFingerprint(ctx, store.DB(), prefix)
	if err != nil {
		return err
	}
	return fn(store.DB(), fp)
}

// openExisting opens a database file that an earlier run created.
func openExisting(ctx context.Context, cmd *cli.Command, path string) (*load.Store, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("database %s not found: run 'recon run' first or pass --db", path)
	}
	logger, err := newLogger(cmd)
	if err != nil {
		return nil, err
	}
	store, err := load.Open(ctx, path, logger)
	if err != nil {
		return nil, err
	}
	if err := rules.CreateSchema(ctx, store.DB()); err != nil {
		store.Close()
		return nil, err
	}
	if err := rules.CreateLifecycleSchema(ctx, store.DB()); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}
