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
-- Lines are filtered before they are grouped, so the JSON evidence is
-- built for unmapped lines only; grouping every line first ran out of
-- memory on large businesses.
unmapped AS (
  SELECT p.*, nullif(upper(trim(p.sku)), '') AS sku_key
  FROM run_bc_order_products AS p
  WHERE nullif(upper(trim(p.sku)), '') IS NULL
    OR NOT EXISTS (SELECT 1 FROM erp_items AS e WHERE e.item_key = upper(trim(p.sku)))
),
lines AS (
  SELECT
    order_id,
    sku_key,
    min(nullif(trim(sku), '')) AS sku,
    sum(coalesce(quantity, 0)) AS quantity,
    string_agg(CAST(order_product_id AS VARCHAR), ', ' ORDER BY order_product_id) AS line_ids,
    to_json(list(raw ORDER BY order_product_id)) AS raws
  FROM unmapped
  GROUP BY order_id, sku_key
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
  json_object('bc_order_products', l.raws) AS evidence
FROM lines AS l
