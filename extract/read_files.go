package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"time"
	"unicode/utf8"
)

// manifest is the manifest.json of an ERP, WMS or payouts folder.
type manifest struct {
	System      string `json:"system"`
	ExtractedAt string `json:"extracted_at"`
}

// ReadERP reads the Business Central CSV exports in dir of fsys.
func ReadERP(ctx context.Context, fsys fs.FS, dir string) (Snapshot, error) {
	snap, err := newFileSnapshot(fsys, dir, SourceERP, "Business Central")
	if err != nil {
		return Snapshot{}, err
	}
	rows := map[string]any{}
	files := []struct {
		table, file string
		read        func(context.Context, fs.FS, string) (any, error)
	}{
		{"erp_sales_orders", "salesOrders.csv", readAny[SalesOrder]},
		{"erp_sales_order_lines", "salesOrderLines.csv", readAny[SalesOrderLine]},
		{"erp_credit_memos", "salesCreditMemos.csv", readAny[CreditMemo]},
		{"erp_credit_memo_lines", "salesCreditMemoLines.csv", readAny[CreditMemoLine]},
		{"erp_stock", "itemStock.csv", readAny[StockLevel]},
	}
	for _, f := range files {
		if rows[f.table], err = f.read(ctx, fsys, path.Join(dir, f.file)); err != nil {
			return Snapshot{}, err
		}
	}
	snap.Tables = tablesOf(SourceERP, rows)
	return snap, nil
}

// ReadWMS reads the WMS shipment confirmations in dir of fsys.
func ReadWMS(ctx context.Context, fsys fs.FS, dir string) (Snapshot, error) {
	snap, err := newFileSnapshot(fsys, dir, SourceWMS, "WMS")
	if err != nil {
		return Snapshot{}, err
	}
	lines, err := readCSV[Fulfilment](ctx, fsys, path.Join(dir, "shipments.csv"))
	if err != nil {
		return Snapshot{}, err
	}
	snap.Tables = tablesOf(SourceWMS, map[string]any{"wms_fulfilments": lines})
	return snap, nil
}

// ReadPayouts reads the Stripe payout reports in dir of fsys.
func ReadPayouts(ctx context.Context, fsys fs.FS, dir string) (Snapshot, error) {
	snap, err := newFileSnapshot(fsys, dir, SourcePayouts, "Stripe")
	if err != nil {
		return Snapshot{}, err
	}
	lines, err := readCSV[PayoutLine](ctx, fsys, path.Join(dir, "payout_reconciliation_itemized.csv"))
	if err != nil {
		return Snapshot{}, err
	}
	payouts, err := readCSV[Payout](ctx, fsys, path.Join(dir, "payouts.csv"))
	if err != nil {
		return Snapshot{}, err
	}
	snap.Tables = tablesOf(SourcePayouts, map[string]any{"payout_lines": lines, "payouts": payouts})
	return snap, nil
}

// ReadDir reads every source folder of a data root: bigcommerce/, erp/,
// wms/ and payouts/, in that order. A folder that does not exist is
// skipped; one that exists but cannot be read is an error. Each
// snapshot's Origin is its folder name within fsys.
func ReadDir(ctx context.Context, fsys fs.FS) ([]Snapshot, error) {
	readers := []struct {
		dir  string
		read func() (Snapshot, error)
	}{
		{"bigcommerce", func() (Snapshot, error) { return readSavedBigCommerce(ctx, fsys, "bigcommerce") }},
		{"erp", func() (Snapshot, error) { return ReadERP(ctx, fsys, "erp") }},
		{"wms", func() (Snapshot, error) { return ReadWMS(ctx, fsys, "wms") }},
		{"payouts", func() (Snapshot, error) { return ReadPayouts(ctx, fsys, "payouts") }},
	}
	var snaps []Snapshot
	for _, r := range readers {
		if _, err := fs.Stat(fsys, r.dir); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		snap, err := r.read()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", r.dir, err)
		}
		snaps = append(snaps, snap)
	}
	return snaps, nil
}

// readSavedBigCommerce reads the saved BigCommerce responses in dir.
func readSavedBigCommerce(ctx context.Context, fsys fs.FS, dir string) (Snapshot, error) {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return Snapshot{}, err
	}
	return ReadBigCommerce(ctx, NewFileFetcher(sub), BigCommerceOptions{Origin: dir})
}

func readAny[T any](ctx context.Context, fsys fs.FS, name string) (any, error) {
	return readCSV[T](ctx, fsys, name)
}

// newFileSnapshot starts the snapshot of a CSV folder from its
// manifest.json. The manifest's system, when set, replaces system.
func newFileSnapshot(fsys fs.FS, dir string, source Source, system string) (Snapshot, error) {
	m, at, err := readManifest(fsys, path.Join(dir, "manifest.json"))
	if err != nil {
		return Snapshot{}, err
	}
	if m.System != "" {
		system = m.System
	}
	return Snapshot{Source: source, System: system, Origin: dir, ExtractedAt: at}, nil
}

func readManifest(fsys fs.FS, name string) (manifest, time.Time, error) {
	var m manifest
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return m, time.Time{}, fmt.Errorf("read manifest: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, time.Time{}, &ParseError{File: name, Record: -1, Err: err}
	}
	if !utf8.Valid(b) {
		return m, time.Time{}, &ParseError{File: name, Record: -1, Err: fmt.Errorf("%w: the file must be UTF-8", ErrInvalidUTF8)}
	}
	at, err := ParseRFC3339(m.ExtractedAt)
	if err == nil && !at.Valid() {
		err = errors.New("missing extraction time")
	}
	if err == nil {
		err = checkExtractionTime(at.Time())
	}
	if err != nil {
		return m, time.Time{}, &ParseError{File: name, Record: -1, Field: "extracted_at", Err: err}
	}
	return m, at.Time(), nil
}

// The range of extraction times a snapshot may have. A time outside it is
// a placeholder, such as 0001-01-01 or Unix time 0, or a Unix time in
// milliseconds read as seconds.
var (
	firstExtractionTime = time.Unix(1, 0).UTC()
	lastExtractionTime  = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// checkExtractionTime returns an error when t is outside the range of
// extraction times.
func checkExtractionTime(t time.Time) error {
	if t.Before(firstExtractionTime) || t.After(lastExtractionTime) {
		return fmt.Errorf("invalid extraction time %s: expected a time between %s and %s",
			t.UTC().Format(time.RFC3339), firstExtractionTime.Format(time.RFC3339), lastExtractionTime.Format(time.RFC3339))
	}
	return nil
}
