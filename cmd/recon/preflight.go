package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v3"
)

// checkNoArgs rejects positional arguments of a command that takes none,
// which are most often a flag value that lost its flag.
func checkNoArgs(cmd *cli.Command) error {
	if cmd.Args().Len() == 0 {
		return nil
	}
	return fmt.Errorf("unexpected argument %q: '%s' takes no arguments, only flags (see '%s --help')",
		cmd.Args().First(), cmd.FullName(), cmd.FullName())
}

// checkDBPath rejects an empty database path, which DuckDB would open as
// a private in-memory database that is lost when recon exits, a path
// that names a folder, and a path whose folder does not exist, which
// DuckDB reports only as a bare IO error.
func checkDBPath(path string) error {
	if path == "" {
		return errors.New("invalid --db \"\": give the DuckDB file to write, such as " + defaultDB)
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("invalid --db %s: it is a folder; give a file name such as %s",
			path, filepath.Join(path, defaultDB))
	}
	return checkFolder("database", filepath.Dir(path), "--db or the config's db")
}

// checkFolder checks that dir, a folder recon reads or writes a file in,
// exists. What names the folder and setting the option that chooses it,
// for the message.
func checkFolder(what, dir, setting string) error {
	info, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s folder %s does not exist: create it (mkdir -p %s) or choose another %s",
			what, dir, dir, setting)
	}
	if err != nil {
		return fmt.Errorf("%s folder %s: %w", what, dir, err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s folder %s is not a folder: choose another %s", what, dir, setting)
	}
	return nil
}

// checkReportPath checks, before anything is read or stored, that the
// exceptions workbook can be written to path: the path is not empty, it
// does not name a folder, and its folder exists and accepts a new file.
// A temporary file is created there and removed to prove the last point.
func checkReportPath(path string) error {
	if path == "" {
		return errors.New("invalid --report \"\": give the workbook to write, such as " + defaultReport)
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("invalid --report %s: it is a folder; give a file name such as %s",
			path, filepath.Join(path, defaultReport))
	}
	dir := filepath.Dir(path)
	if err := checkFolder("report", dir, "--report or the config's report"); err != nil {
		return err
	}
	probe, err := os.CreateTemp(dir, ".recon-write-check-*")
	if err != nil {
		return fmt.Errorf("report folder %s is not writable (%w): choose another --report", dir, err)
	}
	name := probe.Name()
	probe.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("report folder %s: remove write check: %w", dir, err)
	}
	return nil
}
