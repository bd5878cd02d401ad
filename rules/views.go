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

// helpers are the shared relations in creation order, because later ones
// read earlier ones. A helper marked table is computed once into a
// temporary table, because several rules read it and it is costly to
// compute on large businesses. The others stay views.
var helpers = []struct {
	name, sql string
	table     bool
}{
	{"run_credit_memo_refs", creditMemoRefsSQL, false},
	{"run_refund_credits", refundCreditsSQL, true},
	{"run_tax_comparison", taxComparisonSQL, true},

	{"run_payout_providers", payoutProvidersSQL, false},
	{"run_payout_items", payoutItemsSQL, false},
	{"run_payout_batches", payoutBatchesSQL, false},
	{"run_gateway_transactions", gatewayTransactionsSQL, false},
	{"run_stock_pairs", stockPairsSQL, true},
}

// helperKinds returns the kind of object prepare creates for each helper
// when it evaluates the rules in set: TABLE for a helper marked table
// that a rule reads, VIEW for the others.
func helperKinds(set []Rule) map[string]string {
	used := usedHelpers(set)
	kinds := make(map[string]string, len(helpers))
	for _, h := range helpers {
		kinds[h.name] = "VIEW"
		if h.table && used[h.name] {
			kinds[h.name] = "TABLE"
		}
	}
	return kinds
}

// usedHelpers returns the names of the helpers that the rules in set
// read, directly or through another helper.
func usedHelpers(set []Rule) map[string]bool {
	used := map[string]bool{}
	for _, r := range set {
		for _, h := range helpers {
			if strings.Contains(r.SQL, h.name) {
				used[h.name] = true
			}
		}
	}
	// A helper reads only earlier ones, so one pass from the last helper
	// back reaches every helper that a used one reads.
	for i := len(helpers) - 1; i >= 0; i-- {
		if !used[helpers[i].name] {
			continue
		}
		for _, h := range helpers[:i] {
			if strings.Contains(helpers[i].sql, h.name) {
				used[h.name] = true
			}
		}
	}
	return used
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
// table and the shared helpers that the rules in set read. Each run view
// shows one snapshot table's rows of the run, or no rows when the run
// lacks that source.
func prepare(ctx context.Context, tx *sql.Tx, snapshots map[extract.Source]int64, p Params, set []Rule, logger *slog.Logger) error {
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
	kinds := helperKinds(set)
	computeTax := kinds["run_tax_comparison"] == "TABLE"
	start := time.Now()
	if err := fillTaxExpectations(ctx, tx, computeTax); err != nil {
		return err
	}
	if computeTax {
		logger.Info("expected tax computed", "duration", time.Since(start))
	}
	for _, h := range helpers {
		kind := kinds[h.name]
		start := time.Now()
		stmt := "CREATE OR REPLACE TEMP " + kind + " " + h.name + " AS\n" + h.sql
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create %s %s: %w", strings.ToLower(kind), h.name, err)
		}
		if kind == "TABLE" {
			logger.Info("shared table computed", "table", h.name, "duration", time.Since(start))
		}
	}
	return nil
}

// dropTempObjects removes what prepare created for the rules in set, so
// that the pooled connection carries nothing into its next use.
func dropTempObjects(ctx context.Context, tx *sql.Tx, set []Rule) error {
	kinds := helperKinds(set)
	var stmts []string
	for i := len(helpers) - 1; i >= 0; i-- {
		stmts = append(stmts, "DROP "+kinds[helpers[i].name]+" IF EXISTS temp."+helpers[i].name)
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
