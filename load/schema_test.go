package load

import (
	"strings"
	"testing"

	"github.com/recon-tools/recon/extract"
)

func TestTableDDLCoversEveryTable(t *testing.T) {
	for _, def := range extract.Tables {
		ddl, err := TableDDL(def)
		if err != nil {
			t.Fatalf("%s: %v", def.Name, err)
		}
		cols, _ := Columns(def.Row)
		names := map[string]bool{}
		for _, c := range cols {
			if names[c.Name] {
				t.Errorf("%s: duplicate column %s", def.Name, c.Name)
			}
			names[c.Name] = true
		}
		for _, k := range def.Key {
			if !names[k] {
				t.Errorf("%s: key column %s missing", def.Name, k)
			}
		}
		if !strings.HasPrefix(ddl, "CREATE TABLE IF NOT EXISTS "+def.Name) {
			t.Errorf("%s: unexpected DDL %q", def.Name, ddl)
		}
	}
}

func TestColumnsOfOrder(t *testing.T) {
	cols, err := Columns(extract.Tables[0].Row)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Column{}
	for _, c := range cols {
		byName[c.Name] = c
	}
	checks := map[string]string{
		"order_id":               "BIGINT",
		"date_created":           "TIMESTAMPTZ",
		"total_tax":              "DECIMAL(18,4)",
		"currency_exchange_rate": "DECIMAL(18,10)",
		"items_total":            "BIGINT",
		"raw":                    "JSON",
		"source_ref":             "VARCHAR",
		"is_deleted":             "BOOLEAN",
	}
	for name, want := range checks {
		if got := byName[name].SQLType(); got != want {
			t.Errorf("%s: SQL type %s, want %s", name, got, want)
		}
	}
}
