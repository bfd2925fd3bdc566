package admin_test

import (
	"bytes"
	"context"
	"github.com/badgeuse/badgeuse/shared/clocktest"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

var _ admin.Store = (*sqlstore.AdminService)(nil)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// env is a real admin on a real SQLite file in t.TempDir().
type env struct {
	t     testing.TB
	db    *sqlite.DB
	store *sqlstore.AdminService
	srv   *admin.Server
	ts    *httptest.Server
	clock *clocktest.Clock
	logs  *syncBuffer
	cfg   admin.Config

	members  *sqlstore.MemberService
	products *sqlstore.ProductService
	ledger   *sqlstore.LedgerService
	badges   *sqlstore.BadgeService
	kiosks   *sqlstore.KioskService
	sync     *sqlstore.SyncService
	settings *sqlstore.SettingsService
}

// start is a fixed Thursday morning in Paris.
var start = time.Date(2026, 11, 26, 8, 12, 0, 0, time.UTC)

func newEnv(t testing.TB, opts ...func(*admin.Config)) *env {
	t.Helper()
	e := &env{t: t, clock: clocktest.New(start), logs: &syncBuffer{}}
	dir := t.TempDir()
	copyMigrated(t, dir) // a new database, migrated once per test binary
	e.db = sqlite.NewDB(dir)
	e.db.Reactions = []central.Reaction{slack.React, billing.React} // as centrald registers them
	e.db.Now = e.clock.Now
	if err := e.db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	e.store = sqlstore.NewAdminService(e.db.DB)
	e.members, e.products, e.ledger = sqlstore.NewMemberService(e.db.DB), sqlstore.NewProductService(e.db.DB), sqlstore.NewLedgerService(e.db.DB)
	e.badges, e.kiosks, e.sync = sqlstore.NewBadgeService(e.db.DB), sqlstore.NewKioskService(e.db.DB), sqlstore.NewSyncService(e.db.DB)
	e.settings = sqlstore.NewSettingsService(e.db.DB)
	e.cfg = admin.Config{
		Members: e.members, Products: e.products, Ledger: e.ledger, Badges: e.badges, Kiosks: e.kiosks, KioskHealth: e.kiosks,
		Entries: sqlstore.NewEntryService(e.db.DB), Settings: e.settings, Audit: sqlstore.NewAuditService(e.db.DB),
		Store: e.store, Profiles: sqlstore.NewProfileService(e.db.DB), Calendar: sqlstore.NewCalendarService(e.db.DB), Bookings: sqlstore.NewBookingService(e.db.DB), Spaces: sqlstore.NewSpaceService(e.db.DB), Codes: e.db, Guests: sqlstore.NewGuestService(e.db.DB), Now: e.clock.Now,
		SettlementPDF: billing.SettlementPDFs{},
		Logger:        slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(&e.cfg)
	}
	srv, err := admin.New(e.cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("admin logs:\n%s", e.logs.String())
		}
	})
	return e
}

func (e *env) ctx() context.Context { return central.NewContextWithActor(context.Background(), "test") }

// addUser adds an admin user with a password.
func (e *env) addUser(email string, role central.Role, password string) *central.AdminUser {
	e.t.Helper()
	u := &central.AdminUser{Email: email, Role: role, PasswordHash: passwordHash(e.t, password)}
	if err := e.store.CreateAdminUser(e.ctx(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

// client is a browser: a cookie jar, no automatic redirects.
type client struct {
	*http.Client
	e    *env
	csrf string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, Client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// aliceWithLink adds the member Alice Martin (alice@example.org) and
// returns her with her personal link's token.
func aliceWithLink(t *testing.T, e *env) (*central.Member, string) {
	t.Helper()
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(e.ctx(), alice); err != nil {
		t.Fatal(err)
	}
	_, token, err := e.store.CreateMemberLink(e.ctx(), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	return alice, token
}

// do sends a request and returns the response with its body read.
// unfilledRE finds what a message shows when it was given fewer or more
// arguments than its format verbs: "%s", "%d" left as they are, or fmt's
// "%!s(MISSING)" and "%!(EXTRA ...)".
var unfilledRE = regexp.MustCompile(`%[sdvq]\b|%!`)

// missingKeyRE finds what a message shows when its key is not in the
// catalog: the key in brackets, "[weekday.7]" (translate).
var missingKeyRE = regexp.MustCompile(`\[[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\]`)

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.e.t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if m := unfilledRE.FindString(body); m != "" && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		c.e.t.Errorf("%s %s shows a message's unfilled format verb %q", req.Method, req.URL.Path, m)
	}
	if m := missingKeyRE.FindString(body); m != "" && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		c.e.t.Errorf("%s %s shows a missing message key %s", req.Method, req.URL.Path, m)
	}
	// Post/Redirect/Get: a POST answers 303 to the page that shows what
	// it did (or 4xx with its form), so that reloading that page does
	// nothing again. One exception: the preview of a members' file, which
	// changes nothing and whose page carries the file to import it.
	if req.Method == http.MethodPost && resp.StatusCode == http.StatusOK && req.URL.Path != "/members/import" {
		c.e.t.Errorf("POST %s answered 200: a POST answers 303 to the page that shows its result (or 4xx with the form)", req.URL.Path)
	}
	if m := csrfRE.FindStringSubmatch(body); m != nil && !strings.Contains(req.URL.Path, "/login") {
		c.csrf = m[1]
	}
	return resp, body
}

func (c *client) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest("GET", c.e.ts.URL+path, nil)
	return c.do(req)
}

// post sends a form with the client's anti-forgery token (unless the
// form sets csrf itself).
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Has("_nocsrf") {
		form.Del("_nocsrf")
	} else if _, ok := form["csrf"]; !ok && c.csrf != "" {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// tryLogin posts the login form (after getting it, for its token).
func (c *client) tryLogin(email, password string) (*http.Response, string) {
	c.e.t.Helper()
	_, page := c.get("/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		c.e.t.Fatalf("no anti-forgery token on the login page:\n%s", page)
	}
	return c.post("/login", url.Values{"email": {email}, "password": {password}, "csrf": {m[1]}})
}

// login logs in and loads /today (for the session's token).
func (c *client) login(email, password string) *client {
	c.e.t.Helper()
	resp, body := c.tryLogin(email, password)
	if resp.StatusCode != http.StatusSeeOther {
		c.e.t.Fatalf("login %s: status %d\n%s", email, resp.StatusCode, body)
	}
	if resp, _ := c.get("/today"); resp.StatusCode != 200 {
		c.e.t.Fatalf("after login: /today status %d", resp.StatusCode)
	}
	return c
}

// as returns a client logged in as a new user with the role.
func (e *env) as(role central.Role) *client {
	e.t.Helper()
	email := string(role) + "@example.org"
	e.addUser(email, role, "correct horse battery")
	return e.client().login(email, "correct horse battery")
}

func mustContain(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustStatus(t testing.TB, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, want)
	}
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }
