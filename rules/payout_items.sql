-- One row per line of a provider's settlement report, in columns every
-- provider can fill:
--   provider, payout_id, item_id: the provider, the payout the line
--     reached and the line's own id.
--   category: charge, refund, or the provider's own category otherwise.
--   payment_ref: the id BigCommerce stores as gateway_transaction_id, the
--     charge id for a charge and the refund id for a refund.
--   intent_ref: another id BigCommerce may store for a charge, or NULL.
--   charge_ref: the charge a refund pays back, or NULL.
--   order_id: the BigCommerce order id from the payment metadata, or NULL.
--   currency, gross, fee, net: the settlement amounts, net = gross - fee.
--   customer_currency, customer_amount: what the shopper was charged, in
--     the transactional currency.
--   source_table, raw: the snapshot table and row, for evidence.
-- Stripe writes currencies in lower case; they are upper-cased to ISO
-- codes here.
-- NOTE: which Stripe id BigCommerce's Stripe gateway stores as
-- gateway_transaction_id is not documented; the charge id and the
-- payment intent id are both offered as matches.
SELECT
  'stripe' AS provider,
  nullif(trim(l.payout_id), '') AS payout_id,
  l.balance_transaction_id AS item_id,
  lower(trim(l.reporting_category)) AS category,
  CASE WHEN lower(trim(l.reporting_category)) = 'charge'
    THEN coalesce(nullif(trim(l.charge_id), ''), nullif(trim(l.source_id), ''))
    ELSE nullif(trim(l.source_id), '')
  END AS payment_ref,
  nullif(trim(l.payment_intent_id), '') AS intent_ref,
  nullif(trim(l.charge_id), '') AS charge_ref,
  TRY_CAST(nullif(trim(l.metadata_order_id), '') AS BIGINT) AS order_id,
  upper(trim(l.currency)) AS currency,
  l.gross,
  l.fee,
  l.net,
  nullif(upper(trim(l.customer_facing_currency)), '') AS customer_currency,
  l.customer_facing_amount AS customer_amount,
  l.created,
  'payout_lines' AS source_table,
  l.raw
FROM run_payout_lines AS l
