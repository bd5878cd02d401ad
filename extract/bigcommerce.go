package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// BigCommerceOptions configures ReadBigCommerce.
type BigCommerceOptions struct {
	// Origin is recorded as the snapshot's Origin, such as the directory
	// or base URL read. It must not contain a secret.
	Origin string
	// OrdersPageSize is the limit sent with GET /v2/orders; 0 means 50.
	OrdersPageSize int
	// PageSize is the limit sent with the other lists; 0 means 250, the
	// API's maximum.
	PageSize int
	// Logger receives one Debug line per request; nil means no logging.
	Logger *slog.Logger
}

// bigCommerceRows collects the rows of every bc_* table during a walk.
type bigCommerceRows struct {
	orders       []Order
	products     []OrderProduct
	shipments    []Shipment
	transactions []Transaction
	refunds      []Refund
	variants     []Variant
	locations    []Location
	inventory    []InventoryLevel
}

// orderDetails is what the per-order requests return for one order.
type orderDetails struct {
	products     []OrderProduct
	shipments    []Shipment
	transactions []Transaction
}

// walker issues the requests of one BigCommerce snapshot.
type walker struct {
	fetcher Fetcher
	opt     BigCommerceOptions
	log     *slog.Logger
}

// ReadBigCommerce reads a BigCommerce store through f: the store clock
// (ExtractedAt), every order with its products, shipments and
// transactions, every refund, variant, location and inventory item. It
// returns one table per bc_* table of Tables, in that order.
func ReadBigCommerce(ctx context.Context, f Fetcher, opt BigCommerceOptions) (Snapshot, error) {
	w := newWalker(f, opt)
	at, err := w.storeTime(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	rows, err := w.walk(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	return Snapshot{
		Source:      SourceBigCommerce,
		System:      "BigCommerce",
		Origin:      opt.Origin,
		ExtractedAt: at,
		Tables:      rows.tables(),
	}, nil
}

func newWalker(f Fetcher, opt BigCommerceOptions) *walker {
	if opt.OrdersPageSize <= 0 {
		opt.OrdersPageSize = 50
	}
	if opt.PageSize <= 0 {
		opt.PageSize = 250
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &walker{fetcher: f, opt: opt, log: log}
}

// walk reads the lists, then the per-order resources of each order.
func (w *walker) walk(ctx context.Context) (*bigCommerceRows, error) {
	rows := &bigCommerceRows{}
	var err error
	if rows.orders, err = w.orders(ctx); err != nil {
		return nil, err
	}
	if err = w.readOrderDetails(ctx, rows); err != nil {
		return nil, err
	}
	if rows.refunds, err = v3List(ctx, w, "/v3/orders/payment_actions/refunds", decodeRefundsPage); err != nil {
		return nil, err
	}
	if rows.variants, err = v3List(ctx, w, "/v3/catalog/variants", decodeVariantsPage); err != nil {
		return nil, err
	}
	if rows.locations, err = v3List(ctx, w, "/v3/inventory/locations", decodeLocationsPage); err != nil {
		return nil, err
	}
	rows.inventory, err = v3List(ctx, w, "/v3/inventory/items", decodeInventoryPage)
	return rows, err
}

// readOrderDetails requests each order's resources one order at a time.
// A concurrent version can run orderDetails in workers, because it
// touches no shared state, and append the results in order-id order.
func (w *walker) readOrderDetails(ctx context.Context, rows *bigCommerceRows) error {
	for _, o := range rows.orders {
		d, err := w.orderDetails(ctx, o.ID)
		if err != nil {
			return err
		}
		rows.products = append(rows.products, d.products...)
		rows.shipments = append(rows.shipments, d.shipments...)
		rows.transactions = append(rows.transactions, d.transactions...)
	}
	return nil
}

// tables returns the rows as one Table per bc_* table.
func (r *bigCommerceRows) tables() []Table {
	return tablesOf(SourceBigCommerce, map[string]any{
		"bc_orders":          nonNil(r.orders),
		"bc_order_products":  nonNil(r.products),
		"bc_shipments":       nonNil(r.shipments),
		"bc_shipment_items":  nonNil(shipmentItems(r.shipments)),
		"bc_refunds":         nonNil(r.refunds),
		"bc_refund_items":    nonNil(refundItems(r.refunds)),
		"bc_refund_payments": nonNil(refundPayments(r.refunds)),
		"bc_transactions":    nonNil(r.transactions),
		"bc_variants":        nonNil(r.variants),
		"bc_locations":       nonNil(r.locations),
		"bc_inventory":       nonNil(r.inventory),
	})
}

// nonNil returns rows, or an empty slice in place of nil.
func nonNil[T any](rows []T) []T {
	if rows == nil {
		return []T{}
	}
	return rows
}

// storeTime requests GET /v2/time, the store clock.
func (w *walker) storeTime(ctx context.Context) (time.Time, error) {
	resp, err := w.get(ctx, "/v2/time", nil)
	if err != nil {
		return time.Time{}, err
	}
	sec, err := decodeStoreTime(resp.Body, "/v2/time")
	if err != nil {
		return time.Time{}, nameFile(err, resp)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// orders pages through GET /v2/orders sorted by id until a page is empty
// or answered with 204. A short page does not end the list, because saved
// pages may have been requested with another limit.
func (w *walker) orders(ctx context.Context) ([]Order, error) {
	var all []Order
	for page := 1; ; page++ {
		q := pageQuery(page, w.opt.OrdersPageSize)
		q.Set("sort", "id:asc")
		rows, err := getPage(ctx, w, "/v2/orders", q, pageRef("/v2/orders", page), decodeOrdersPage)
		if err != nil || len(rows) == 0 {
			return all, err
		}
		if len(all) > 0 && rows[0].ID <= all[len(all)-1].ID {
			return nil, fmt.Errorf("get /v2/orders page %d: %w: order %d follows order %d",
				page, ErrRepeatedPage, rows[0].ID, all[len(all)-1].ID)
		}
		all = append(all, rows...)
	}
}

// orderDetails requests the products, shipments and transactions of one
// order.
func (w *walker) orderDetails(ctx context.Context, orderID int64) (orderDetails, error) {
	var d orderDetails
	var err error
	base := "/v2/orders/" + strconv.FormatInt(orderID, 10)
	if d.products, err = v2SubList(ctx, w, base+"/products", decodeOrderProducts); err != nil {
		return d, err
	}
	if d.shipments, err = v2SubList(ctx, w, base+"/shipments", decodeShipments); err != nil {
		return d, err
	}
	path := "/v3/orders/" + strconv.FormatInt(orderID, 10) + "/transactions"
	resp, err := w.get(ctx, path, nil)
	if err != nil {
		return d, err
	}
	d.transactions, _, err = decodeTransactions(resp.Body, path)
	return d, nameFile(err, resp)
}

// v2SubList pages through a per-order v2 list. It stops at a page shorter
// than the limit, because these lists are small and are saved whole. The
// rows of page 1 are named after the bare path.
func v2SubList[T any](ctx context.Context, w *walker, path string,
	decode func([]byte, string) ([]T, error)) ([]T, error) {
	var all []T
	for page := 1; ; page++ {
		ref := path
		if page > 1 {
			ref = pageRef(path, page)
		}
		rows, err := getPage(ctx, w, path, pageQuery(page, w.opt.PageSize), ref, decode)
		all = append(all, rows...)
		if err != nil || len(rows) < w.opt.PageSize {
			return all, err
		}
	}
}

// getPage requests one page and decodes it, naming its rows after ref.
func getPage[T any](ctx context.Context, w *walker, path string, q url.Values, ref string,
	decode func([]byte, string) ([]T, error)) ([]T, error) {
	resp, err := w.get(ctx, path, q)
	if err != nil {
		return nil, err
	}
	rows, err := decode(resp.Body, ref)
	return rows, nameFile(err, resp)
}

// v3List pages through a v3 list. It stops after meta.pagination's
// total_pages, or at an empty page or 204 when the body has no pagination.
func v3List[T any](ctx context.Context, w *walker, path string,
	decode func([]byte, string) ([]T, *pagination, error)) ([]T, error) {
	var all []T
	var previous []byte
	for page := 1; ; page++ {
		resp, err := w.get(ctx, path, pageQuery(page, w.opt.PageSize))
		if err != nil {
			return nil, err
		}
		rows, meta, err := decode(resp.Body, pageRef(path, page))
		if err != nil {
			return nil, nameFile(err, resp)
		}
		if len(rows) > 0 && bytes.Equal(resp.Body, previous) {
			return nil, fmt.Errorf("get %s page %d: %w: same body as page %d", path, page, ErrRepeatedPage, page-1)
		}
		all = append(all, rows...)
		if lastPage(meta, page, len(rows)) {
			return all, nil
		}
		previous = resp.Body
	}
}

// lastPage reports whether page, holding n records, ends a v3 list.
func lastPage(meta *pagination, page, n int) bool {
	if meta != nil && meta.TotalPages > 0 {
		return int64(page) >= meta.TotalPages
	}
	return n == 0
}

func pageQuery(page, limit int) url.Values {
	return url.Values{"page": {strconv.Itoa(page)}, "limit": {strconv.Itoa(limit)}}
}

// pageRef returns the SourceRef prefix of a page: "/v2/orders?page=2".
func pageRef(path string, page int) string {
	return path + "?page=" + strconv.Itoa(page)
}

// get performs one request and rejects statuses other than 2xx.
func (w *walker) get(ctx context.Context, path string, q url.Values) (Response, error) {
	w.log.DebugContext(ctx, "bigcommerce request", "path", path, "query", q.Encode())
	resp, err := w.fetcher.Get(ctx, path, q)
	if err != nil {
		return Response{}, fmt.Errorf("get %s: %w", path, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return Response{}, fmt.Errorf("get %s: %w %d", path, ErrStatus, resp.Status)
	}
	if resp.Status == http.StatusNoContent {
		resp.Body = nil
	}
	return resp, nil
}

// nameFile replaces the request in a ParseError by the file the response
// was read from, which a Fetcher reports in the Content-Location header.
func nameFile(err error, resp Response) error {
	var pe *ParseError
	if loc := resp.Header.Get("Content-Location"); loc != "" && errors.As(err, &pe) {
		pe.File = loc
	}
	return err
}
