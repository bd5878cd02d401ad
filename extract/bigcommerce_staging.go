package extract

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// ErrStagingWindow means a staging folder holds part of an extract with
// another window than the one requested, so its responses cannot be
// reused.
var ErrStagingWindow = errors.New("staging folder contains another extract")

// stagingWindowFile records the window of the extract in a staging folder.
const stagingWindowFile = "window.json"

// stagingWindow is the content of window.json. The upper bound of the
// window is the store clock, staged as v2/time.json like any response.
type stagingWindow struct {
	// Origin is the store the responses came from, so that a folder left
	// by an extract of one store is never served to an extract of another.
	Origin  string `json:"origin"`
	Since   string `json:"since"`
	Overlap string `json:"overlap"`
	Live    bool   `json:"live"`
}

// BigCommerceStaging is a Fetcher that keeps every successful response of
// an extract in a staging folder and serves it from there when the same
// request comes again. An extract that was interrupted, by Ctrl-C or a
// crash, therefore resumes where it stopped: GET /v2/time is served
// from the folder, so the window keeps its upper bound, and each list
// page and per-order response finished before is not requested again.
//
// Files use the saved-response layout of docs/formats.md, so a staging
// folder can be read by NewFileFetcher. Each file is written to a
// temporary name and renamed, so a crash leaves no partial response.
// Requests that layout has no name for, and the re-lists by which
// ReadBigCommerce detects edits made while it ran, pass straight to the
// wrapped Fetcher. It is safe for concurrent use.
type BigCommerceStaging struct {
	dir     string
	inner   Fetcher
	log     *slog.Logger
	resumed bool
	served  atomic.Int64
	stored  atomic.Int64
}

// StagingStats counts what a BigCommerceStaging did since it was opened.
type StagingStats struct {
	// Served is the number of responses read from the folder.
	Served int64
	// Stored is the number of responses written to the folder.
	Stored int64
}

// OpenBigCommerceStaging opens or creates the staging folder dir for an
// extract through inner with opt, the options later passed to
// ReadBigCommerce. If dir holds an extract with another Origin, Since,
// Overlap or Live, it fails with ErrStagingWindow: finish that extract, or remove
// the folder with Discard or DiscardBigCommerceStaging.
func OpenBigCommerceStaging(dir string, inner Fetcher, opt BigCommerceOptions) (*BigCommerceStaging, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	want := newStagingWindow(opt)
	got, err := readStagingWindow(dir)
	if err != nil {
		return nil, err
	}
	s := &BigCommerceStaging{dir: dir, inner: inner, log: log, resumed: got != nil}
	if got == nil {
		return s, s.create(want)
	}
	if *got != want {
		return nil, fmt.Errorf("open staging folder %s: %w: origin %q since %q overlap %s live %t, "+
			"not origin %q since %q overlap %s live %t: discard it to start again",
			dir, ErrStagingWindow, got.Origin, got.Since, got.Overlap, got.Live,
			want.Origin, want.Since, want.Overlap, want.Live)
	}
	log.Info("bigcommerce extract resumes from staging folder", "dir", dir, "since", want.Since)
	return s, nil
}

func newStagingWindow(opt BigCommerceOptions) stagingWindow {
	if opt.Since.IsZero() {
		return stagingWindow{Origin: opt.Origin, Live: opt.Live}
	}
	overlap := opt.Overlap
	if overlap == 0 {
		overlap = DefaultOverlap
	}
	return stagingWindow{Origin: opt.Origin, Since: formatFilterTime(opt.Since),
		Overlap: max(overlap, 0).String(), Live: opt.Live}
}

// readStagingWindow returns the window recorded in dir, or nil when dir
// holds none.
func readStagingWindow(dir string) (*stagingWindow, error) {
	data, err := os.ReadFile(filepath.Join(dir, stagingWindowFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open staging folder: %w", err)
	}
	var w stagingWindow
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("open staging folder %s: invalid %s: %w", dir, stagingWindowFile, err)
	}
	return &w, nil
}

func (s *BigCommerceStaging) create(w stagingWindow) error {
	data, err := json.Marshal(w)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Errorf("create staging folder: %w", err)
	}
	return writeFileAtomic(filepath.Join(s.dir, stagingWindowFile), data)
}

// Resumed reports whether the folder held an unfinished extract when it
// was opened.
func (s *BigCommerceStaging) Resumed() bool { return s.resumed }

// Dir returns the staging folder.
func (s *BigCommerceStaging) Dir() string { return s.dir }

// Stats returns the counters.
func (s *BigCommerceStaging) Stats() StagingStats {
	return StagingStats{Served: s.served.Load(), Stored: s.stored.Load()}
}

// UpperBound returns the store clock staged by the first GET /v2/time of
// the extract, which ends its window, and false before that request.
func (s *BigCommerceStaging) UpperBound() (time.Time, bool) {
	data, err := os.ReadFile(filepath.Join(s.dir, "v2", "time.json"))
	if err != nil {
		return time.Time{}, false
	}
	sec, err := decodeStoreTime(data, "v2/time.json")
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(sec, 0).UTC(), true
}

// Commit removes the staging folder. Call it once the snapshot read
// through the staging has been stored for good.
func (s *BigCommerceStaging) Commit() error {
	if err := os.RemoveAll(s.dir); err != nil {
		return fmt.Errorf("remove committed staging folder: %w", err)
	}
	return nil
}

// Discard removes the staging folder and with it the unfinished extract.
func (s *BigCommerceStaging) Discard() error {
	return DiscardBigCommerceStaging(s.dir)
}

// DiscardBigCommerceStaging removes the staging folder dir, if any.
func DiscardBigCommerceStaging(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("discard staging folder: %w", err)
	}
	return nil
}

// Get serves GET path?query from the folder when a previous request
// stored it, and otherwise calls the wrapped Fetcher and stores a 2xx
// response. A failure to store the response is an error, because the
// extract could not resume past it.
func (s *BigCommerceStaging) Get(ctx context.Context, path string, query url.Values) (Response, error) {
	mode := stagingModeOf(ctx)
	name, err := savedName(path, query)
	if mode == stagingBypass || err != nil || name == "" {
		return s.inner.Get(ctx, path, query)
	}
	file := filepath.Join(s.dir, filepath.FromSlash(name))
	if mode == stagingUse {
		if body, err := os.ReadFile(file); err == nil {
			s.served.Add(1)
			return savedResponse(name, body), nil
		}
	}

	resp, err := s.inner.Get(ctx, path, query)
	if err != nil || resp.Status < 200 || resp.Status > 299 {
		return resp, err
	}
	body := resp.Body
	if resp.Status == http.StatusNoContent {
		body = nil
	}
	if err := writeFileAtomic(file, body); err != nil {
		return Response{}, fmt.Errorf("stage response to GET %s: %w", path, err)
	}
	s.stored.Add(1)
	return resp, nil
}

// writeFileAtomic writes data to a temporary file beside name and renames
// it to name, creating the folder.
func writeFileAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// stagingMode is the treatment a BigCommerceStaging gives one request.
type stagingMode int

const (
	// stagingUse serves a staged response, or fetches and stages one.
	stagingUse stagingMode = iota
	// stagingRefresh fetches and stages, replacing a staged response.
	stagingRefresh
	// stagingBypass fetches without reading or writing the folder.
	stagingBypass
)

type stagingModeKey struct{}

// withStagingMode returns ctx carrying mode for the requests made with it.
func withStagingMode(ctx context.Context, mode stagingMode) context.Context {
	return context.WithValue(ctx, stagingModeKey{}, mode)
}

func stagingModeOf(ctx context.Context) stagingMode {
	mode, _ := ctx.Value(stagingModeKey{}).(stagingMode)
	return mode
}
