-- quantity_text(x) writes a quantity for a reason sentence: a whole number
-- without decimals, otherwise all four decimals.
CREATE OR REPLACE TEMP MACRO quantity_text(x) AS
  CASE
    WHEN x IS NULL THEN 'none'
    WHEN CAST(x AS DECIMAL(38,4)) = trunc(CAST(x AS DECIMAL(38,4)))
      THEN CAST(CAST(x AS HUGEINT) AS VARCHAR)
    ELSE CAST(CAST(x AS DECIMAL(38,4)) AS VARCHAR)
  END
