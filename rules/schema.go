package rules

import (
	"context"
	"database/sql"
	"fmt"
)

// ExceptionsDDL creates the table of findings. Each row is one finding of
// one rule in one run. Keys that do not apply to a rule are NULL.
// difference is actual - expected, with a missing side counted as zero,
// and unit is an ISO currency code or 'units'.
const ExceptionsDDL = `CREATE TABLE IF NOT EXISTS exceptions (
  run_id BIGINT NOT NULL,
  rule_id VARCHAR NOT NULL,
  fingerprint VARCHAR NOT NULL,
  severity VARCHAR NOT NULL,
  order_id BIGINT,
  refund_id BIGINT,
  sku VARCHAR,
  location VARCHAR,
  document VARCHAR,
  expected DECIMAL(18,4),
  actual DECIMAL(18,4),
  difference DECIMAL(18,4),
  unit VARCHAR NOT NULL,
  reason VARCHAR NOT NULL,
  evidence JSON
)`

// CreateSchema creates the exceptions table unless it exists.
func CreateSchema(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, ExceptionsDDL); err != nil {
		return fmt.Errorf("create exceptions table: %w", err)
	}
	return nil
}
