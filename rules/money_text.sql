-- money_text(x) writes an amount for a reason sentence: two decimals when
-- that is exact, otherwise all four, and 'none' for NULL. The cast to
-- DECIMAL(38,2) is only used when it loses nothing, so it never rounds.
CREATE OR REPLACE TEMP MACRO money_text(x) AS
  CASE
    WHEN x IS NULL THEN 'none'
    WHEN CAST(x AS DECIMAL(38,4)) = CAST(x AS DECIMAL(38,2))
      THEN CAST(CAST(x AS DECIMAL(38,2)) AS VARCHAR)
    ELSE CAST(CAST(x AS DECIMAL(38,4)) AS VARCHAR)
  END
