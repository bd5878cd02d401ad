package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// pagination is the meta.pagination block of a v3 list response.
type pagination struct {
	Total       int64 `json:"total"`
	Count       int64 `json:"count"`
	PerPage     int64 `json:"per_page"`
	CurrentPage int64 `json:"current_page"`
	TotalPages  int64 `json:"total_pages"`
}

// v3Body is the envelope of a v3 list response. The records stay raw so
// that each row keeps its object exactly as received.
type v3Body struct {
	Data []json.RawMessage `json:"data"`
	Meta struct {
		Pagination *pagination `json:"pagination"`
	} `json:"meta"`
}

// splitArray splits a v2 body, a bare JSON array, into its records. An
// empty body, as sent with HTTP 204, has no records.
func splitArray(body []byte, ref string) ([]json.RawMessage, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	var records []json.RawMessage
	if err := json.Unmarshal(body, &records); err != nil {
		return nil, &ParseError{File: ref, Record: -1, Err: fmt.Errorf("invalid JSON array: %w", err)}
	}
	if err := checkJSONUTF8(body, records, ref); err != nil {
		return nil, err
	}
	return records, nil
}

// splitV3 splits a v3 body into its data records and its pagination,
// which is nil when the body has none. An empty body has no records.
func splitV3(body []byte, ref string) ([]json.RawMessage, *pagination, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil, nil
	}
	var b v3Body
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, nil, &ParseError{File: ref, Record: -1, Err: fmt.Errorf("invalid v3 response body: %w", err)}
	}
	if err := checkJSONUTF8(body, b.Data, ref); err != nil {
		return nil, nil, err
	}
	return b.Data, b.Meta.Pagination, nil
}

// checkJSONUTF8 returns a ParseError when body, split into records, is
// not valid UTF-8. encoding/json would replace the bad bytes in typed
// fields but keep them in each record's Raw, which the database rejects.
// The error names the record and the key at fault, but not the value.
func checkJSONUTF8(body []byte, records []json.RawMessage, ref string) error {
	if utf8.Valid(body) {
		return nil
	}
	for i, raw := range records {
		if !utf8.Valid(raw) {
			return &ParseError{File: ref, Record: i, Field: invalidUTF8Path(raw),
				Err: fmt.Errorf("%w: the response must be UTF-8", ErrInvalidUTF8)}
		}
	}
	return &ParseError{File: ref, Record: -1, Err: fmt.Errorf("%w outside the data records: the response must be UTF-8", ErrInvalidUTF8)}
}

// invalidUTF8Path returns the path to the first value within raw, a JSON
// value, that is not valid UTF-8, such as "billing_address.first_name" or
// "items[2].name". Object keys are searched in sorted order. It returns ""
// when raw is not an object or array, or when only a key is invalid.
func invalidUTF8Path(raw json.RawMessage) string {
	var object map[string]json.RawMessage
	if json.Unmarshal(raw, &object) == nil {
		for _, key := range slices.Sorted(maps.Keys(object)) {
			if value := object[key]; !utf8.Valid(value) {
				return joinPath(key, invalidUTF8Path(value))
			}
		}
		return ""
	}
	var array []json.RawMessage
	if json.Unmarshal(raw, &array) == nil {
		for i, value := range array {
			if !utf8.Valid(value) {
				return joinPath("["+strconv.Itoa(i)+"]", invalidUTF8Path(value))
			}
		}
	}
	return ""
}

// joinPath appends sub, a path below key, to key.
func joinPath(key, sub string) string {
	if sub == "" || sub[0] == '[' {
		return key + sub
	}
	return key + "." + sub
}

// decodeRows decodes each record into a T and fills its Record with the
// reference "ref#index" and the record's bytes.
func decodeRows[T any](records []json.RawMessage, ref string) ([]T, error) {
	rows := make([]T, len(records))
	for i, raw := range records {
		if err := decodeRecord(raw, &rows[i], ref, i); err != nil {
			return nil, err
		}
		setRecord(&rows[i], recordRef(ref, i), raw)
	}
	return rows, nil
}

// decodeRecord decodes one JSON object into dst. On failure it returns a
// ParseError naming the key at fault where one can be found.
func decodeRecord(raw json.RawMessage, dst any, ref string, index int) error {
	err := json.Unmarshal(raw, dst)
	if err == nil {
		return nil
	}
	field, cause := findBadField(raw, reflect.TypeOf(dst).Elem())
	if cause == nil {
		cause = err
	}
	return &ParseError{File: ref, Record: index, Field: field, Err: cause}
}

// findBadField returns the JSON key of struct type t whose value in raw
// fails to decode, as a path such as "items[1].quantity", and that
// failure. It returns "" and nil when no single key is at fault.
func findBadField(raw json.RawMessage, t reflect.Type) (string, error) {
	var object map[string]json.RawMessage
	if t.Kind() != reflect.Struct || json.Unmarshal(raw, &object) != nil {
		return "", nil
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonName(f)
		value, ok := object[name]
		if name == "" || !ok {
			continue
		}
		if path, err := findBadValue(value, f.Type); err != nil {
			return name + path, err
		}
	}
	return "", nil
}

// findBadValue decodes value as type t and returns the failure, with the
// path below value that caused it.
func findBadValue(value json.RawMessage, t reflect.Type) (string, error) {
	err := json.Unmarshal(value, reflect.New(t).Interface())
	if err == nil {
		return "", nil
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct {
		var elems []json.RawMessage
		if json.Unmarshal(value, &elems) == nil {
			for i, e := range elems {
				if sub, subErr := findBadField(e, t.Elem()); subErr != nil {
					return "[" + strconv.Itoa(i) + "]." + sub, subErr
				}
			}
		}
	}
	return "", err
}

// jsonName returns the key a struct field decodes from, or "" if none.
func jsonName(f reflect.StructField) string {
	tag := f.Tag.Get("json")
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" || !f.IsExported() || f.Anonymous {
		return ""
	}
	if name == "" {
		return f.Name
	}
	return name
}

// listEnd reports whether page, holding n records and the pagination
// meta, ends a v3 list: the page reaches total_pages or, without
// pagination, is empty. It keeps in declared the
// largest total_pages seen on the list's pages so far. A page that would
// end the list before that count, such as an empty page or a 204 where
// page 1 declared three pages, is an error naming ref, the page read.
func listEnd(meta *pagination, declared *int64, ref string, page, n int) (bool, error) {
	if meta != nil && meta.TotalPages > *declared {
		*declared = meta.TotalPages
	}
	if !lastPage(meta, page, n) {
		return false, nil
	}
	if int64(page) < *declared {
		return true, &ParseError{File: ref, Record: -1, Field: "meta.pagination",
			Err: fmt.Errorf("%w: page %d ends the list, but an earlier page declared %d pages", ErrShortList, page, *declared)}
	}
	return true, nil
}

// lastPage reports whether page, holding n records, ends a v3 list by
// its own pagination alone.
func lastPage(meta *pagination, page, n int) bool {
	if meta != nil && meta.TotalPages > 0 {
		return int64(page) >= meta.TotalPages
	}
	return n == 0
}
