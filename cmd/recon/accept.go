package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
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
			"prefix of at least 4 hexadecimal characters.",
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "note", Required: true, Usage: "why the exception is accepted (required)"},
			&cli.StringFlag{
				Name:     "until",
				Required: true,
				Usage: "expiry, after the latest run's as-of time: a date YYYY-MM-DD, meaning the end of " +
					"that day in UTC, or an RFC 3339 time (required)",
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
	if strings.TrimSpace(cmd.String("note")) == "" {
		return errors.New("invalid --note: give the reason the exception is accepted")
	}
	return withFingerprint(ctx, cmd, func(db *sql.DB, fp string) error {
		a := rules.Action{Actor: cmd.String("by"), Note: cmd.String("note"), At: now()}
		err := rules.Accept(ctx, db, fp, until, a)
		// The note is checked above, so an invalid acceptance here has an
		// expiry that is too early.
		if errors.Is(err, rules.ErrInvalidAcceptance) {
			return fmt.Errorf("%w: choose a later --until", err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.Root().Writer, "accepted %s until %s\n", fp, untilText(until))
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

// untilText writes an acceptance's expiry. A midnight in UTC, which a
// date given to --until becomes, reads as the end of the day before, so
// that --until 2026-12-31 does not print as 2027-01-01 alone.
func untilText(t time.Time) string {
	t = t.UTC()
	if t.Equal(t.Truncate(24 * time.Hour)) {
		return fmt.Sprintf("the end of %s UTC (%s)", t.AddDate(0, 0, -1).Format(time.DateOnly), t.Format(time.RFC3339))
	}
	return t.Format(time.RFC3339)
}
