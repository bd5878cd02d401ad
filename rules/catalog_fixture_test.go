package rules

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// addVariant inserts a BigCommerce variant into a snapshot, with its
// option value labels in the raw JSON as the catalogue API sends them.
func addVariant(t *testing.T, db *sql.DB, snapshotID, variantID, productID int64, sku string, labels ...string) {
	t.Helper()
	type optionValue struct {
		ID    int64  `json:"id"`
		Label string `json:"label"`
	}
	body := struct {
		ID           int64         `json:"id"`
		ProductID    int64         `json:"product_id"`
		SKU          string        `json:"sku"`
		OptionValues []optionValue `json:"option_values"`
	}{ID: variantID, ProductID: productID, SKU: sku, OptionValues: []optionValue{}}
	for i, l := range labels {
		body.OptionValues = append(body.OptionValues, optionValue{ID: int64(i + 1), Label: l})
	}
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	exec(t, db, fmt.Sprintf(`INSERT INTO bc_variants (snapshot_id, variant_id, product_id, sku, raw)
VALUES (%d, %d, %d, '%s', '%s')`, snapshotID, variantID, productID, sku, strings.ReplaceAll(string(data), "'", "''")))
}
