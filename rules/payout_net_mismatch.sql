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
      FILTER (WHERE i.currency <> b.currency) AS foreign_currencies
  FROM run_payout_batches AS b
  LEFT JOIN run_payout_items AS i ON i.provider = b.provider AND i.payout_id = b.payout_id
  GROUP BY b.provider, b.payout_id, b.currency
),
flagged AS (
  SELECT b.*, t.line_count, t.net_total, t.foreign_lines, t.foreign_currencies
  FROM run_payout_batches AS b
  JOIN totals AS t ON t.provider = b.provider AND t.payout_id = b.payout_id
  WHERE t.foreign_lines > 0
    OR coalesce(b.amount, 0) <> t.net_total
),
-- The evidence is gathered for the flagged payouts only, because
-- gathering it for every payout ran out of memory on large businesses.
-- It gives the lines' totals per category and currency, and the lines'
-- records when a payout has at most 100 lines. A daily payout of a large
-- store has thousands, more than a report cell holds.
line_totals AS (
  SELECT provider, payout_id,
    to_json(list(json_object('category', category, 'currency', currency, 'lines', lines,
      'gross', CAST(gross AS VARCHAR), 'fee', CAST(fee AS VARCHAR), 'net', CAST(net AS VARCHAR))
      ORDER BY category, currency)) AS totals
  FROM (
    SELECT i.provider, i.payout_id, i.category, i.currency, count(*) AS lines,
      sum(i.gross) AS gross, sum(i.fee) AS fee, sum(i.net) AS net
    FROM run_payout_items AS i
    WHERE i.payout_id IN (SELECT payout_id FROM flagged)
    GROUP BY ALL
  )
  GROUP BY provider, payout_id
),
line_evidence AS (
  SELECT i.provider, i.payout_id, to_json(list(i.raw ORDER BY i.created, i.item_id)) AS raws
  FROM run_payout_items AS i
  WHERE i.payout_id IN (SELECT payout_id FROM flagged WHERE line_count <= 100)
  GROUP BY i.provider, i.payout_id
)
SELECT
  CAST(NULL AS BIGINT) AS order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  b.payout_id AS document,
  b.net_total AS expected,
  b.amount AS actual,
  b.currency AS unit,
  CASE
    WHEN b.line_count = 0 THEN
      format('Payout {} pays {} {}, but the {} settlement report lists no lines for it.',
        b.payout_id, b.currency, money_text(b.amount), b.provider)
    WHEN b.foreign_lines > 0 THEN
      format('Payout {} pays {} {}, but it has lines in {} ({} of {}), which the report gives no rate to convert at; its {} lines net {} {}.',
        b.payout_id, b.currency, money_text(b.amount), b.foreign_currencies, b.foreign_lines,
        b.line_count, b.currency, b.currency, money_text(b.net_total))
    ELSE
      format('Payout {} pays {} {}, but its lines net {} {} after refunds and fees, a difference of {}.',
        b.payout_id, b.currency, money_text(b.amount), b.currency,
        money_text(b.net_total), money_text(coalesce(b.amount, 0) - b.net_total))
  END AS reason,
  json_object(b.source_table, b.raw, 'line_totals', t.totals, b.items_table, l.raws) AS evidence
FROM flagged AS b
LEFT JOIN line_totals AS t ON t.provider = b.provider AND t.payout_id = b.payout_id
LEFT JOIN line_evidence AS l ON l.provider = b.provider AND l.payout_id = b.payout_id
