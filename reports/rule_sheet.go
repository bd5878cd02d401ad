package reports

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// findingColumns are the columns of a rule sheet with their widths in
// characters.
var findingColumns = []struct {
	header string
	width  float64
}{
	{"Severity", 10}, {"Fingerprint", 34}, {"Order", 10}, {"Refund", 10}, {"SKU", 18},
	{"Location", 12}, {"Document", 16}, {"Expected", 16}, {"Actual", 16}, {"Difference", 16},
	{"Unit", 8}, {"First seen", 20}, {"Age (days)", 11}, {"Occurrences", 12},
	{"Acknowledged", 13}, {"Accepted until", 20}, {"Reason", 90}, {"Evidence", 60},
}

// findingRow is one exception_status row as read for a rule sheet.
// Amounts are read as text because a DECIMAL does not scan into a
// decimal.Decimal. The lifecycle columns are NULL for a finding that no
// lifecycle update recorded.
type findingRow struct {
	severity, fingerprint   string
	orderID, refundID       sql.NullInt64
	sku, location, document sql.NullString
	expected, actual, diff  sql.NullString
	unit                    string
	firstSeen               sql.NullTime
	ageDays, occurrences    sql.NullInt64
	acknowledged            bool
	acceptedUntil           sql.NullTime
	reason                  string
	evidence                sql.NullString
}

// writeRuleSheet writes the findings of one rule to its own sheet, with
// the header row frozen and an autofilter from the sheet's table.
func writeRuleSheet(ctx context.Context, f *excelize.File, st *styles, db *sql.DB,
	runID int64, rs ruleSummary, tableNumber int) error {
	name := rs.sheet
	if _, err := f.NewSheet(name); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	if err := prepareRuleSheet(sw, st); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}

	rows := &sheetRows{sw: sw, next: 1}
	if err := writeFindings(ctx, rows, st, db, runID, rs.rule.ID); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}

	last, err := excelize.CoordinatesToCellName(len(findingColumns), rows.next)
	if err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	table := &excelize.Table{Range: "A1:" + last, Name: fmt.Sprintf("Findings%d", tableNumber),
		StyleName: "TableStyleLight9"}
	if err := sw.AddTable(table); err != nil {
		return fmt.Errorf("sheet %s: add table: %w", name, err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet %s: %w", name, err)
	}
	return nil
}

// prepareRuleSheet sets the column widths, freezes the header row and
// writes it, because the stream writer needs all three before any data
// row.
func prepareRuleSheet(sw *excelize.StreamWriter, st *styles) error {
	// The stream writer puts each width before the ones already set, and
	// Excel expects the columns in ascending order, so set them last
	// column first.
	for i := len(findingColumns) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, findingColumns[i].width); err != nil {
			return err
		}
	}
	headers := make([]string, len(findingColumns))
	for i, c := range findingColumns {
		headers[i] = c.header
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if err := sw.SetPanes(panes); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	return sw.SetRow("A1", headerCells(st, headers...))
}

// findingsSQL reads a rule's findings in a run with their lifecycle.
// Accepted until comes from exception_state, which holds the current
// acceptance, and is shown only for a finding accepted as of the run.
const findingsSQL = `SELECT e.severity, e.fingerprint, e.order_id, e.refund_id, e.sku, e.location, e.document,
  CAST(e.expected AS VARCHAR), CAST(e.actual AS VARCHAR), CAST(e.difference AS VARCHAR),
  e.unit, e.first_seen_at, e.age_days, e.occurrences, e.acknowledged,
  CASE WHEN e.accepted THEN s.accepted_until END,
  e.reason, CAST(e.evidence AS VARCHAR)
FROM exception_status AS e
LEFT JOIN exception_state AS s ON s.fingerprint = e.fingerprint
WHERE e.run_id = ? AND e.rule_id = ?
ORDER BY e.order_id NULLS LAST, e.refund_id NULLS LAST, e.sku NULLS LAST, e.location NULLS LAST,
  e.document NULLS LAST`

func writeFindings(ctx context.Context, rows *sheetRows, st *styles, db *sql.DB, runID int64, ruleID string) error {
	result, err := db.QueryContext(ctx, findingsSQL, runID, ruleID)
	if err != nil {
		return fmt.Errorf("read findings: %w", err)
	}
	defer result.Close()
	for result.Next() {
		var r findingRow
		if err := result.Scan(&r.severity, &r.fingerprint, &r.orderID, &r.refundID, &r.sku, &r.location,
			&r.document, &r.expected, &r.actual, &r.diff, &r.unit, &r.firstSeen, &r.ageDays, &r.occurrences,
			&r.acknowledged, &r.acceptedUntil, &r.reason, &r.evidence); err != nil {
			return fmt.Errorf("read findings: %w", err)
		}
		cells, err := findingCells(st, r)
		if err != nil {
			return err
		}
		if err := rows.add(cells...); err != nil {
			return err
		}
	}
	if err := result.Err(); err != nil {
		return fmt.Errorf("read findings: %w", err)
	}
	return nil
}

func findingCells(st *styles, r findingRow) ([]any, error) {
	cells := []any{r.severity, r.fingerprint, nullInt(r.orderID), nullInt(r.refundID),
		nullString(r.sku), nullString(r.location), nullString(r.document)}
	for _, amount := range []sql.NullString{r.expected, r.actual, r.diff} {
		if !amount.Valid {
			cells = append(cells, nil)
			continue
		}
		d, err := decimal.NewFromString(amount.String)
		if err != nil {
			return nil, fmt.Errorf("invalid amount %q: %w", amount.String, err)
		}
		cell, err := amountCell(st, r.unit, d)
		if err != nil {
			return nil, err
		}
		cells = append(cells, cell)
	}
	var evidence any
	if r.evidence.Valid {
		evidence = truncateCell(r.evidence.String)
	}
	acknowledged := "no"
	if r.acknowledged {
		acknowledged = "yes"
	}
	cells = append(cells, r.unit, dateCell(st, r.firstSeen), nullInt(r.ageDays), nullInt(r.occurrences),
		acknowledged, dateCell(st, r.acceptedUntil))
	return append(cells, excelize.Cell{StyleID: st.wrap, Value: r.reason}, evidence), nil
}

// dateCell returns a date cell in UTC, or nil for NULL.
func dateCell(st *styles, v sql.NullTime) any {
	if !v.Valid {
		return nil
	}
	return excelize.Cell{StyleID: st.date, Value: v.Time.UTC()}
}

func nullInt(v sql.NullInt64) any {
	if !v.Valid {
		return nil
	}
	return v.Int64
}

func nullString(v sql.NullString) any {
	if !v.Valid {
		return nil
	}
	return v.String
}
