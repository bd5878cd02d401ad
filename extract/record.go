package extract

import (
	"encoding/json"
	"reflect"
	"strconv"
)

var recordType = reflect.TypeFor[Record]()

// setRecord fills the embedded Record of the struct dst points to.
func setRecord(dst any, ref string, raw json.RawMessage) {
	v := reflect.ValueOf(dst).Elem().FieldByIndex([]int{recordIndex(reflect.TypeOf(dst).Elem())})
	v.Set(reflect.ValueOf(Record{SourceRef: ref, Raw: raw}))
}

// recordIndex returns the index of the embedded Record field of struct t.
// Every top-level row type embeds one, so a missing field is a bug.
func recordIndex(t reflect.Type) int {
	for i := range t.NumField() {
		if f := t.Field(i); f.Anonymous && f.Type == recordType {
			return i
		}
	}
	panic("extract: " + t.String() + " does not embed Record")
}

// recordRef returns the source reference of record i of a response.
func recordRef(ref string, i int) string {
	return ref + "#" + strconv.Itoa(i)
}

// tablesOf returns the tables of source in the order of Tables, taking
// each table's rows from rows by name. A table missing from rows is empty.
func tablesOf(source Source, rows map[string]any) []Table {
	var tables []Table
	for _, def := range Tables {
		if def.Source != source {
			continue
		}
		r, ok := rows[def.Name]
		if !ok {
			r = reflect.MakeSlice(reflect.SliceOf(def.Row), 0, 0).Interface()
		}
		tables = append(tables, Table{Name: def.Name, Rows: r})
	}
	return tables
}
