package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

func TestPasswordHash(t *testing.T) {
	h1, err := admin.HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := admin.HashPassword("correct horse battery")
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q: want argon2id m=19456 t=2 p=1", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		if ok, err := admin.VerifyPassword(h1, tc.pw); err != nil || ok != tc.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	if _, err := admin.VerifyPassword("$2a$10$bcrypt", "x"); err == nil {
		t.Error("a non-argon2id hash verified without error")
	}
	if admin.CheckPassword("short") == nil || admin.CheckPassword(strings.Repeat("é", 64)) != nil {
		t.Error("password length rules")
	}
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "badgeuse_session") && c.Value != "" {
			return c
		}
	}
	return nil
}

func TestSessionCookie(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.org", A, "correct horse battery")
	c := e.client()
	resp, _ := c.tryLogin("a@example.org", "correct horse battery")
	mustStatus(t, resp, http.StatusSeeOther)
	ck := sessionCookie(resp)
	if ck == nil {
		t.Fatal("no session cookie")
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/", ck)
	}
	if ck.Secure || ck.Name != "badgeuse_session" {
		t.Errorf("over plain HTTP without a trusted proxy: cookie %s secure=%v", ck.Name, ck.Secure)
	}
	if len(ck.Value) < 22 { // 128 bits in base64url
		t.Errorf("session id %d characters: fewer than 128 bits", len(ck.Value))
	}
	// Stored hashed: the id itself finds nothing, its hash does.
	if _, _, err := e.store.FindSession(e.ctx(), ck.Value); err == nil {
		t.Error("session found by its raw id: not stored hashed")
	}
	if _, _, err := e.store.FindSession(e.ctx(), central.HashToken(ck.Value)); err != nil {
		t.Errorf("session not found by its hash: %v", err)
	}
	// A new id at each login.
	c2 := e.client()
	resp2, _ := c2.tryLogin("a@example.org", "correct horse battery")
	if ck2 := sessionCookie(resp2); ck2 == nil || ck2.Value == ck.Value {
		t.Error("two logins share a session id")
	}
}

func TestSessionFixation(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.org", A, "correct horse battery")
	c := e.client()
	base, _ := url.Parse(e.ts.URL)
	c.Jar.SetCookies(base, []*http.Cookie{{Name: "badgeuse_session", Value: "planted-by-an-attacker-0123456789", Path: "/"}})
	resp, _ := c.tryLogin("a@example.org", "correct horse battery")
	if ck := sessionCookie(resp); ck == nil || ck.Value == "planted-by-an-attacker-0123456789" {
		t.Error("the login kept a session id the browser brought")
	}
}

func TestSecureCookieBehindProxy(t *testing.T) {
	for _, tc := range []struct {
		name       string
		trust      bool
		proto      string
		wantSecure bool
	}{
		{"TrustedHTTPS", true, "https", true},
		{"TrustedHTTP", true, "http", false},
		{"UntrustedHeader", false, "https", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *admin.Config) { c.TrustProxy = tc.trust })
			req, _ := http.NewRequest("GET", e.ts.URL+"/login", nil)
			req.Header.Set("X-Forwarded-Proto", tc.proto)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var ck *http.Cookie
			for _, c := range resp.Cookies() {
				ck = c
			}
			if ck == nil {
				t.Fatal("no cookie")
			}
			if ck.Secure != tc.wantSecure || strings.HasPrefix(ck.Name, "__Host-") != tc.wantSecure {
				t.Errorf("cookie %s secure=%v, want secure=%v (and __Host- prefix)", ck.Name, ck.Secure, tc.wantSecure)
			}
		})
	}
}

func TestSessionTimeouts(t *testing.T) {
	e := newEnv(t)
	c := e.as(A)
	e.clock.Add(119 * time.Minute)
	if resp, _ := c.get("/today"); resp.StatusCode != 200 {
		t.Fatalf("idle 1h59: status %d, want 200", resp.StatusCode)
	}
	e.clock.Add(121 * time.Minute)
	if resp, _ := c.get("/today"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("idle 2h01: status %d, want 303 to /login", resp.StatusCode)
	}

	// Absolute: active every hour, out after 12 hours all the same.
	c = e.client().login("admin@example.org", "correct horse battery")
	for i := 0; i < 11; i++ {
		e.clock.Add(time.Hour)
		if resp, _ := c.get("/today"); resp.StatusCode != 200 {
			t.Fatalf("after %dh of activity: status %d", i+1, resp.StatusCode)
		}
	}
	e.clock.Add(61 * time.Minute)
	if resp, _ := c.get("/today"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after 12h01: status %d, want 303", resp.StatusCode)
	}
}

func TestLogoutAndDisable(t *testing.T) {
	e := newEnv(t)
	c := e.as(A)
	resp, _ := c.post("/logout", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if resp, _ := c.get("/today"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: status %d, want 303", resp.StatusCode)
	}
	admin := e.client().login("admin@example.org", "correct horse battery")
	door := e.as(D)
	u, _ := e.store.FindAdminUserByEmail(e.ctx(), "door@example.org")
	resp, _ = admin.post("/settings/users/"+itoa(u.ID), url.Values{"disabled": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if resp, _ := door.get("/today"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled user: status %d, want 303 to /login", resp.StatusCode)
	}
	if resp, _ := e.client().tryLogin("door@example.org", "correct horse battery"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("disabled user logs in: status %d", resp.StatusCode)
	}
	me, _ := e.store.FindAdminUserByEmail(e.ctx(), "admin@example.org")
	if resp, _ := admin.post("/settings/users/"+itoa(me.ID), url.Values{"disabled": {"1"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an admin disabled herself: status %d", resp.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	c := e.as(A)
	other := e.as(D)
	form := func(csrf string) url.Values {
		v := url.Values{"name": {"Mallory"}}
		if csrf != "-" {
			v.Set("csrf", csrf)
		} else {
			v.Set("_nocsrf", "1")
		}
		return v
	}
	for _, tc := range []struct {
		name string
		csrf string
		want int
	}{
		{"Missing", "-", http.StatusForbidden},
		{"Empty", "", http.StatusForbidden},
		{"Wrong", "not-the-token", http.StatusForbidden},
		{"OtherSession", other.csrf, http.StatusForbidden},
		{"Right", c.csrf, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := c.post("/members", form(tc.csrf))
			mustStatus(t, resp, tc.want)
		})
	}
	t.Run("CrossSite", func(t *testing.T) {
		v := form(c.csrf)
		req, _ := http.NewRequest("POST", e.ts.URL+"/members", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, _ := c.do(req)
		mustStatus(t, resp, http.StatusForbidden)
	})
	t.Run("Login", func(t *testing.T) {
		resp, _ := e.client().post("/login", url.Values{"email": {"admin@example.org"}, "password": {"correct horse battery"}})
		mustStatus(t, resp, http.StatusForbidden)
	})
	t.Run("SelfService", func(t *testing.T) {
		_, token, err := e.store.CreateMemberLink(e.ctx(), 1)
		if err != nil {
			t.Fatal(err)
		}
		m := e.client()
		resp, _ := m.post("/m/"+token+"/badge", url.Values{"csrf": {"nope"}})
		mustStatus(t, resp, http.StatusForbidden)
		_, page := m.get("/m/" + token)
		resp, _ = m.post("/m/"+token+"/badge", url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}})
		mustStatus(t, resp, http.StatusSeeOther) // to the badge's one-time view
		resp, _ = m.follow(resp, "")
		mustStatus(t, resp, http.StatusOK)
	})
}

func TestLoginThrottle(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.org", A, "correct horse battery")
	c := e.client()
	for i := 1; i <= 3; i++ { // free failures
		if resp, _ := c.tryLogin("a@example.org", "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d, want 401", i, resp.StatusCode)
		}
	}
	if resp, _ := c.tryLogin("a@example.org", "wrong"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("failure 4: status %d", resp.StatusCode)
	}
	// Now the account waits 2 s: even the right password is refused.
	resp, body := c.tryLogin("a@example.org", "correct horse battery")
	mustStatus(t, resp, http.StatusTooManyRequests)
	mustContain(t, body, "Trop d’essais")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// Another account from another address is not slowed down.
	e.addUser("b@example.org", D, "correct horse battery")
	if resp, _ := e.client().tryLogin("b@example.org", "correct horse battery"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another account: status %d", resp.StatusCode)
	}
	e.clock.Add(3 * time.Second)
	if resp, _ := c.tryLogin("a@example.org", "correct horse battery"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the wait: status %d, want 303", resp.StatusCode)
	}
	// Ten failures in a row lock the account for 15 minutes.
	c = e.client()
	for i := 1; i <= 10; i++ {
		c.tryLogin("a@example.org", "wrong")
		e.clock.Add(10 * time.Minute) // wait out each delay
	}
	e.clock.Add(-10 * time.Minute)
	e.clock.Add(14 * time.Minute)
	if resp, _ := c.tryLogin("a@example.org", "correct horse battery"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("locked account: status %d, want 429", resp.StatusCode)
	}
	e.clock.Add(2 * time.Minute)
	if resp, _ := e.client().tryLogin("a@example.org", "correct horse battery"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the lock: status %d, want 303", resp.StatusCode)
	}
}

func TestLoginThrottlePerAddress(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.org", A, "correct horse battery")
	c := e.client()
	// Guessing many accounts from one address: each account stays under
	// its own limit, the address does not.
	for i := 0; i < 20; i++ {
		if resp, _ := c.tryLogin("guess"+itoa(int64(i))+"@example.org", "wrong"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
		}
	}
	c.tryLogin("guess-21@example.org", "wrong")
	if resp, _ := c.tryLogin("a@example.org", "correct horse battery"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("from a guessing address: status %d, want 429", resp.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	c := e.as(A)
	for _, p := range []string{"/login", "/today", "/members/1", "/static/style.css", "/nope", "/settings"} {
		resp, _ := c.get(p)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", p, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline code: %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", p, h)
		}
	}
}

// TestNoInlineCode: the CSP forbids inline scripts and styles; no page
// may need them.
func TestNoInlineCode(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	c := e.as(A)
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]|<script>|\sstyle=|<style|\son[a-z]+=|javascript:`)
	for _, p := range []string{"/login", "/today", "/members", "/members/1", "/products", "/sales", "/entries", "/kiosks",
		"/settings", "/audit", "/export", "/members/import", "/stats"} {
		_, body := c.get(p)
		if m := inline.FindString(body); m != "" {
			t.Errorf("%s: inline code %q", p, m)
		}
	}
	resp, body := c.follow(c.post("/members/1/badges", nil))
	mustStatus(t, resp, 200)
	if m := inline.FindString(body); m != "" {
		t.Errorf("badge page: inline code %q", m)
	}
}

func itoa(n int64) string { return fmtInt(n) }

// TestOpenRedirect: /lang/{lang}?next= (no login needed) and the login's
// next never send a browser to another site (issue 10, item 3). Browsers
// strip tabs and newlines from a Location, so "/\t/evil.example" would
// land on evil.example.
func TestOpenRedirect(t *testing.T) {
	e := newEnv(t)
	e.addUser("a@example.org", A, "correct horse battery")
	for _, next := range []string{"/\t/evil.example", "/%09/evil.example", "//evil.example", "/\\evil.example",
		"https://evil.example", "/ /evil.example", "/%2F%2Fevil.example", "/\n/evil.example"} {
		resp, _ := e.client().get("/lang/en?next=" + url.QueryEscape(next))
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/login" {
			t.Errorf("/lang/en?next=%q: Location %q, want /login", next, loc)
		}
		c := e.client()
		_, page := c.get("/login?next=" + url.QueryEscape(next))
		if strings.Contains(page, "evil.example") {
			t.Errorf("/login?next=%q: the form carries the next", next)
		}
		m := csrfRE.FindStringSubmatch(page)
		resp, _ = c.post("/login", url.Values{"email": {"a@example.org"}, "password": {"correct horse battery"},
			"csrf": {m[1]}, "next": {next}})
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/today" {
			t.Errorf("login with next=%q: Location %q, want /today", next, loc)
		}
	}
	// A path of the site is kept.
	resp, _ := e.client().get("/lang/en?next=" + url.QueryEscape("/members?q=x"))
	if loc := resp.Header.Get("Location"); loc != "/members?q=x" {
		t.Errorf("Location %q, want /members?q=x", loc)
	}
}
