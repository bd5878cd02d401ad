package extract

import (
	"context"
	"net/http"
	"net/url"
)

// Response is one BigCommerce API response: the status code, the headers
// and the body. A 204 No Content response has an empty body.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Fetcher performs a GET against the BigCommerce REST API or a saved copy
// of it. Path starts with "/v2/" or "/v3/" and excludes the store prefix;
// query carries the filters and paging. A non-2xx status other than those
// a Fetcher retries itself is returned as an error naming the path and the
// status.
type Fetcher interface {
	Get(ctx context.Context, path string, query url.Values) (Response, error)
}
