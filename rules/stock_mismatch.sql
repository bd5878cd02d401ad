-- SKU and location pairs, of SKUs that both systems know, where
-- BigCommerce's available_to_sell differs from what it should offer (see
-- run_stock_pairs). A pair missing on one side counts as zero there.
-- Pairs only the ERP has are reported only when BigCommerce has the
-- location, so that locations the storefront does not sell from raise
-- nothing. SKUs only one side knows are left to stock.missing_in_erp and
-- stock.missing_in_bigcommerce.
SELECT
  CAST(NULL AS BIGINT) AS order_id,
  CAST(NULL AS BIGINT) AS refund_id,
  p.sku,
  p.location,
  CAST(NULL AS VARCHAR) AS document,
  p.expected,
  coalesce(p.bc_available, 0) AS actual,
  'units' AS unit,
  CASE
    WHEN p.erp_missing THEN
      format('SKU {} at location {} shows {} available to sell in BigCommerce, but the ERP has no stock record for it there.',
        p.sku, p.location, quantity_text(p.bc_available))
    WHEN p.bc_missing THEN
      format('BigCommerce has no inventory record for SKU {} at location {}, but the ERP has {} available to sell, less a buffer of {}{}, so BigCommerce should show {}.',
        p.sku, p.location, quantity_text(p.erp_available), getvariable('stock_buffer'),
        CASE WHEN p.unallocated > 0 THEN format(' and {} on orders placed after the ERP''s stock snapshot ({})',
          quantity_text(p.unallocated), p.unallocated_orders) ELSE '' END,
        quantity_text(p.expected))
    ELSE
      format('SKU {} at location {} shows {} available to sell in BigCommerce, but the ERP has {} available, less a buffer of {}{}, so BigCommerce should show {}.',
        p.sku, p.location, quantity_text(p.bc_available), quantity_text(p.erp_available),
        getvariable('stock_buffer'),
        CASE WHEN p.unallocated > 0 THEN format(' and {} on orders placed after the ERP''s stock snapshot ({})',
          quantity_text(p.unallocated), p.unallocated_orders) ELSE '' END,
        quantity_text(p.expected))
  END AS reason,
  json_object('bc_inventory', p.bc_raw, 'erp_stock', p.erp_raw) AS evidence
FROM run_stock_pairs AS p
WHERE p.bc_knows_sku AND p.erp_knows_sku
  AND p.expected <> coalesce(p.bc_available, 0)
  AND (NOT p.bc_missing OR p.bc_knows_location)
