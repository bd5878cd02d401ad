package rules

import "testing"

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
