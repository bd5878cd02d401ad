-- The payment providers whose settlement reports the payouts source
-- holds, with the BigCommerce gateway whose transactions each one pays
-- out. Another provider, such as PayPal (gateway paypalexpress) or Adyen,
-- adds a row here and a branch to run_payout_items and
-- run_payout_batches; the payout rules read only these views.
SELECT * FROM (VALUES ('stripe', 'stripe')) AS p(provider, gateway)
