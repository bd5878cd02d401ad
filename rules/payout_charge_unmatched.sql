-- Charges in a settlement report that match no BigCommerce transaction
-- on the provider's gateway, by charge id or payment intent id. The
-- amount is the charge's gross in the settlement currency.
WITH refs AS MATERIALIZED (
  SELECT DISTINCT t.provider, t.payment_ref
  FROM run_gateway_transactions AS t
  WHERE t.payment_ref IS NOT NULL
),
unmatched AS (
  SELECT i.provider, i.item_id, i.payout_id, i.payment_ref, i.order_id, i.currency, i.gross, i.source_table
  FROM run_payout_items AS i
  WHERE i.category = 'charge'
    -- Two anti-joins on equality rather than one on an OR, so that DuckDB
    -- can hash both instead of comparing every charge with every
    -- transaction. Both read refs, so the transactions are read once.
    AND NOT EXISTS (
      SELECT 1 FROM refs AS t
      WHERE t.provider = i.provider AND t.payment_ref = i.payment_ref)
    AND NOT EXISTS (
      SELECT 1 FROM refs AS t
      WHERE t.provider = i.provider AND t.payment_ref = i.intent_ref)
),
-- The records are read for the findings only, so that the anti-joins do
-- not carry every charge's record.
item_evidence AS (
  SELECT i.provider, i.item_id, i.raw
  FROM run_payout_items AS i
  WHERE i.item_id IN (SELECT item_id FROM unmatched)
)
SELECT
  i.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  i.payment_ref AS document,
  CAST(NULL AS DECIMAL(18,4)) AS expected,
  i.gross AS actual,
  i.currency AS unit,
  format('Charge {} of {} {} in {} payout {} matches no BigCommerce transaction on the {} gateway{}.',
    coalesce(i.payment_ref, i.item_id), i.currency, money_text(i.gross), i.provider,
    coalesce(i.payout_id, 'none'), p.gateway,
    CASE WHEN i.order_id IS NOT NULL
      THEN format(', although its metadata names order {}', i.order_id)
      ELSE ''
    END) AS reason,
  json_object(i.source_table, e.raw) AS evidence
FROM unmatched AS i
JOIN run_payout_providers AS p ON p.provider = i.provider
LEFT JOIN item_evidence AS e ON e.provider = i.provider AND e.item_id = i.item_id
