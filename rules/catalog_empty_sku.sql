-- BigCommerce variants without a SKU, each with a proposed SKU in
-- document: a stem, then the variant's option value labels in the order
-- of option_values, upper-cased with accents stripped and every run of
-- other characters than A-Z and 0-9 turned into one hyphen. The stem is
-- the text before the first hyphen that every other SKU of the product
-- starts with (TEE for TEE-RED-S and TEE-BLU-M), else P and the product
-- id. A proposal that equals an existing SKU case-insensitively, or that
-- an earlier variant id already proposes, gets "-" and the variant id
-- appended.
-- NOTE: a proposal with the variant id appended is not checked again, so
-- it could still equal an existing SKU of that exact form.
WITH named AS (
  SELECT *, upper(trim(sku)) AS sku_key
  FROM run_bc_variants
  WHERE trim(coalesce(sku, '')) <> ''
),
stems AS (
  SELECT
    product_id,
    CASE
      WHEN bool_and(strpos(sku_key, '-') > 1)
        AND count(DISTINCT split_part(sku_key, '-', 1)) = 1
      THEN any_value(split_part(sku_key, '-', 1))
    END AS stem
  FROM named
  GROUP BY product_id
),
unnamed AS (
  SELECT
    v.variant_id,
    v.product_id,
    v.raw,
    coalesce(s.stem, 'P' || v.product_id) AS stem,
    coalesce(json_extract_string(v.raw, '$.option_values[*].label'), []) AS labels
  FROM run_bc_variants AS v
  LEFT JOIN stems AS s ON s.product_id = v.product_id
  WHERE trim(coalesce(v.sku, '')) = ''
),
proposed AS (
  SELECT
    u.*,
    array_to_string(list_prepend(u.stem, list_filter(
      list_transform(u.labels,
        lambda x: trim(regexp_replace(upper(strip_accents(x)), '[^A-Z0-9]+', '-', 'g'), '-')),
      lambda x: x <> '')), '-') AS base
  FROM unnamed AS u
),
ranked AS (
  SELECT
    p.*,
    row_number() OVER (PARTITION BY p.base ORDER BY p.variant_id) AS rank,
    p.base IN (SELECT sku_key FROM named) AS taken
  FROM proposed AS p
)
SELECT
  CAST(NULL AS BIGINT) AS order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  CAST(NULL AS VARCHAR) AS sku,
  CAST(NULL AS VARCHAR) AS location,
  CASE WHEN r.taken OR r.rank > 1 THEN r.base || '-' || r.variant_id ELSE r.base END AS document,
  CAST(NULL AS BIGINT) AS expected,
  CAST(NULL AS BIGINT) AS actual,
  'units' AS unit,
  format('Variant {} of product {} has no SKU; the proposed SKU is {}, built from stem {} and option values [{}]{}.',
    r.variant_id, r.product_id,
    CASE WHEN r.taken OR r.rank > 1 THEN r.base || '-' || r.variant_id ELSE r.base END,
    r.stem, array_to_string(r.labels, ', '),
    CASE
      WHEN r.taken THEN format(', with the variant id appended because SKU {} exists', r.base)
      WHEN r.rank > 1 THEN format(', with the variant id appended because an earlier variant is proposed {}', r.base)
      ELSE ''
    END) AS reason,
  json_object('bc_variants', r.raw) AS evidence
FROM ranked AS r
