-- SKUs that several BigCommerce variants share, compared after trimming
-- and lower-casing, because BigCommerce treats SKUs as unique
-- case-insensitively. expected is 1 variant per SKU and actual the number
-- of variants sharing it.
SELECT
  CAST(NULL AS BIGINT) AS order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  lower(trim(v.sku)) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  CAST(NULL AS VARCHAR) AS document,
  1 AS expected,
  count(*) AS actual,
  'units' AS unit,
  format('{} variants share SKU {} when compared case-insensitively: {}.',
    count(*), lower(trim(v.sku)),
    string_agg(format('variant {} of product {} as {}', v.variant_id, v.product_id, v.sku), ', '
      ORDER BY v.variant_id)) AS reason,
  json_object('bc_variants', to_json(list(v.raw ORDER BY v.variant_id))) AS evidence
FROM run_bc_variants AS v
WHERE trim(coalesce(v.sku, '')) <> ''
GROUP BY lower(trim(v.sku))
HAVING count(*) > 1
