-- BigCommerce captures on a payout provider's gateway whose charge is in
-- none of the provider's payouts although more than
-- getvariable('payout_grace_days') days have passed since the first
-- capture, counted back from the run's as-of time. A capture exactly that
-- old is still within the grace. Test transactions never reach a payout
-- and are left out. Several captures of one charge are summed.
WITH captures AS (
  SELECT
    t.order_id,
    t.provider,
    t.gateway,
    t.payment_ref,
    t.currency,
    sum(t.amount) AS amount,
    min(t.created) AS first_captured
  FROM run_gateway_transactions AS t
  WHERE t.event IN ('capture', 'purchase')
    AND t.status = 'ok'
    AND NOT t.test
  GROUP BY t.order_id, t.provider, t.gateway, t.payment_ref, t.currency
),
unpaid AS (
  SELECT c.*
  FROM captures AS c
  WHERE c.first_captured < getvariable('run_as_of') - to_days(getvariable('payout_grace_days'))
    -- Two equality anti-joins rather than one on an OR, so that DuckDB can
    -- hash them.
    AND NOT EXISTS (
      SELECT 1 FROM run_payout_items AS i
      WHERE i.provider = c.provider AND i.category = 'charge' AND i.payment_ref = c.payment_ref)
    AND NOT EXISTS (
      SELECT 1 FROM run_payout_items AS i
      WHERE i.provider = c.provider AND i.category = 'charge' AND i.intent_ref = c.payment_ref)
),
-- The transactions' records are gathered for the findings only.
transaction_evidence AS (
  SELECT t.order_id, t.provider, t.gateway, t.payment_ref, t.currency,
    to_json(list(t.raw ORDER BY t.transaction_id)) AS raws
  FROM run_gateway_transactions AS t
  WHERE t.order_id IN (SELECT order_id FROM unpaid)
    AND t.event IN ('capture', 'purchase')
    AND t.status = 'ok'
    AND NOT t.test
  GROUP BY t.order_id, t.provider, t.gateway, t.payment_ref, t.currency
)
SELECT
  c.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  c.payment_ref AS document,
  c.amount AS expected,
  CAST(NULL AS DECIMAL(18,4)) AS actual,
  c.currency AS unit,
  format('Order {} was captured for {} {} on the {} gateway at {} UTC, but charge {} is in no {} payout by the run''s as-of time {} UTC, beyond the grace of {} days.',
    c.order_id, c.currency, money_text(c.amount), c.gateway,
    strftime(timezone('UTC', c.first_captured), '%Y-%m-%d %H:%M'),
    coalesce(c.payment_ref, 'with no id'), c.provider,
    strftime(timezone('UTC', getvariable('run_as_of')), '%Y-%m-%d %H:%M'),
    getvariable('payout_grace_days')) AS reason,
  json_object('bc_transactions', e.raws) AS evidence
FROM unpaid AS c
LEFT JOIN transaction_evidence AS e
  ON e.order_id IS NOT DISTINCT FROM c.order_id AND e.provider = c.provider AND e.gateway = c.gateway
  AND e.payment_ref IS NOT DISTINCT FROM c.payment_ref AND e.currency = c.currency
