-- Refunds without any ERP credit memo. A refund of zero needs no memo.
-- actual is NULL, so the difference is -expected: the whole refund is
-- unbooked.
SELECT
  rc.order_id,
  rc.refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  CAST(NULL AS VARCHAR) AS document,
  rc.total_amount AS expected,
  CAST(NULL AS DECIMAL(18,4)) AS actual,
  rc.currency AS unit,
  format('Refund {} on order {} ({} {}) has no credit memo in the ERP; expected a memo referenced {}-R{}.',
    rc.refund_id, rc.order_id, rc.currency, money_text(rc.total_amount),
    rc.order_id, rc.refund_id) AS reason,
  json_object('bc_refunds', rc.refund_raw) AS evidence
FROM run_refund_credits AS rc
WHERE rc.memo_count = 0
  AND coalesce(rc.total_amount, 0) <> 0
