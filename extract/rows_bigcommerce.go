package extract

// The BigCommerce rows decode straight from the REST API's JSON. Field
// names follow the API; db tags name the DuckDB columns. Money fields are
// Decimals because the API sends them as strings ("55.9900", "8"),
// numbers or null.

// Order is one order from GET /v2/orders.
type Order struct {
	ID                 int64       `json:"id" db:"order_id"`
	CustomerID         int64       `json:"customer_id" db:"customer_id"`
	DateCreated        RFC2822Time `json:"date_created" db:"date_created"`
	DateModified       RFC2822Time `json:"date_modified" db:"date_modified"`
	DateShipped        RFC2822Time `json:"date_shipped" db:"date_shipped"`
	StatusID           int64       `json:"status_id" db:"status_id"`
	Status             string      `json:"status" db:"status"`
	CustomStatus       string      `json:"custom_status" db:"custom_status"`
	PaymentStatus      string      `json:"payment_status" db:"payment_status"`
	PaymentMethod      string      `json:"payment_method" db:"payment_method"`
	SubtotalExTax      Decimal     `json:"subtotal_ex_tax" db:"subtotal_ex_tax"`
	SubtotalIncTax     Decimal     `json:"subtotal_inc_tax" db:"subtotal_inc_tax"`
	SubtotalTax        Decimal     `json:"subtotal_tax" db:"subtotal_tax"`
	BaseShippingCost   Decimal     `json:"base_shipping_cost" db:"base_shipping_cost"`
	ShippingCostExTax  Decimal     `json:"shipping_cost_ex_tax" db:"shipping_cost_ex_tax"`
	ShippingCostIncTax Decimal     `json:"shipping_cost_inc_tax" db:"shipping_cost_inc_tax"`
	ShippingCostTax    Decimal     `json:"shipping_cost_tax" db:"shipping_cost_tax"`
	HandlingCostExTax  Decimal     `json:"handling_cost_ex_tax" db:"handling_cost_ex_tax"`
	HandlingCostIncTax Decimal     `json:"handling_cost_inc_tax" db:"handling_cost_inc_tax"`
	HandlingCostTax    Decimal     `json:"handling_cost_tax" db:"handling_cost_tax"`
	WrappingCostExTax  Decimal     `json:"wrapping_cost_ex_tax" db:"wrapping_cost_ex_tax"`
	WrappingCostIncTax Decimal     `json:"wrapping_cost_inc_tax" db:"wrapping_cost_inc_tax"`
	WrappingCostTax    Decimal     `json:"wrapping_cost_tax" db:"wrapping_cost_tax"`
	TotalExTax         Decimal     `json:"total_ex_tax" db:"total_ex_tax"`
	TotalIncTax        Decimal     `json:"total_inc_tax" db:"total_inc_tax"`
	TotalTax           Decimal     `json:"total_tax" db:"total_tax"`
	DiscountAmount     Decimal     `json:"discount_amount" db:"discount_amount"`
	CouponDiscount     Decimal     `json:"coupon_discount" db:"coupon_discount"`
	StoreCreditAmount  Decimal     `json:"store_credit_amount" db:"store_credit_amount"`
	GiftCertificateAmt Decimal     `json:"gift_certificate_amount" db:"gift_certificate_amount"`
	RefundedAmount     Decimal     `json:"refunded_amount" db:"refunded_amount"`
	IsTaxInclusive     bool        `json:"is_tax_inclusive_pricing" db:"is_tax_inclusive_pricing"`
	ItemsTotal         Int         `json:"items_total" db:"items_total"`
	ItemsShipped       Int         `json:"items_shipped" db:"items_shipped"`
	CurrencyCode       string      `json:"currency_code" db:"currency_code"`
	CurrencyRate       Decimal     `json:"currency_exchange_rate" db:"currency_exchange_rate,scale=10"`
	DefaultCurrency    string      `json:"default_currency_code" db:"default_currency_code"`
	StoreCurrency      string      `json:"store_default_currency_code" db:"store_default_currency_code"`
	StoreToOrderRate   Decimal     `json:"store_default_to_transactional_exchange_rate" db:"store_default_to_transactional_exchange_rate,scale=10"`
	TaxProviderID      string      `json:"tax_provider_id" db:"tax_provider_id"`
	OrderSource        string      `json:"order_source" db:"order_source"`
	ExternalSource     string      `json:"external_source" db:"external_source"`
	ChannelID          Int         `json:"channel_id" db:"channel_id"`
	IsDeleted          bool        `json:"is_deleted" db:"is_deleted"`
	Record
}

// OrderProduct is one line item from GET /v2/orders/{id}/products. Its ID
// is the order-product id that shipments and refunds refer to.
type OrderProduct struct {
	ID                    int64   `json:"id" db:"order_product_id"`
	OrderID               int64   `json:"order_id" db:"order_id"`
	ProductID             Int     `json:"product_id" db:"product_id"`
	VariantID             Int     `json:"variant_id" db:"variant_id"`
	OrderAddressID        Int     `json:"order_address_id" db:"order_address_id"`
	Name                  string  `json:"name" db:"name"`
	SKU                   string  `json:"sku" db:"sku"`
	Type                  string  `json:"type" db:"type"`
	Quantity              Int     `json:"quantity" db:"quantity"`
	BasePrice             Decimal `json:"base_price" db:"base_price"`
	PriceExTax            Decimal `json:"price_ex_tax" db:"price_ex_tax"`
	PriceIncTax           Decimal `json:"price_inc_tax" db:"price_inc_tax"`
	PriceTax              Decimal `json:"price_tax" db:"price_tax"`
	BaseTotal             Decimal `json:"base_total" db:"base_total"`
	TotalExTax            Decimal `json:"total_ex_tax" db:"total_ex_tax"`
	TotalIncTax           Decimal `json:"total_inc_tax" db:"total_inc_tax"`
	TotalTax              Decimal `json:"total_tax" db:"total_tax"`
	DiscountedTotalIncTax Decimal `json:"discounted_total_inc_tax" db:"discounted_total_inc_tax"`
	QuantityShipped       Int     `json:"quantity_shipped" db:"quantity_shipped"`
	QuantityRefunded      Int     `json:"quantity_refunded" db:"quantity_refunded"`
	IsRefunded            bool    `json:"is_refunded" db:"is_refunded"`
	ParentOrderProductID  Int     `json:"parent_order_product_id" db:"parent_order_product_id"`
	IsBundledProduct      bool    `json:"is_bundled_product" db:"is_bundled_product"`
	Record
}

// Shipment is one shipment from GET /v2/orders/{id}/shipments. Its items
// go to their own table as ShipmentItem rows.
type Shipment struct {
	ID                   int64          `json:"id" db:"shipment_id"`
	OrderID              int64          `json:"order_id" db:"order_id"`
	CustomerID           int64          `json:"customer_id" db:"customer_id"`
	OrderAddressID       Int            `json:"order_address_id" db:"order_address_id"`
	DateCreated          RFC2822Time    `json:"date_created" db:"date_created"`
	TrackingNumber       string         `json:"tracking_number" db:"tracking_number"`
	ShippingMethod       string         `json:"shipping_method" db:"shipping_method"`
	ShippingProvider     string         `json:"shipping_provider" db:"shipping_provider"`
	TrackingCarrier      string         `json:"tracking_carrier" db:"tracking_carrier"`
	TrackingLink         string         `json:"tracking_link" db:"tracking_link"`
	MerchantShippingCost Decimal        `json:"merchant_shipping_cost" db:"merchant_shipping_cost"`
	Items                []ShipmentItem `json:"items" db:"-"`
	Record
}

// ShipmentItem is one item of a shipment. OrderProductID refers to
// OrderProduct.ID; the API's product_id is always 0 here.
type ShipmentItem struct {
	ShipmentID     int64 `json:"-" db:"shipment_id"`
	OrderID        int64 `json:"-" db:"order_id"`
	OrderProductID int64 `json:"order_product_id" db:"order_product_id"`
	Quantity       Int   `json:"quantity" db:"quantity"`
}

// Refund is one refund from GET /v3/orders/payment_actions/refunds. Its
// items and payments go to their own tables.
type Refund struct {
	ID                   int64           `json:"id" db:"refund_id"`
	OrderID              int64           `json:"order_id" db:"order_id"`
	UserID               Int             `json:"user_id" db:"user_id"`
	Created              RFC3339Time     `json:"created" db:"created"`
	Reason               string          `json:"reason" db:"reason"`
	TotalAmount          Decimal         `json:"total_amount" db:"total_amount"`
	TotalTax             Decimal         `json:"total_tax" db:"total_tax"`
	UsesMerchantOverride bool            `json:"uses_merchant_override_values" db:"uses_merchant_override_values"`
	Items                []RefundItem    `json:"items" db:"-"`
	Payments             []RefundPayment `json:"payments" db:"-"`
	Record
}

// RefundItem is one item of a refund. ItemID means the order-product id
// for PRODUCT and GIFT_WRAPPING, the order address id for SHIPPING and
// HANDLING, the order id for ORDER and the fee id for FEE.
type RefundItem struct {
	RefundID        int64   `json:"-" db:"refund_id"`
	OrderID         int64   `json:"-" db:"order_id"`
	Position        int64   `json:"-" db:"position"`
	ItemType        string  `json:"item_type" db:"item_type"`
	ItemID          int64   `json:"item_id" db:"item_id"`
	Quantity        Int     `json:"quantity" db:"quantity"`
	RequestedAmount Decimal `json:"requested_amount" db:"requested_amount"`
	Reason          string  `json:"reason" db:"reason"`
}

// RefundPayment is one payment of a refund.
type RefundPayment struct {
	RefundID        int64   `json:"-" db:"refund_id"`
	OrderID         int64   `json:"-" db:"order_id"`
	ID              int64   `json:"id" db:"payment_id"`
	ProviderID      string  `json:"provider_id" db:"provider_id"`
	Amount          Decimal `json:"amount" db:"amount"`
	Offline         bool    `json:"offline" db:"offline"`
	IsDeclined      bool    `json:"is_declined" db:"is_declined"`
	DeclinedMessage string  `json:"declined_message" db:"declined_message"`
}

// Transaction is one payment transaction from
// GET /v3/orders/{id}/transactions. The API sends order_id as a string.
type Transaction struct {
	ID                   int64       `json:"id" db:"transaction_id"`
	OrderID              Int         `json:"order_id" db:"order_id"`
	Event                string      `json:"event" db:"event"`
	Method               string      `json:"method" db:"method"`
	Amount               Decimal     `json:"amount" db:"amount"`
	Currency             string      `json:"currency" db:"currency"`
	Gateway              string      `json:"gateway" db:"gateway"`
	GatewayTransactionID string      `json:"gateway_transaction_id" db:"gateway_transaction_id"`
	Status               string      `json:"status" db:"status"`
	Test                 bool        `json:"test" db:"test"`
	FraudReview          bool        `json:"fraud_review" db:"fraud_review"`
	ReferenceTransaction Int         `json:"-" db:"reference_transaction_id"`
	DateCreated          RFC3339Time `json:"date_created" db:"date_created"`
	PaymentMethodID      string      `json:"payment_method_id" db:"payment_method_id"`
	Record
}

// Variant is one catalogue variant from GET /v3/catalog/variants.
type Variant struct {
	ID                 int64   `json:"id" db:"variant_id"`
	ProductID          int64   `json:"product_id" db:"product_id"`
	SKU                string  `json:"sku" db:"sku"`
	SKUID              Int     `json:"sku_id" db:"sku_id"`
	Price              Decimal `json:"price" db:"price"`
	CalculatedPrice    Decimal `json:"calculated_price" db:"calculated_price"`
	InventoryLevel     Int     `json:"inventory_level" db:"inventory_level"`
	PurchasingDisabled bool    `json:"purchasing_disabled" db:"purchasing_disabled"`
	Record
}

// Location is one inventory location from GET /v3/inventory/locations.
type Location struct {
	ID         int64       `json:"id" db:"location_id"`
	Code       string      `json:"code" db:"code"`
	Label      string      `json:"label" db:"label"`
	TypeID     string      `json:"type_id" db:"type_id"`
	Enabled    bool        `json:"enabled" db:"enabled"`
	ExternalMg bool        `json:"managed_by_external_source" db:"managed_by_external_source"`
	UpdatedAt  RFC3339Time `json:"updated_at" db:"updated_at"`
	Record
}

// InventoryLevel is the stock of one item at one location, flattened from
// GET /v3/inventory/items (one item, many locations). Raw holds the whole
// item.
type InventoryLevel struct {
	SKU                  string `db:"sku"`
	VariantID            Int    `db:"variant_id"`
	ProductID            Int    `db:"product_id"`
	LocationID           int64  `db:"location_id"`
	LocationCode         string `db:"location_code"`
	AvailableToSell      Int    `db:"available_to_sell"`
	TotalInventoryOnhand Int    `db:"total_inventory_onhand"`
	SafetyStock          Int    `db:"safety_stock"`
	IsInStock            bool   `db:"is_in_stock"`
	Record
}
