package rules

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
)

var (
	// taxLinesSQL selects every taxable line of the run's BigCommerce
	// orders that have an ERP sales order.
	//
	//go:embed tax_lines.sql
	taxLinesSQL string
	// taxExpectedSQL computes each order's expected tax from
	// run_tax_lines.
	//
	//go:embed tax_expected.sql
	taxExpectedSQL string
)

// fillTaxExpectations computes the tax the ERP should hold on each order
// under the configured method and stores it in the temporary table
// tax_expected (order_id, expected_tax, taxed_lines), through the view
// run_tax_lines. The computation runs in DuckDB on exact integers; see
// tax_expected.sql for the rounding. Unless compute is set the table is
// left empty, for rule sets that do not compare tax.
func fillTaxExpectations(ctx context.Context, tx *sql.Tx, compute bool) error {
	if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TEMP VIEW run_tax_lines AS\n"+taxLinesSQL); err != nil {
		return fmt.Errorf("create view run_tax_lines: %w", err)
	}
	stmt := "CREATE OR REPLACE TEMP TABLE tax_expected AS\n" + taxExpectedSQL
	if !compute {
		stmt = "CREATE OR REPLACE TEMP TABLE tax_expected AS\nSELECT * FROM (" + taxExpectedSQL + ") WHERE false"
	}
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("compute expected tax: %w", err)
	}
	return nil
}
