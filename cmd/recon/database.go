package main

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/recon-tools/recon/load"
)

// commandStore is the database of one command that loads a run, with
// whether that command created the file.
type commandStore struct {
	*load.Store
	path    string
	created bool
}

// openStore opens the DuckDB file at path like load.Open and records
// whether the file existed before. If load.Open fails on a file it
// created, the file is removed again.
func openStore(ctx context.Context, path string, logger *slog.Logger, opts ...load.Option) (*commandStore, error) {
	_, err := os.Stat(path)
	created := errors.Is(err, fs.ErrNotExist)
	store, err := load.Open(ctx, path, logger, opts...)
	if err != nil {
		if created {
			removeDatabaseFiles(path, logger)
		}
		return nil, err
	}
	return &commandStore{Store: store, path: path, created: created}, nil
}

// abandon closes the store of a command that failed before it loaded a
// run, or whose run was removed again, and returns cause. When the
// command created the database file, it removes the file, its
// write-ahead log and the empty folder of Parquet copies, so that the
// failed command leaves no database behind, as it found none.
func (s *commandStore) abandon(cause error, logger *slog.Logger) error {
	if !s.created {
		return cause
	}
	if err := s.Close(); err != nil {
		logger.Warn("database file left behind: closing it failed", "path", s.path, "error", err)
		return cause
	}
	if removeDatabaseFiles(s.path, logger) {
		logger.Info("removed the database file this command created, because no run was stored in it", "path", s.path)
	}
	removeEmptyFolder(strings.TrimSuffix(s.path, filepath.Ext(s.path))+".snapshots", logger)
	return cause
}

// removeDatabaseFiles removes the closed DuckDB file at path and the
// write-ahead log DuckDB keeps beside it as path.wal, and reports whether
// both are gone. A failure only leaves a file behind, so it is logged.
func removeDatabaseFiles(path string, logger *slog.Logger) bool {
	removed := true
	for _, name := range []string{path, path + ".wal"} {
		err := os.Remove(name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			logger.Warn("database file left behind", "path", name, "error", err)
			removed = false
		}
	}
	return removed
}
