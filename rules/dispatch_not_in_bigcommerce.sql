-- WMS shipments with a tracking number, shipped more than
-- getvariable('dispatch_grace_hours') before the as-of time, that
-- BigCommerce has not recorded: the order is missing, none of its
-- shipments carries the tracking number, or its status_id is not in
-- getvariable('shipped_statuses'). Tracking numbers match after trimming,
-- case-insensitively, on any shipment of the same order. The as-of time is
-- the extracted_at of the BigCommerce snapshot, or of the WMS snapshot
-- when BigCommerce has no orders in the run. expected is the units the
-- WMS shipped under the tracking number and actual the units of the
-- BigCommerce shipments that carry it, NULL when there are none. WMS
-- rows group by tracking number and order reference: a number as an
-- order id, any other reference by its trimmed text.
--
-- NOTE: two references that are not numbers but share a tracking number
-- give two findings with one fingerprint, because the fingerprint keeps
-- the order id, which both lack.
WITH as_of AS (
  SELECT coalesce(
    (SELECT max(s.extracted_at) FROM snapshots AS s
      WHERE s.snapshot_id IN (SELECT DISTINCT snapshot_id FROM run_bc_orders)),
    (SELECT max(s.extracted_at) FROM snapshots AS s
      WHERE s.snapshot_id IN (SELECT DISTINCT snapshot_id FROM run_wms_fulfilments))) AS at
),
parcels AS (
  SELECT
    any_value(TRY_CAST(trim(f.order_reference) AS BIGINT)) AS order_id,
    coalesce(CAST(TRY_CAST(trim(f.order_reference) AS BIGINT) AS VARCHAR), trim(f.order_reference)) AS reference_key,
    any_value(trim(f.order_reference)) AS order_reference,
    upper(trim(f.tracking_number)) AS tracking_key,
    any_value(trim(f.tracking_number)) AS tracking_number,
    sum(coalesce(f.quantity, 0)) AS quantity,
    max(f.shipped_at) AS shipped_at
  FROM run_wms_fulfilments AS f
  WHERE coalesce(trim(f.tracking_number), '') <> ''
  GROUP BY coalesce(CAST(TRY_CAST(trim(f.order_reference) AS BIGINT) AS VARCHAR), trim(f.order_reference)),
    upper(trim(f.tracking_number))
  HAVING max(f.shipped_at) < (SELECT as_of.at FROM as_of) - to_hours(getvariable('dispatch_grace_hours'))
),
bc_parcels AS (
  SELECT
    s.order_id,
    upper(trim(s.tracking_number)) AS tracking_key,
    sum(i.quantity) AS quantity
  FROM run_bc_shipments AS s
  LEFT JOIN (
    SELECT shipment_id, order_id, sum(coalesce(quantity, 0)) AS quantity
    FROM run_bc_shipment_items
    GROUP BY shipment_id, order_id
  ) AS i ON i.shipment_id = s.shipment_id AND i.order_id = s.order_id
  WHERE coalesce(trim(s.tracking_number), '') <> ''
  GROUP BY s.order_id, upper(trim(s.tracking_number))
),
-- The parcels BigCommerce has not recorded, without their evidence,
-- which the CTEs after it gather for these findings only, because
-- gathering it for every parcel ran out of memory on large businesses.
unrecorded AS (
  SELECT p.*, o.order_id AS bc_order_id, o.status, o.status_id,
    b.tracking_key AS bc_tracking_key, b.quantity AS bc_quantity
  FROM parcels AS p
  LEFT JOIN run_bc_orders AS o ON o.order_id = p.order_id
  LEFT JOIN bc_parcels AS b ON b.order_id = p.order_id AND b.tracking_key = p.tracking_key
  WHERE o.order_id IS NULL
    OR b.tracking_key IS NULL
    OR NOT list_contains(getvariable('shipped_statuses'), o.status_id)
),
order_tracking AS (
  SELECT order_id, string_agg(DISTINCT trim(tracking_number), ', ' ORDER BY trim(tracking_number)) AS numbers
  FROM run_bc_shipments
  WHERE coalesce(trim(tracking_number), '') <> ''
    AND order_id IN (SELECT order_id FROM unrecorded)
  GROUP BY order_id
),
order_evidence AS (
  SELECT o.order_id, o.raw FROM run_bc_orders AS o
  WHERE o.order_id IN (SELECT order_id FROM unrecorded)
),
wms_evidence AS (
  SELECT coalesce(CAST(TRY_CAST(trim(f.order_reference) AS BIGINT) AS VARCHAR), trim(f.order_reference)) AS reference_key,
    upper(trim(f.tracking_number)) AS tracking_key,
    to_json(list(f.raw ORDER BY f.shipment_id, f.sku)) AS raws
  FROM run_wms_fulfilments AS f
  WHERE upper(trim(f.tracking_number)) IN (SELECT tracking_key FROM unrecorded)
  GROUP BY ALL
),
shipment_evidence AS (
  SELECT s.order_id, upper(trim(s.tracking_number)) AS tracking_key,
    to_json(list(s.raw ORDER BY s.shipment_id)) AS raws
  FROM run_bc_shipments AS s
  WHERE s.order_id IN (SELECT order_id FROM unrecorded)
  GROUP BY ALL
)
SELECT
  p.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  p.tracking_number AS document,
  p.quantity AS expected,
  p.bc_quantity AS actual,
  'units' AS unit,
  CASE
    WHEN p.bc_order_id IS NULL THEN
      format('The WMS shipped {} {} for order {} under tracking number {} at {}, but BigCommerce has no such order.',
        quantity_text(p.quantity), CASE WHEN p.quantity = 1 THEN 'unit' ELSE 'units' END, p.order_reference, p.tracking_number,
        strftime(p.shipped_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'))
    WHEN p.bc_tracking_key IS NULL THEN
      format('The WMS shipped {} {} of order {} under tracking number {} at {}, but no BigCommerce shipment of the order carries it ({}).',
        quantity_text(p.quantity), CASE WHEN p.quantity = 1 THEN 'unit' ELSE 'units' END, p.order_id, p.tracking_number,
        strftime(p.shipped_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'),
        coalesce('it has ' || t.numbers, 'it has no tracked shipment'))
    ELSE
      format('The WMS shipped order {} under tracking number {} at {} and BigCommerce has the shipment, but the order status is {} ({}), not a shipped status.',
        p.order_id, p.tracking_number,
        strftime(p.shipped_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'),
        coalesce(nullif(p.status, ''), 'unnamed'), p.status_id)
  END AS reason,
  json_object('wms_fulfilments', wf.raws, 'bc_orders', o.raw, 'bc_shipments', sh.raws) AS evidence
FROM unrecorded AS p
LEFT JOIN order_evidence AS o ON o.order_id = p.order_id
LEFT JOIN order_tracking AS t ON t.order_id = p.order_id
LEFT JOIN wms_evidence AS wf ON wf.reference_key IS NOT DISTINCT FROM p.reference_key AND wf.tracking_key = p.tracking_key
LEFT JOIN shipment_evidence AS sh ON sh.order_id = p.order_id AND sh.tracking_key = p.tracking_key
