-- Per refund with a credit memo and per SKU, the units the refund's
-- PRODUCT items returned (the SKU of the order product item_id names)
-- against the units the memos' Item lines return to stock. SKUs match
-- case-insensitively. A refund without PRODUCT items, such as an
-- order-level goodwill refund or one with no items, returns nothing, so
-- every Item line with a quantity on its memo is a finding. A PRODUCT
-- item whose order product is not in the snapshot is keyed by its
-- item_id, because its SKU is unknown.
WITH refunds AS (
  SELECT rc.refund_id, rc.order_id, rc.memo_numbers, rc.refund_raw, rc.memo_raws
  FROM run_refund_credits AS rc
  WHERE rc.memo_count > 0
),
kinds AS (
  SELECT i.refund_id,
    bool_or(upper(i.item_type) = 'PRODUCT') AS has_product,
    string_agg(DISTINCT upper(i.item_type), ', ' ORDER BY upper(i.item_type)) AS item_types
  FROM run_bc_refund_items AS i
  GROUP BY i.refund_id
),
returned AS (
  SELECT i.refund_id,
    coalesce(upper(trim(p.sku)), '#' || i.item_id) AS sku_key,
    coalesce(any_value(p.sku), 'order product ' || i.item_id) AS sku,
    sum(coalesce(i.quantity, 0)) AS quantity
  FROM run_bc_refund_items AS i
  JOIN refunds AS r ON r.refund_id = i.refund_id
  LEFT JOIN run_bc_order_products AS p
    ON p.order_product_id = i.item_id AND p.order_id = r.order_id
  WHERE upper(i.item_type) = 'PRODUCT'
  GROUP BY i.refund_id, coalesce(upper(trim(p.sku)), '#' || i.item_id), i.item_id
),
restocked AS (
  SELECT r.refund_id,
    upper(trim(l.line_object_number)) AS sku_key,
    any_value(l.line_object_number) AS sku,
    sum(l.quantity) AS quantity
  FROM refunds AS r
  JOIN run_credit_memo_refs AS m ON m.ref_order_id = r.order_id AND m.ref_refund_id = r.refund_id
  JOIN run_erp_credit_memo_lines AS l ON l.document_id = m.id
  WHERE l.line_type = 'Item' AND coalesce(l.quantity, 0) <> 0
  GROUP BY r.refund_id, upper(trim(l.line_object_number))
),
compared AS (
  SELECT
    coalesce(ret.refund_id, res.refund_id) AS refund_id,
    coalesce(ret.sku, res.sku) AS sku,
    coalesce(ret.quantity, 0) AS expected,
    coalesce(res.quantity, 0) AS actual
  FROM returned AS ret
  FULL OUTER JOIN restocked AS res ON res.refund_id = ret.refund_id AND res.sku_key = ret.sku_key
)
SELECT
  r.order_id,
  c.refund_id,
  c.sku,
  CAST(NULL AS VARCHAR) AS location,
  r.memo_numbers AS document,
  c.expected,
  c.actual,
  'units' AS unit,
  CASE
    WHEN NOT coalesce(k.has_product, false) THEN
      format('Credit memo {} returns {} of SKU {} to stock, but refund {} on order {} refunds no products ({}), so nothing should return to stock.',
        r.memo_numbers, quantity_text(c.actual), c.sku, c.refund_id, r.order_id,
        coalesce(k.item_types, 'no items'))
    ELSE
      format('Credit memo {} returns {} of SKU {} to stock, but refund {} on order {} returned {}.',
        r.memo_numbers, quantity_text(c.actual), c.sku, c.refund_id, r.order_id,
        quantity_text(c.expected))
  END AS reason,
  json_object('bc_refunds', r.refund_raw, 'erp_credit_memos', r.memo_raws) AS evidence
FROM compared AS c
JOIN refunds AS r ON r.refund_id = c.refund_id
LEFT JOIN kinds AS k ON k.refund_id = c.refund_id
WHERE c.expected <> c.actual
