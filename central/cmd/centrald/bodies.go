package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
)

// defaultBodyMemory is the bound on the bytes request bodies may hold at
// once, across the sync API, the web admin and the webhooks (MiB;
// CENTRALD_BODY_MEMORY_MIB changes it). Each request takes its share (about
// twice the body size its route allows: 2 KiB for an enrollment, 32 KiB
// for a login, 8 MiB for a kiosk push, 16 MiB for an admin form) before
// its body is read, and is answered 503 when the bound is reached: a flood
// of requests costs central a bounded amount of memory instead of killing
// it. 64 MiB serves several kiosks pushing full batches at once.
const defaultBodyMemory = 64

// bodies is the bound shared by the handlers (syncapi.Bodies, admin.Bodies).
type bodies struct {
	mu        sync.Mutex
	held, max int64
}

func newBodies(max int64) *bodies { return &bodies{max: max} }

// Reserve takes n bytes, or reports false when they would go over the bound.
func (b *bodies) Reserve(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if n < 0 || b.held+n > b.max {
		return false
	}
	b.held += n
	return true
}

// Release gives back n bytes taken by Reserve.
func (b *bodies) Release(n int64) {
	b.mu.Lock()
	b.held -= n
	b.mu.Unlock()
}

// limit wraps a handler whose body may hold up to n bytes (the webhooks,
// which bound their own bodies): it takes n before the handler runs.
func (b *bodies) limit(n int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !b.Reserve(n) {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "busy: retry later", http.StatusServiceUnavailable)
			return
		}
		defer b.Release(n)
		h.ServeHTTP(w, r)
	})
}

// bodyMemory reads CENTRALD_BODY_MEMORY_MIB (default defaultBodyMemory).
func bodyMemory() (int64, error) {
	v := os.Getenv("CENTRALD_BODY_MEMORY_MIB")
	if v == "" {
		return defaultBodyMemory << 20, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 16 || n > 1<<20 {
		return 0, fmt.Errorf("CENTRALD_BODY_MEMORY_MIB=%q: want a number of MiB from 16", v)
	}
	return n << 20, nil
}
