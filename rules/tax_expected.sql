-- Per BigCommerce order with an ERP sales order: the tax the ERP should
-- hold under getvariable('tax_level'), 'tax_rounding' and
-- 'tax_precision', and the number of lines taxed at a non-zero rate. It
-- reads run_tax_lines (tax_lines.sql).
--
-- Every amount is an exact integer at a fixed scale, because DuckDB
-- divides DECIMALs as DOUBLE: amounts at scale 4 (1.23 is 12300), rates
-- at scale 16 (0.0825 is 825000000000000), products at scale 20. HUGEINT
-- has room for all of them. `//` truncates toward zero and `%` keeps the
-- dividend's sign.
--
-- A line's rate is the ERP line's taxPercent / 100 when the ERP has the
-- line. Otherwise it is BigCommerce's tax over the line's net amount (the
-- gross minus the tax for tax-inclusive prices) to 16 decimals, rounded
-- half away from zero, which reproduces BigCommerce's tax at line level.
--
-- At document level the lines of one rate are summed, as Business Central
-- sums them per VAT identifier, and each sum is taxed once. With
-- tax-exclusive prices the tax is net × rate rounded to a multiple of
-- tax_precision in tax_rounding's mode: half_up (ties away from zero),
-- half_even (ties to the even multiple), up (away from zero) or down
-- (toward zero). With tax-inclusive prices the gross is exact: the net is
-- gross / (1 + rate) rounded half away from zero to the currency's
-- precision (10^-currency_digits), and the tax is the rest. Business
-- Central splits inclusive amounts so, and its VAT rounding settings do
-- not apply to them.
--
-- expected_tax is NULL when it cannot be computed: a tax-inclusive line
-- at -100 %, whose 1 + rate is zero, or a tax of 10^14 or more, which
-- DECIMAL(18,4) cannot hold. tax.mismatch reports such orders.
-- Amounts under a billion are scaled in their own DECIMAL(18,4). Larger
-- ones would overflow it, so they are widened to DECIMAL(38,4) first,
-- which took about twenty times as long on 3 million rows.
WITH scaled AS (
  SELECT
    order_id,
    coalesce(inclusive, false) AS inclusive,
    CASE WHEN abs(coalesce(net, 0)) < 1000000000
      THEN CAST(coalesce(net, 0) * 10000 AS HUGEINT)
      ELSE CAST(CAST(coalesce(net, 0) AS DECIMAL(38,4)) * 10000 AS HUGEINT) END AS net,
    CASE WHEN abs(coalesce(gross, 0)) < 1000000000
      THEN CAST(coalesce(gross, 0) * 10000 AS HUGEINT)
      ELSE CAST(CAST(coalesce(gross, 0) AS DECIMAL(38,4)) * 10000 AS HUGEINT) END AS gross,
    CASE WHEN abs(coalesce(bc_tax, 0)) < 1000000000
      THEN CAST(coalesce(bc_tax, 0) * 10000 AS HUGEINT)
      ELSE CAST(CAST(coalesce(bc_tax, 0) AS DECIMAL(38,4)) * 10000 AS HUGEINT) END AS bc_tax,
    CASE WHEN abs(tax_percent) < 1000000000
      THEN CAST(tax_percent * 10000 AS HUGEINT)
      ELSE CAST(CAST(tax_percent AS DECIMAL(38,4)) * 10000 AS HUGEINT) END AS tax_percent
  FROM run_tax_lines
),
based AS (
  SELECT *,
    CASE WHEN tax_percent IS NULL THEN CASE WHEN inclusive THEN gross - bc_tax ELSE net END END AS rate_base
  FROM scaled
),
rated AS (
  SELECT order_id, inclusive, net, gross,
    CASE
      WHEN tax_percent IS NOT NULL THEN tax_percent * CAST(10000000000 AS HUGEINT)
      WHEN rate_base = 0 THEN CAST(0 AS HUGEINT)
      ELSE (bc_tax * CAST(10000000000000000 AS HUGEINT)) // rate_base
        + CASE WHEN 2 * abs((bc_tax * CAST(10000000000000000 AS HUGEINT)) % rate_base) >= abs(rate_base)
            THEN sign(bc_tax) * sign(rate_base) ELSE 0 END
    END AS rate
  FROM based
),
counted AS (
  SELECT order_id, count(*) FILTER (WHERE rate <> 0) AS taxed_lines
  FROM rated
  GROUP BY order_id
),
bases AS (
  SELECT order_id, inclusive, rate, net, gross
  FROM rated
  WHERE getvariable('tax_level') = 'line' AND rate <> 0
  UNION ALL
  SELECT order_id, any_value(inclusive), rate, sum(net), sum(gross)
  FROM rated
  WHERE getvariable('tax_level') = 'document' AND rate <> 0
  GROUP BY order_id, rate
),
divided AS (
  -- numerator / divisor is the exact amount to round, in units of the
  -- precision it rounds to.
  SELECT order_id, inclusive, gross,
    CASE WHEN inclusive
      THEN gross * CAST(10000000000000000 AS HUGEINT) * sign(CAST(10000000000000000 AS HUGEINT) + rate)
      ELSE net * rate END AS numerator,
    CASE WHEN inclusive
      THEN abs(CAST(10000000000000000 AS HUGEINT) + rate) * CAST([10000, 1000, 100, 10, 1][getvariable('currency_digits') + 1] AS HUGEINT)
      ELSE CAST(CAST(getvariable('tax_precision') AS DECIMAL(38,4)) * 10000 AS HUGEINT) * CAST(10000000000000000 AS HUGEINT)
    END AS divisor,
    CASE WHEN inclusive
      THEN CAST([10000, 1000, 100, 10, 1][getvariable('currency_digits') + 1] AS HUGEINT)
      ELSE CAST(CAST(getvariable('tax_precision') AS DECIMAL(38,4)) * 10000 AS HUGEINT)
    END AS step
  FROM bases
),
rounded AS (
  SELECT order_id, inclusive, gross, step,
    numerator // nullif(divisor, 0) AS quotient,
    numerator % nullif(divisor, 0) AS rest,
    divisor,
    CASE WHEN inclusive THEN 'half_up' ELSE getvariable('tax_rounding') END AS mode
  FROM divided
),
taxed AS (
  SELECT order_id,
    (quotient + CASE
      WHEN rest = 0 THEN 0
      WHEN mode = 'up'
        OR (mode = 'half_up' AND 2 * abs(rest) >= divisor)
        OR (mode = 'half_even' AND (2 * abs(rest) > divisor OR (2 * abs(rest) = divisor AND quotient % 2 <> 0)))
        THEN sign(rest)
      ELSE 0 END) * step AS rounded,
    inclusive, gross
  FROM rounded
)
SELECT c.order_id,
  CASE WHEN t.order_id IS NULL THEN CAST(0 AS DECIMAL(18,4))
    WHEN NOT t.uncomputable AND abs(t.tax) < CAST('1000000000000000000' AS HUGEINT)
      THEN CAST(CAST(t.tax AS DECIMAL(38,0)) * CAST(0.0001 AS DECIMAL(5,4)) AS DECIMAL(18,4))
  END AS expected_tax,
  CAST(c.taxed_lines AS INTEGER) AS taxed_lines
FROM counted AS c
LEFT JOIN (
  SELECT order_id, sum(CASE WHEN inclusive THEN gross - rounded ELSE rounded END) AS tax,
    bool_or(rounded IS NULL) AS uncomputable
  FROM taxed
  GROUP BY order_id
) AS t ON t.order_id = c.order_id
