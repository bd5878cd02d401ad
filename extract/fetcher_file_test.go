package extract

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFileFetcher(t *testing.T) {
	fsys := fstest.MapFS{
		"v2/time.json":                       {Data: []byte(`{"time":1}`)},
		"v2/orders/page-0001.json":           {Data: []byte(`[]`)},
		"v2/orders/page-0002.json":           {Data: nil},
		"v2/orders/7/products.json":          {Data: []byte(`[{"id":1}]`)},
		"v2/orders/7/shipments.json":         {Data: nil},
		"v3/catalog/variants/page-0001.json": {Data: []byte(`{"data":[]}`)},
	}
	tests := []struct {
		path   string
		page   string
		status int
		file   string
	}{
		{"/v2/time", "", 200, "v2/time.json"},
		{"/v2/orders", "1", 200, "v2/orders/page-0001.json"},
		{"/v2/orders", "2", 204, "v2/orders/page-0002.json"},
		{"/v2/orders/7/products", "", 200, "v2/orders/7/products.json"},
		{"/v2/orders/7/products", "1", 200, "v2/orders/7/products.json"},
		{"/v2/orders/7/products", "2", 204, ""},
		{"/v2/orders/7/shipments", "", 204, "v2/orders/7/shipments.json"},
		{"/v3/catalog/variants", "1", 200, "v3/catalog/variants/page-0001.json"},
	}
	f := NewFileFetcher(fsys)
	for _, tt := range tests {
		t.Run(tt.path+"?page="+tt.page, func(t *testing.T) {
			q := url.Values{}
			if tt.page != "" {
				q.Set("page", tt.page)
			}
			resp, err := f.Get(context.Background(), tt.path, q)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != tt.status {
				t.Errorf("status = %d, want %d", resp.Status, tt.status)
			}
			if got := resp.Header.Get("Content-Location"); got != tt.file {
				t.Errorf("Content-Location = %q, want %q", got, tt.file)
			}
			if tt.status == 204 && len(resp.Body) != 0 {
				t.Errorf("204 body = %q, want empty", resp.Body)
			}
		})
	}
}

func TestFileFetcherErrors(t *testing.T) {
	f := NewFileFetcher(fstest.MapFS{})
	tests := []struct {
		path     string
		page     string
		notExist bool
	}{
		{"/v2/orders/8/shipments", "", true},
		{"/v3/orders/8/transactions", "", true},
		{"/v2/time", "", true},
		{"/v2/orders", "3", true},
		{"/v3/inventory/items", "1", true},
		{"/v2/../secret", "", false},
		{"/v1/orders", "", false},
		{"v2/orders", "1", false},
		{"/v2/orders", "0", false},
		{"/v2/orders", "x", false},
	}
	for _, tt := range tests {
		q := url.Values{}
		if tt.page != "" {
			q.Set("page", tt.page)
		}
		_, err := f.Get(context.Background(), tt.path, q)
		if err == nil {
			t.Errorf("Get(%s, page %q) succeeded, want an error", tt.path, tt.page)
			continue
		}
		if errors.Is(err, fs.ErrNotExist) != tt.notExist {
			t.Errorf("Get(%s) error %v: not-exist = %t, want %t", tt.path, err, !tt.notExist, tt.notExist)
		}
	}
}

func TestFileFetcherCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewFileFetcher(fstest.MapFS{}).Get(ctx, "/v2/time", nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

// storeFS returns a copy of testdata/store/bigcommerce that a test may
// change.
func storeFS(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := fsWalk("testdata/store/bigcommerce", func(name string, data []byte) {
		fsys[name] = &fstest.MapFile{Data: data}
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}

func TestReadBigCommerceMissingPage(t *testing.T) {
	refundsPage := func(page, totalPages int) *fstest.MapFile {
		body := fmt.Sprintf(`{"data":[{"id":%d,"order_id":101}],`+
			`"meta":{"pagination":{"total":3,"count":1,"per_page":1,"current_page":%d,"total_pages":%d}}}`,
			30+page, page, totalPages)
		return &fstest.MapFile{Data: []byte(body)}
	}
	tests := []struct {
		name   string
		change func(fstest.MapFS)
		file   string
	}{
		{"orders page", func(fsys fstest.MapFS) {
			delete(fsys, "v2/orders/page-0002.json")
		}, "v2/orders/page-0002.json"},
		{"orders end page", func(fsys fstest.MapFS) {
			delete(fsys, "v2/orders/page-0003.json")
		}, "v2/orders/page-0003.json"},
		{"refunds page within total_pages", func(fsys fstest.MapFS) {
			fsys["v3/orders/payment_actions/refunds/page-0001.json"] = refundsPage(1, 3)
			fsys["v3/orders/payment_actions/refunds/page-0003.json"] = refundsPage(3, 3)
		}, "v3/orders/payment_actions/refunds/page-0002.json"},
		{"variants end page", func(fsys fstest.MapFS) {
			delete(fsys, "v3/catalog/variants/page-0002.json")
		}, "v3/catalog/variants/page-0002.json"},
		{"whole list", func(fsys fstest.MapFS) {
			delete(fsys, "v3/inventory/items/page-0001.json")
		}, "v3/inventory/items/page-0001.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := storeFS(t)
			tt.change(fsys)

			_, err := ReadBigCommerce(context.Background(), NewFileFetcher(fsys), BigCommerceOptions{})

			if err == nil {
				t.Fatal("ReadBigCommerce succeeded, want an error")
			}
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("error %v does not wrap fs.ErrNotExist", err)
			}
			if !strings.Contains(err.Error(), "open "+tt.file+":") {
				t.Errorf("error %q does not name %s", err, tt.file)
			}
		})
	}
}
