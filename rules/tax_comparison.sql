-- One row per BigCommerce order of the run that has an ERP sales order
-- (externalDocumentNumber = order id), with both tax totals side by side.
-- BigCommerce tax is rounded to the currency precision with DuckDB's ROUND,
-- which on DECIMAL rounds half away from zero. ROUND_EVEN is not used
-- because it converts DECIMAL to DOUBLE. A taxed line is a product line
-- with non-zero tax, or the shipping when its tax is non-zero; each may
-- round by up to getvariable('tax_line_tolerance').
WITH lines AS (
  SELECT
    order_id,
    count(*) FILTER (WHERE coalesce(total_tax, 0) <> 0) AS taxed_product_lines,
    to_json(list(raw ORDER BY order_product_id)) AS line_raws
  FROM run_bc_order_products
  GROUP BY order_id
),
compared AS (
  SELECT
    o.order_id,
    so.number AS document,
    coalesce(nullif(upper(trim(o.default_currency_code)), ''),
      getvariable('local_currency')) AS bc_currency,
    coalesce(nullif(upper(trim(so.currency_code)), ''),
      getvariable('local_currency')) AS erp_currency,
    coalesce(o.total_tax, 0) AS bc_tax_raw,
    ROUND(coalesce(o.total_tax, 0), getvariable('currency_digits')) AS bc_tax,
    coalesce(so.total_tax_amount, 0) AS erp_tax,
    coalesce(l.taxed_product_lines, 0)
      + CASE WHEN coalesce(o.shipping_cost_tax, 0) <> 0 THEN 1 ELSE 0 END AS taxed_lines,
    o.raw AS order_raw,
    l.line_raws,
    so.raw AS sales_order_raw
  FROM run_bc_orders AS o
  JOIN run_erp_sales_orders AS so
    ON TRY_CAST(trim(so.external_document_number) AS BIGINT) = o.order_id
  LEFT JOIN lines AS l ON l.order_id = o.order_id
)
SELECT
  c.*,
  c.erp_tax - c.bc_tax AS tax_difference,
  CAST(c.taxed_lines * getvariable('tax_line_tolerance') AS DECIMAL(18,4)) AS tolerance,
  json_object('bc_orders', c.order_raw, 'bc_order_products', c.line_raws,
    'erp_sales_orders', c.sales_order_raw) AS evidence
FROM compared AS c
