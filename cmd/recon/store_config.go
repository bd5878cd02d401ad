package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"

	"github.com/urfave/cli/v3"

	"github.com/recon-tools/recon/extract"
)

// envStoreHash is the environment variable that gives the store hash
// when neither --store-hash nor bigcommerce.store_hash does.
const envStoreHash = "RECON_BC_STORE_HASH"

// envToken is the default of bigcommerce.token_env, the environment
// variable that holds the API access token.
const envToken = defaultTokenEnv

// maxWorkers bounds --workers. BigCommerce shares one request quota among
// every app of a store, so more parallel requests only wait longer.
const maxWorkers = 16

// storeConfig is the connection settings of a live BigCommerce store.
// String, GoString and LogValue redact Token.
type storeConfig struct {
	BaseURL   string
	StoreHash string
	Token     string
	// TokenEnv is the environment variable Token was read from.
	TokenEnv string
	Workers  int
}

// workersUsage describes the number of workers in --workers help and
// in the config template, so both read the same.
var workersUsage = fmt.Sprintf("number of orders whose details are fetched at the same time, 1 to %d, default %d",
	maxWorkers, defaultWorkers)

// storeFlags returns the flags that select a live store, shared by
// `recon extract bigcommerce` and `recon run --store`. There is no token
// flag, so that the token stays out of shell history.
func storeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{
			Name:  "base-url",
			Value: extract.DefaultBaseURL,
			Usage: "BigCommerce API host, without /stores/{hash}; give the URL that 'recon sandbox' prints " +
				"to try recon without a store; overrides the config's bigcommerce.base_url",
		},
		&cli.StringFlag{
			Name: "store-hash",
			Usage: "store hash, the {hash} in https://api.bigcommerce.com/stores/{hash}/v3; overrides the " +
				"config's bigcommerce.store_hash, which overrides " + envStoreHash + ". The access token is read " +
				"only from the environment variable that bigcommerce.token_env names, default " + envToken,
		},
		&cli.IntFlag{
			Name:  "workers",
			Value: defaultWorkers,
			Usage: workersUsage + ", all sharing the store's request quota; overrides the config's bigcommerce.workers",
		},
	}
}

// storeConfigFrom returns the store settings: each flag the user set,
// else the config's bigcommerce section, else the environment and the
// defaults. The token is read from the variable that token_env names.
func storeConfigFrom(cmd *cli.Command, settings config) storeConfig {
	bc := settings.bigCommerce
	c := storeConfig{BaseURL: bc.BaseURL, StoreHash: bc.StoreHash, TokenEnv: bc.TokenEnv, Workers: bc.Workers}
	if c.StoreHash == "" {
		c.StoreHash = os.Getenv(envStoreHash)
	}
	if cmd.IsSet("base-url") {
		c.BaseURL = cmd.String("base-url")
	}
	if cmd.IsSet("store-hash") {
		c.StoreHash = cmd.String("store-hash")
	}
	if cmd.IsSet("workers") {
		c.Workers = int(cmd.Int("workers"))
	}
	c.Token = os.Getenv(c.TokenEnv)
	return c
}

// validate checks the settings that the API fetcher does not check, and
// its errors name the flag or variable to set.
func (c storeConfig) validate() error {
	if c.StoreHash == "" {
		return fmt.Errorf("missing BigCommerce store hash: set --store-hash, the config's "+
			"bigcommerce.store_hash or %s", envStoreHash)
	}
	if strings.TrimSpace(c.Token) == "" {
		return fmt.Errorf("missing BigCommerce access token: set the environment variable %s "+
			"(recon reads the token only from the variable that bigcommerce.token_env names, never from a flag)",
			c.TokenEnv)
	}
	if c.Workers < 1 || c.Workers > maxWorkers {
		return fmt.Errorf("invalid --workers %d: use 1 to %d", c.Workers, maxWorkers)
	}
	if host, found := extract.TrimStorePath(c.BaseURL); found {
		return fmt.Errorf("invalid --base-url %q: give the API host without /stores/{hash}, here --base-url %s, "+
			"and the store hash with --store-hash", redactURL(c.BaseURL), host)
	}
	return nil
}

// redactURL returns raw with the password of its user info replaced by
// "xxxxx", so that the URL can be shown in an error.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
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
		UserAgent: "recon/" + version + " (BigCommerce reconciliation)",
		Logger:    logger,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: check --base-url and --store-hash, or the config's bigcommerce.base_url "+
			"and bigcommerce.store_hash", err)
	}
	return f, nil
}

// String formats the settings with the token redacted.
func (c storeConfig) String() string {
	token := ""
	if c.Token != "" {
		token = "[redacted]"
	}
	return fmt.Sprintf("storeConfig{BaseURL: %q, StoreHash: %q, Token: %q, TokenEnv: %q, Workers: %d}",
		c.BaseURL, c.StoreHash, token, c.TokenEnv, c.Workers)
}

// GoString formats the settings for %#v with the token redacted.
func (c storeConfig) GoString() string { return c.String() }

// LogValue logs the settings with the token redacted.
func (c storeConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }
