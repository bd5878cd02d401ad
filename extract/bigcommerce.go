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
	"sync"
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
	// Workers is how many orders have their products, shipments and
	// transactions requested at once; 0 means 3. The workers share the
	// fetcher, and so its rate limiter.
	Workers int
	// Since starts an incremental extract: only the orders modified and
	// the refunds created from Since minus Overlap up to the store clock
	// are read, while variants, locations and inventory are read in full.
	// The zero time reads the full history.
	Since time.Time
	// Overlap moves the start of an incremental window back from Since, so
	// that records saved in the same second as the previous extract ended
	// are not missed; 0 means 5 minutes and a negative value none.
	Overlap time.Duration
	// Live declares that the fetcher applies query filters, as the API and
	// a mock of it do and saved files do not. A live full extract bounds
	// the orders by the store clock and re-lists the orders modified while
	// it ran. An incremental extract always does both.
	Live bool
	// Progress receives the progress of the walk; nil means none.
	Progress Progress
}

// Progress receives the progress of a BigCommerce walk. The walker calls
// Page once for each list page or per-order response it decodes, with
// the number of records in it (0 for an empty page or a 204), and Done
// once per endpoint after its last page. An endpoint is one list, such
// as "orders" or "order products". The walker calls both from its
// workers, so implementations must be safe for concurrent use. The
// re-lists that repair edits made during a live walk are not reported.
type Progress interface {
	Page(endpoint string, records int)
	Done(endpoint string)
}

// Endpoint names passed to Progress.
const (
	EndpointOrders        = "orders"
	EndpointOrderProducts = "order products"
	EndpointShipments     = "shipments"
	EndpointTransactions  = "transactions"
	EndpointRefunds       = "refunds"
	EndpointVariants      = "variants"
	EndpointLocations     = "locations"
	EndpointInventory     = "inventory"
)

// noProgress is the Progress of a walk without one.
type noProgress struct{}

func (noProgress) Page(string, int) {}
func (noProgress) Done(string)      {}

// Defaults of BigCommerceOptions.
const (
	DefaultWorkers = 3
	DefaultOverlap = 5 * time.Minute
)

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

// orderDetails is the rows the per-order requests return for one order.
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
	// win bounds the orders and refunds read, or is nil for a walk over
	// saved files, which ignore filters.
	win *window
}

// ReadBigCommerce reads a BigCommerce store through f: the store clock,
// which becomes ExtractedAt, every order with its products, shipments and
// transactions, and every refund, variant, location and inventory item.
// With opt.Since set it reads only the orders and refunds of the window
// and marks the snapshot Incremental. It returns one table per bc_* table
// of Tables, in that order, with the order rows sorted by order id.
//
// A live or incremental extract fails with ErrOutsideWindow, rather than
// return a wrong snapshot, when the API returns a record outside the
// window it asked for.
func ReadBigCommerce(ctx context.Context, f Fetcher, opt BigCommerceOptions) (Snapshot, error) {
	w := newWalker(f, opt)
	at, err := w.storeTime(ctx)
	if err != nil {
		return Snapshot{}, err
	}
	if w.win, err = newWindow(w.opt, at); err != nil {
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
		Incremental: !opt.Since.IsZero(),
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
	if opt.Workers <= 0 {
		opt.Workers = DefaultWorkers
	}
	if opt.Overlap == 0 {
		opt.Overlap = DefaultOverlap
	} else if opt.Overlap < 0 {
		opt.Overlap = 0
	}
	if opt.Progress == nil {
		opt.Progress = noProgress{}
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &walker{fetcher: f, opt: opt, log: log}
}

// walk reads the orders with their per-order resources, then the other
// lists.
func (w *walker) walk(ctx context.Context) (*bigCommerceRows, error) {
	rows := &bigCommerceRows{}
	var err error
	if err = w.readOrders(ctx, rows); err != nil {
		return nil, err
	}
	refunds := w.win.refundFilters()
	if rows.refunds, err = v3List(ctx, w, EndpointRefunds, "/v3/orders/payment_actions/refunds", refunds, decodeRefundsPage); err != nil {
		return nil, err
	}
	if err = w.win.checkRefunds(rows.refunds, refunds); err != nil {
		return nil, err
	}
	if rows.variants, err = v3List(ctx, w, EndpointVariants, "/v3/catalog/variants", nil, decodeVariantsPage); err != nil {
		return nil, err
	}
	if rows.locations, err = v3List(ctx, w, EndpointLocations, "/v3/inventory/locations", nil, decodeLocationsPage); err != nil {
		return nil, err
	}
	rows.inventory, err = v3List(ctx, w, EndpointInventory, "/v3/inventory/items", nil, decodeInventoryPage)
	return rows, err
}

// readOrders lists the orders, requests their resources and, on a
// windowed walk, repairs what edits made while paging changed. It fills
// the order rows of rows sorted by order id.
func (w *walker) readOrders(ctx context.Context, rows *bigCommerceRows) error {
	set := newOrderSet()
	pages, err := w.orders(ctx, set)
	if err != nil {
		return err
	}
	w.opt.Progress.Done(EndpointOrders)
	details, err := w.readOrderDetails(ctx, set.ids())
	if err != nil {
		return err
	}
	if w.win != nil {
		if err = w.repairDrift(ctx, set, pages, details); err != nil {
			return err
		}
	}
	for _, endpoint := range []string{EndpointOrderProducts, EndpointShipments, EndpointTransactions} {
		w.opt.Progress.Done(endpoint)
	}
	for _, id := range set.ids() {
		rows.orders = append(rows.orders, set.byID[id])
		d := details[id]
		rows.products = append(rows.products, d.products...)
		rows.shipments = append(rows.shipments, d.shipments...)
		rows.transactions = append(rows.transactions, d.transactions...)
	}
	return nil
}

// readOrderDetails requests the resources of the orders ids on
// opt.Workers workers and returns them by order id. The first error
// stops the other workers and is returned.
func (w *walker) readOrderDetails(ctx context.Context, ids []int64) (map[int64]orderDetails, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	results := make([]orderDetails, len(ids))
	jobs := make(chan int)

	var wg sync.WaitGroup
	for range min(w.opt.Workers, len(ids)) {
		wg.Go(func() {
			for i := range jobs {
				d, err := w.orderDetails(ctx, ids[i])
				if err != nil {
					cancel(err)
					continue
				}
				results[i] = d
			}
		})
	}
	feedJobs(ctx, jobs, len(ids))
	wg.Wait()

	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	byID := make(map[int64]orderDetails, len(ids))
	for i, id := range ids {
		byID[id] = results[i]
	}
	return byID, nil
}

// feedJobs sends the indexes 0 to n-1 to jobs until ctx ends, then closes
// jobs.
func feedJobs(ctx context.Context, jobs chan<- int, n int) {
	defer close(jobs)
	for i := range n {
		select {
		case jobs <- i:
		case <-ctx.Done():
			return
		}
	}
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
// or a 204, adding each order to set. It returns the ids of
// each page as received. A short page does not end the list, because
// saved pages may have been requested with another limit, and an order
// edited while paging may move between pages.
func (w *walker) orders(ctx context.Context, set *orderSet) ([][]int64, error) {
	var pages [][]int64
	for page := 1; ; page++ {
		q := pageQuery(page, w.opt.OrdersPageSize)
		q.Set("sort", "id:asc")
		w.win.addOrderFilters(q)
		rows, err := getPage(ctx, w, "/v2/orders", q, pageRef("/v2/orders", page), decodeOrdersPage)
		if err == nil {
			w.opt.Progress.Page(EndpointOrders, len(rows))
		}
		if err != nil || len(rows) == 0 {
			return pages, err
		}
		if err := w.win.checkOrders(rows, q, pageRef("/v2/orders", page)); err != nil {
			return nil, err
		}
		if set.holdsAll(rows) {
			return nil, fmt.Errorf("get /v2/orders page %d: %w: order %d to %d read before",
				page, ErrRepeatedPage, rows[0].ID, rows[len(rows)-1].ID)
		}
		pages = append(pages, set.addAll(rows))
	}
}

// orderDetails requests the products, shipments and transactions of one
// order.
func (w *walker) orderDetails(ctx context.Context, orderID int64) (orderDetails, error) {
	var d orderDetails
	var err error
	base := "/v2/orders/" + strconv.FormatInt(orderID, 10)
	if d.products, err = v2SubList(ctx, w, EndpointOrderProducts, base+"/products", decodeOrderProductsOf(orderID)); err != nil {
		return d, err
	}
	if d.shipments, err = v2SubList(ctx, w, EndpointShipments, base+"/shipments", decodeShipmentsOf(orderID)); err != nil {
		return d, err
	}
	path := "/v3/orders/" + strconv.FormatInt(orderID, 10) + "/transactions"
	resp, err := w.get(ctx, path, nil)
	if err != nil {
		return d, err
	}
	if d.transactions, _, err = decodeTransactionsOf(orderID)(resp.Body, path); err != nil {
		return d, nameFile(err, resp)
	}
	w.opt.Progress.Page(EndpointTransactions, len(d.transactions))
	return d, nil
}

// v2SubList pages through a per-order v2 list. It stops at a page shorter
// than the limit, because these lists are small and are saved whole. The
// rows of page 1 are named after the bare path. Each page is reported to
// Progress under endpoint.
func v2SubList[T any](ctx context.Context, w *walker, endpoint, path string,
	decode func([]byte, string) ([]T, error)) ([]T, error) {
	var all []T
	for page := 1; ; page++ {
		ref := path
		if page > 1 {
			ref = pageRef(path, page)
		}
		rows, err := getPage(ctx, w, path, pageQuery(page, w.opt.PageSize), ref, decode)
		if err != nil {
			return all, err
		}
		w.opt.Progress.Page(endpoint, len(rows))
		all = append(all, rows...)
		if len(rows) < w.opt.PageSize {
			return all, nil
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

// v3List pages through a v3 list, sending filters with each page. It
// stops after meta.pagination's total_pages, or at an empty page or 204
// when the body has no pagination. Each page is reported to Progress
// under endpoint, and Done once the list ends.
func v3List[T any](ctx context.Context, w *walker, endpoint, path string, filters url.Values,
	decode func([]byte, string) ([]T, *pagination, error)) ([]T, error) {
	var all []T
	var previous []byte
	var declared int64 // the largest total_pages any page declared
	for page := 1; ; page++ {
		q := pageQuery(page, w.opt.PageSize)
		for k, v := range filters {
			q[k] = v
		}
		resp, err := w.get(ctx, path, q)
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
		w.opt.Progress.Page(endpoint, len(rows))
		all = append(all, rows...)
		end, err := listEnd(meta, &declared, pageRef(path, page), page, len(rows))
		if err != nil {
			return all, nameFile(err, resp)
		}
		if end {
			w.opt.Progress.Done(endpoint)
			return all, nil
		}
		previous = resp.Body
	}
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
