package rules

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/recon-tools/recon/extract"
)

// The kinds of entity Explain describes.
const (
	EntityOrder       = "order"
	EntitySKU         = "sku"
	EntityFingerprint = "fingerprint"
)

// Explanation is the latest run's account of one order, SKU or
// exception: every system's records of the entity, each rule's verdict
// and, for an exception, its state and history.
type Explanation struct {
	RunID int64     `json:"run_id"`
	AsOf  time.Time `json:"as_of"`
	// Kind is EntityOrder, EntitySKU or EntityFingerprint, and Key the
	// order id, SKU or full fingerprint.
	Kind     string          `json:"kind"`
	Key      string          `json:"key"`
	OrderID  *int64          `json:"order_id,omitempty"`
	SKU      string          `json:"sku,omitempty"`
	Records  []TableRecords  `json:"records"`
	Verdicts []Verdict       `json:"verdicts"`
	State    *ExceptionState `json:"state,omitempty"`
	History  []Event         `json:"history,omitempty"`
}

// TableRecords is one snapshot table's rows about the entity, each as
// compact JSON: the raw record the system sent where the table keeps it,
// otherwise the row's columns.
type TableRecords struct {
	Source extract.Source `json:"source"`
	Table  string         `json:"table"`
	// Total counts the distinct records found; Rows holds the first
	// MaxExplainRows of them, each the record as JSON.
	Total int               `json:"total"`
	Rows  []json.RawMessage `json:"rows"`
}

// MaxExplainRows bounds the rows Explain returns per table, because a
// SKU sold for years has more order lines than anyone reads.
const MaxExplainRows = 100

// Verdict is one rule's findings about the entity in the run; no
// findings means the rule found nothing, and Skipped that it did not run
// because the run lacks a source it reads.
type Verdict struct {
	RuleID   string    `json:"rule_id"`
	Skipped  bool      `json:"skipped,omitempty"`
	Findings []Finding `json:"findings"`
}

// Finding is one stored finding with its lifecycle marks.
type Finding struct {
	Fingerprint  string `json:"fingerprint"`
	Reason       string `json:"reason"`
	Acknowledged bool   `json:"acknowledged"`
	Accepted     bool   `json:"accepted"`
	AgeDays      int64  `json:"age_days"`
}

// Explain describes query, which is an order id, a SKU, or a fingerprint
// or a unique prefix of one, as of the latest run that updated the
// lifecycle. A query of digits that names an order in the run is an
// order, even when it also prefixes a fingerprint. The rules in set are
// the ones whose verdicts are listed.
func Explain(ctx context.Context, db *sql.DB, p Params, query string, set []Rule) (Explanation, error) {
	run, err := FindLatestRun(ctx, db)
	if err != nil {
		return Explanation{}, err
	}
	tx, release, err := beginEvaluation(ctx, db)
	if err != nil {
		return Explanation{}, fmt.Errorf("explain %s: %w", query, err)
	}
	defer release()

	snapshots, err := runSnapshots(ctx, tx, run.ID)
	if err != nil {
		return Explanation{}, fmt.Errorf("explain %s: run %d: %w", query, run.ID, err)
	}
	if err := prepare(ctx, tx, snapshots, p, set, slog.New(slog.DiscardHandler)); err != nil {
		return Explanation{}, fmt.Errorf("explain %s: %w", query, err)
	}
	ex := Explanation{RunID: run.ID, AsOf: run.AsOf}
	if err := identify(ctx, tx, db, query, &ex); err != nil {
		return Explanation{}, err
	}
	if err := ex.gather(ctx, tx, snapshots, set); err != nil {
		return Explanation{}, fmt.Errorf("explain %s: %w", query, err)
	}
	return ex, nil
}

// identify decides what query names and sets Kind, Key, OrderID and SKU.
func identify(ctx context.Context, tx *sql.Tx, db *sql.DB, query string, ex *Explanation) error {
	query = strings.TrimSpace(query)
	if id, err := strconv.ParseInt(query, 10, 64); err == nil {
		found, err := exists(ctx, tx, orderExistsSQL, id)
		if err != nil {
			return fmt.Errorf("explain %s: %w", query, err)
		}
		if found {
			ex.Kind, ex.Key, ex.OrderID = EntityOrder, query, &id
			return nil
		}
	}
	if isHex(query) && len(query) >= MinFingerprintPrefix {
		fp, err := FindFingerprint(ctx, db, query)
		if err == nil {
			return ex.identifyFingerprint(ctx, tx, fp)
		}
		if !errors.Is(err, ErrUnknownFingerprint) {
			return err
		}
	}
	found, err := exists(ctx, tx, skuExistsSQL, query)
	if err != nil {
		return fmt.Errorf("explain %s: %w", query, err)
	}
	if !found {
		return fmt.Errorf("explain: %w: %q not found as an order id, SKU or fingerprint in run %d",
			ErrNothingToExplain, query, ex.RunID)
	}
	ex.Kind, ex.Key, ex.SKU = EntitySKU, query, query
	return nil
}

// ErrNothingToExplain is returned by Explain when the query names nothing
// in the latest run.
var ErrNothingToExplain = errors.New("nothing found")

const orderExistsSQL = `SELECT EXISTS (SELECT 1 FROM run_bc_orders WHERE order_id = $1)
  OR EXISTS (SELECT 1 FROM run_erp_sales_orders WHERE trim(external_document_number) = CAST($1 AS VARCHAR))
  OR EXISTS (SELECT 1 FROM run_wms_fulfilments WHERE trim(order_reference) = CAST($1 AS VARCHAR))
  OR EXISTS (SELECT 1 FROM run_credit_memo_refs WHERE ref_order_id = $1)`

const skuExistsSQL = `SELECT EXISTS (SELECT 1 FROM run_bc_variants WHERE upper(trim(sku)) = upper(trim($1)))
  OR EXISTS (SELECT 1 FROM run_bc_inventory WHERE upper(trim(sku)) = upper(trim($1)))
  OR EXISTS (SELECT 1 FROM run_erp_stock WHERE upper(trim(item_number)) = upper(trim($1)))
  OR EXISTS (SELECT 1 FROM run_bc_order_products WHERE upper(trim(sku)) = upper(trim($1)))
  OR EXISTS (SELECT 1 FROM run_erp_sales_order_lines
    WHERE lower(trim(line_type)) = 'item' AND upper(trim(line_object_number)) = upper(trim($1)))
  OR EXISTS (SELECT 1 FROM run_wms_fulfilments WHERE upper(trim(sku)) = upper(trim($1)))`

func exists(ctx context.Context, tx *sql.Tx, stmt string, arg any) (bool, error) {
	var found bool
	err := tx.QueryRowContext(ctx, stmt, arg).Scan(&found)
	return found, err
}

func isHex(s string) bool {
	return s != "" && strings.Trim(strings.ToLower(s), "0123456789abcdef") == ""
}

// identifyFingerprint describes an exception: its order when it names
// one, otherwise its SKU, and its state and history.
func (ex *Explanation) identifyFingerprint(ctx context.Context, tx *sql.Tx, fp string) error {
	state, err := loadState(ctx, tx, fp)
	if err != nil {
		return fmt.Errorf("explain %s: %w", fp, err)
	}
	ex.Kind, ex.Key, ex.State = EntityFingerprint, fp, &state
	ex.OrderID = state.OrderID
	if state.OrderID == nil {
		ex.SKU = state.SKU
	}
	ex.History, err = loadHistory(ctx, tx, fp)
	if err != nil {
		return fmt.Errorf("explain %s: %w", fp, err)
	}
	return nil
}

// gather reads the entity's records and each rule's verdict.
func (ex *Explanation) gather(ctx context.Context, tx *sql.Tx, snapshots map[extract.Source]int64, set []Rule) error {
	lookups := skuLookups
	var arg any = ex.SKU
	if ex.OrderID != nil {
		lookups, arg = orderLookups, *ex.OrderID
	}
	if ex.OrderID != nil || ex.SKU != "" {
		for _, l := range lookups {
			rows, err := l.read(ctx, tx, arg)
			if err != nil {
				return err
			}
			ex.Records = append(ex.Records, rows)
		}
	}
	return ex.addVerdicts(ctx, tx, snapshots, set)
}

// tableLookup selects one table's rows about an entity; where is a
// condition on the table's run view with the entity key as $1.
type tableLookup struct {
	table string
	where string
}

var orderLookups = []tableLookup{
	{"bc_orders", "order_id = $1"},
	{"bc_order_products", "order_id = $1"},
	{"bc_shipments", "order_id = $1"},
	{"bc_shipment_items", "order_id = $1"},
	{"bc_refunds", "order_id = $1"},
	{"bc_refund_items", "order_id = $1"},
	{"bc_refund_payments", "order_id = $1"},
	{"bc_transactions", "order_id = $1"},
	{"erp_sales_orders", "trim(external_document_number) = CAST($1 AS VARCHAR)"},
	{"erp_sales_order_lines", `document_id IN (SELECT id FROM run_erp_sales_orders
    WHERE trim(external_document_number) = CAST($1 AS VARCHAR))`},
	{"erp_credit_memos", "id IN (SELECT id FROM run_credit_memo_refs WHERE ref_order_id = $1)"},
	{"erp_credit_memo_lines", "document_id IN (SELECT id FROM run_credit_memo_refs WHERE ref_order_id = $1)"},
	{"wms_fulfilments", "trim(order_reference) = CAST($1 AS VARCHAR)"},
	{"payout_lines", `trim(metadata_order_id) = CAST($1 AS VARCHAR)
    OR charge_id IN (SELECT gateway_transaction_id FROM run_bc_transactions WHERE order_id = $1)`},
}

var skuLookups = []tableLookup{
	{"bc_variants", "upper(trim(sku)) = upper(trim($1))"},
	{"bc_inventory", "upper(trim(sku)) = upper(trim($1))"},
	{"bc_order_products", "upper(trim(sku)) = upper(trim($1))"},
	{"erp_stock", "upper(trim(item_number)) = upper(trim($1))"},
	{"erp_sales_order_lines", "lower(trim(line_type)) = 'item' AND upper(trim(line_object_number)) = upper(trim($1))"},
	{"erp_credit_memo_lines", "lower(trim(line_type)) = 'item' AND upper(trim(line_object_number)) = upper(trim($1))"},
	{"wms_fulfilments", "upper(trim(sku)) = upper(trim($1))"},
}

// read returns the lookup's first MaxExplainRows distinct records as
// compact JSON, in the table's key order, and how many it found.
func (l tableLookup) read(ctx context.Context, tx *sql.Tx, arg any) (TableRecords, error) {
	def, ok := extract.LookupTable(l.table)
	if !ok {
		return TableRecords{}, fmt.Errorf("unknown table %s", l.table)
	}
	value := "to_json(t)"
	if hasRaw(def.Row) {
		value = "json(t.raw)"
	}
	// Rows that carry the same record are listed once: BigCommerce's
	// inventory record, for one, is kept on the row of each location.
	key := strings.Join(def.Key, ", ")
	stmt := fmt.Sprintf(`SELECT record, CAST(count(*) OVER () AS BIGINT)
FROM (
  SELECT CAST(%s AS VARCHAR) AS record, t.*
  FROM (SELECT * EXCLUDE (snapshot_id) FROM run_%s WHERE %s) AS t
  QUALIFY row_number() OVER (PARTITION BY record ORDER BY %s) = 1
)
ORDER BY %s LIMIT %d`,
		value, l.table, l.where, key, key, MaxExplainRows)
	rows, err := tx.QueryContext(ctx, stmt, arg)
	if err != nil {
		return TableRecords{}, fmt.Errorf("read %s: %w", l.table, err)
	}
	defer rows.Close()
	out := TableRecords{Source: def.Source, Table: l.table, Rows: []json.RawMessage{}}
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s, &out.Total); err != nil {
			return TableRecords{}, fmt.Errorf("read %s: %w", l.table, err)
		}
		out.Rows = append(out.Rows, json.RawMessage(s.String))
	}
	return out, rows.Err()
}

// hasRaw reports whether a row type embeds extract.Record, whose raw
// column keeps the record as the system sent it.
func hasRaw(t reflect.Type) bool {
	for i := range t.NumField() {
		if f := t.Field(i); f.Anonymous && f.Type == reflect.TypeFor[extract.Record]() {
			return true
		}
	}
	return false
}
