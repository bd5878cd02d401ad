package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/rules"
)

func explainCommand() *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "show every system's records and each rule's verdict for an order, SKU or exception",
		ArgsUsage: "ORDER_ID|SKU|FINGERPRINT",
		Description: "For the latest run, prints the records each system holds about the " +
			"entity (as the system sent them), then each rule's findings about it, and " +
			"for a fingerprint the exception's state and lifecycle history. A number that " +
			"is an order id in the run is read as an order.",
		Flags: []cli.Flag{
			dbFlag(),
			&cli.BoolFlag{Name: "json", Usage: "print one JSON document instead of text"},
		},
		Action: explainAction,
	}
}

func explainAction(ctx context.Context, cmd *cli.Command) error {
	if cmd.Args().Len() != 1 {
		return fmt.Errorf("give one order id, SKU or fingerprint to explain")
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
	set, err := ruleSet(ctx, store.DB(), cfg)
	if err != nil {
		return err
	}
	ex, err := rules.Explain(ctx, store.DB(), cfg.params, cmd.Args().First(), set)
	if errors.Is(err, rules.ErrNoLifecycle) {
		return fmt.Errorf("%w in %s: run 'recon run --db %s' first, then explain again", err, cfg.db, cfg.db)
	}
	if err != nil {
		return err
	}
	w := cmd.Root().Writer
	if cmd.Bool("json") {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(ex)
	}
	return printExplanation(w, ex)
}

// printExplanation writes an explanation as text: records by table,
// verdicts by rule, then state and history.
func printExplanation(w io.Writer, ex rules.Explanation) error {
	fmt.Fprintf(w, "%s %s in run %d, data as of %s\n", ex.Kind, ex.Key, ex.RunID, ex.AsOf.Format(time.RFC3339))
	for _, t := range ex.Records {
		switch {
		case t.Total > len(t.Rows):
			fmt.Fprintf(w, "\n%s %s: %d rows, the first %d shown\n", t.Source, t.Table, t.Total, len(t.Rows))
		case t.Total == 1:
			fmt.Fprintf(w, "\n%s %s: 1 row\n", t.Source, t.Table)
		default:
			fmt.Fprintf(w, "\n%s %s: %d rows\n", t.Source, t.Table, t.Total)
		}
		for _, row := range t.Rows {
			fmt.Fprintf(w, "  %s\n", row)
		}
	}
	fmt.Fprintln(w, "\nverdicts")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, v := range ex.Verdicts {
		printVerdict(tw, v)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if ex.State != nil {
		return printHistory(w, *ex.State, ex.History)
	}
	return nil
}

func printVerdict(tw io.Writer, v rules.Verdict) {
	switch {
	case v.Skipped:
		fmt.Fprintf(tw, "  %s\tskipped: the run lacks a source it reads\n", v.RuleID)
	case len(v.Findings) == 0:
		fmt.Fprintf(tw, "  %s\tno finding\n", v.RuleID)
	}
	for _, f := range v.Findings {
		mark := ""
		if f.Accepted {
			mark = " [accepted]"
		} else if f.Acknowledged {
			mark = " [acknowledged]"
		}
		fmt.Fprintf(tw, "  %s\tfinding %s, %d days old%s: %s\n", v.RuleID, f.Fingerprint[:12], f.AgeDays, mark, f.Reason)
	}
}

func printHistory(w io.Writer, s rules.ExceptionState, history []rules.Event) error {
	occurrences := fmt.Sprintf("%d occurrences", s.Occurrences)
	if s.Occurrences == 1 {
		occurrences = "1 occurrence"
	}
	fmt.Fprintf(w, "\nexception %s of %s: %s, first seen in run %d (%s), last in run %d, %s\n",
		s.Fingerprint, s.RuleID, s.Status, s.FirstSeenRun, s.FirstSeenAt.Format(time.RFC3339),
		s.LastSeenRun, occurrences)
	if s.AcceptedUntil != nil {
		fmt.Fprintf(w, "accepted until %s: %s\n", untilText(*s.AcceptedUntil), s.AcceptedNote)
	}
	if s.AcknowledgedAt != nil {
		fmt.Fprintf(w, "acknowledged by %s at %s: %s\n", s.AcknowledgedBy, s.AcknowledgedAt.Format(time.RFC3339), s.AcknowledgedNote)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nRUN\tAT\tEVENT\tACTOR\tNOTE")
	for _, e := range history {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", e.RunID, e.OccurredAt.Format(time.RFC3339), e.Event, e.Actor, e.Note)
	}
	return tw.Flush()
}
