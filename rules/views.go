package rules

import (
	"context"
	"database/sql"
	_ "embed"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/recon-tools/recon/extract"
)

// The helpers the rule SQL shares, created as temporary objects for the
// length of one evaluation.
var (
	//go:embed money_text.sql
	moneyTextSQL string
	//go:embed quantity_text.sql
	quantityTextSQL string
	//go:embed credit_memo_refs.sql
	creditMemoRefsSQL string
	//go:embed refund_credits.sql
	refundCreditsSQL string
	//go:embed tax_comparison.sql
	taxComparisonSQL string

	//go:embed payout_providers.sql
	payoutProvidersSQL string
	//go:embed payout_items.sql
	payoutItemsSQL string
	//go:embed payout_batches.sql
	payoutBatchesSQL string
	//go:embed payout_gateway_transactions.sql
	gatewayTransactionsSQL string
	//go:embed stock_pairs.sql
	stockPairsSQL string
)

// helperViews are the shared views in creation order, because later ones read
// earlier ones.
var helperViews = []struct{ name, sql string }{
	{"run_credit_memo_refs", creditMemoRefsSQL},
	{"run_refund_credits", refundCreditsSQL},
	{"run_tax_comparison", taxComparisonSQL},

	{"run_payout_providers", payoutProvidersSQL},
	{"run_payout_items", payoutItemsSQL},
	{"run_payout_batches", payoutBatchesSQL},
	{"run_gateway_transactions", gatewayTransactionsSQL},
	{"run_stock_pairs", stockPairsSQL},
}

// runSnapshots returns the run's snapshot id per source. When a source
// was loaded more than once in the run, the latest snapshot wins.
func runSnapshots(ctx context.Context, tx *sql.Tx, runID int64) (map[extract.Source]int64, error) {
	rows, err := tx.QueryContext(ctx,
		`SELECT source, max(snapshot_id) FROM snapshots WHERE run_id = ? GROUP BY source`, runID)
	if err != nil {
		return nil, fmt.Errorf("find snapshots: %w", err)
	}
	defer rows.Close()
	snapshots := map[extract.Source]int64{}
	for rows.Next() {
		var source string
		var id int64
		if err := rows.Scan(&source, &id); err != nil {
			return nil, fmt.Errorf("find snapshots: %w", err)
		}
		snapshots[extract.Source(source)] = id
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find snapshots: %w", err)
	}
	if len(snapshots) == 0 {
		return nil, ErrRunNotFound
	}
	return snapshots, nil
}

// prepare sets the parameters and the run's as-of time, and creates the
// run views, the macros money_text and quantity_text, the tax_expected
// table and the shared
// views. Each run view shows one snapshot table's rows of the run, or no
// rows when the run lacks that source.
func prepare(ctx context.Context, tx *sql.Tx, snapshots map[extract.Source]int64, p Params, logger *slog.Logger) error {
	if err := p.setVariables(ctx, tx); err != nil {
		return err
	}
	if err := setRunAsOf(ctx, tx, snapshots); err != nil {
		return err
	}
	for _, def := range extract.Tables {
		filter := "false"
		if id, ok := snapshots[def.Source]; ok {
			filter = fmt.Sprintf("snapshot_id = %d", id)
		}
		stmt := fmt.Sprintf("CREATE OR REPLACE TEMP VIEW run_%s AS SELECT * FROM %s WHERE %s",
			def.Name, def.Name, filter)
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create view run_%s: %w", def.Name, err)
		}
	}
	for name, stmt := range map[string]string{"money_text": moneyTextSQL, "quantity_text": quantityTextSQL} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create macro %s: %w", name, err)
		}
	}
	start := time.Now()
	if err := fillTaxExpectations(ctx, tx); err != nil {
		return err
	}
	logger.Info("expected tax computed", "duration", time.Since(start))
	for _, v := range helperViews {
		stmt := "CREATE OR REPLACE TEMP VIEW " + v.name + " AS\n" + v.sql
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create view %s: %w", v.name, err)
		}
	}
	return nil
}

// dropTempObjects removes what prepare created, so that the pooled
// connection carries nothing into its next use.
func dropTempObjects(ctx context.Context, tx *sql.Tx) error {
	var stmts []string
	for i := len(helperViews) - 1; i >= 0; i-- {
		stmts = append(stmts, "DROP VIEW IF EXISTS temp."+helperViews[i].name)
	}
	stmts = append(stmts, "DROP TABLE IF EXISTS temp.tax_expected", "DROP VIEW IF EXISTS temp.run_tax_lines")
	stmts = append(stmts, "DROP MACRO IF EXISTS temp.money_text", "DROP MACRO IF EXISTS temp.quantity_text")
	for _, def := range extract.Tables {
		stmts = append(stmts, "DROP VIEW IF EXISTS temp.run_"+def.Name)
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("clean up: %s: %w", stmt, err)
		}
	}
	return nil
}

// setRunAsOf stores the moment the run's data hold, the latest extraction
// time among its snapshots, as getvariable('run_as_of').
func setRunAsOf(ctx context.Context, tx *sql.Tx, snapshots map[extract.Source]int64) error {
	ids := make([]string, 0, len(snapshots))
	for _, id := range snapshots {
		ids = append(ids, strconv.FormatInt(id, 10))
	}
	stmt := "SET VARIABLE run_as_of = (SELECT max(extracted_at) FROM snapshots WHERE snapshot_id IN (" +
		strings.Join(ids, ", ") + "))"
	if _, err := tx.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("set the run's as-of time: %w", err)
	}
	return nil
}
