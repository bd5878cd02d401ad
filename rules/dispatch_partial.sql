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
    f.*,
    TRY_CAST(trim(f.order_reference) AS BIGINT) AS order_id,
    upper(trim(f.sku)) AS sku_key,
    coalesce(trim(f.tracking_number), '') = ''
      OR EXISTS (SELECT 1 FROM bc_tracking AS t
        WHERE t.order_id = TRY_CAST(trim(f.order_reference) AS BIGINT)
          AND t.tracking_key = upper(trim(f.tracking_number))) AS known
  FROM run_wms_fulfilments AS f
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
  SELECT o.*, o.status_id IN (2, 10) AS fully_shipped
  FROM run_bc_orders AS o
  WHERE o.order_id IN (SELECT order_id FROM settled)
),
wms_units AS (
  SELECT
    order_id, sku_key,
    any_value(trim(sku)) AS sku,
    sum(coalesce(quantity, 0)) FILTER (WHERE known) AS known_units,
    sum(coalesce(quantity, 0)) AS all_units
  FROM wms
  WHERE order_id IN (SELECT order_id FROM orders)
  GROUP BY order_id, sku_key
),
lines AS (
  SELECT
    p.order_id,
    upper(trim(p.sku)) AS sku_key,
    any_value(trim(p.sku)) AS sku,
    sum(coalesce(p.quantity, 0)) FILTER (WHERE coalesce(lower(trim(p.type)), '') IN ('physical', '')) AS ordered
  FROM run_bc_order_products AS p
  WHERE p.order_id IN (SELECT order_id FROM orders)
  GROUP BY p.order_id, upper(trim(p.sku))
),
bc_units AS (
  SELECT
    i.order_id,
    upper(trim(p.sku)) AS sku_key,
    sum(coalesce(i.quantity, 0)) AS units
  FROM run_bc_shipment_items AS i
  JOIN run_bc_order_products AS p
    ON p.order_product_id = i.order_product_id AND p.order_id = i.order_id
  WHERE i.order_id IN (SELECT order_id FROM orders)
  GROUP BY i.order_id, upper(trim(p.sku))
),
paired AS (
  SELECT
    o.order_id,
    coalesce(w.sku, l.sku) AS sku,
    o.fully_shipped,
    o.status,
    o.status_id,
    coalesce(w.known_units, 0) AS known_units,
    coalesce(w.all_units, 0) AS all_units,
    coalesce(b.units, 0) AS bc_units,
    coalesce(l.ordered, 0) AS ordered,
    k.sku_key,
    o.raw AS order_raw
  FROM orders AS o
  JOIN (
    SELECT order_id, sku_key FROM wms_units
    UNION SELECT order_id, sku_key FROM lines
    UNION SELECT order_id, sku_key FROM bc_units
  ) AS k ON k.order_id = o.order_id
  LEFT JOIN wms_units AS w ON w.order_id = k.order_id AND w.sku_key IS NOT DISTINCT FROM k.sku_key
  LEFT JOIN lines AS l ON l.order_id = k.order_id AND l.sku_key IS NOT DISTINCT FROM k.sku_key
  LEFT JOIN bc_units AS b ON b.order_id = k.order_id AND b.sku_key IS NOT DISTINCT FROM k.sku_key
)
SELECT
  p.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  p.sku,
  CAST(NULL AS VARCHAR) AS location,
  CAST(NULL AS VARCHAR) AS document,
  CASE WHEN p.known_units <> p.bc_units THEN p.known_units ELSE p.all_units END AS expected,
  CASE WHEN p.known_units <> p.bc_units THEN p.bc_units ELSE p.ordered END AS actual,
  'units' AS unit,
  CASE
    WHEN p.known_units <> p.bc_units THEN
      format('The WMS shipped {} {} of SKU {} on order {}, but BigCommerce shipments record {}.',
        quantity_text(p.known_units), CASE WHEN p.known_units = 1 THEN 'unit' ELSE 'units' END, p.sku, p.order_id, quantity_text(p.bc_units))
    ELSE
      format('BigCommerce marks order {} {} ({}), fully shipped, with {} {} of SKU {} ordered, but the WMS shipped {} of them.',
        p.order_id, coalesce(nullif(p.status, ''), 'unnamed'), p.status_id,
        quantity_text(p.ordered), CASE WHEN p.ordered = 1 THEN 'unit' ELSE 'units' END, p.sku, quantity_text(p.all_units))
  END AS reason,
  -- The evidence is gathered for the findings only, because building it
  -- for every order dominated the rule's run time on large businesses.
  json_object(
    'wms_fulfilments', (SELECT to_json(list(f.raw ORDER BY f.shipment_id))
      FROM run_wms_fulfilments AS f
      WHERE TRY_CAST(trim(f.order_reference) AS BIGINT) = p.order_id
        AND upper(trim(f.sku)) IS NOT DISTINCT FROM p.sku_key),
    'bc_orders', p.order_raw,
    'bc_order_products', (SELECT to_json(list(x.raw ORDER BY x.order_product_id))
      FROM run_bc_order_products AS x
      WHERE x.order_id = p.order_id AND upper(trim(x.sku)) IS NOT DISTINCT FROM p.sku_key),
    'bc_shipments', (SELECT to_json(list(DISTINCT s.raw))
      FROM run_bc_shipment_items AS i
      JOIN run_bc_order_products AS x
        ON x.order_product_id = i.order_product_id AND x.order_id = i.order_id
      JOIN run_bc_shipments AS s ON s.shipment_id = i.shipment_id AND s.order_id = i.order_id
      WHERE i.order_id = p.order_id AND upper(trim(x.sku)) IS NOT DISTINCT FROM p.sku_key)) AS evidence
FROM paired AS p
WHERE p.known_units <> p.bc_units
  OR (p.fully_shipped AND p.all_units < p.ordered)
