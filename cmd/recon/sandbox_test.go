package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer that a command writes to while the test
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var baseURLPattern = regexp.MustCompile(`--base-url (http://127\.0\.0\.1:\d+)`)

// waitForBaseURL returns the base URL the sandbox printed.
func waitForBaseURL(t *testing.T, out *lockedBuffer) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := baseURLPattern.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("sandbox printed no base URL:\n%s", out.String())
	return ""
}

func TestSandboxServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"recon", "sandbox", "--addr", "127.0.0.1:0", "--token", "sandbox-token"}, &stdout, &stderr)
	}()
	baseURL := waitForBaseURL(t, &stdout)

	req, _ := http.NewRequest(http.MethodGet, baseURL+"/stores/"+sandboxStoreHash+"/v2/time", nil)
	req.Header.Set("X-Auth-Token", "sandbox-token")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()

	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /v2/time: status %d, want 200", resp.StatusCode)
	}
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("exit code %d after cancel, want 0; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox still serving 10 s after cancel")
	}
	for _, want := range []string{
		"export " + envStoreHash + "=" + sandboxStoreHash,
		"export " + envToken + "=sandbox-token",
		"recon extract bigcommerce --base-url " + baseURL,
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestSandboxRejectsNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8765", ":8765", "192.168.1.10:8765", "example.com:80", "8765"} {
		ln, err := listenLoopback(addr)
		if err == nil {
			ln.Close()
			t.Errorf("listenLoopback(%q) succeeded, want an error", addr)
			continue
		}
		if !strings.Contains(err.Error(), "invalid --addr") {
			t.Errorf("listenLoopback(%q) error %q, want one naming --addr", addr, err)
		}
	}
}

func TestSandboxAcceptsLoopback(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		ln, err := listenLoopback(addr)
		if err != nil {
			t.Errorf("listenLoopback(%q): %v", addr, err)
			continue
		}
		if !strings.HasPrefix(ln.Addr().String(), "127.0.0.1:") {
			t.Errorf("listenLoopback(%q) listens on %s, want 127.0.0.1", addr, ln.Addr())
		}
		ln.Close()
	}
}

func TestSandboxGeneratesToken(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"recon", "sandbox", "--addr", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	waitForBaseURL(t, &stdout)
	cancel()
	<-exited

	m := regexp.MustCompile(envToken + `=(\S+)`).FindStringSubmatch(stdout.String())
	if m == nil || len(m[1]) < 20 {
		t.Errorf("stdout shows no generated token of 20 or more characters:\n%s", stdout.String())
	}
}
