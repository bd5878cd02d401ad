-- Refunds with a credit memo whose non-product items have no memo line on
-- their G/L account: SHIPPING and HANDLING belong on an Account line on
-- getvariable('erp_shipping_account') and ORDER (goodwill) on one on
-- getvariable('erp_goodwill_account'). Item lines never count, because
-- they return stock and book revenue against an item. Refunds without
-- items (tax-only) and FEE items are not checked. expected is the amount
-- refunded for the unbooked items, requested_amount summed; actual is
-- NULL.
WITH refunds AS (
  SELECT rc.refund_id, rc.order_id, rc.currency, rc.memo_numbers, rc.refund_raw, rc.memo_raws
  FROM run_refund_credits AS rc
  WHERE rc.memo_count > 0
),
needed AS (
  SELECT i.refund_id,
    CASE WHEN upper(i.item_type) = 'ORDER' THEN getvariable('erp_goodwill_account')
      ELSE getvariable('erp_shipping_account') END AS account,
    string_agg(DISTINCT upper(i.item_type), ', ' ORDER BY upper(i.item_type)) AS item_types,
    sum(coalesce(i.requested_amount, 0)) AS amount
  FROM run_bc_refund_items AS i
  JOIN refunds AS r ON r.refund_id = i.refund_id
  WHERE upper(i.item_type) IN ('SHIPPING', 'HANDLING', 'ORDER')
  GROUP BY ALL
),
memo_lines AS (
  SELECT r.refund_id, l.line_type, trim(l.line_object_number) AS object_number
  FROM refunds AS r
  JOIN run_credit_memo_refs AS m ON m.ref_order_id = r.order_id AND m.ref_refund_id = r.refund_id
  JOIN run_erp_credit_memo_lines AS l ON l.document_id = m.id
),
unbooked AS (
  SELECT n.refund_id,
    string_agg(n.item_types, ', ' ORDER BY n.account) AS item_types,
    string_agg(n.account, ', ' ORDER BY n.account) AS accounts,
    sum(n.amount) AS amount
  FROM needed AS n
  WHERE NOT EXISTS (
    SELECT 1 FROM memo_lines AS ml
    WHERE ml.refund_id = n.refund_id AND ml.line_type = 'Account' AND ml.object_number = n.account)
  GROUP BY n.refund_id
),
item_lines AS (
  SELECT refund_id, string_agg(object_number, ', ' ORDER BY object_number) AS skus
  FROM memo_lines
  WHERE line_type = 'Item'
  GROUP BY refund_id
)
SELECT
  r.order_id,
  u.refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  r.memo_numbers AS document,
  u.amount AS expected,
  CAST(NULL AS DECIMAL(18,4)) AS actual,
  r.currency AS unit,
  format('Refund {} on order {} refunds {} ({} {}), but credit memo {} has no Account line on G/L account {}{}.',
    u.refund_id, r.order_id, u.item_types, r.currency, money_text(u.amount), r.memo_numbers, u.accounts,
    CASE WHEN il.skus IS NOT NULL THEN format('; its Item lines ({}) must not carry it', il.skus) ELSE '' END)
    AS reason,
  json_object('bc_refunds', r.refund_raw, 'erp_credit_memos', r.memo_raws) AS evidence
FROM unbooked AS u
JOIN refunds AS r ON r.refund_id = u.refund_id
LEFT JOIN item_lines AS il ON il.refund_id = u.refund_id
