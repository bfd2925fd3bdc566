package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/badgeuse/badgeuse/central/admin"
)

// budget is an admin.Bodies with a settable room.
type budget struct {
	mu              sync.Mutex
	held, max, peak int64
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

func (b *budget) Release(n int64) { b.mu.Lock(); b.held -= n; b.mu.Unlock() }

func (b *budget) setMax(n int64) { b.mu.Lock(); b.max = n; b.mu.Unlock() }

// TestBodies: a public POST reads a few KiB (issue 10, item 1: 8 MiB
// login forms took central to 3.3 GB); every POST takes its share of the
// bound on bodies in flight first, and is answered 503 when it is full.
func TestBodies(t *testing.T) {
	b := &budget{max: 1 << 30}
	e := newEnv(t, func(c *admin.Config) { c.Bodies = b })
	e.addUser("a@example.org", A, "correct horse battery")

	c := e.client()
	resp, _ := c.tryLogin("a@example.org", strings.Repeat("p", 20<<10))
	mustStatus(t, resp, http.StatusRequestEntityTooLarge)
	if b.peak > 64<<10 {
		t.Errorf("a login reserved %d bytes, want at most 64 KiB", b.peak)
	}

	_, page := c.get("/login")
	b.setMax(0)
	resp, body := c.post("/login", url.Values{"email": {"a@example.org"}, "password": {"correct horse battery"},
		"csrf": {csrfRE.FindStringSubmatch(page)[1]}})
	mustStatus(t, resp, http.StatusServiceUnavailable)
	mustContain(t, body, "Le serveur est occupé")
	b.setMax(1 << 30)
	c.login("a@example.org", "correct horse battery")

	// Logged in: the bound applies too, with the larger size of forms.
	b.setMax(1 << 20)
	resp, _ = c.post("/members", url.Values{"name": {"Alice"}})
	mustStatus(t, resp, http.StatusServiceUnavailable)
	b.setMax(1 << 30)
	resp, _ = c.post("/members", url.Values{"name": {"Alice"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if b.held != 0 {
		t.Errorf("%d bytes still reserved after every request was answered", b.held)
	}
}
