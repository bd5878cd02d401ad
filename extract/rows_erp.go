package extract

// The ERP rows come from CSV exports whose headers are Business Central's
// API field names (camelCase); csv tags name the headers and db tags the
// DuckDB columns. Business Central leaves currencyCode empty for the
// company's local currency.

// SalesOrder is one ERP sales order header. ExternalDocumentNumber holds
// the BigCommerce order id.
type SalesOrder struct {
	ID                      string    `csv:"id" db:"id"`
	Number                  string    `csv:"number" db:"number"`
	ExternalDocumentNumber  string    `csv:"externalDocumentNumber" db:"external_document_number"`
	OrderDate               Date      `csv:"orderDate" db:"order_date"`
	PostingDate             Date      `csv:"postingDate" db:"posting_date"`
	CustomerNumber          string    `csv:"customerNumber" db:"customer_number"`
	CustomerName            string    `csv:"customerName" db:"customer_name"`
	CurrencyCode            string    `csv:"currencyCode" db:"currency_code"`
	PricesIncludeTax        bool      `csv:"pricesIncludeTax" db:"prices_include_tax"`
	DiscountAmount          Decimal   `csv:"discountAmount" db:"discount_amount"`
	TotalAmountExcludingTax Decimal   `csv:"totalAmountExcludingTax" db:"total_amount_excluding_tax"`
	TotalTaxAmount          Decimal   `csv:"totalTaxAmount" db:"total_tax_amount"`
	TotalAmountIncludingTax Decimal   `csv:"totalAmountIncludingTax" db:"total_amount_including_tax"`
	FullyShipped            bool      `csv:"fullyShipped" db:"fully_shipped"`
	Status                  string    `csv:"status" db:"status"`
	LastModifiedDateTime    Timestamp `csv:"lastModifiedDateTime" db:"last_modified_date_time"`
	Record
}

// SalesOrderLine is one line of an ERP sales order; DocumentID refers to
// SalesOrder.ID. Item lines carry the SKU in LineObjectNumber; shipping is
// an Account line on the configured G/L account.
type SalesOrderLine struct {
	ID                 string  `csv:"id" db:"id"`
	DocumentID         string  `csv:"documentId" db:"document_id"`
	Sequence           int64   `csv:"sequence" db:"sequence"`
	LineType           string  `csv:"lineType" db:"line_type"`
	LineObjectNumber   string  `csv:"lineObjectNumber" db:"line_object_number"`
	Description        string  `csv:"description" db:"description"`
	Quantity           Decimal `csv:"quantity" db:"quantity"`
	UnitPrice          Decimal `csv:"unitPrice" db:"unit_price"`
	DiscountAmount     Decimal `csv:"discountAmount" db:"discount_amount"`
	AmountExcludingTax Decimal `csv:"amountExcludingTax" db:"amount_excluding_tax"`
	TaxCode            string  `csv:"taxCode" db:"tax_code"`
	TaxPercent         Decimal `csv:"taxPercent" db:"tax_percent"`
	TotalTaxAmount     Decimal `csv:"totalTaxAmount" db:"total_tax_amount"`
	AmountIncludingTax Decimal `csv:"amountIncludingTax" db:"amount_including_tax"`
	Record
}

// CreditMemo is one ERP sales credit memo header. ExternalDocumentNumber
// refers to the BigCommerce refund, written "<order id>-R<refund id>".
type CreditMemo struct {
	ID                      string    `csv:"id" db:"id"`
	Number                  string    `csv:"number" db:"number"`
	ExternalDocumentNumber  string    `csv:"externalDocumentNumber" db:"external_document_number"`
	CreditMemoDate          Date      `csv:"creditMemoDate" db:"credit_memo_date"`
	PostingDate             Date      `csv:"postingDate" db:"posting_date"`
	CustomerNumber          string    `csv:"customerNumber" db:"customer_number"`
	CustomerName            string    `csv:"customerName" db:"customer_name"`
	CurrencyCode            string    `csv:"currencyCode" db:"currency_code"`
	PricesIncludeTax        bool      `csv:"pricesIncludeTax" db:"prices_include_tax"`
	TotalAmountExcludingTax Decimal   `csv:"totalAmountExcludingTax" db:"total_amount_excluding_tax"`
	TotalTaxAmount          Decimal   `csv:"totalTaxAmount" db:"total_tax_amount"`
	TotalAmountIncludingTax Decimal   `csv:"totalAmountIncludingTax" db:"total_amount_including_tax"`
	Status                  string    `csv:"status" db:"status"`
	InvoiceNumber           string    `csv:"invoiceNumber" db:"invoice_number"`
	LastModifiedDateTime    Timestamp `csv:"lastModifiedDateTime" db:"last_modified_date_time"`
	Record
}

// CreditMemoLine is one line of an ERP credit memo; DocumentID refers to
// CreditMemo.ID. An Item line returns its quantity to stock.
type CreditMemoLine struct {
	ID                 string  `csv:"id" db:"id"`
	DocumentID         string  `csv:"documentId" db:"document_id"`
	Sequence           int64   `csv:"sequence" db:"sequence"`
	LineType           string  `csv:"lineType" db:"line_type"`
	LineObjectNumber   string  `csv:"lineObjectNumber" db:"line_object_number"`
	Description        string  `csv:"description" db:"description"`
	Quantity           Decimal `csv:"quantity" db:"quantity"`
	UnitPrice          Decimal `csv:"unitPrice" db:"unit_price"`
	AmountExcludingTax Decimal `csv:"amountExcludingTax" db:"amount_excluding_tax"`
	TaxPercent         Decimal `csv:"taxPercent" db:"tax_percent"`
	TotalTaxAmount     Decimal `csv:"totalTaxAmount" db:"total_tax_amount"`
	AmountIncludingTax Decimal `csv:"amountIncludingTax" db:"amount_including_tax"`
	Record
}

// StockLevel is the ERP's stock of one item at one location at AsOf.
type StockLevel struct {
	ItemNumber       string    `csv:"itemNumber" db:"item_number"`
	LocationCode     string    `csv:"locationCode" db:"location_code"`
	Inventory        Decimal   `csv:"inventory" db:"inventory"`
	ReservedQuantity Decimal   `csv:"reservedQuantity" db:"reserved_quantity"`
	AvailableToSell  Decimal   `csv:"availableToSell" db:"available_to_sell"`
	AsOf             Timestamp `csv:"asOfDateTime" db:"as_of"`
	Record
}
