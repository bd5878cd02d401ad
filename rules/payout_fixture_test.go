package rules

import (
	"database/sql"
	"fmt"
	"testing"

	"github.com/recon-tools/recon/extract"
)

// The payouts snapshots of the test runs. Every test snapshot is
// extracted at 2026-03-01 12:00 UTC, which is therefore the run's as-of
// time.
const (
	payoutSnapshot      = 12
	otherPayoutSnapshot = 22
)

// openPayoutTestDB returns a test database whose runs also have a
// payouts snapshot.
func openPayoutTestDB(t *testing.T) *sql.DB {
	t.Helper()
	db := openTestDB(t)
	addSnapshot(t, db, testRun, payoutSnapshot, extract.SourcePayouts)
	addSnapshot(t, db, otherRun, otherPayoutSnapshot, extract.SourcePayouts)
	return db
}

// addTransaction inserts a BigCommerce transaction of the test run.
// created is a UTC time such as '2026-02-20 10:00:00'.
func addPaymentTransaction(t *testing.T, db *sql.DB, id, orderID int64, event, gateway, gatewayID, currency, amount, created string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_transactions
  (snapshot_id, transaction_id, order_id, event, amount, currency, gateway, gateway_transaction_id, status, test, date_created, raw)
VALUES (%d, %d, %d, '%s', %s, '%s', '%s', '%s', 'ok', false, TIMESTAMPTZ '%s+00', %s)`,
		bcSnapshot, id, orderID, event, amount, currency, gateway, gatewayID, created, raw("transaction", id)))
}

// payoutLine is one row of the Stripe itemized report for a test.
type payoutLine struct {
	payout, txn, category, source, charge, intent, order, currency, gross, fee string
}

// addPayoutLine inserts a Stripe report line into a snapshot; net is
// gross less fee.
func addPayoutLine(t *testing.T, db *sql.DB, snapshotID int64, l payoutLine) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO payout_lines
  (snapshot_id, payout_id, balance_transaction_id, created, currency, gross, fee, net,
   reporting_category, source_id, customer_facing_amount, customer_facing_currency,
   charge_id, payment_intent_id, metadata_order_id, raw)
VALUES (%d, '%s', '%s', TIMESTAMPTZ '2026-02-20 10:00:00+00', '%s', %s, %s, %s - %s,
   '%s', '%s', %s, '%s', '%s', '%s', '%s', %s)`,
		snapshotID, l.payout, l.txn, l.currency, l.gross, l.fee, l.gross, l.fee,
		l.category, l.source, l.gross, l.currency, l.charge, l.intent, l.order, raw("line", l.txn)))
}

// addPayout inserts a Stripe payout into a snapshot.
func addPayout(t *testing.T, db *sql.DB, snapshotID int64, id, currency, amount string) {
	t.Helper()
	exec(t, db, fmt.Sprintf(`INSERT INTO payouts (snapshot_id, payout_id, amount, currency, status, raw)
VALUES (%d, '%s', %s, '%s', 'paid', %s)`, snapshotID, id, amount, currency, raw("payout", id)))
}

// chargeLine returns a Stripe charge line for charge id in payout.
func chargeLine(payout, charge, currency, gross, fee string) payoutLine {
	return payoutLine{payout: payout, txn: "txn_" + charge, category: "charge", source: charge,
		charge: charge, currency: currency, gross: gross, fee: fee}
}
