-- WMS shipments with a tracking number, shipped more than
-- getvariable('dispatch_grace_hours') before the as-of time, that
-- BigCommerce has not recorded: the order is missing, none of its
-- shipments carries the tracking number, or its status_id is not in
-- getvariable('shipped_statuses'). Tracking numbers match after trimming,
-- case-insensitively, on any shipment of the same order. The as-of time is
-- the extracted_at of the BigCommerce snapshot, or of the WMS snapshot
-- when BigCommerce has no orders in the run. expected is the units the
-- WMS shipped under the tracking number and actual the units of the
-- BigCommerce shipments that carry it, NULL when there are none.
WITH as_of AS (
  SELECT coalesce(
    (SELECT max(s.extracted_at) FROM snapshots AS s
      WHERE s.snapshot_id IN (SELECT DISTINCT snapshot_id FROM run_bc_orders)),
    (SELECT max(s.extracted_at) FROM snapshots AS s
      WHERE s.snapshot_id IN (SELECT DISTINCT snapshot_id FROM run_wms_fulfilments))) AS at
),
parcels AS (
  SELECT
    TRY_CAST(trim(f.order_reference) AS BIGINT) AS order_id,
    any_value(trim(f.order_reference)) AS order_reference,
    upper(trim(f.tracking_number)) AS tracking_key,
    any_value(trim(f.tracking_number)) AS tracking_number,
    sum(coalesce(f.quantity, 0)) AS quantity,
    max(f.shipped_at) AS shipped_at,
    to_json(list(f.raw ORDER BY f.shipment_id, f.sku)) AS fulfilment_raws
  FROM run_wms_fulfilments AS f
  WHERE coalesce(trim(f.tracking_number), '') <> ''
  GROUP BY TRY_CAST(trim(f.order_reference) AS BIGINT), upper(trim(f.tracking_number))
),
bc_parcels AS (
  SELECT
    s.order_id,
    upper(trim(s.tracking_number)) AS tracking_key,
    sum(i.quantity) AS quantity,
    to_json(list(s.raw ORDER BY s.shipment_id)) AS shipment_raws
  FROM run_bc_shipments AS s
  LEFT JOIN (
    SELECT shipment_id, order_id, sum(coalesce(quantity, 0)) AS quantity
    FROM run_bc_shipment_items
    GROUP BY shipment_id, order_id
  ) AS i ON i.shipment_id = s.shipment_id AND i.order_id = s.order_id
  WHERE coalesce(trim(s.tracking_number), '') <> ''
  GROUP BY s.order_id, upper(trim(s.tracking_number))
),
order_tracking AS (
  SELECT order_id, string_agg(DISTINCT trim(tracking_number), ', ' ORDER BY trim(tracking_number)) AS numbers
  FROM run_bc_shipments
  WHERE coalesce(trim(tracking_number), '') <> ''
  GROUP BY order_id
)
SELECT
  p.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  p.tracking_number AS document,
  p.quantity AS expected,
  b.quantity AS actual,
  'units' AS unit,
  CASE
    WHEN o.order_id IS NULL THEN
      format('The WMS shipped {} {} for order {} under tracking number {} at {}, but BigCommerce has no such order.',
        quantity_text(p.quantity), CASE WHEN p.quantity = 1 THEN 'unit' ELSE 'units' END, p.order_reference, p.tracking_number,
        strftime(p.shipped_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'))
    WHEN b.tracking_key IS NULL THEN
      format('The WMS shipped {} {} of order {} under tracking number {} at {}, but no BigCommerce shipment of the order carries it ({}).',
        quantity_text(p.quantity), CASE WHEN p.quantity = 1 THEN 'unit' ELSE 'units' END, p.order_id, p.tracking_number,
        strftime(p.shipped_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'),
        coalesce('it has ' || t.numbers, 'it has no tracked shipment'))
    ELSE
      format('The WMS shipped order {} under tracking number {} at {} and BigCommerce has the shipment, but the order status is {} ({}), not a shipped status.',
        p.order_id, p.tracking_number,
        strftime(p.shipped_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'),
        coalesce(nullif(o.status, ''), 'unnamed'), o.status_id)
  END AS reason,
  json_object('wms_fulfilments', p.fulfilment_raws, 'bc_orders', o.raw,
    'bc_shipments', b.shipment_raws) AS evidence
FROM parcels AS p
CROSS JOIN as_of
LEFT JOIN run_bc_orders AS o ON o.order_id = p.order_id
LEFT JOIN bc_parcels AS b ON b.order_id = p.order_id AND b.tracking_key = p.tracking_key
LEFT JOIN order_tracking AS t ON t.order_id = p.order_id
WHERE p.shipped_at < as_of.at - to_hours(getvariable('dispatch_grace_hours'))
  AND (o.order_id IS NULL
    OR b.tracking_key IS NULL
    OR NOT list_contains(getvariable('shipped_statuses'), o.status_id))
