package rules

import (
	"context"
	"testing"
)

// beginEvaluation promises the optimizer settings on a connection of its
// own. DuckDB's disabled_optimizers is a global setting, so other
// connections of the database must not see it change.
func TestBeginEvaluationOptimizerOtherConnection(t *testing.T) {
	db := openTestDB(t)
	ctx := context.Background()
	other, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	_, release, err := beginEvaluation(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var during string
	if err := other.QueryRowContext(ctx, "SELECT current_setting('disabled_optimizers')").Scan(&during); err != nil {
		t.Fatal(err)
	}
	release()
	if during != "" {
		t.Errorf("another connection sees disabled_optimizers %q during an evaluation, want empty", during)
	}
}

// release restores the optimizer settings. A setting the caller chose
// before the evaluation should survive it.
func TestEvaluateKeepsCallerOptimizerSetting(t *testing.T) {
	db := openTestDB(t)
	exec(t, db, "SET disabled_optimizers = 'join_order'")

	evaluate(t, db, DefaultParams())

	var after string
	if err := db.QueryRow("SELECT current_setting('disabled_optimizers')").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != "join_order" {
		t.Errorf("disabled_optimizers %q after evaluation, want join_order", after)
	}
}
