package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"github.com/recon-tools/recon/extract"
)

// DefaultBatchRows is the number of rows per Arrow record batch and
// Parquet row group. It bounds the memory a load holds per table.
const DefaultBatchRows = 65536

// Store is recon's DuckDB database: run and snapshot metadata and one
// table per extract.TableDef.
type Store struct {
	db          *sql.DB
	path        string // "" for an in-memory database
	keepParquet bool
	batchRows   int
	logger      *slog.Logger
}

// Option changes how a Store loads snapshots.
type Option func(*Store)

// WithoutParquetCopies makes LoadSnapshots delete each snapshot's
// Parquet files after loading instead of keeping them beside the
// database file.
func WithoutParquetCopies() Option {
	return func(s *Store) { s.keepParquet = false }
}

// WithBatchRows sets the number of rows per Arrow record batch and
// Parquet row group. An n below 1 means DefaultBatchRows.
func WithBatchRows(n int) Option {
	return func(s *Store) {
		if n < 1 {
			n = DefaultBatchRows
		}
		s.batchRows = n
	}
}

// Open opens the DuckDB file at path, creating it if needed, and creates
// the metadata and snapshot tables that do not exist yet. A path of "" or
// ":memory:" opens a private in-memory database, which never keeps
// Parquet copies. A nil logger discards log records.
func Open(ctx context.Context, path string, logger *slog.Logger, opts ...Option) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if path == ":memory:" {
		path = ""
	}
	s := &Store{path: path, keepParquet: path != "", batchRows: DefaultBatchRows, logger: logger}
	for _, opt := range opts {
		opt(s)
	}

	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open database %q: the path contains '?', which DuckDB reads as the start of connection options; rename the file", path)
	}
	start := time.Now()
	db, err := sql.Open("duckdb", path+offlineOptions)
	if err != nil {
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	s.db = db
	if err := s.createSchema(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	logger.Info("opened database", "path", s.displayPath(), "duration", time.Since(start))
	return s, nil
}

// offlineOptions stop DuckDB from downloading or loading extensions on
// its own, for example when the path names a SQLite file: recon never
// reaches the network through the database.
const offlineOptions = "?autoinstall_known_extensions=false&autoload_known_extensions=false"

// DB returns the database handle, for rules and reports to query.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func (s *Store) displayPath() string {
	if s.path == "" {
		return ":memory:"
	}
	return s.path
}

// snapshotRoot returns the folder that contains the kept Parquet copies:
// the database path without its extension, plus ".snapshots".
func (s *Store) snapshotRoot() string {
	return strings.TrimSuffix(s.path, filepath.Ext(s.path)) + ".snapshots"
}

// createSchema creates every table in one transaction and checks the
// schema version of an existing file.
func (s *Store) createSchema(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin schema transaction: %w", err)
	}
	defer tx.Rollback()

	ddl, err := schemaDDL()
	if err != nil {
		return err
	}
	for _, stmt := range ddl {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	if err := s.checkSchemaVersion(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

func schemaDDL() ([]string, error) {
	ddl := append([]string(nil), MetaDDL...)
	for _, def := range extract.Tables {
		stmt, err := TableDDL(def)
		if err != nil {
			return nil, err
		}
		ddl = append(ddl, stmt)
	}
	return ddl, nil
}

// checkSchemaVersion records SchemaVersion in a new database, upgrades a
// file of an older version listed in schemaUpgrades, and returns
// ErrSchemaVersion for any other version.
func (s *Store) checkSchemaVersion(ctx context.Context, tx *sql.Tx) error {
	var version int64
	err := tx.QueryRowContext(ctx, `SELECT version FROM schema_version`).Scan(&version)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_version VALUES (?)`, SchemaVersion)
		if err != nil {
			return fmt.Errorf("record schema version: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case version == SchemaVersion:
		return nil
	case version > SchemaVersion:
		return fmt.Errorf("%w: the file has version %d, written by a newer recon that uses it; "+
			"upgrade recon or use a new database file", ErrSchemaVersion, version)
	}
	return s.upgradeSchema(ctx, tx, version)
}

// schemaUpgrades holds, at index v-1, the statements that take a file
// from version v to version v+1.
var schemaUpgrades = [][]string{
	{`ALTER TABLE snapshots ADD COLUMN IF NOT EXISTS base_snapshot_id BIGINT`},
}

// upgradeSchema brings a file of an older version to SchemaVersion inside
// the schema transaction. Every upgrade so far only adds columns, so the
// file's runs and snapshots stay as they were.
func (s *Store) upgradeSchema(ctx context.Context, tx *sql.Tx, from int64) error {
	if from < 1 || int(from) > len(schemaUpgrades) {
		return fmt.Errorf("%w: the file has version %d but this recon uses %d and cannot upgrade it, "+
			"so use a new database file", ErrSchemaVersion, from, SchemaVersion)
	}
	for _, stmts := range schemaUpgrades[from-1:] {
		for _, stmt := range stmts {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("upgrade schema from version %d: %w", from, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET version = ?`, SchemaVersion); err != nil {
		return fmt.Errorf("record schema version: %w", err)
	}
	s.logger.Info("upgraded database schema", "path", s.displayPath(), "from", from, "to", SchemaVersion)
	return nil
}
