package bintest

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// RoundRobin is a small reverse proxy for end-to-end tests of several
// centrald behind one address: it spreads requests over Backends
// (host:port) in turn; a request a backend cannot take (refused, reset: it
// is dead) goes to the next, as a load balancer's retry does, and 502 when
// none answers. A push may thus reach central twice: it must count once.
type RoundRobin struct {
	Backends  []string
	next      atomic.Int64
	failovers atomic.Int64
}

// Failovers returns how many requests a dead backend could not take.
func (p *RoundRobin) Failovers() int64 { return p.failovers.Load() }

func (p *RoundRobin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for range p.Backends {
		b := p.Backends[int(p.next.Add(1))%len(p.Backends)]
		req, _ := http.NewRequest(r.Method, "http://"+b+r.URL.RequestURI(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			p.failovers.Add(1)
			continue
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
		return
	}
	http.Error(w, "no backend answered", http.StatusBadGateway)
}

// Buffer is a bytes.Buffer safe for a process's pipes or a reader
// goroutine to write while the test reads it.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
