package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/fixtures"
	"github.com/recon-tools/recon/fixtures/bcmock"
)

// sandboxStoreHash is the store hash the sandbox serves, the one the demo
// store's saved links carry.
const sandboxStoreHash = "r3c0nd3m0"

// sandboxShutdownTimeout bounds how long the sandbox waits for requests
// in flight when it stops.
const sandboxShutdownTimeout = 5 * time.Second

func sandboxCommand() *cli.Command {
	return &cli.Command{
		Name:  "sandbox",
		Usage: "serve the bundled demo store as a mock BigCommerce API on this machine",
		Description: "Serves the demo business's BigCommerce store over HTTP on a loopback " +
			"address, with the API's paging, filters, X-Auth-Token check and rate-limit " +
			"headers, and prints the environment variables and the `recon extract bigcommerce` " +
			"command that read it. It serves until interrupted (Ctrl-C).",
		Flags: []cli.Flag{
			&cli.StringFlag{
				Name:  "addr",
				Value: "127.0.0.1:8765",
				Usage: "loopback host:port to listen on; port 0 picks a free port",
			},
			&cli.StringFlag{
				Name:  "token",
				Usage: "access token the sandbox accepts; empty generates a random one each start (this is not a BigCommerce token)",
			},
			&cli.IntFlag{
				Name:  "quota",
				Value: bcmock.DefaultQuota,
				Usage: "requests allowed per rate-limit window; a negative value turns rate limiting off",
			},
			&cli.DurationFlag{
				Name:  "window",
				Value: bcmock.DefaultWindow,
				Usage: "length of one rate-limit window, such as 30s",
			},
		},
		Action: sandboxAction,
	}
}

func sandboxAction(ctx context.Context, cmd *cli.Command) error {
	logger, err := newLogger(cmd)
	if err != nil {
		return err
	}
	token := cmd.String("token")
	if token == "" {
		token = rand.Text()
	}
	opt := bcmock.Options{
		StoreHash: sandboxStoreHash,
		Token:     token,
		Quota:     int(cmd.Int("quota")),
		Window:    cmd.Duration("window"),
		Logger:    logger,
	}
	ln, err := listenLoopback(cmd.String("addr"))
	if err != nil {
		return err
	}
	return serveSandbox(ctx, ln, opt, cmd.Root().Writer, logger)
}

// listenLoopback listens on addr after checking that its host is a
// loopback address, so the sandbox is never reachable from the network.
func listenLoopback(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("invalid --addr %q: use host:port, such as 127.0.0.1:8765", addr)
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("invalid --addr %q: the sandbox listens on a loopback address only, such as 127.0.0.1:%s", addr, port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w: choose another port with --addr", addr, err)
	}
	return ln, nil
}

// serveSandbox serves the demo store on ln until ctx is done, then shuts
// the server down.
func serveSandbox(ctx context.Context, ln net.Listener, opt bcmock.Options, w io.Writer, logger *slog.Logger) error {
	store, err := demoStore()
	if err != nil {
		ln.Close()
		return err
	}
	server := &http.Server{Handler: bcmock.New(store, opt), ReadHeaderTimeout: 10 * time.Second}
	baseURL := "http://" + ln.Addr().String()
	printSandbox(w, baseURL, opt)
	logger.Info("sandbox started", "base_url", baseURL, "orders", store.OrderCount(),
		"quota", opt.Quota, "window", opt.Window)

	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve sandbox: %w", err)
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sandboxShutdownTimeout)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("stop sandbox: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve sandbox: %w", err)
	}
	logger.Info("sandbox stopped", "base_url", baseURL)
	return nil
}

// demoStore loads the bigcommerce folder of the bundled demo business.
func demoStore() (*bcmock.Store, error) {
	sub, err := fs.Sub(fixtures.Demo, "bigcommerce")
	if err != nil {
		return nil, fmt.Errorf("open demo store: %w", err)
	}
	store, err := bcmock.Load(sub)
	if err != nil {
		return nil, fmt.Errorf("load demo store: %w", err)
	}
	return store, nil
}

// printSandbox writes the settings that point recon at the sandbox. The
// token is the sandbox's own, not a BigCommerce secret.
func printSandbox(w io.Writer, baseURL string, opt bcmock.Options) {
	fmt.Fprintf(w, "recon sandbox: serving the demo BigCommerce store at %s\n", baseURL)
	if opt.Quota > 0 {
		fmt.Fprintf(w, "rate limit: %d requests per %s\n", opt.Quota, opt.Window)
	}
	fmt.Fprintf(w, "\nIn another terminal:\n\n")
	fmt.Fprintf(w, "  export %s=%s\n", envStoreHash, sandboxStoreHash)
	fmt.Fprintf(w, "  export %s=%s\n", envToken, opt.Token)
	fmt.Fprintf(w, "  recon extract bigcommerce --base-url %s\n", baseURL)
	fmt.Fprintf(w, "\nPress Ctrl-C to stop.\n")
}
