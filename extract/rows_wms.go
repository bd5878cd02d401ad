package extract

// Fulfilment is one line of a WMS shipment confirmation: one SKU shipped
// for one order under one tracking number.
type Fulfilment struct {
	ShipmentID     string    `csv:"shipment_id" db:"shipment_id"`
	OrderReference string    `csv:"order_reference" db:"order_reference"`
	SKU            string    `csv:"sku" db:"sku"`
	Quantity       Decimal   `csv:"quantity" db:"quantity"`
	TrackingNumber string    `csv:"tracking_number" db:"tracking_number"`
	Carrier        string    `csv:"carrier" db:"carrier"`
	ShippedAt      Timestamp `csv:"shipped_at" db:"shipped_at"`
	Warehouse      string    `csv:"warehouse" db:"warehouse"`
	Record
}
