-- One row per BigCommerce order of the run that has an ERP sales order
-- (externalDocumentNumber = order id): the tax the ERP should hold, which
-- fillTaxExpectations computed in Go from BigCommerce's lines under the
-- configured tax_level, tax_rounding and tax_precision, beside the ERP's
-- tax. An order without taxable lines should hold no tax, and one whose
-- tax cannot be computed has a NULL expected_tax. Each taxed line may
-- round by up to getvariable('tax_line_tolerance'). It carries
-- no raw records: the rules gather their evidence for their findings
-- only, by order_id and sales_order_id, because carrying every order's
-- records dominated their run time on large businesses.
WITH compared AS (
  SELECT
    o.order_id,
    so.number AS document,
    coalesce(nullif(upper(trim(o.default_currency_code)), ''),
      getvariable('local_currency')) AS bc_currency,
    coalesce(nullif(upper(trim(so.currency_code)), ''),
      getvariable('local_currency')) AS erp_currency,
    coalesce(o.total_tax, 0) AS bc_tax,
    CASE WHEN e.order_id IS NULL THEN CAST(0 AS DECIMAL(18,4)) ELSE e.expected_tax END AS expected_tax,
    coalesce(so.total_tax_amount, 0) AS erp_tax,
    coalesce(e.taxed_lines, 0) AS taxed_lines,
    so.id AS sales_order_id
  FROM run_bc_orders AS o
  JOIN run_erp_sales_orders AS so
    ON TRY_CAST(trim(so.external_document_number) AS BIGINT) = o.order_id
  LEFT JOIN tax_expected AS e ON e.order_id = o.order_id
)
SELECT
  c.*,
  c.erp_tax - c.expected_tax AS tax_difference,
  CAST(c.taxed_lines * getvariable('tax_line_tolerance') AS DECIMAL(18,4)) AS tolerance,
  format('{}-level, {} to {}', getvariable('tax_level'), getvariable('tax_rounding'),
    money_text(getvariable('tax_precision'))) AS method
FROM compared AS c
