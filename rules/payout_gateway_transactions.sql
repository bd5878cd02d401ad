-- BigCommerce transactions on the gateway of a provider in
-- run_payout_providers. The currency is the transaction's own, else the
-- order's transactional currency (default_currency_code), else the ERP's
-- local currency, upper-cased. Event and status are lower-cased.
SELECT
  t.transaction_id,
  t.order_id,
  p.provider,
  p.gateway,
  lower(trim(t.event)) AS event,
  lower(trim(t.status)) AS status,
  coalesce(t.test, false) AS test,
  t.amount,
  nullif(trim(t.gateway_transaction_id), '') AS payment_ref,
  t.date_created AS created,
  coalesce(nullif(upper(trim(t.currency)), ''), nullif(upper(trim(o.default_currency_code)), ''),
    getvariable('local_currency')) AS currency,
  t.raw
FROM run_bc_transactions AS t
JOIN run_payout_providers AS p ON p.gateway = lower(trim(t.gateway))
LEFT JOIN run_bc_orders AS o ON o.order_id = t.order_id
