-- ERP sales orders for BigCommerce orders whose payment was never
-- captured. An order is unpaid when its status_id is in
-- getvariable('unpaid_statuses'), when its payment_status is pending,
-- authorized, declined, void, void pending or empty, or when its
-- transactions hold an authorization but no capture. A successful capture
-- or purchase transaction overrides the first two, so a cancelled order
-- that was captured first is not unpaid. expected is NULL, so the
-- difference is the amount the ERP booked.
WITH payments AS (
  SELECT
    t.order_id,
    bool_or(lower(trim(t.event)) = 'authorization') AS authorized,
    bool_or(lower(trim(t.event)) IN ('capture', 'purchase')
      AND coalesce(lower(trim(t.status)), 'ok') = 'ok') AS captured
  FROM run_bc_transactions AS t
  GROUP BY t.order_id
),
orders AS (
  SELECT
    o.order_id, o.status, o.status_id, o.payment_status,
    coalesce(p.authorized, false) AS authorized,
    coalesce(p.captured, false) AS captured,
    list_contains(getvariable('unpaid_statuses'), o.status_id) AS unpaid_status,
    lower(trim(coalesce(o.payment_status, ''))) IN
      ('pending', 'authorized', 'declined', 'void', 'void pending', '') AS unpaid_payment_status
  FROM run_bc_orders AS o
  LEFT JOIN payments AS p ON p.order_id = o.order_id
),
unpaid AS (
  SELECT
    o.order_id,
    CASE
      WHEN o.unpaid_status AND NOT o.captured THEN
        format('its status is {} ({})', coalesce(nullif(o.status, ''), 'unnamed'), o.status_id)
      WHEN o.unpaid_payment_status AND NOT o.captured THEN
        format('its payment status is ''{}''', coalesce(o.payment_status, ''))
      WHEN o.authorized AND NOT o.captured THEN
        'its payment was authorized but never captured'
    END AS why
  FROM orders AS o
),
-- The sales orders of unpaid orders, without records, which are read for
-- the findings only.
booked AS (
  SELECT u.order_id, u.why, so.id AS sales_order_id, so.number, so.currency_code, so.total_amount_including_tax
  FROM unpaid AS u
  JOIN run_erp_sales_orders AS so
    ON TRY_CAST(trim(so.external_document_number) AS BIGINT) = u.order_id
  WHERE u.why IS NOT NULL
),
order_evidence AS (
  SELECT o.order_id, o.raw FROM run_bc_orders AS o
  WHERE o.order_id IN (SELECT order_id FROM booked)
),
sales_order_evidence AS (
  SELECT so.id, so.raw FROM run_erp_sales_orders AS so
  WHERE so.id IN (SELECT sales_order_id FROM booked)
)
SELECT
  so.order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  so.number AS document,
  CAST(NULL AS DECIMAL(18,4)) AS expected,
  so.total_amount_including_tax AS actual,
  coalesce(nullif(upper(trim(so.currency_code)), ''), getvariable('local_currency')) AS unit,
  format('ERP sales order {} books {} {} for BigCommerce order {}, which is not paid: {}.',
    so.number, coalesce(nullif(upper(trim(so.currency_code)), ''), getvariable('local_currency')),
    money_text(so.total_amount_including_tax), so.order_id, so.why) AS reason,
  json_object('bc_orders', o.raw, 'erp_sales_orders', e.raw) AS evidence
FROM booked AS so
LEFT JOIN order_evidence AS o ON o.order_id = so.order_id
LEFT JOIN sales_order_evidence AS e ON e.id = so.sales_order_id
