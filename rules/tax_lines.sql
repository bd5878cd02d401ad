-- The taxable lines of the run's BigCommerce orders that have an ERP
-- sales order (externalDocumentNumber = order id): every product line and
-- the shipping when it is non-zero. Each line carries its net and gross
-- amounts, BigCommerce's tax on it, and the taxPercent of the matching
-- ERP line: the Item line of the same SKU (case-insensitive) or the
-- Account line on getvariable('erp_shipping_account'), with line types
-- compared case-insensitively. When the ERP books one SKU on several
-- lines at different rates, SKU alone cannot match its lines, so they get
-- no ERP rate and take BigCommerce's.
--
-- NOTE: the net is total_ex_tax, before order-level discounts, because
-- the snapshot does not keep the discounts BigCommerce applied per line.
WITH so AS (
  SELECT TRY_CAST(trim(external_document_number) AS BIGINT) AS order_id, id
  FROM run_erp_sales_orders
),
erp_rates AS (
  SELECT
    so.order_id,
    CASE WHEN lower(trim(l.line_type)) = 'item' THEN 'I:' || upper(trim(l.line_object_number)) ELSE 'S' END AS line_key,
    CASE WHEN min(l.tax_percent) = max(l.tax_percent) THEN min(l.tax_percent) END AS tax_percent
  FROM run_erp_sales_order_lines AS l
  JOIN so ON so.id = l.document_id
  WHERE l.tax_percent IS NOT NULL
    AND (lower(trim(l.line_type)) = 'item'
      OR (lower(trim(l.line_type)) = 'account'
        AND trim(l.line_object_number) = getvariable('erp_shipping_account')))
  GROUP BY ALL
),
orders AS (
  SELECT o.*
  FROM run_bc_orders AS o
  WHERE o.order_id IN (SELECT order_id FROM so)
),
lines AS (
  SELECT o.order_id, o.is_tax_inclusive_pricing AS inclusive,
    p.total_ex_tax AS net, p.total_inc_tax AS gross, p.total_tax AS bc_tax,
    'I:' || upper(trim(p.sku)) AS line_key
  FROM orders AS o
  JOIN run_bc_order_products AS p ON p.order_id = o.order_id
  UNION ALL
  SELECT o.order_id, o.is_tax_inclusive_pricing,
    o.shipping_cost_ex_tax, o.shipping_cost_inc_tax, o.shipping_cost_tax, 'S'
  FROM orders AS o
  WHERE coalesce(o.shipping_cost_ex_tax, 0) <> 0 OR coalesce(o.shipping_cost_inc_tax, 0) <> 0
)
SELECT l.order_id, coalesce(l.inclusive, false) AS inclusive, l.net, l.gross, l.bc_tax, r.tax_percent
FROM lines AS l
LEFT JOIN erp_rates AS r ON r.order_id = l.order_id AND r.line_key = l.line_key
