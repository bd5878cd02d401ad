-- Orders whose WMS shipments and BigCommerce shipments disagree on the
-- units shipped per SKU, and orders BigCommerce marks fully shipped
-- (status_id 2 Shipped or 10 Completed) of which the WMS shipped some
-- lines but not all their units. SKUs match after trimming,
-- case-insensitively; a BigCommerce shipment item takes its SKU from its
-- order product.
--
-- Only orders with WMS rows are compared, and only once their latest WMS
-- row is more than getvariable('dispatch_grace_hours') before the as-of
-- time, because BigCommerce may still be catching up. The shipment
-- comparison skips WMS rows whose tracking number no BigCommerce
-- shipment of the order carries: dispatch.not_in_bigcommerce reports
-- those. The fully-shipped check counts every WMS row, and orders only
-- physical lines (type physical or empty).
--
-- expected is the WMS units and actual the BigCommerce units: those of
-- its shipments, or the units ordered when the order is marked fully
-- shipped and the WMS shipped fewer.
WITH as_of AS (
  SELECT coalesce(
    (SELECT max(s.extracted_at) FROM snapshots AS s
      WHERE s.snapshot_id IN (SELECT DISTINCT snapshot_id FROM run_bc_orders)),
    (SELECT max(s.extracted_at) FROM snapshots AS s
      WHERE s.snapshot_id IN (SELECT DISTINCT snapshot_id FROM run_wms_fulfilments))) AS at
),
bc_tracking AS (
  SELECT DISTINCT order_id, upper(trim(tracking_number)) AS tracking_key
  FROM run_bc_shipments
  WHERE coalesce(trim(tracking_number), '') <> ''
),
wms AS (
  SELECT
    w.order_id, w.sku_key, w.sku, w.quantity, w.shipped_at,
    w.tracking_key IS NULL OR t.order_id IS NOT NULL AS known
  FROM (
    SELECT
      TRY_CAST(trim(f.order_reference) AS BIGINT) AS order_id,
      upper(trim(f.sku)) AS sku_key,
      f.sku,
      f.quantity,
      f.shipped_at,
      nullif(upper(trim(f.tracking_number)), '') AS tracking_key
    FROM run_wms_fulfilments AS f
  ) AS w
  LEFT JOIN bc_tracking AS t ON t.order_id = w.order_id AND t.tracking_key = w.tracking_key
),
settled AS (
  SELECT w.order_id
  FROM wms AS w
  CROSS JOIN as_of
  WHERE w.order_id IS NOT NULL
  GROUP BY w.order_id, as_of.at
  HAVING max(w.shipped_at) < as_of.at - to_hours(getvariable('dispatch_grace_hours'))
),
orders AS (
  SELECT o.order_id, o.status, o.status_id, o.status_id IN (2, 10) AS fully_shipped
  FROM run_bc_orders AS o
  WHERE o.order_id IN (SELECT order_id FROM settled)
),
-- Each order's units per SKU from the three sources, summed in one
-- aggregation: rows from the WMS (w), BigCommerce's order lines (l) and
-- its shipment items (b). flag is whether a WMS row's tracking number is
-- known to BigCommerce, and whether an order line is physical. Grouping
-- by sku_key groups a NULL SKU with itself.
units AS (
  SELECT w.order_id, w.sku_key, 'w' AS source, w.known AS flag,
    coalesce(w.quantity, 0) AS quantity
  FROM wms AS w
  WHERE w.order_id IN (SELECT order_id FROM orders)
  UNION ALL
  SELECT p.order_id, upper(trim(p.sku)), 'l',
    coalesce(lower(trim(p.type)), '') IN ('physical', ''),
    coalesce(p.quantity, 0)
  FROM run_bc_order_products AS p
  WHERE p.order_id IN (SELECT order_id FROM orders)
  UNION ALL
  SELECT i.order_id, upper(trim(p.sku)), 'b', NULL, coalesce(i.quantity, 0)
  FROM run_bc_shipment_items AS i
  JOIN run_bc_order_products AS p
    ON p.order_product_id = i.order_product_id AND p.order_id = i.order_id
  WHERE i.order_id IN (SELECT order_id FROM orders)
),
paired AS (
  SELECT
    u.order_id,
    u.sku_key,
    coalesce(sum(u.quantity) FILTER (WHERE u.source = 'w' AND u.flag), 0) AS known_units,
    coalesce(sum(u.quantity) FILTER (WHERE u.source = 'w'), 0) AS all_units,
    coalesce(sum(u.quantity) FILTER (WHERE u.source = 'b'), 0) AS bc_units,
    coalesce(sum(u.quantity) FILTER (WHERE u.source = 'l' AND u.flag), 0) AS ordered
  FROM units AS u
  GROUP BY u.order_id, u.sku_key
),
drift AS (
  SELECT p.*, o.fully_shipped, o.status, o.status_id
  FROM paired AS p
  JOIN orders AS o ON o.order_id = p.order_id
  WHERE p.known_units <> p.bc_units
    OR (o.fully_shipped AND p.all_units < p.ordered)
),
-- The evidence is gathered for the findings' orders only, because
-- gathering it for every order dominated the rule's run time on large
-- businesses.
order_evidence AS (
  SELECT o.order_id, o.raw FROM run_bc_orders AS o
  WHERE o.order_id IN (SELECT order_id FROM drift)
),
wms_evidence AS (
  SELECT TRY_CAST(trim(f.order_reference) AS BIGINT) AS order_id, upper(trim(f.sku)) AS sku_key,
    min(trim(f.sku)) AS sku, to_json(list(f.raw ORDER BY f.shipment_id)) AS raws
  FROM run_wms_fulfilments AS f
  WHERE TRY_CAST(trim(f.order_reference) AS BIGINT) IN (SELECT order_id FROM drift)
  GROUP BY ALL
),
line_evidence AS (
  SELECT x.order_id, upper(trim(x.sku)) AS sku_key,
    min(trim(x.sku)) AS sku, to_json(list(x.raw ORDER BY x.order_product_id)) AS raws
  FROM run_bc_order_products AS x
  WHERE x.order_id IN (SELECT order_id FROM drift)
  GROUP BY ALL
),
shipment_evidence AS (
  SELECT i.order_id, upper(trim(x.sku)) AS sku_key, to_json(list(DISTINCT s.raw)) AS raws
  FROM run_bc_shipment_items AS i
  JOIN run_bc_order_products AS x
    ON x.order_product_id = i.order_product_id AND x.order_id = i.order_id
  JOIN run_bc_shipments AS s ON s.shipment_id = i.shipment_id AND s.order_id = i.order_id
  WHERE i.order_id IN (SELECT order_id FROM drift)
  GROUP BY ALL
)
SELECT
  p.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  coalesce(wf.sku, op.sku) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  CAST(NULL AS VARCHAR) AS document,
  CASE WHEN p.known_units <> p.bc_units THEN p.known_units ELSE p.all_units END AS expected,
  CASE WHEN p.known_units <> p.bc_units THEN p.bc_units ELSE p.ordered END AS actual,
  'units' AS unit,
  CASE
    WHEN p.known_units <> p.bc_units THEN
      format('The WMS shipped {} {} of SKU {} on order {}, but BigCommerce shipments record {}.',
        quantity_text(p.known_units), CASE WHEN p.known_units = 1 THEN 'unit' ELSE 'units' END, coalesce(wf.sku, op.sku), p.order_id, quantity_text(p.bc_units))
    ELSE
      format('BigCommerce marks order {} {} ({}), fully shipped, with {} {} of SKU {} ordered, but the WMS shipped {} of them.',
        p.order_id, coalesce(nullif(p.status, ''), 'unnamed'), p.status_id,
        quantity_text(p.ordered), CASE WHEN p.ordered = 1 THEN 'unit' ELSE 'units' END, coalesce(wf.sku, op.sku), quantity_text(p.all_units))
  END AS reason,
  json_object(
    'wms_fulfilments', wf.raws,
    'bc_orders', o.raw,
    'bc_order_products', op.raws,
    'bc_shipments', sh.raws) AS evidence
FROM drift AS p
LEFT JOIN order_evidence AS o ON o.order_id = p.order_id
LEFT JOIN wms_evidence AS wf ON wf.order_id = p.order_id AND wf.sku_key IS NOT DISTINCT FROM p.sku_key
LEFT JOIN line_evidence AS op ON op.order_id = p.order_id AND op.sku_key IS NOT DISTINCT FROM p.sku_key
LEFT JOIN shipment_evidence AS sh ON sh.order_id = p.order_id AND sh.sku_key IS NOT DISTINCT FROM p.sku_key
