-- Paid BigCommerce orders without an ERP sales order whose
-- externalDocumentNumber is the order id, once they are more than
-- getvariable('order_grace_hours') old. Age runs from the order's
-- date_created to the as-of time, the extracted_at of the BigCommerce
-- snapshot. Status 0, Incomplete, is never reported. actual is NULL, so
-- the difference is the whole order total.
WITH as_of AS (
  SELECT max(s.extracted_at) AS at
  FROM snapshots AS s
  WHERE s.snapshot_id IN (SELECT DISTINCT snapshot_id FROM run_bc_orders)
),
booked AS (
  SELECT DISTINCT TRY_CAST(trim(so.external_document_number) AS BIGINT) AS order_id
  FROM run_erp_sales_orders AS so
),
-- The orders are found without their records, which are read for the
-- findings only, so that the anti-join does not carry every order's
-- record.
missing AS (
  SELECT o.order_id, o.status, o.status_id, o.date_created, o.total_inc_tax, o.default_currency_code
  FROM run_bc_orders AS o
  CROSS JOIN as_of
  WHERE o.status_id <> 0
    AND list_contains(getvariable('paid_statuses'), o.status_id)
    AND o.order_id NOT IN (SELECT order_id FROM booked WHERE order_id IS NOT NULL)
    AND o.date_created < as_of.at - to_hours(getvariable('order_grace_hours'))
),
order_evidence AS (
  SELECT o.order_id, o.raw FROM run_bc_orders AS o
  WHERE o.order_id IN (SELECT order_id FROM missing)
)
SELECT
  o.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  CAST(NULL AS VARCHAR) AS document,
  o.total_inc_tax AS expected,
  CAST(NULL AS DECIMAL(18,4)) AS actual,
  coalesce(nullif(upper(trim(o.default_currency_code)), ''), getvariable('local_currency')) AS unit,
  format('Order {} ({}, status {}) was placed {} and paid {} {}, but the ERP has no sales order with externalDocumentNumber {} after the {}-hour grace period.',
    o.order_id, coalesce(nullif(o.status, ''), 'unnamed'), o.status_id,
    strftime(o.date_created AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC'),
    coalesce(nullif(upper(trim(o.default_currency_code)), ''), getvariable('local_currency')),
    money_text(o.total_inc_tax), o.order_id, getvariable('order_grace_hours')) AS reason,
  json_object('bc_orders', e.raw) AS evidence
FROM missing AS o
LEFT JOIN order_evidence AS e ON e.order_id = o.order_id
