package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The decoders below turn one BigCommerce response body into rows. They
// take the body and ref, the request the body answers (for example
// "/v2/orders?page=2"); each row's SourceRef is ref plus "#" and the
// record's index in the body. An empty body, an HTTP 204, has no rows.

// decodeStoreTime decodes GET /v2/time: {"time": <unix seconds>}. A time
// of 0 or less, or after year 9999, is an error.
func decodeStoreTime(body []byte, ref string) (int64, error) {
	var t struct {
		Time *int64 `json:"time"`
	}
	if err := json.Unmarshal(body, &t); err != nil {
		return 0, &ParseError{File: ref, Record: -1, Field: "time", Err: err}
	}
	if t.Time == nil {
		return 0, &ParseError{File: ref, Record: -1, Field: "time", Err: fmt.Errorf("missing store time")}
	}
	if *t.Time < firstExtractionTime.Unix() || *t.Time > lastExtractionTime.Unix() {
		return 0, &ParseError{File: ref, Record: -1, Field: "time", Err: fmt.Errorf(
			"invalid store time %d: expected Unix seconds from %d to %d", *t.Time,
			firstExtractionTime.Unix(), lastExtractionTime.Unix())}
	}
	return *t.Time, nil
}

// decodeOrdersPage decodes a page of GET /v2/orders.
func decodeOrdersPage(body []byte, ref string) ([]Order, error) {
	records, err := splitArray(body, ref)
	if err != nil {
		return nil, err
	}
	return decodeRows[Order](records, ref)
}

// decodeOrderProducts decodes GET /v2/orders/{id}/products.
func decodeOrderProducts(body []byte, ref string) ([]OrderProduct, error) {
	records, err := splitArray(body, ref)
	if err != nil {
		return nil, err
	}
	return decodeRows[OrderProduct](records, ref)
}

// decodeShipments decodes GET /v2/orders/{id}/shipments. Each shipment
// keeps its items; shipmentItems flattens them.
func decodeShipments(body []byte, ref string) ([]Shipment, error) {
	records, err := splitArray(body, ref)
	if err != nil {
		return nil, err
	}
	return decodeRows[Shipment](records, ref)
}

// decodeOrderProductsOf returns decodeOrderProducts for the products of
// order orderID, which also rejects a row of another order.
func decodeOrderProductsOf(orderID int64) func([]byte, string) ([]OrderProduct, error) {
	return func(body []byte, ref string) ([]OrderProduct, error) {
		rows, err := decodeOrderProducts(body, ref)
		if err != nil {
			return nil, err
		}
		return rows, checkOrderID(rows, orderID, ref, func(p OrderProduct) Int { return NewInt(p.OrderID) })
	}
}

// decodeShipmentsOf returns decodeShipments for the shipments of order
// orderID, which also rejects a row of another order.
func decodeShipmentsOf(orderID int64) func([]byte, string) ([]Shipment, error) {
	return func(body []byte, ref string) ([]Shipment, error) {
		rows, err := decodeShipments(body, ref)
		if err != nil {
			return nil, err
		}
		return rows, checkOrderID(rows, orderID, ref, func(s Shipment) Int { return NewInt(s.OrderID) })
	}
}

// decodeTransactionsOf returns decodeTransactions for the transactions
// of order orderID, which also rejects a row of another order.
func decodeTransactionsOf(orderID int64) func([]byte, string) ([]Transaction, *pagination, error) {
	return func(body []byte, ref string) ([]Transaction, *pagination, error) {
		rows, page, err := decodeTransactions(body, ref)
		if err != nil {
			return nil, nil, err
		}
		return rows, page, checkOrderID(rows, orderID, ref, func(t Transaction) Int { return t.OrderID })
	}
}

// checkOrderID returns a ParseError naming the first of rows, the records
// of the response ref in order, whose order_id is not orderID or is
// missing. Such a response was saved or served for the wrong order, and
// its rows would be reconciled against it.
func checkOrderID[T any](rows []T, orderID int64, ref string, orderIDOf func(T) Int) error {
	for i, row := range rows {
		id, ok := orderIDOf(row).IntValue()
		if ok && id == orderID {
			continue
		}
		cause := fmt.Errorf("%w: order_id is missing, but the response is for order %d", ErrOtherOrder, orderID)
		if ok {
			cause = fmt.Errorf("%w: order_id is %d, but the response is for order %d", ErrOtherOrder, id, orderID)
		}
		return &ParseError{File: ref, Record: i, Field: "order_id", Err: cause}
	}
	return nil
}

// decodeRefundsPage decodes a page of GET /v3/orders/payment_actions/refunds.
// Each refund keeps its items and payments; refundItems and refundPayments
// flatten them.
func decodeRefundsPage(body []byte, ref string) ([]Refund, *pagination, error) {
	records, page, err := splitV3(body, ref)
	if err != nil {
		return nil, nil, err
	}
	rows, err := decodeRows[Refund](records, ref)
	return rows, page, err
}

// decodeTransactions decodes GET /v3/orders/{id}/transactions, including
// reference_transaction_id, which the API sends as an integer, null or {}.
func decodeTransactions(body []byte, ref string) ([]Transaction, *pagination, error) {
	records, page, err := splitV3(body, ref)
	if err != nil {
		return nil, nil, err
	}
	rows, err := decodeRows[Transaction](records, ref)
	if err != nil {
		return nil, nil, err
	}
	for i, raw := range records {
		if rows[i].ReferenceTransaction, err = decodeReferenceTransaction(raw); err != nil {
			return nil, nil, &ParseError{File: ref, Record: i, Field: "reference_transaction_id", Err: err}
		}
	}
	return rows, page, nil
}

// decodeReferenceTransaction reads reference_transaction_id leniently: an
// integer or a numeric string is an id; null, "", an object (the API sends
// {}) or a missing key is NULL. Anything else is an error.
func decodeReferenceTransaction(record json.RawMessage) (Int, error) {
	var v struct {
		Ref json.RawMessage `json:"reference_transaction_id"`
	}
	if err := json.Unmarshal(record, &v); err != nil {
		return Int{}, err
	}
	ref := bytes.TrimSpace(v.Ref)
	if len(ref) == 0 || ref[0] == '{' {
		return Int{}, nil
	}
	var id Int
	if err := json.Unmarshal(ref, &id); err != nil {
		return Int{}, err
	}
	return id, nil
}

// decodeVariantsPage decodes a page of GET /v3/catalog/variants.
func decodeVariantsPage(body []byte, ref string) ([]Variant, *pagination, error) {
	records, page, err := splitV3(body, ref)
	if err != nil {
		return nil, nil, err
	}
	rows, err := decodeRows[Variant](records, ref)
	return rows, page, err
}

// decodeLocationsPage decodes a page of GET /v3/inventory/locations.
func decodeLocationsPage(body []byte, ref string) ([]Location, *pagination, error) {
	records, page, err := splitV3(body, ref)
	if err != nil {
		return nil, nil, err
	}
	rows, err := decodeRows[Location](records, ref)
	return rows, page, err
}

// inventoryItem is one record of GET /v3/inventory/items: an item's
// identity and its stock at each location.
type inventoryItem struct {
	Identity struct {
		SKU       string `json:"sku"`
		VariantID Int    `json:"variant_id"`
		ProductID Int    `json:"product_id"`
	} `json:"identity"`
	Locations []inventoryLocation `json:"locations"`
}

type inventoryLocation struct {
	LocationID           int64  `json:"location_id"`
	LocationCode         string `json:"location_code"`
	AvailableToSell      Int    `json:"available_to_sell"`
	TotalInventoryOnhand Int    `json:"total_inventory_onhand"`
	Settings             struct {
		SafetyStock Int  `json:"safety_stock"`
		IsInStock   bool `json:"is_in_stock"`
	} `json:"settings"`
}

// decodeInventoryPage decodes a page of GET /v3/inventory/items into one
// InventoryLevel per item and location. Every level of an item has the
// item's SourceRef and the whole item as Raw.
func decodeInventoryPage(body []byte, ref string) ([]InventoryLevel, *pagination, error) {
	records, page, err := splitV3(body, ref)
	if err != nil {
		return nil, nil, err
	}
	var levels []InventoryLevel
	for i, raw := range records {
		var item inventoryItem
		if err := decodeRecord(raw, &item, ref, i); err != nil {
			return nil, nil, err
		}
		levels = append(levels, inventoryLevels(item, recordRef(ref, i), raw)...)
	}
	return levels, page, nil
}

func inventoryLevels(item inventoryItem, ref string, raw json.RawMessage) []InventoryLevel {
	levels := make([]InventoryLevel, 0, len(item.Locations))
	for _, loc := range item.Locations {
		levels = append(levels, InventoryLevel{
			SKU:                  item.Identity.SKU,
			VariantID:            item.Identity.VariantID,
			ProductID:            item.Identity.ProductID,
			LocationID:           loc.LocationID,
			LocationCode:         loc.LocationCode,
			AvailableToSell:      loc.AvailableToSell,
			TotalInventoryOnhand: loc.TotalInventoryOnhand,
			SafetyStock:          loc.Settings.SafetyStock,
			IsInStock:            loc.Settings.IsInStock,
			Record:               Record{SourceRef: ref, Raw: raw},
		})
	}
	return levels
}

// shipmentItems flattens the items of shipments, setting each item's
// shipment and order ids.
func shipmentItems(shipments []Shipment) []ShipmentItem {
	var items []ShipmentItem
	for _, s := range shipments {
		for _, it := range s.Items {
			it.ShipmentID, it.OrderID = s.ID, s.OrderID
			items = append(items, it)
		}
	}
	return items
}

// refundItems flattens the items of refunds. Position is the item's
// 0-based index in its refund's items array.
func refundItems(refunds []Refund) []RefundItem {
	var items []RefundItem
	for _, r := range refunds {
		for i, it := range r.Items {
			it.RefundID, it.OrderID, it.Position = r.ID, r.OrderID, int64(i)
			items = append(items, it)
		}
	}
	return items
}

// refundPayments flattens the payments of refunds.
func refundPayments(refunds []Refund) []RefundPayment {
	var payments []RefundPayment
	for _, r := range refunds {
		for _, p := range r.Payments {
			p.RefundID, p.OrderID = r.ID, r.OrderID
			payments = append(payments, p)
		}
	}
	return payments
}
