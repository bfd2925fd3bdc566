package syncapi_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/central/syncapi"
	"github.com/badgeuse/badgeuse/shared/wire"
)

// TestEnrollBodyLimits: an enrollment (anonymous) reads about 1 KiB,
// compressed or decompressed (issue 10, item 1: a 4 KiB gzip bomb made
// central hold about 17 MiB per request).
func TestEnrollBodyLimits(t *testing.T) {
	s := newServer(t)
	long := []byte(`{"protocol":1,"token":"abc","software":"` + strings.Repeat("x", 2<<10) + `"}`)
	for _, tc := range []struct {
		name string
		body []byte
		opts []func(*http.Request)
	}{
		{"Plain", long, nil},
		{"Gzip", gzipped(long), []func(*http.Request){withGzip}},
		{"GzipBomb", bomb(4 << 20), []func(*http.Request){withGzip}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, werr := s.post(wire.PathEnroll, "", tc.body, nil, tc.opts...)
			if status != http.StatusRequestEntityTooLarge || werr.Code != wire.CodeTooLarge {
				t.Fatalf("%d %+v, want 413 %s", status, werr, wire.CodeTooLarge)
			}
		})
	}
	// A real enrollment still fits, compressed or not.
	s.enroll("porte")
}

// budget is a Bodies that counts what is held and can be made full.
type budget struct {
	mu        sync.Mutex
	held, max int64
	peak      int64
}

func (b *budget) Reserve(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.held+n > b.max {
		return false
	}
	b.held += n
	b.peak = max(b.peak, b.held)
	return true
}

func (b *budget) Release(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held -= n
}

// TestBodiesBound: beyond the bound on bodies in flight, requests are
// answered 503 before their body is read, and every reservation is given
// back.
func TestBodiesBound(t *testing.T) {
	s := newServer(t)
	b := &budget{max: 1 << 30}
	h := &syncapi.Handler{Kiosks: s.kiosks, Sync: sqlstore.NewSyncService(s.db.DB), Spaces: sqlstore.NewSpaceService(s.db.DB),
		Bodies: b, Logger: slog.New(slog.NewTextHandler(s.logs, nil))}
	mux := http.NewServeMux()
	h.Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s.srv = srv
	resp, _ := s.enroll("porte")
	var pr wire.PushResponse
	if status, werr := s.post(wire.PathPush, resp.KioskToken, wire.PushRequest{Protocol: wire.Version}, &pr); status != 200 {
		t.Fatalf("push: %d %+v", status, werr)
	}
	if b.peak < 2*wire.MaxBodyBytes {
		t.Errorf("a push reserved %d bytes, want at least %d", b.peak, 2*wire.MaxBodyBytes)
	}
	b.mu.Lock()
	b.max = 2 * wire.MaxBodyBytes // room for one push, not two
	b.held = wire.MaxBodyBytes
	b.mu.Unlock()
	status, werr := s.post(wire.PathPush, resp.KioskToken, wire.PushRequest{Protocol: wire.Version}, nil)
	if status != http.StatusServiceUnavailable || werr.Code != wire.CodeInternal {
		t.Fatalf("push over the bound: %d %+v, want 503 %s", status, werr, wire.CodeInternal)
	}
	status, _ = s.post(wire.PathPull, resp.KioskToken, wire.PullRequest{Protocol: wire.Version}, nil)
	if status != http.StatusServiceUnavailable {
		t.Fatalf("pull over the bound: %d, want 503", status)
	}
	b.mu.Lock()
	b.held = 0
	b.mu.Unlock()
	// Many enrollments at once, bombs among them: all answered, all given back.
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", srv.URL+wire.PathEnroll, bytes.NewReader(bomb(1<<20)))
			req.Header.Set("Content-Encoding", "gzip")
			r, err := srv.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			r.Body.Close()
			if r.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("bomb: status %d", r.StatusCode)
			}
		})
	}
	wg.Wait()
	if b.held != 0 {
		t.Errorf("%d bytes still reserved after every request was answered", b.held)
	}
}
