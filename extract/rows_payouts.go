package extract

// PayoutLine is one row of Stripe's itemized payout reconciliation report
// (payout_reconciliation.itemized). Amounts are in major units with the
// sign of the balance change; times are UTC.
type PayoutLine struct {
	PayoutID             string    `csv:"automatic_payout_id" db:"payout_id"`
	PayoutEffectiveAt    Timestamp `csv:"automatic_payout_effective_at_utc" db:"payout_effective_at"`
	BalanceTransactionID string    `csv:"balance_transaction_id" db:"balance_transaction_id"`
	Created              Timestamp `csv:"created_utc" db:"created"`
	AvailableOn          Timestamp `csv:"available_on_utc" db:"available_on"`
	Currency             string    `csv:"currency" db:"currency"`
	Gross                Decimal   `csv:"gross" db:"gross"`
	Fee                  Decimal   `csv:"fee" db:"fee"`
	Net                  Decimal   `csv:"net" db:"net"`
	ReportingCategory    string    `csv:"reporting_category" db:"reporting_category"`
	SourceID             string    `csv:"source_id" db:"source_id"`
	Description          string    `csv:"description" db:"description"`
	CustomerFacingAmount Decimal   `csv:"customer_facing_amount" db:"customer_facing_amount"`
	CustomerFacingCurr   string    `csv:"customer_facing_currency" db:"customer_facing_currency"`
	ChargeID             string    `csv:"charge_id" db:"charge_id"`
	PaymentIntentID      string    `csv:"payment_intent_id" db:"payment_intent_id"`
	MetadataOrderID      string    `csv:"payment_metadata[order_id]" db:"metadata_order_id"`
	Record
}

// Payout is one payout from Stripe's payouts export: the amount that
// reached the bank.
type Payout struct {
	ID          string    `csv:"id" db:"payout_id"`
	Amount      Decimal   `csv:"amount" db:"amount"`
	Currency    string    `csv:"currency" db:"currency"`
	ArrivalDate Timestamp `csv:"arrival_date_utc" db:"arrival_date"`
	Created     Timestamp `csv:"created_utc" db:"created"`
	Status      string    `csv:"status" db:"status"`
	Method      string    `csv:"method" db:"method"`
	Record
}
