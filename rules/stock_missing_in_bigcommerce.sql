-- ERP stock records of SKUs that appear neither in BigCommerce's
-- inventory nor among its catalogue variants. actual is NULL, so the difference is
-- minus the units BigCommerce should offer.
SELECT
  CAST(NULL AS BIGINT) AS order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  p.sku,
  p.location,
  CAST(NULL AS VARCHAR) AS document,
  p.expected,
  CAST(NULL AS DECIMAL(18,4)) AS actual,
  'units' AS unit,
  format('The ERP has {} of SKU {} available to sell at location {}, but BigCommerce has no variant or inventory record with that SKU.',
    quantity_text(p.erp_available), p.sku, p.location) AS reason,
  json_object('erp_stock', p.erp_raw) AS evidence
FROM run_stock_pairs AS p
WHERE NOT p.bc_knows_sku
