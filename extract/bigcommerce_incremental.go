package extract

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// ErrOutsideWindow means the API returned an order or refund outside the
// window the request filtered on, which it does when it ignores a filter
// it could not read. The snapshot would be wrong, so the extract stops.
var ErrOutsideWindow = errors.New("record outside the requested window (the API ignored the filter)")

// window is the span an extract reads orders and refunds from: orders
// by date_modified, refunds by created, both bounds inclusive.
type window struct {
	from time.Time // Since minus Overlap, or zero for the full history
	to   time.Time // the store clock when the extract started
}

// newWindow returns the window of a live or incremental walk ending at
// the store clock at, or nil for a walk over saved files.
func newWindow(opt BigCommerceOptions, at time.Time) (*window, error) {
	if !opt.Live && opt.Since.IsZero() {
		return nil, nil
	}
	if opt.Since.After(at) {
		return nil, fmt.Errorf("bigcommerce window: since %s is after the store clock %s: "+
			"pass the ExtractedAt of the previous snapshot",
			formatFilterTime(opt.Since), formatFilterTime(at))
	}
	w := &window{to: at}
	if !opt.Since.IsZero() {
		w.from = opt.Since.Add(-opt.Overlap)
	}
	return w, nil
}

// formatFilterTime formats t as RFC 3339 in UTC, which both the v2
// date_modified and the v3 created filters accept.
func formatFilterTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// addOrderFilters adds the date_modified bounds to a GET /v2/orders query.
func (w *window) addOrderFilters(q url.Values) {
	if w == nil {
		return
	}
	if !w.from.IsZero() {
		q.Set("min_date_modified", formatFilterTime(w.from))
	}
	q.Set("max_date_modified", formatFilterTime(w.to))
}

// refundFilters returns the created bounds of a refunds query, or nil.
func (w *window) refundFilters() url.Values {
	if w == nil {
		return nil
	}
	q := url.Values{"created:max": {formatFilterTime(w.to)}}
	if !w.from.IsZero() {
		q.Set("created:min", formatFilterTime(w.from))
	}
	return q
}

// checkOrders rejects orders whose date_modified lies outside the window
// of q. Ref names the request.
func (w *window) checkOrders(orders []Order, q url.Values, ref string) error {
	if w == nil {
		return nil
	}
	for _, o := range orders {
		at, ok := o.DateModified.TimeValue()
		if !ok || at.Before(w.from) || at.After(w.to) {
			return outsideWindow(ref, "order", o.ID, "date_modified", o.DateModified.Timestamp, q)
		}
	}
	return nil
}

// checkRefunds rejects refunds whose created time lies outside the window
// of q. A refund without a created time passes only a window with no
// lower bound, which cannot have excluded it.
func (w *window) checkRefunds(refunds []Refund, q url.Values) error {
	if w == nil {
		return nil
	}
	for _, r := range refunds {
		at, ok := r.Created.TimeValue()
		if !ok && w.from.IsZero() {
			continue
		}
		if !ok || at.Before(w.from) || at.After(w.to) {
			return outsideWindow(r.SourceRef, "refund", r.ID, "created", r.Created.Timestamp, q)
		}
	}
	return nil
}

// outsideWindow builds the error for a record outside the filter q.
func outsideWindow(ref, kind string, id int64, field string, value Timestamp, q url.Values) error {
	filters := url.Values{}
	for k, v := range q {
		if k != "page" && k != "limit" && k != "sort" {
			filters[k] = v
		}
	}
	shown := value.String()
	if !value.Valid() {
		shown = "empty"
	}
	return fmt.Errorf("get %s: %s %d has %s %s, outside the filter %s: %w",
		ref, kind, id, field, shown, filters.Encode(), ErrOutsideWindow)
}

// endOfTime is the open upper end of the re-list of edited orders.
var endOfTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// orderSet holds the orders read so far by id. An order read twice keeps
// the version with the later date_modified, or the later read on a tie,
// because an order edited while paging can be listed twice.
type orderSet struct {
	byID map[int64]Order
}

func newOrderSet() *orderSet {
	return &orderSet{byID: map[int64]Order{}}
}

// add adds o and reports whether it is new or replaced a different
// version.
func (s *orderSet) add(o Order) bool {
	old, seen := s.byID[o.ID]
	if seen && old.DateModified.Time().After(o.DateModified.Time()) {
		return false
	}
	s.byID[o.ID] = o
	return !seen || string(old.Raw) != string(o.Raw)
}

// addAll adds orders and returns their ids.
func (s *orderSet) addAll(orders []Order) []int64 {
	ids := make([]int64, len(orders))
	for i, o := range orders {
		s.add(o)
		ids[i] = o.ID
	}
	return ids
}

// holdsAll reports whether every one of orders was read before.
func (s *orderSet) holdsAll(orders []Order) bool {
	for _, o := range orders {
		if _, ok := s.byID[o.ID]; !ok {
			return false
		}
	}
	return true
}

// ids returns the ids held, ascending.
func (s *orderSet) ids() []int64 {
	ids := make([]int64, 0, len(s.byID))
	for id := range s.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// repairDrift finds the orders that edits made while paging hid from or
// changed under the listing, adds them to set, and requests the
// resources of each new or changed order into details.
//
// The listing is offset-paged by id within [from, to]. An edit after the
// listing started sets date_modified past to, so a re-list of the orders
// modified from to on finds every edited order. An edited order with an
// id below the last one listed may have left the window after it was
// read, which shifts later orders onto pages already read. Those orders
// lie in the id gaps between consecutive pages, so the gaps are listed
// again by id range.
func (w *walker) repairDrift(ctx context.Context, set *orderSet, pages [][]int64, details map[int64]orderDetails) error {
	lastListed := int64(0)
	for _, id := range slices.Concat(pages...) {
		lastListed = max(lastListed, id)
	}
	edited, err := w.keysetOrders(ctx, url.Values{"min_date_modified": {formatFilterTime(w.win.to)}},
		&window{from: w.win.to, to: endOfTime})
	if err != nil {
		return err
	}
	changed := addChanged(set, edited)

	if len(edited) > 0 && slices.Min(orderIDs(edited)) <= lastListed {
		for _, gap := range pageGaps(pages) {
			missed, err := w.keysetOrders(ctx, gap.query(w.win), w.win)
			if err != nil {
				return err
			}
			changed = append(changed, addChanged(set, missed)...)
		}
	}
	if len(changed) > 0 {
		w.log.InfoContext(ctx, "bigcommerce orders changed while listing", "orders", len(changed))
	}
	return w.refreshDetails(ctx, changed, details)
}

// refreshDetails requests the resources of the orders ids again, past
// any staged copy, and stores them in details.
func (w *walker) refreshDetails(ctx context.Context, ids []int64, details map[int64]orderDetails) error {
	slices.Sort(ids)
	fresh, err := w.readOrderDetails(withStagingMode(ctx, stagingRefresh), slices.Compact(ids))
	for id, d := range fresh {
		details[id] = d
	}
	return err
}

// addChanged adds orders to set and returns the ids of those that were
// new or differed from the version held.
func addChanged(set *orderSet, orders []Order) []int64 {
	var changed []int64
	for _, o := range orders {
		if set.add(o) {
			changed = append(changed, o.ID)
		}
	}
	return changed
}

func orderIDs(orders []Order) []int64 {
	ids := make([]int64, len(orders))
	for i, o := range orders {
		ids[i] = o.ID
	}
	return ids
}

// idGap is an open range of order ids (after, before); before is 0 for
// no upper end.
type idGap struct {
	after, before int64
}

// query returns the filters that list the orders of win in the gap.
func (g idGap) query(win *window) url.Values {
	q := url.Values{}
	win.addOrderFilters(q)
	q.Set("min_id", strconv.FormatInt(g.after+1, 10))
	if g.before > 0 {
		q.Set("max_id", strconv.FormatInt(g.before-1, 10))
	}
	return q
}

// pageGaps returns the id ranges that offset paging could have skipped:
// between the highest id read up to each page and the lowest higher id
// of the next page, and above the highest id read. Ranges that hold no
// integer are left out.
func pageGaps(pages [][]int64) []idGap {
	var gaps []idGap
	highest := int64(0)
	for i, page := range pages {
		if i > 0 {
			next := int64(0)
			for _, id := range page {
				if id > highest && (next == 0 || id < next) {
					next = id
				}
			}
			if next > highest+1 {
				gaps = append(gaps, idGap{after: highest, before: next})
			}
		}
		highest = max(highest, slices.Max(page))
	}
	return append(gaps, idGap{after: highest})
}

// keysetOrders lists the orders matching filters by ascending id, asking
// each time for the ids above the last one received, so that edits while
// paging cannot shift records between pages. Every order must lie in win;
// these requests bypass staging, because their responses change as the
// store is edited.
func (w *walker) keysetOrders(ctx context.Context, filters url.Values, win *window) ([]Order, error) {
	ctx = withStagingMode(ctx, stagingBypass)
	var all []Order
	for {
		q := pageQuery(1, w.opt.PageSize)
		for k, v := range filters {
			q[k] = v
		}
		q.Set("sort", "id:asc")
		if len(all) > 0 {
			q.Set("min_id", strconv.FormatInt(all[len(all)-1].ID+1, 10))
		}
		ref := "/v2/orders?" + q.Encode()
		rows, err := getPage(ctx, w, "/v2/orders", q, ref, decodeOrdersPage)
		if err != nil || len(rows) == 0 {
			return all, err
		}
		if err := checkKeyset(rows, q, ref, win); err != nil {
			return nil, err
		}
		all = append(all, rows...)
		if len(rows) < w.opt.PageSize {
			return all, nil
		}
	}
}

// checkKeyset rejects orders outside win or below the min_id of q.
func checkKeyset(rows []Order, q url.Values, ref string, win *window) error {
	if err := win.checkOrders(rows, q, ref); err != nil {
		return err
	}
	minID, _ := strconv.ParseInt(q.Get("min_id"), 10, 64)
	maxID, _ := strconv.ParseInt(q.Get("max_id"), 10, 64)
	for _, o := range rows {
		if o.ID < minID || maxID > 0 && o.ID > maxID {
			return fmt.Errorf("get %s: order %d is outside the filter min_id=%s max_id=%s: %w",
				ref, o.ID, q.Get("min_id"), q.Get("max_id"), ErrOutsideWindow)
		}
	}
	return nil
}
