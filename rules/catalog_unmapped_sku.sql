-- BigCommerce order lines whose SKU names no ERP item, one finding per
-- order and SKU with the quantity ordered as actual. The ERP exports no
-- item list, so its items are the itemNumber values of the stock export
-- and the lineObjectNumber values of Item lines on its sales orders.
-- SKUs are compared after trimming and upper-casing, as in stock.mismatch.
-- A line without a SKU maps to nothing and is reported with sku NULL.
WITH erp_items AS (
  SELECT upper(trim(item_number)) AS item_key
  FROM run_erp_stock
  UNION
  SELECT upper(trim(line_object_number))
  FROM run_erp_sales_order_lines
  WHERE lower(trim(line_type)) = 'item'
),
-- Lines are filtered without their records before they are grouped,
-- because grouping every line, or a NOT EXISTS beside an OR, made DuckDB
-- copy every line with its record and run out of memory on large
-- businesses. The SKU key of an empty SKU is NULL, so the anti-join
-- keeps it.
unmapped AS (
  SELECT p.order_id, p.order_product_id, p.sku, p.quantity, p.sku_key
  FROM (
    SELECT order_id, order_product_id, sku, quantity, nullif(upper(trim(sku)), '') AS sku_key
    FROM run_bc_order_products
  ) AS p
  LEFT JOIN erp_items AS e ON e.item_key = p.sku_key
  WHERE e.item_key IS NULL
),
lines AS (
  SELECT
    order_id,
    sku_key,
    min(nullif(trim(sku), '')) AS sku,
    sum(coalesce(quantity, 0)) AS quantity,
    string_agg(CAST(order_product_id AS VARCHAR), ', ' ORDER BY order_product_id) AS line_ids
  FROM unmapped
  GROUP BY order_id, sku_key
),
line_evidence AS (
  SELECT p.order_id, nullif(upper(trim(p.sku)), '') AS sku_key,
    to_json(list(p.raw ORDER BY p.order_product_id)) AS raws
  FROM run_bc_order_products AS p
  WHERE p.order_id IN (SELECT order_id FROM lines)
  GROUP BY ALL
)
SELECT
  l.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  l.sku,
  CAST(NULL AS VARCHAR) AS location,
  CAST(NULL AS VARCHAR) AS document,
  CAST(NULL AS BIGINT) AS expected,
  l.quantity AS actual,
  'units' AS unit,
  CASE
    WHEN l.sku_key IS NULL THEN
      format('Order {} has order lines {} without a SKU (quantity {}), so they map to no ERP item.',
        l.order_id, l.line_ids, quantity_text(l.quantity))
    ELSE
      format('Order {} orders SKU {} (quantity {}, order lines {}), but the ERP has no item {} in its stock export or on any sales order line.',
        l.order_id, l.sku, quantity_text(l.quantity), l.line_ids, l.sku)
  END AS reason,
  json_object('bc_order_products', e.raws) AS evidence
FROM lines AS l
LEFT JOIN line_evidence AS e ON e.order_id = l.order_id AND e.sku_key IS NOT DISTINCT FROM l.sku_key
