-- BigCommerce available_to_sell per SKU and location against the ERP's
-- availableToSell less getvariable('stock_buffer'), floored at zero
-- because the storefront cannot offer fewer than zero units. SKUs and
-- location codes match case-insensitively. A pair missing on one side
-- counts as zero there. Pairs only the ERP has are reported only when
-- BigCommerce knows both the SKU and the location code, so that items and
-- locations the storefront does not sell raise nothing.
WITH bc AS (
  SELECT *, upper(trim(sku)) AS sku_key, upper(trim(location_code)) AS location_key
  FROM run_bc_inventory
),
erp AS (
  SELECT *, upper(trim(item_number)) AS sku_key, upper(trim(location_code)) AS location_key
  FROM run_erp_stock
),
paired AS (
  SELECT
    coalesce(bc.sku, erp.item_number) AS sku,
    coalesce(bc.location_code, erp.location_code) AS location,
    coalesce(bc.sku_key, erp.sku_key) AS sku_key,
    coalesce(bc.location_key, erp.location_key) AS location_key,
    erp.available_to_sell AS erp_available,
    greatest(coalesce(erp.available_to_sell, 0) - getvariable('stock_buffer'), 0) AS expected,
    coalesce(bc.available_to_sell, 0) AS actual,
    bc.sku_key IS NULL AS bc_missing,
    erp.sku_key IS NULL AS erp_missing,
    bc.raw AS bc_raw,
    erp.raw AS erp_raw
  FROM bc
  FULL OUTER JOIN erp ON bc.sku_key = erp.sku_key AND bc.location_key = erp.location_key
)
SELECT
  CAST(NULL AS BIGINT) AS order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  p.sku,
  p.location,
  CAST(NULL AS VARCHAR) AS document,
  p.expected,
  p.actual,
  'units' AS unit,
  CASE
    WHEN p.erp_missing THEN
      format('SKU {} at location {} shows {} available to sell in BigCommerce, but the ERP has no stock record for it there.',
        p.sku, p.location, quantity_text(p.actual))
    WHEN p.bc_missing THEN
      format('BigCommerce has no inventory record for SKU {} at location {}, but the ERP has {} available to sell, less a buffer of {}, so {} were expected.',
        p.sku, p.location, quantity_text(p.erp_available), getvariable('stock_buffer'),
        quantity_text(p.expected))
    ELSE
      format('SKU {} at location {} shows {} available to sell in BigCommerce, but the ERP has {} available, less a buffer of {}, so {} were expected.',
        p.sku, p.location, quantity_text(p.actual), quantity_text(p.erp_available),
        getvariable('stock_buffer'), quantity_text(p.expected))
  END AS reason,
  json_object('bc_inventory', p.bc_raw, 'erp_stock', p.erp_raw) AS evidence
FROM paired AS p
WHERE p.expected <> p.actual
  AND (NOT p.bc_missing
    OR (p.sku_key IN (SELECT sku_key FROM bc) AND p.location_key IN (SELECT location_key FROM bc)))
