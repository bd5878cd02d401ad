-- One row per payout of a provider: the amount that reached the bank in
-- its settlement currency, upper-cased. items_table names the snapshot
-- table of the payout's lines in run_payout_items, for evidence.
SELECT
  'stripe' AS provider,
  p.payout_id,
  upper(trim(p.currency)) AS currency,
  p.amount,
  p.arrival_date AS arrival,
  lower(trim(p.status)) AS status,
  'payouts' AS source_table,
  'payout_lines' AS items_table,
  p.raw
FROM run_payouts AS p
