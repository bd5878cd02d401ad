package reports

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/recon-tools/recon/extract"
)

// summarySheet is the first sheet of every exceptions workbook.
const summarySheet = "Summary"

// sheetRows writes consecutive rows to a stream writer.
type sheetRows struct {
	sw   *excelize.StreamWriter
	next int
}

func (r *sheetRows) add(values ...any) error {
	r.next++
	cell, err := excelize.CoordinatesToCellName(1, r.next)
	if err != nil {
		return err
	}
	if err := r.sw.SetRow(cell, values); err != nil {
		return fmt.Errorf("write row %d: %w", r.next, err)
	}
	return nil
}

func (r *sheetRows) skip() { r.next++ }

func writeSummary(f *excelize.File, st *styles, report runReport) error {
	sw, err := f.NewStreamWriter(summarySheet)
	if err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}
	// Last column first, as on the rule sheets, so the widths come out in
	// the ascending order Excel expects.
	widths := []float64{28, 34, 12, 22, 22, 14, 12, 12, 16, 60}
	for col := len(widths) - 1; col >= 0; col-- {
		if err := sw.SetColWidth(col+1, col+1, widths[col]); err != nil {
			return fmt.Errorf("summary sheet: %w", err)
		}
	}

	rows := &sheetRows{sw: sw}
	if err := writeRunRows(rows, st, report); err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}
	rows.skip()
	if err := writeSnapshotRows(rows, st, report.snapshots); err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}
	rows.skip()
	if err := writeRuleRows(rows, st, report.rules); err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}

	if err := sw.Flush(); err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}
	return nil
}

func writeRunRows(rows *sheetRows, st *styles, report runReport) error {
	var asOf any
	if report.asOf.Valid {
		asOf = excelize.Cell{StyleID: st.date, Value: report.asOf.Time.UTC()}
	}
	lines := [][]any{
		{excelize.Cell{StyleID: st.title, Value: "recon exceptions report"}},
		{"Run", report.runID},
		{"Command", report.command},
		{"Status", report.status},
		{"Run started (UTC)", excelize.Cell{StyleID: st.date, Value: report.startedAt.UTC()}},
		{"Data as of (UTC)", asOf},
	}
	for _, line := range lines {
		if err := rows.add(line...); err != nil {
			return err
		}
	}
	return nil
}

func writeSnapshotRows(rows *sheetRows, st *styles, snapshots []snapshotTable) error {
	if err := rows.add(headerCells(st, "Source", "System", "Snapshot", "Extracted at (UTC)", "Table", "Rows")...); err != nil {
		return err
	}
	for _, s := range snapshots {
		var table, count any
		if s.table.Valid {
			table = s.table.String
		}
		if s.rows.Valid {
			count = excelize.Cell{StyleID: st.integer, Value: s.rows.Int64}
		}
		err := rows.add(s.source, s.system, s.snapshotID,
			excelize.Cell{StyleID: st.date, Value: s.extractedAt.UTC()}, table, count)
		if err != nil {
			return err
		}
	}
	return nil
}

// writeRuleRows writes one row per rule and unit of its findings. A rule
// without findings gets one row with counts of zero, or, when the run
// lacked a source it reads, with "skipped" and the missing sources in
// place of the counts. Findings counts the findings that count; accepted
// ones have their own column and are left out of At stake, which is
// blank when no finding has an amount.
func writeRuleRows(rows *sheetRows, st *styles, summaries []ruleSummary) error {
	header := headerCells(st, "Rule", "Title", "Owner", "Severity", "Findings", "Accepted", "Unit", "At stake",
		"Sheet", "Question")
	if err := rows.add(header...); err != nil {
		return err
	}
	for _, rs := range summaries {
		r := rs.rule
		lead := []any{r.ID, r.Title, string(r.Owner), string(r.Severity)}
		if len(rs.stakes) == 0 {
			var findings, accepted any = int64(0), int64(0)
			if len(rs.missing) > 0 {
				findings, accepted = skippedText(rs.missing), nil
			}
			if err := rows.add(append(lead, findings, accepted, nil, nil, nil, r.Question)...); err != nil {
				return err
			}
			continue
		}
		for _, s := range rs.stakes {
			var amount any
			if !s.noAmounts {
				cell, err := amountCell(st, s.unit, s.total)
				if err != nil {
					return err
				}
				amount = cell
			}
			line := append(append([]any(nil), lead...), s.findings, s.accepted, s.unit, amount, rs.sheet, r.Question)
			if err := rows.add(line...); err != nil {
				return err
			}
		}
	}
	return nil
}

// skippedText returns the Findings cell of a rule skipped for the
// missing sources, such as "skipped (no wms or payouts snapshot)".
func skippedText(missing []extract.Source) string {
	names := make([]string, len(missing))
	for i, s := range missing {
		names[i] = string(s)
	}
	list := names[len(names)-1]
	if len(names) > 1 {
		list = strings.Join(names[:len(names)-1], ", ") + " or " + list
	}
	return "skipped (no " + list + " snapshot)"
}

func headerCells(st *styles, names ...string) []any {
	cells := make([]any, len(names))
	for i, n := range names {
		cells[i] = excelize.Cell{StyleID: st.header, Value: n}
	}
	return cells
}
