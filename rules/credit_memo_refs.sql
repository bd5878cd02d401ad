-- One row per ERP credit memo of the run, with the BigCommerce order and
-- refund ids parsed from its externalDocumentNumber by the pattern in
-- getvariable('credit_memo_pattern'). Both ids are NULL unless both parse.
-- An empty currencyCode means the ERP's local currency.
WITH parsed AS (
  SELECT
    m.*,
    TRY_CAST(nullif(regexp_extract(trim(m.external_document_number),
      getvariable('credit_memo_pattern'), 1), '') AS BIGINT) AS order_part,
    TRY_CAST(nullif(regexp_extract(trim(m.external_document_number),
      getvariable('credit_memo_pattern'), 2), '') AS BIGINT) AS refund_part
  FROM run_erp_credit_memos AS m
)
SELECT
  p.* EXCLUDE (order_part, refund_part),
  CASE WHEN p.refund_part IS NOT NULL THEN p.order_part END AS ref_order_id,
  CASE WHEN p.order_part IS NOT NULL THEN p.refund_part END AS ref_refund_id,
  coalesce(nullif(upper(trim(p.currency_code)), ''), getvariable('local_currency')) AS currency,
  coalesce(p.total_amount_including_tax, 0) AS amount
FROM parsed AS p
