-- ERP credit memos that reference no BigCommerce refund of the run: the
-- reference does not match the pattern, the refund does not exist, or it
-- belongs to another order. expected is NULL, so the difference is the
-- memo amount.
SELECT
  m.ref_order_id AS order_id,
  m.ref_refund_id AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  m.number AS document,
  CAST(NULL AS DECIMAL(18,4)) AS expected,
  m.amount AS actual,
  m.currency AS unit,
  CASE
    WHEN m.ref_refund_id IS NULL THEN
      format('Credit memo {} ({} {}) has externalDocumentNumber ''{}'', which does not name a BigCommerce order and refund.',
        m.number, m.currency, money_text(m.amount), m.external_document_number)
    WHEN r.refund_id IS NOT NULL THEN
      format('Credit memo {} ({} {}) references refund {} on order {}, but refund {} belongs to order {}.',
        m.number, m.currency, money_text(m.amount), m.ref_refund_id, m.ref_order_id,
        r.refund_id, r.order_id)
    ELSE
      format('Credit memo {} ({} {}) references refund {} on order {}, which BigCommerce does not have.',
        m.number, m.currency, money_text(m.amount), m.ref_refund_id, m.ref_order_id)
  END AS reason,
  json_object('erp_credit_memos', m.raw) AS evidence
FROM run_credit_memo_refs AS m
LEFT JOIN run_bc_refunds AS r ON r.refund_id = m.ref_refund_id
WHERE m.ref_refund_id IS NULL
  OR r.refund_id IS NULL
  OR r.order_id <> m.ref_order_id
