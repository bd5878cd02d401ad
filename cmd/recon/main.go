// Command recon audits and reconciles an ecommerce business's systems: a
// BigCommerce storefront, the ERP, the WMS and the payment provider. It
// snapshots each system into a DuckDB file, runs rules that flag the drift
// between them and writes Excel workbooks.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v3"
)

// version is recon's release, set at build time with
// -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes recon with args and returns the process exit code: 0 when
// the command succeeded, findings or not, 130 when it was interrupted and
// 1 on any other error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp(stdout, newStatusLine(stderr))
	if err := app.Run(ctx, args); err != nil {
		fmt.Fprintf(app.ErrWriter, "recon: %v\n", err)
		if errors.Is(err, context.Canceled) {
			return 130
		}
		return 1
	}
	return 0
}

// newApp builds the command tree. Output goes to stdout and stderr so that
// tests can capture it. On a terminal, stderr is a *statusLine, which
// shows the progress of a live extract below the log lines.
func newApp(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:    "recon",
		Usage:   "reconcile a BigCommerce store with its ERP, WMS and payment provider",
		Version: version,
		Description: "recon snapshots each system into a DuckDB file, flags the drift " +
			"between them and writes Excel workbooks. Run 'recon run' to reconcile " +
			"the bundled demo business.",
		Writer:         stdout,
		ErrWriter:      stderr,
		ExitErrHandler: func(context.Context, *cli.Command, error) {},
		Before:         checkLogFlags,
		Flags: []cli.Flag{
			configFlag(),
			&cli.StringFlag{
				Name:    "log-level",
				Value:   "info",
				Usage:   "log detail on standard error: debug, info, warn or error",
				Sources: cli.EnvVars("RECON_LOG_LEVEL"),
			},
			&cli.StringFlag{
				Name:    "log-format",
				Value:   "text",
				Usage:   "log line format: text or json",
				Sources: cli.EnvVars("RECON_LOG_FORMAT"),
			},
		},
		Commands: []*cli.Command{
			runCommand(),
			extractCommand(),
			sandboxCommand(),
			ackCommand(),
			acceptCommand(),
			explainCommand(),
			rulesCommand(),
			initCommand(),
			fixturesCommand(),
		},
	}
}

// checkLogFlags rejects an invalid --log-level or --log-format before any
// command runs, including the commands that do not log.
func checkLogFlags(ctx context.Context, cmd *cli.Command) (context.Context, error) {
	_, err := newLogger(cmd)
	return ctx, err
}

// newLogger returns the slog logger configured by the root flags.
func newLogger(cmd *cli.Command) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cmd.String("log-level"))); err != nil {
		return nil, fmt.Errorf("invalid --log-level %q: use debug, info, warn or error", cmd.String("log-level"))
	}
	opts := &slog.HandlerOptions{Level: level}
	w := cmd.Root().ErrWriter
	switch strings.ToLower(cmd.String("log-format")) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("invalid --log-format %q: use text or json", cmd.String("log-format"))
}
