package extract

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// pagedLists are the requests saved as one file per page. Every page the
// walker requests must exist: a v2 list ends with a zero-byte page, and a
// v3 list stops at the total_pages of its meta.pagination.
var pagedLists = map[string]bool{
	"/v2/orders":                         true,
	"/v3/orders/payment_actions/refunds": true,
	"/v3/catalog/variants":               true,
	"/v3/inventory/locations":            true,
	"/v3/inventory/items":                true,
}

// fileFetcher serves saved BigCommerce responses from a file system.
type fileFetcher struct {
	fsys fs.FS
}

// NewFileFetcher returns a Fetcher that reads responses saved in the
// layout of docs/formats.md, rooted at the bigcommerce folder. A paged
// list maps to PATH/page-NNNN.json, and any other request to PATH.json,
// which holds every page of it. A zero-byte file is a 204 response. A
// missing file, including a missing page of a paged list, is an error
// naming it that wraps fs.ErrNotExist, because a list cut short would
// load without the records of its missing pages. Responses carry the
// file name in the Content-Location header.
func NewFileFetcher(fsys fs.FS) Fetcher {
	return fileFetcher{fsys: fsys}
}

// Get reads the saved response to GET path?query.
func (f fileFetcher) Get(ctx context.Context, path string, query url.Values) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, err
	}
	name, err := savedName(path, query)
	if err != nil {
		return Response{}, err
	}
	if name == "" {
		return noContent(), nil
	}
	body, err := fs.ReadFile(f.fsys, name)
	if errors.Is(err, fs.ErrNotExist) && pagedLists[path] {
		return Response{}, fmt.Errorf("read saved response: missing page of %s, which would cut the list short "+
			"(save every page, and end a v2 list with a zero-byte page): %w", path, err)
	}
	if err != nil {
		return Response{}, fmt.Errorf("read saved response: %w", err)
	}
	return savedResponse(name, body), nil
}

// savedName returns the file holding the response to GET path?query, or
// "" for a page past the first of a list saved whole.
func savedName(path string, query url.Values) (string, error) {
	rel := strings.TrimPrefix(path, "/")
	if !strings.HasPrefix(path, "/v2/") && !strings.HasPrefix(path, "/v3/") || !fs.ValidPath(rel) {
		return "", fmt.Errorf("invalid request path %q: expected /v2/... or /v3/...", path)
	}
	page := 1
	if p := query.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return "", fmt.Errorf("invalid page %q for %s", p, path)
		}
		page = n
	}
	switch {
	case pagedLists[path]:
		return fmt.Sprintf("%s/page-%04d.json", rel, page), nil
	case page > 1:
		return "", nil
	default:
		return rel + ".json", nil
	}
}

func noContent() Response {
	return Response{Status: http.StatusNoContent, Header: http.Header{}}
}

func savedResponse(name string, body []byte) Response {
	h := http.Header{"Content-Location": {name}}
	if len(body) == 0 {
		return Response{Status: http.StatusNoContent, Header: h}
	}
	h.Set("Content-Type", "application/json")
	return Response{Status: http.StatusOK, Header: h, Body: body}
}
