package extract

import (
	"errors"
	"testing"
)

func TestListEnd(t *testing.T) {
	three := &pagination{TotalPages: 3}
	type step struct {
		meta *pagination
		n    int
		end  bool
	}
	tests := []struct {
		name    string
		steps   []step
		wantErr bool
	}{
		{"all declared pages", []step{{three, 1, false}, {three, 1, false}, {three, 1, true}}, false},
		{"no pagination", []step{{nil, 2, false}, {nil, 0, true}}, false},
		{"204 before total_pages", []step{{three, 1, false}, {nil, 0, true}}, true},
		{"empty page before total_pages", []step{{three, 1, false}, {&pagination{}, 0, true}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var declared int64
			var err error
			for i, s := range tt.steps {
				var end bool
				end, err = listEnd(s.meta, &declared, "/v3/x?page=2", i+1, s.n)
				if end != s.end {
					t.Fatalf("page %d: end = %t, want %t", i+1, end, s.end)
				}
			}
			if got := errors.Is(err, ErrShortList); got != tt.wantErr {
				t.Errorf("error = %v, want ErrShortList: %t", err, tt.wantErr)
			}
		})
	}
}

func TestListEndMessage(t *testing.T) {
	declared := int64(3)

	_, err := listEnd(nil, &declared, "v3/orders/payment_actions/refunds/page-0002.json", 2, 0)

	want := "v3/orders/payment_actions/refunds/page-0002.json: field meta.pagination: " +
		"list ends before its declared total_pages: page 2 ends the list, but an earlier page declared 3 pages"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

func TestDecodeInvalidUTF8(t *testing.T) {
	tests := []struct {
		name   string
		decode func([]byte, string) error
		ref    string
		body   string
		want   string
	}{
		{"v2 nested key", v2Error(decodeOrdersPage), "v2/orders/page-0001.json",
			`[{"id":1},{"id":2,"billing_address":{"first_name":"Jos` + "\xe9" + `","zip":"1"}}]`,
			"v2/orders/page-0001.json#1: field billing_address.first_name: invalid UTF-8: the response must be UTF-8"},
		{"v3 array element", v3Error(decodeRefundsPage), "r.json",
			`{"data":[{"id":1,"items":[{"reason":"ok"},{"reason":"` + "\xff" + `"}]}]}`,
			"r.json#0: field items[1].reason: invalid UTF-8: the response must be UTF-8"},
		{"top-level string", v2Error(decodeOrderProducts), "p.json",
			`[{"id":1,"name":"` + "\xc3(" + `"}]`,
			"p.json#0: field name: invalid UTF-8: the response must be UTF-8"},
		{"outside records", v3Error(decodeVariantsPage), "v.json",
			`{"data":[],"meta":{"note":"` + "\xff" + `"}}`,
			"v.json: invalid UTF-8 outside the data records: the response must be UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode([]byte(tt.body), tt.ref)

			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidUTF8) {
				t.Errorf("error %v is not ErrInvalidUTF8", err)
			}
		})
	}
}

// v2Error returns the error of a v2 decoder.
func v2Error[T any](decode func([]byte, string) ([]T, error)) func([]byte, string) error {
	return func(body []byte, ref string) error {
		_, err := decode(body, ref)
		return err
	}
}

// v3Error returns the error of a v3 decoder.
func v3Error[T any](decode func([]byte, string) ([]T, *pagination, error)) func([]byte, string) error {
	return func(body []byte, ref string) error {
		_, _, err := decode(body, ref)
		return err
	}
}
