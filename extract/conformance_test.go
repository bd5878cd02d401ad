package extract

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// conformanceDecoders maps an example file's endpoint prefix to the
// decoder of that endpoint, returning the decoded rows.
var conformanceDecoders = map[string]func([]byte) (any, error){
	"v2_orders__":                                  func(b []byte) (any, error) { return decodeOrdersPage(b, "e") },
	"v2_orders_order_id__":                         func(b []byte) (any, error) { return decodeOrdersPage(wrapArray(b), "e") },
	"v2_orders_order_id_products__":                func(b []byte) (any, error) { return decodeOrderProducts(b, "e") },
	"v2_orders_order_id_shipments__":               func(b []byte) (any, error) { return decodeShipments(b, "e") },
	"v2_orders_order_id_shipments_shipment_id__":   func(b []byte) (any, error) { return decodeShipments(wrapArray(b), "e") },
	"v3_orders_payment_actions_refunds__":          v3Rows(decodeRefundsPage),
	"v3_orders_order_id_payment_actions_refunds__": v3Rows(decodeRefundsPage),
	"v3_orders_payment_actions_refunds_refund_id__": func(b []byte) (any, error) {
		return v3Rows(decodeRefundsPage)(wrapData(b))
	},
	"v3_orders_order_id_transactions__": v3Rows(decodeTransactions),
	"v3_catalog_variants__":             v3Rows(decodeVariantsPage),
	"v3_inventory_locations__":          v3Rows(decodeLocationsPage),
	"v3_inventory_items__":              v3Rows(decodeInventoryPage),
}

// rejectedExamples are examples whose placeholder values the decoders
// rightly reject, with the error expected.
var rejectedExamples = map[string]string{
	"v3_orders_order_id_transactions__schema-example.json": `e#0: field order_id: invalid integer "string"`,
}

func v3Rows[T any](decode func([]byte, string) ([]T, *pagination, error)) func([]byte) (any, error) {
	return func(b []byte) (any, error) {
		rows, _, err := decode(b, "e")
		return rows, err
	}
}

// wrapArray turns a single-object body into a one-record v2 list.
func wrapArray(b []byte) []byte { return append(append([]byte("["), b...), ']') }

// wrapData turns {"data": {...}} into {"data": [{...}]}.
func wrapData(b []byte) []byte {
	var single struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(b, &single); err != nil {
		panic(err)
	}
	return []byte(`{"data":[` + string(single.Data) + `]}`)
}

func TestOpenAPIExamples(t *testing.T) {
	files, err := filepath.Glob("testdata/openapi/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			decode := conformanceDecoders[name[:strings.Index(name, "__")+2]]
			if decode == nil {
				t.Fatalf("no decoder for %s", name)
			}
			rows, err := decode(body)
			if want, ok := rejectedExamples[name]; ok {
				if err == nil || err.Error() != want {
					t.Fatalf("error = %v, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkMoney(t, reflect.ValueOf(rows))
		})
	}
}

// checkMoney compares every Decimal field of rows with the number or
// string its row's Raw JSON holds under the field's key.
func checkMoney(t *testing.T, rows reflect.Value) {
	t.Helper()
	if rows.Len() == 0 {
		t.Fatal("example decoded to no rows")
	}
	checked := 0
	for i := range rows.Len() {
		row := rows.Index(i)
		raw := row.FieldByName("Record").Interface().(Record).Raw
		checked += checkDecimals(t, row, raw)
	}
	if checked == 0 {
		t.Logf("no money fields in this example")
	}
}

func checkDecimals(t *testing.T, row reflect.Value, raw json.RawMessage) int {
	t.Helper()
	var object map[string]json.RawMessage
	if err := json.Unmarshal(raw, &object); err != nil {
		return 0
	}
	checked := 0
	for i := range row.NumField() {
		f := row.Type().Field(i)
		value, present := object[jsonName(f)]
		if present && f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct {
			checked += checkNested(t, row.Field(i), value)
			continue
		}
		got, ok := row.Field(i).Interface().(Decimal)
		if !ok || !present {
			continue
		}
		want, valid := exampleDecimal(t, value)
		if got.Valid() != valid || (valid && !got.Value().Equal(want)) {
			t.Errorf("%s = %s, example has %s", jsonName(f), got, value)
		}
		checked++
	}
	return checked
}

// checkNested checks the Decimal fields of items, such as a refund's
// payments, against the JSON array they were decoded from.
func checkNested(t *testing.T, items reflect.Value, value json.RawMessage) int {
	t.Helper()
	var elems []json.RawMessage
	if err := json.Unmarshal(value, &elems); err != nil || len(elems) != items.Len() {
		t.Errorf("nested %s: %d items decoded from %s", items.Type(), items.Len(), value)
		return 0
	}
	checked := 0
	for i := range elems {
		checked += checkDecimals(t, items.Index(i), elems[i])
	}
	return checked
}

// exampleDecimal reads a JSON money value with decimal.NewFromString.
func exampleDecimal(t *testing.T, value json.RawMessage) (decimal.Decimal, bool) {
	text := string(bytes.TrimSpace(value))
	if text == "null" || text == `""` {
		return decimal.Decimal{}, false
	}
	text = strings.Trim(text, `"`)
	d, err := decimal.NewFromString(text)
	if err != nil {
		t.Fatalf("example money %s: %v", value, err)
	}
	return d, true
}
