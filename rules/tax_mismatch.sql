-- Orders whose ERP tax differs from the tax it should hold under the
-- configured method by more than the rounding tolerance, and orders whose
-- ERP sales order is in another currency. The latter have no actual
-- amount, because amounts in two currencies cannot be subtracted; the
-- reason gives the ERP amount. Orders whose expected tax cannot be
-- computed (see tax_expected.sql) are reported too, without an expected
-- amount.
WITH found AS (
  SELECT * FROM run_tax_comparison AS c
  WHERE c.bc_currency <> c.erp_currency
    OR abs(c.tax_difference) > c.tolerance
    OR c.expected_tax IS NULL
),
-- The evidence is gathered for the findings only. The IN filters keep
-- the joins below from hashing whole tables.
order_evidence AS (
  SELECT o.order_id, o.raw FROM run_bc_orders AS o
  WHERE o.order_id IN (SELECT order_id FROM found)
),
line_evidence AS (
  SELECT p.order_id, to_json(list(p.raw ORDER BY p.order_product_id)) AS raws
  FROM run_bc_order_products AS p
  WHERE p.order_id IN (SELECT order_id FROM found)
  GROUP BY p.order_id
),
sales_order_evidence AS (
  SELECT so.id, so.raw FROM run_erp_sales_orders AS so
  WHERE so.id IN (SELECT sales_order_id FROM found)
)
SELECT
  c.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  c.document,
  c.expected_tax AS expected,
  CASE WHEN c.bc_currency = c.erp_currency THEN c.erp_tax END AS actual,
  c.bc_currency AS unit,
  CASE
    WHEN c.expected_tax IS NULL THEN
      format('The tax order {} should carry cannot be computed under the configured method ({}): a tax-inclusive line is taxed at -100 %, or the tax does not fit 14 digits, so ERP sales order {}''s tax of {} {} is unchecked.',
        c.order_id, c.method, c.document, c.erp_currency, money_text(c.erp_tax))
    WHEN c.bc_currency <> c.erp_currency THEN
      format('Order {} is in {} in BigCommerce and should carry tax {} {}, but ERP sales order {} is in {} with tax {} {}; an empty ERP currencyCode means {}.',
        c.order_id, c.bc_currency, c.bc_currency, money_text(c.expected_tax),
        c.document, c.erp_currency, c.erp_currency, money_text(c.erp_tax),
        getvariable('local_currency'))
    ELSE
      format('Order {} should carry tax {} {} in the ERP ({}; BigCommerce shows {}), but ERP sales order {} has {} {}; the difference of {} exceeds the rounding tolerance of {} for {} taxed lines.',
        c.order_id, c.bc_currency, money_text(c.expected_tax), c.method, money_text(c.bc_tax),
        c.document, c.erp_currency, money_text(c.erp_tax), money_text(c.tax_difference),
        money_text(c.tolerance), c.taxed_lines)
  END AS reason,
  json_object('bc_orders', o.raw, 'bc_order_products', p.raws, 'erp_sales_orders', so.raw) AS evidence
FROM found AS c
LEFT JOIN order_evidence AS o ON o.order_id = c.order_id
LEFT JOIN line_evidence AS p ON p.order_id = c.order_id
LEFT JOIN sales_order_evidence AS so ON so.id = c.sales_order_id
