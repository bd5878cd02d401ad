-- Orders whose ERP tax differs from the tax it should hold under the
-- configured method by a non-zero amount within the rounding tolerance:
-- the number of taxed lines times the per-line tolerance. Orders in
-- different currencies are left to tax.mismatch.
SELECT
  c.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  c.document,
  c.expected_tax AS expected,
  c.erp_tax AS actual,
  c.bc_currency AS unit,
  format('Order {} should carry tax {} {} in the ERP ({}; BigCommerce shows {}), and ERP sales order {} has {} {}; the difference of {} is within the rounding tolerance of {} for {} taxed lines.',
    c.order_id, c.bc_currency, money_text(c.expected_tax), c.method, money_text(c.bc_tax),
    c.document, c.erp_currency, money_text(c.erp_tax), money_text(c.tax_difference),
    money_text(c.tolerance), c.taxed_lines) AS reason,
  json_object('bc_orders', c.order_raw,
    'bc_order_products', (SELECT to_json(list(p.raw ORDER BY p.order_product_id))
      FROM run_bc_order_products AS p WHERE p.order_id = c.order_id),
    'erp_sales_orders', c.sales_order_raw) AS evidence
FROM run_tax_comparison AS c
WHERE c.bc_currency = c.erp_currency
  AND c.tax_difference <> 0
  AND abs(c.tax_difference) <= c.tolerance
