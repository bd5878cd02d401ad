// Package reports writes a run's findings as Excel workbooks for the
// people who act on them.
package reports

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"github.com/recon-tools/recon/rules"
)

// WriteExceptions writes the exceptions workbook of a run to path: a
// Summary sheet with the run, its snapshots and each rule's findings,
// accepted findings and money at stake, then one sheet per rule that
// found something, with each finding's lifecycle. Set is the rules the
// run evaluated, built-in and custom, which give the Summary its titles;
// nil means rules.All(). The findings are read from the exception_status
// view of package rules. The workbook is written to a temporary file
// beside path and renamed, so a failure leaves no partial report and an
// existing file at path intact until the rename.
func WriteExceptions(ctx context.Context, db *sql.DB, runID int64, path string, set []rules.Rule) error {
	if set == nil {
		set = rules.All()
	}
	report, err := loadReport(ctx, db, runID, set)
	if err != nil {
		return fmt.Errorf("exceptions report for run %d: %w", runID, err)
	}

	f := excelize.NewFile()
	defer f.Close()
	if err := buildWorkbook(ctx, f, db, report); err != nil {
		return fmt.Errorf("exceptions report for run %d: %w", runID, err)
	}

	if err := saveAtomically(f, path); err != nil {
		return fmt.Errorf("exceptions report for run %d: %w", runID, err)
	}
	return nil
}

// buildWorkbook writes the Summary sheet and the sheet of each rule with
// findings into f.
func buildWorkbook(ctx context.Context, f *excelize.File, db *sql.DB, report runReport) error {
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", summarySheet); err != nil {
		return fmt.Errorf("name summary sheet: %w", err)
	}
	if err := writeSummary(f, st, report); err != nil {
		return err
	}
	for i, rs := range report.rules {
		if rs.findings+rs.accepted == 0 {
			continue
		}
		if err := writeRuleSheet(ctx, f, st, db, report.runID, rs, i+1); err != nil {
			return err
		}
	}
	return nil
}

// saveAtomically writes f to a temporary file in path's directory and
// renames it to path.
func saveAtomically(f *excelize.File, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()

	if _, err := f.WriteTo(tmp); err != nil {
		return fmt.Errorf("write %s: %w", tmpName, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", tmpName, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmpName, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("rename %s to %s: %w", tmpName, path, err)
	}
	ok = true
	return nil
}
