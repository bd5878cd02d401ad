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
