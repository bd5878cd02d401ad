-- BigCommerce inventory records of SKUs the ERP has no stock record for
-- at any location. expected is NULL, so the difference is the units
-- BigCommerce offers.
SELECT
  CAST(NULL AS BIGINT) AS order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  p.sku,
  p.location,
  CAST(NULL AS VARCHAR) AS document,
  CAST(NULL AS DECIMAL(18,4)) AS expected,
  p.bc_available AS actual,
  'units' AS unit,
  format('SKU {} at location {} shows {} available to sell in BigCommerce, but the ERP has no stock record for the SKU at any location.',
    p.sku, p.location, quantity_text(p.bc_available)) AS reason,
  json_object('bc_inventory', p.bc_raw) AS evidence
FROM run_stock_pairs AS p
WHERE NOT p.erp_knows_sku
