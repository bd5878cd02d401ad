package rules

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/recon-tools/recon/extract"
)

// outputColumns are the columns a rule's SELECT returns, with the type
// each is cast to.
var outputColumns = []struct{ name, sqlType string }{
	{"order_id", "BIGINT"},
	{"refund_id", "BIGINT"},
	{"sku", "VARCHAR"},
	{"location", "VARCHAR"},
	{"document", "VARCHAR"},
	{"expected", "DECIMAL(18,4)"},
	{"actual", "DECIMAL(18,4)"},
	{"unit", "VARCHAR"},
	{"reason", "VARCHAR"},
	{"evidence", "JSON"},
}

// NormalizeCustom checks each custom rule's SQL against the snapshot
// tables and returns rules whose SQL yields every finding column with its
// type. A column the SQL leaves out, or a NULL in it, becomes NULL,
// except unit, which becomes 'units', and reason, which becomes the
// rule's title. A column that is not a finding column is an error, as is
// SQL that does not bind; both errors name the file. The snapshot tables
// must exist.
func NormalizeCustom(ctx context.Context, db *sql.DB, p Params, custom []CustomRule) ([]Rule, error) {
	if len(custom) == 0 {
		return nil, nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("check custom rules: %w", err)
	}
	defer tx.Rollback()
	if err := prepare(ctx, tx, map[extract.Source]int64{}, p, nil, slog.New(slog.DiscardHandler)); err != nil {
		return nil, fmt.Errorf("check custom rules: %w", err)
	}

	out := make([]Rule, 0, len(custom))
	for _, cr := range custom {
		columns, err := describe(ctx, tx, cr.SQL)
		if err != nil {
			return nil, &CustomError{File: cr.File, Err: fmt.Errorf("invalid SQL: %w", err)}
		}
		normalized, err := normalizeSQL(cr, columns)
		if err != nil {
			return nil, &CustomError{File: cr.File, Err: err}
		}
		r := cr.Rule
		r.SQL = normalized
		out = append(out, r)
	}
	return out, nil
}

// describe returns the names of the columns a SELECT returns.
func describe(ctx context.Context, tx *sql.Tx, query string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "DESCRIBE SELECT * FROM (\n"+query+"\n) AS f")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		values := make([]any, len(cols))
		for i := range values {
			values[i] = new(any)
		}
		if err := rows.Scan(values...); err != nil {
			return nil, err
		}
		names = append(names, fmt.Sprint(*values[0].(*any)))
	}
	return names, rows.Err()
}

// normalizeSQL wraps a custom rule's SELECT in one that returns exactly
// the finding columns.
func normalizeSQL(cr CustomRule, columns []string) (string, error) {
	known := make([]string, len(outputColumns))
	for i, c := range outputColumns {
		known[i] = c.name
	}
	for _, c := range columns {
		if !slices.Contains(known, c) {
			return "", fmt.Errorf("column %q is not a finding column: return only %s", c, strings.Join(known, ", "))
		}
	}

	var b strings.Builder
	b.WriteString("SELECT\n")
	for i, c := range outputColumns {
		value := "NULL"
		if slices.Contains(columns, c.name) {
			value = "f." + c.name
		}
		expr := fmt.Sprintf("CAST(%s AS %s)", value, c.sqlType)
		switch c.name {
		case "unit":
			expr = fmt.Sprintf("coalesce(%s, 'units')", expr)
		case "reason":
			expr = fmt.Sprintf("coalesce(%s, %s)", expr, sqlString(cr.Title))
		}
		sep := ","
		if i == len(outputColumns)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "  %s AS %s%s\n", expr, c.name, sep)
	}
	fmt.Fprintf(&b, "FROM (\n-- %s\n%s\n) AS f", cr.File, cr.SQL)
	return b.String(), nil
}

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
