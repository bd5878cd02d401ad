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
	{"Severity", 10}, {"Order", 10}, {"Refund", 10}, {"SKU", 18}, {"Location", 12},
	{"Document", 16}, {"Expected", 16}, {"Actual", 16}, {"Difference", 16},
	{"Unit", 8}, {"Reason", 90}, {"Evidence", 60},
}

// findingRow is one exceptions row as read for a rule sheet. Amounts are
// read as text because a DECIMAL does not scan into a decimal.Decimal.
type findingRow struct {
	severity                string
	orderID, refundID       sql.NullInt64
	sku, location, document sql.NullString
	expected, actual, diff  sql.NullString
	unit, reason            string
	evidence                sql.NullString
}

// writeRuleSheet writes the findings of one rule to its own sheet, with
// the header row frozen and an autofilter from the sheet's table.
func writeRuleSheet(ctx context.Context, f *excelize.File, st *styles, db *sql.DB,
	runID int64, rs ruleSummary, tableNumber int) error {
	name := sheetName(rs.rule.ID)
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
	headers := make([]string, len(findingColumns))
	for i, c := range findingColumns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		headers[i] = c.header
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if err := sw.SetPanes(panes); err != nil {
		return fmt.Errorf("freeze header: %w", err)
	}
	return sw.SetRow("A1", headerCells(st, headers...))
}

func writeFindings(ctx context.Context, rows *sheetRows, st *styles, db *sql.DB, runID int64, ruleID string) error {
	result, err := db.QueryContext(ctx, `SELECT severity, order_id, refund_id, sku, location, document,
  CAST(expected AS VARCHAR), CAST(actual AS VARCHAR), CAST(difference AS VARCHAR),
  unit, reason, CAST(evidence AS VARCHAR)
FROM exceptions WHERE run_id = ? AND rule_id = ?
ORDER BY order_id NULLS LAST, refund_id NULLS LAST, sku NULLS LAST, location NULLS LAST, document NULLS LAST`,
		runID, ruleID)
	if err != nil {
		return fmt.Errorf("read findings: %w", err)
	}
	defer result.Close()
	for result.Next() {
		var r findingRow
		if err := result.Scan(&r.severity, &r.orderID, &r.refundID, &r.sku, &r.location, &r.document,
			&r.expected, &r.actual, &r.diff, &r.unit, &r.reason, &r.evidence); err != nil {
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
	cells := []any{r.severity, nullInt(r.orderID), nullInt(r.refundID),
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
	return append(cells, r.unit, excelize.Cell{StyleID: st.wrap, Value: r.reason}, evidence), nil
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
