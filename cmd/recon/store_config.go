package main

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/extract"
)

// Environment variables that configure the live BigCommerce store.
const (
	envStoreHash = "RECON_BC_STORE_HASH"
	envToken     = "RECON_BC_TOKEN"
)

// maxWorkers bounds --workers. BigCommerce shares one request quota among
// every app of a store, so more parallel requests only wait longer.
const maxWorkers = 16

// storeConfig is the connection settings of a live BigCommerce store.
// Flags and the environment fill it today, and a config file can fill the
// same fields later. String, GoString and LogValue redact Token.
type storeConfig struct {
	BaseURL   string
	StoreHash string
	Token     string
	Workers   int
}

// storeFlags returns the flags that select a live store, shared by
// `recon extract bigcommerce` and `recon run --store`. There is no token
// flag, so that the token stays out of shell history.
func storeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:  "base-url",
			Value: extract.DefaultBaseURL,
			Usage: "BigCommerce API host, without /stores/{hash}; point it at `recon sandbox` to try recon without a store",
		},
		&cli.StringFlag{
			Name:    "store-hash",
			Usage:   "store hash, the {hash} in https://api.bigcommerce.com/stores/{hash}/v3 (the access token is read from " + envToken + " only)",
			Sources: cli.EnvVars(envStoreHash),
		},
		&cli.IntFlag{
			Name:  "workers",
			Value: defaultWorkers,
			Usage: fmt.Sprintf("orders whose products, shipments and transactions are requested at once, 1 to %d, "+
				"all sharing the store's request quota; overrides the config's bigcommerce.workers", maxWorkers),
		},
	}
}

// storeConfigFrom reads the store settings from cmd's flags and the
// token from the environment.
func storeConfigFrom(cmd *cli.Command) storeConfig {
	return storeConfig{
		BaseURL:   cmd.String("base-url"),
		StoreHash: cmd.String("store-hash"),
		Token:     os.Getenv(envToken),
		Workers:   int(cmd.Int("workers")),
	}
}

// validate checks the settings that the API fetcher does not check, and
// its errors name the flag or variable to set.
func (c storeConfig) validate() error {
	if c.StoreHash == "" {
		return fmt.Errorf("missing BigCommerce store hash: set --store-hash or %s", envStoreHash)
	}
	if strings.TrimSpace(c.Token) == "" {
		return fmt.Errorf("missing BigCommerce access token: set %s "+
			"(recon reads the token only from the environment, never from a flag)", envToken)
	}
	if c.Workers < 1 || c.Workers > maxWorkers {
		return fmt.Errorf("invalid --workers %d: use 1 to %d", c.Workers, maxWorkers)
	}
	return nil
}

// origin returns the URL recorded as the snapshot's origin. It holds the
// store hash, which is not a secret, and never the token.
func (c storeConfig) origin() string {
	return strings.TrimRight(c.BaseURL, "/") + "/stores/" + c.StoreHash
}

// fetcher validates c and returns the API fetcher of the store.
func (c storeConfig) fetcher(logger *slog.Logger) (*extract.APIFetcher, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	f, err := extract.NewAPIFetcher(extract.APIConfig{
		BaseURL:   c.BaseURL,
		StoreHash: c.StoreHash,
		Token:     c.Token,
		Logger:    logger,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: check --base-url and --store-hash", err)
	}
	return f, nil
}

// String formats the settings with the token redacted.
func (c storeConfig) String() string {
	token := ""
	if c.Token != "" {
		token = "[redacted]"
	}
	return fmt.Sprintf("storeConfig{BaseURL: %q, StoreHash: %q, Token: %q, Workers: %d}",
		c.BaseURL, c.StoreHash, token, c.Workers)
}

// GoString formats the settings for %#v with the token redacted.
func (c storeConfig) GoString() string { return c.String() }

// LogValue logs the settings with the token redacted.
func (c storeConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }
