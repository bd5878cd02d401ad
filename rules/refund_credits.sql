-- One row per BigCommerce refund of the run with the ERP credit memos that
-- reference it. A refund is in its order's transactional currency,
-- default_currency_code. When the order is not in the snapshot, the ERP's
-- local currency is assumed. Several memos for one refund are summed.
SELECT
  r.refund_id,
  r.order_id,
  r.total_amount,
  any_value(r.raw) AS refund_raw,
  coalesce(nullif(upper(trim(any_value(o.default_currency_code))), ''),
    getvariable('local_currency')) AS currency,
  count(m.id) AS memo_count,
  sum(m.amount) AS memo_amount,
  string_agg(m.number, ', ' ORDER BY m.number) AS memo_numbers,
  string_agg(DISTINCT m.currency, ', ' ORDER BY m.currency) AS memo_currencies,
  to_json(list(m.raw ORDER BY m.number) FILTER (WHERE m.id IS NOT NULL)) AS memo_raws
FROM run_bc_refunds AS r
LEFT JOIN run_bc_orders AS o ON o.order_id = r.order_id
LEFT JOIN run_credit_memo_refs AS m
  ON m.ref_order_id = r.order_id AND m.ref_refund_id = r.refund_id
GROUP BY r.refund_id, r.order_id, r.total_amount
