-- Payouts whose amount differs from the sum of their lines' net amounts:
-- charges less refunds and fees. Only lines in the payout's currency are
-- summed. A line in another currency is reported instead of converted,
-- because settlement reports give no rate to convert it at.
WITH totals AS (
  SELECT
    b.provider,
    b.payout_id,
    count(i.item_id) AS line_count,
    coalesce(sum(i.net) FILTER (WHERE i.currency = b.currency), 0) AS net_total,
    count(i.item_id) FILTER (WHERE i.currency <> b.currency) AS foreign_lines,
    string_agg(DISTINCT i.currency, ', ' ORDER BY i.currency)
      FILTER (WHERE i.currency <> b.currency) AS foreign_currencies,
    to_json(list(i.raw ORDER BY i.created, i.item_id) FILTER (WHERE i.item_id IS NOT NULL)) AS line_raws
  FROM run_payout_batches AS b
  LEFT JOIN run_payout_items AS i ON i.provider = b.provider AND i.payout_id = b.payout_id
  GROUP BY b.provider, b.payout_id, b.currency
)
SELECT
  CAST(NULL AS BIGINT) AS order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  b.payout_id AS document,
  t.net_total AS expected,
  b.amount AS actual,
  b.currency AS unit,
  CASE
    WHEN t.line_count = 0 THEN
      format('Payout {} pays {} {}, but the {} settlement report lists no lines for it.',
        b.payout_id, b.currency, money_text(b.amount), b.provider)
    WHEN t.foreign_lines > 0 THEN
      format('Payout {} pays {} {}, but it has lines in {} ({} of {}), which the report gives no rate to convert at; its {} lines net {} {}.',
        b.payout_id, b.currency, money_text(b.amount), t.foreign_currencies, t.foreign_lines,
        t.line_count, b.currency, b.currency, money_text(t.net_total))
    ELSE
      format('Payout {} pays {} {}, but its lines net {} {} after refunds and fees, a difference of {}.',
        b.payout_id, b.currency, money_text(b.amount), b.currency,
        money_text(t.net_total), money_text(coalesce(b.amount, 0) - t.net_total))
  END AS reason,
  json_object(b.source_table, b.raw, b.items_table, t.line_raws) AS evidence
FROM run_payout_batches AS b
JOIN totals AS t ON t.provider = b.provider AND t.payout_id = b.payout_id
WHERE t.foreign_lines > 0
  OR coalesce(b.amount, 0) <> t.net_total
