package extract

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
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
		{"/v2/orders", "3", 204, ""},
		{"/v2/orders/7/products", "", 200, "v2/orders/7/products.json"},
		{"/v2/orders/7/products", "1", 200, "v2/orders/7/products.json"},
		{"/v2/orders/7/products", "2", 204, ""},
		{"/v2/orders/7/shipments", "", 204, "v2/orders/7/shipments.json"},
		{"/v3/catalog/variants", "1", 200, "v3/catalog/variants/page-0001.json"},
		{"/v3/inventory/items", "1", 204, ""},
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
