-- BigCommerce refund transactions on a payout provider's gateway whose
-- refund id (gateway_transaction_id) is in none of the provider's payouts
-- although more than getvariable('payout_grace_days') days have passed,
-- counted back from the run's as-of time. A refund exactly that old is
-- still within the grace. refund_id is the BigCommerce refund of the same
-- order with an online payment of the same amount on that gateway,
-- nearest in time. It is NULL when no refund matches.
WITH refunds AS (
  SELECT *
  FROM run_gateway_transactions
  WHERE event = 'refund'
    AND status = 'ok'
    AND NOT test
    AND created < getvariable('run_as_of') - to_days(getvariable('payout_grace_days'))
),
matches AS (
  SELECT
    t.transaction_id,
    r.refund_id,
    r.raw,
    row_number() OVER (PARTITION BY t.transaction_id
      ORDER BY abs(epoch(r.created) - epoch(t.created)), r.refund_id) AS nearness
  FROM refunds AS t
  JOIN run_bc_refunds AS r ON r.order_id = t.order_id
  JOIN run_bc_refund_payments AS rp ON rp.refund_id = r.refund_id
  WHERE NOT coalesce(rp.offline, false)
    AND rp.amount = t.amount
    AND starts_with(lower(trim(rp.provider_id)), t.gateway)
)
SELECT
  t.order_id,
  m.refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  t.payment_ref AS document,
  t.amount AS expected,
  CAST(NULL AS DECIMAL(18,4)) AS actual,
  t.currency AS unit,
  format('{} of {} {} on order {} was paid back on the {} gateway at {} UTC, but refund {} is in no {} payout by the run''s as-of time {} UTC, beyond the grace of {} days.',
    CASE WHEN m.refund_id IS NULL THEN 'A refund' ELSE format('Refund {}', m.refund_id) END,
    t.currency, money_text(t.amount), t.order_id, t.gateway,
    strftime(timezone('UTC', t.created), '%Y-%m-%d %H:%M'),
    coalesce(t.payment_ref, 'with no id'), t.provider,
    strftime(timezone('UTC', getvariable('run_as_of')), '%Y-%m-%d %H:%M'),
    getvariable('payout_grace_days')) AS reason,
  CASE WHEN m.refund_id IS NULL
    THEN json_object('bc_transactions', t.raw)
    ELSE json_object('bc_transactions', t.raw, 'bc_refunds', m.raw)
  END AS evidence
FROM refunds AS t
LEFT JOIN matches AS m ON m.transaction_id = t.transaction_id AND m.nearness = 1
WHERE NOT EXISTS (
  SELECT 1 FROM run_payout_items AS i
  WHERE i.provider = t.provider
    AND i.category = 'refund'
    AND i.payment_ref = t.payment_ref)
