package admin_test

import (
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/admin"
)

// behindProxy trusts X-Forwarded-For, so that a test speaks from any
// address.
func behindProxy(c *admin.Config) { c.TrustProxy = true }

// tryLoginFrom posts the login form from an address (X-Forwarded-For).
func (c *client) tryLoginFrom(ip, email, password string) int {
	c.e.t.Helper()
	_, page := c.get("/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		c.e.t.Fatalf("no anti-forgery token on the login page")
	}
	form := url.Values{"email": {email}, "password": {password}, "csrf": {m[1]}}
	req, _ := http.NewRequest("POST", c.e.ts.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	resp, _ := c.do(req)
	return resp.StatusCode
}

// throttleRows counts the rows of the login throttle table.
func (e *env) throttleRows() int {
	e.t.Helper()
	db, err := sql.Open("sqlite", e.db.Path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		e.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM login_throttle`).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestLoginThrottleParallel: guesses sent all at once are throttled like
// guesses sent one by one: each attempt is reserved before its password
// is checked (issue 10, item 4: 128 of 150 parallel guesses were checked).
func TestLoginThrottleParallel(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.org", A, "correct horse battery")
	const n = 150
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	clients := make([]*client, n)
	tokens := make([]string, n)
	for i := range clients {
		clients[i] = e.client()
		_, page := clients[i].get("/login")
		tokens[i] = csrfRE.FindStringSubmatch(page)[1]
	}
	start := make(chan struct{})
	for i := range clients {
		wg.Go(func() {
			<-start
			form := url.Values{"email": {"a@example.org"}, "password": {"wrong guess " + fmtInt(int64(i))}, "csrf": {tokens[i]}}
			req, _ := http.NewRequest("POST", e.ts.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := clients[i].Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			statuses[resp.StatusCode]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	t.Logf("statuses: %v", statuses)
	// The policy checks 3 free guesses and a 4th that starts the wait.
	if checked := statuses[http.StatusUnauthorized]; checked < 1 || checked > 4 {
		t.Errorf("%d of %d parallel guesses were checked against the password, want 1 to 4", checked, n)
	}
	if statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests] != n {
		t.Errorf("statuses %v: want only 401 and 429", statuses)
	}
}

// TestLoginLockoutStopsOnlyTheAttacker: an attacker who keeps an account
// locked from her addresses does not lock its owner out: a correct
// password from an address without recent failures logs in, while the
// attacker's addresses stay stopped, even with the right password
// (issue 10, item 5).
func TestLoginLockoutStopsOnlyTheAttacker(t *testing.T) {
	e := newEnv(t, behindProxy)
	e.addUser("a@example.org", A, "correct horse battery")
	const attacker, owner = "192.0.2.66", "198.51.100.7"
	c := e.client()
	for i := 0; i < 35; i++ { // one guess every 16 minutes: the locks of the pair and the address expire in between
		if st := c.tryLoginFrom(attacker, "a@example.org", "guess"); st != http.StatusUnauthorized {
			t.Fatalf("guess %d: status %d, want 401", i+1, st)
		}
		e.clock.Add(16 * time.Minute)
	}
	// Each of the attacker's guesses locks her again for a while.
	c.tryLoginFrom(attacker, "a@example.org", "guess")
	if st := c.tryLoginFrom(attacker, "a@example.org", "correct horse battery"); st != http.StatusTooManyRequests {
		t.Fatalf("attacker's address with the right password: status %d, want 429", st)
	}
	// A second address of the attacker gets one guess, then the account's
	// lock stops it too.
	if st := e.client().tryLoginFrom("203.0.113.9", "a@example.org", "guess"); st != http.StatusUnauthorized {
		t.Fatalf("new address, first guess: status %d, want 401", st)
	}
	if st := e.client().tryLoginFrom("203.0.113.9", "a@example.org", "correct horse battery"); st != http.StatusTooManyRequests {
		t.Fatalf("new address after a failure: status %d, want 429", st)
	}
	// The owner, from her address, logs in.
	if st := e.client().tryLoginFrom(owner, "a@example.org", "correct horse battery"); st != http.StatusSeeOther {
		t.Fatalf("owner from a clean address: status %d, want 303", st)
	}
	// Her login does not free the attacker's address.
	if st := c.tryLoginFrom(attacker, "a@example.org", "correct horse battery"); st != http.StatusTooManyRequests {
		t.Fatalf("attacker after the owner's login: status %d, want 429", st)
	}
}

// TestLoginThrottleIPv6Prefix: the addresses of one IPv6 /64 (one
// customer) count as one address.
func TestLoginThrottleIPv6Prefix(t *testing.T) {
	e := newEnv(t, behindProxy)
	e.addUser("a@example.org", A, "correct horse battery")
	for i := 1; i <= 21; i++ { // 20 free failures, the 21st starts the wait
		if st := e.client().tryLoginFrom("2001:db8::"+fmtInt(int64(i)), "guess"+fmtInt(int64(i))+"@example.org", "wrong"); st != http.StatusUnauthorized {
			t.Fatalf("guess %d: status %d", i, st)
		}
	}
	if st := e.client().tryLoginFrom("2001:db8::ffff", "a@example.org", "correct horse battery"); st != http.StatusTooManyRequests {
		t.Errorf("same /64: status %d, want 429", st)
	}
	if st := e.client().tryLoginFrom("2001:db8:0:1::1", "a@example.org", "correct horse battery"); st != http.StatusSeeOther {
		t.Errorf("another /64: status %d, want 303", st)
	}
}

// TestLoginThrottleStorageBounded: what an anonymous visitor can make the
// login store is bounded (issue 10, item 2: 58 requests of 8 MiB e-mails
// grew the data folder by 1.2 GB). An e-mail longer than 254 bytes is
// refused before any store call; counters are forgotten after a day and
// purged.
func TestLoginThrottleStorageBounded(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, email := range []string{strings.Repeat("a", 243) + "@example.org", strings.Repeat("x", 10<<10), "not an e-mail"} {
		resp, body := c.tryLogin(email, "wrong")
		mustStatus(t, resp, http.StatusUnauthorized)
		mustContain(t, body, "E-mail ou mot de passe incorrect.")
		if strings.Contains(body, "aaaaaaaaaa") || strings.Contains(body, "xxxxxxxxxx") {
			t.Error("the refused e-mail is shown back")
		}
	}
	// A form larger than a login's is not read.
	resp, _ := c.tryLogin(strings.Repeat("x", 8<<20)+"@example.org", "wrong")
	mustStatus(t, resp, http.StatusRequestEntityTooLarge)
	if n := e.throttleRows(); n != 0 {
		t.Fatalf("%d throttle rows after refused e-mails, want 0", n)
	}
	// Unique e-mails of the longest size, one every 15 minutes (the
	// address's waits expire in between) for two days: only the last day's
	// counters stay.
	const step, n = 15 * time.Minute, 200
	for i := 0; i < n; i++ {
		email := fmtInt(int64(i)) + strings.Repeat("b", 242-len(fmtInt(int64(i)))) + "@example.org"
		if len(email) != 254 {
			t.Fatalf("e-mail of %d bytes", len(email))
		}
		if resp, _ := c.tryLogin(email, "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: status %d", i, resp.StatusCode)
		}
		e.clock.Add(step)
	}
	// Each guess keeps two counters (the account from the address, the
	// account), the address one.
	perDay := int(24*time.Hour/step) + 2
	if rows := e.throttleRows(); rows > 2*perDay+1 {
		t.Errorf("%d throttle rows after %d guesses, want at most %d (a day of guesses)", rows, n, 2*perDay+1)
	} else {
		t.Logf("%d throttle rows after %d guesses over %s", rows, n, time.Duration(n)*step)
	}
	var size int64
	for _, p := range []string{e.db.Path, e.db.Path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			size += fi.Size()
		}
	}
	if size > 8<<20 {
		t.Errorf("database files hold %d bytes, want at most 8 MiB", size)
	}
}

// TestPurge: the retention job's purge deletes sessions past their
// timeout (their browsers may never come back) and forgotten counters.
func TestPurge(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.org", A, "correct horse battery")
	e.client().login("a@example.org", "correct horse battery")
	e.client().tryLogin("b@example.org", "wrong")
	if sessions, throttles, err := e.srv.Purge(e.ctx()); err != nil || sessions != 0 || throttles != 0 {
		t.Fatalf("purge now: %d sessions, %d counters, %v; want nothing", sessions, throttles, err)
	}
	e.clock.Add(3 * time.Hour) // past the idle timeout
	if sessions, _, err := e.srv.Purge(e.ctx()); err != nil || sessions != 1 {
		t.Fatalf("purge after the idle timeout: %d sessions, %v; want 1", sessions, err)
	}
	e.clock.Add(22 * time.Hour) // a day after the failure
	if _, throttles, err := e.srv.Purge(e.ctx()); err != nil || throttles != 3 {
		t.Fatalf("purge a day after: %d counters, %v; want 3", throttles, err)
	}
	if n := e.throttleRows(); n != 0 {
		t.Errorf("%d throttle rows left", n)
	}
}
