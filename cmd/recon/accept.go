package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/rules"
)

func acceptCommand() *cli.Command {
	return &cli.Command{
		Name:      "accept",
		Usage:     "accept an exception until a date: it leaves the counts until then",
		ArgsUsage: "FINGERPRINT",
		Description: "Records a business decision to live with the exception. Accepted " +
			"exceptions stay out of the run summary's and the report's counts until " +
			"the first run whose data is as of the expiry or later; that run logs an " +
			"expired event and the exception counts again. FINGERPRINT may be a unique " +
			"prefix of at least 4 digits.",
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "note", Required: true, Usage: "why the exception is accepted (required)"},
			&cli.StringFlag{
				Name:     "until",
				Required: true,
				Usage:    "expiry: a date YYYY-MM-DD, meaning the end of that day in UTC, or an RFC 3339 time",
			},
			byFlag(),
		},
		Action: acceptAction,
	}
}

func acceptAction(ctx context.Context, cmd *cli.Command) error {
	until, err := parseUntil(cmd.String("until"))
	if err != nil {
		return err
	}
	return withFingerprint(ctx, cmd, func(db *sql.DB, fp string) error {
		a := rules.Action{Actor: cmd.String("by"), Note: cmd.String("note"), At: now()}
		err := rules.Accept(ctx, db, fp, until, a)
		if errors.Is(err, rules.ErrInvalidAcceptance) {
			return fmt.Errorf("%w: fix --note or choose a later --until", err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.Root().Writer, "accepted %s until %s\n", fp, until.Format(time.RFC3339))
		return nil
	})
}

// parseUntil reads an expiry. A date means the end of that day in UTC,
// so --until 2026-12-31 keeps the acceptance through December 31.
func parseUntil(s string) (time.Time, error) {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.AddDate(0, 0, 1), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid --until %q: use a date such as 2026-12-31 or an RFC 3339 time", s)
	}
	return t.UTC(), nil
}
