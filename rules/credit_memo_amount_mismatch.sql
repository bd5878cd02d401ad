-- Refunds whose credit memos credit a different amount than was refunded,
-- beyond getvariable('credit_memo_tolerance'), or credit it in another
-- currency. The memo amount is totalAmountIncludingTax, summed when
-- several memos reference one refund.
SELECT
  rc.order_id,
  rc.refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  rc.memo_numbers AS document,
  rc.total_amount AS expected,
  rc.memo_amount AS actual,
  rc.currency AS unit,
  CASE
    WHEN rc.memo_currencies <> rc.currency THEN
      format('Credit memo {} for refund {} on order {} credits {} {} but the refund is {} {}; the currencies differ.',
        rc.memo_numbers, rc.refund_id, rc.order_id, rc.memo_currencies,
        money_text(rc.memo_amount), rc.currency, money_text(rc.total_amount))
    ELSE
      format('Credit memo {} for refund {} on order {} credits {} {} but the refund is {} {}, a difference of {}.',
        rc.memo_numbers, rc.refund_id, rc.order_id, rc.currency,
        money_text(rc.memo_amount), rc.currency, money_text(rc.total_amount),
        money_text(rc.memo_amount - rc.total_amount))
  END AS reason,
  json_object('bc_refunds', rc.refund_raw, 'erp_credit_memos', rc.memo_raws) AS evidence
FROM run_refund_credits AS rc
WHERE rc.memo_count > 0
  AND (rc.memo_currencies <> rc.currency
    OR abs(rc.memo_amount - coalesce(rc.total_amount, 0)) > getvariable('credit_memo_tolerance'))
