-- One row per SKU and location in BigCommerce's inventory, the ERP's
-- stock, or both, matched case-insensitively on SKU and on the ERP
-- location code. A BigCommerce location maps to the ERP code that
-- getvariable('stock_location_map') gives for its code or id, or else
-- to its own code.
--
-- expected is what BigCommerce should offer: the ERP's availableToSell,
-- less getvariable('stock_buffer'), less the units of BigCommerce order
-- lines placed after the ERP row's as_of and at or before the BigCommerce
-- snapshot's extracted_at, because the ERP had not allocated them yet.
-- It is floored at zero. An order reserves stock unless it is
-- Incomplete, Pending, Cancelled or Declined (status_id 0, 1, 5, 6).
-- Its units count at the location whose code is the WMS warehouse that
-- shipped it, or else at BigCommerce's default location, id 1, mapped
-- like any other location.
--
-- bc_knows_sku and erp_knows_sku report whether either side has the SKU at
-- any location; BigCommerce also has the SKUs of its catalogue
-- variants.
WITH bc_snapshot AS (
  SELECT max(s.extracted_at) AS extracted_at
  FROM snapshots AS s
  WHERE s.snapshot_id IN (SELECT snapshot_id FROM run_bc_orders
    UNION SELECT snapshot_id FROM run_bc_inventory)
),
bc_locations AS (
  SELECT DISTINCT location_id, location_code AS code FROM run_bc_inventory
  UNION
  SELECT location_id, code FROM run_bc_locations
),
mapped_locations AS (
  SELECT location_id, code,
    upper(trim(coalesce(
      json_extract_string(getvariable('stock_location_map'), '$."' || replace(upper(trim(code)), '"', '') || '"'),
      json_extract_string(getvariable('stock_location_map'), '$."' || location_id || '"'),
      code))) AS location_key
  FROM bc_locations
),
bc AS (
  SELECT i.*, upper(trim(i.sku)) AS sku_key,
    coalesce(ml.location_key, upper(trim(i.location_code))) AS location_key
  FROM run_bc_inventory AS i
  LEFT JOIN mapped_locations AS ml ON ml.location_id = i.location_id AND ml.code IS NOT DISTINCT FROM i.location_code
),
erp AS (
  SELECT *, upper(trim(item_number)) AS sku_key, upper(trim(location_code)) AS location_key
  FROM run_erp_stock
),
shipped_from AS (
  SELECT TRY_CAST(trim(order_reference) AS BIGINT) AS order_id, min(trim(warehouse)) AS warehouse
  FROM run_wms_fulfilments
  GROUP BY ALL
),
order_locations AS (
  SELECT o.order_id, o.date_created,
    coalesce(
      (SELECT min(ml.location_key) FROM mapped_locations AS ml
        WHERE upper(trim(ml.code)) = upper(sf.warehouse)),
      upper(sf.warehouse),
      (SELECT min(ml.location_key) FROM mapped_locations AS ml WHERE ml.location_id = 1)) AS location_key
  FROM run_bc_orders AS o
  LEFT JOIN shipped_from AS sf ON sf.order_id = o.order_id
  WHERE o.status_id NOT IN (0, 1, 5, 6)
    AND o.date_created <= (SELECT extracted_at FROM bc_snapshot)
    -- Only orders after the earliest ERP as_of can count, and testing
    -- that first keeps the join below from pairing every order with
    -- every ERP row of its location.
    AND o.date_created > (SELECT min(as_of) FROM erp)
),
unallocated AS (
  SELECT e.sku_key, e.location_key,
    sum(p.quantity) AS quantity,
    array_to_string(list_sort(list(DISTINCT ol.order_id)), ', ') AS order_ids
  -- One row per SKU and location key, so that ERP items whose numbers
  -- differ only in case count each order once.
  FROM (SELECT sku_key, location_key, max(as_of) AS as_of FROM erp GROUP BY ALL) AS e
  JOIN order_locations AS ol ON ol.location_key = e.location_key AND ol.date_created > e.as_of
  JOIN run_bc_order_products AS p
    ON p.order_id = ol.order_id AND upper(trim(p.sku)) = e.sku_key
  GROUP BY e.sku_key, e.location_key
),
known_bc AS (
  SELECT sku_key FROM bc
  UNION
  SELECT upper(trim(sku)) FROM run_bc_variants
),
known_erp AS (
  SELECT DISTINCT sku_key FROM erp
)
SELECT
  coalesce(bc.sku, erp.item_number) AS sku,
  coalesce(bc.location_code, erp.location_code) AS location,
  coalesce(bc.sku_key, erp.sku_key) AS sku_key,
  coalesce(bc.location_key, erp.location_key) AS location_key,
  erp.available_to_sell AS erp_available,
  coalesce(u.quantity, 0) AS unallocated,
  u.order_ids AS unallocated_orders,
  greatest(coalesce(erp.available_to_sell, 0) - getvariable('stock_buffer')
    - coalesce(u.quantity, 0), 0) AS expected,
  bc.available_to_sell AS bc_available,
  bc.sku_key IS NULL AS bc_missing,
  erp.sku_key IS NULL AS erp_missing,
  coalesce(bc.sku_key, erp.sku_key) IN (SELECT sku_key FROM known_bc) AS bc_knows_sku,
  coalesce(bc.sku_key, erp.sku_key) IN (SELECT sku_key FROM known_erp) AS erp_knows_sku,
  coalesce(bc.location_key, erp.location_key) IN (SELECT location_key FROM bc) AS bc_knows_location,
  bc.raw AS bc_raw,
  erp.raw AS erp_raw
FROM bc
FULL OUTER JOIN erp ON bc.sku_key = erp.sku_key AND bc.location_key = erp.location_key
LEFT JOIN unallocated AS u ON u.sku_key = erp.sku_key AND u.location_key = erp.location_key
