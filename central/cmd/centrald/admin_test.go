package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

func TestAdminAdd(t *testing.T) {
	c := newCLI(t)
	// From stdin.
	out, errOut, err := c.run("correct horse battery\n", "admin", "add", "--email", "ana@example.org")
	if err != nil {
		t.Fatalf("admin add: %v\n%s", err, errOut)
	}
	if strings.TrimSpace(out) != "1" {
		t.Errorf("admin add printed %q, want the id 1", out)
	}
	// From a file, with a role.
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("another good passphrase\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.ok("admin", "add", "--email", "bob@example.org", "--role", "door", "--password-file", pw)

	db := c.db()
	store := sqlstore.NewAdminService(db.DB)
	for email, want := range map[string]string{"ana@example.org": "correct horse battery", "bob@example.org": "another good passphrase"} {
		u, err := store.FindAdminUserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := admin.VerifyPassword(u.PasswordHash, want); !ok {
			t.Errorf("%s: password not stored as typed", email)
		}
		if strings.Contains(u.PasswordHash, want) {
			t.Errorf("%s: password stored in clear", email)
		}
	}
	if u, _ := store.FindAdminUserByEmail(context.Background(), "bob@example.org"); u.Role != "door" {
		t.Errorf("role %q, want door", u.Role)
	}
	db.Close()

	for _, tc := range []struct {
		name, stdin string
		args        []string
	}{
		{"ShortPassword", "short\n", []string{"admin", "add", "--email", "c@example.org"}},
		{"NoEmail", "correct horse battery\n", []string{"admin", "add"}},
		{"Duplicate", "correct horse battery\n", []string{"admin", "add", "--email", "ANA@example.org"}},
		{"BadRole", "correct horse battery\n", []string{"admin", "add", "--email", "d@example.org", "--role", "king"}},
		{"PasswordFlag", "", []string{"admin", "add", "--email", "e@example.org", "--password", "x"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := c.run(tc.stdin, tc.args...); err == nil {
				t.Errorf("centrald %s succeeded", strings.Join(tc.args, " "))
			}
		})
	}
}

// TestAdminAddSpace: --space makes a bureau user of one space (by id or
// name); without it she is the whole network's, as before spaces; an
// unknown space is refused and makes no user.
func TestAdminAddSpace(t *testing.T) {
	c := newCLI(t)
	hangar := strings.TrimSpace(c.ok("space", "add", "--name", "Le Hangar"))
	if _, errOut, err := c.run("correct horse battery\n", "admin", "add", "--email", "door@example.org", "--role", "door", "--space", "le hangar"); err != nil {
		t.Fatalf("admin add --space: %v\n%s", err, errOut)
	}
	if _, errOut, err := c.run("correct horse battery\n", "admin", "add", "--email", "main@example.org", "--space", "1"); err != nil {
		t.Fatalf("admin add --space 1: %v\n%s", err, errOut)
	}
	if _, errOut, err := c.run("correct horse battery\n", "admin", "add", "--email", "net@example.org"); err != nil {
		t.Fatalf("admin add: %v\n%s", err, errOut)
	}
	if _, _, err := c.run("correct horse battery\n", "admin", "add", "--email", "nowhere@example.org", "--space", "Atlantis"); err == nil {
		t.Errorf("admin add --space Atlantis succeeded")
	}
	db := c.db()
	defer db.Close()
	store := sqlstore.NewAdminService(db.DB)
	for email, want := range map[string]string{"door@example.org": hangar, "main@example.org": "1", "net@example.org": "0"} {
		u, err := store.FindAdminUserByEmail(context.Background(), email)
		if err != nil {
			t.Fatal(err)
		}
		if got := strconv.FormatInt(u.Space, 10); got != want {
			t.Errorf("%s: space %s, want %s", email, got, want)
		}
	}
	if _, err := store.FindAdminUserByEmail(context.Background(), "nowhere@example.org"); err == nil {
		t.Errorf("a user of an unknown space was made")
	}
}

// serving starts serve on a fresh SQLite database, on a free port, until
// the test ends.
func serving(t *testing.T) *server {
	t.Helper()
	db := sqlite.NewDB(t.TempDir())
	db.Reactions = reactions() // as env.open
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := &server{DB: onSQLite(db), Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return s
}

// TestServeMountsAdmin: serve answers the admin at "/" without shadowing
// the sync API or /healthz.
func TestServeMountsAdmin(t *testing.T) {
	s := serving(t)

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (*http.Response, string) {
		resp, err := noRedirect.Get(s.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("/login")
	if resp.StatusCode != 200 || !strings.Contains(body, `name="email"`) || !strings.Contains(body, `name="password"`) {
		t.Errorf("/login: status %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get("/members"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("/members without a session: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := get("/healthz"); resp.StatusCode != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", resp.StatusCode, body)
	}
	if resp, _ := get("/api/v1/pull"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /api/v1/pull: status %d, want 404 (not the admin's login)", resp.StatusCode)
	}
	resp, err := http.Post(s.URL()+"/api/v1/pull", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /api/v1/pull without a token: status %d, want the sync API's 401", resp.StatusCode)
	}
}

// TestServeSecurityHeaders: every answer of centrald says nosniff, and
// those that are not the admin's pages (the sync API, /healthz, the
// webhooks), a Content-Security-Policy that allows nothing, errors
// included; the admin's pages keep their own policy (their scripts and
// styles).
func TestServeSecurityHeaders(t *testing.T) {
	s := serving(t)

	const (
		apiPolicy    = "default-src 'none'; frame-ancestors 'none'"
		adminScripts = "script-src 'self'"
	)
	for _, tc := range []struct {
		method, path string
		status       int
		csp          string // the policy's start
	}{
		{"GET", "/healthz", http.StatusOK, apiPolicy},
		{"POST", "/api/v1/pull", http.StatusUnauthorized, apiPolicy},
		{"POST", "/api/v1/enroll", http.StatusBadRequest, apiPolicy},
		{"POST", "/hooks/helloasso", http.StatusBadRequest, apiPolicy},
		{"GET", "/login", http.StatusOK, "default-src 'none'; " + adminScripts},
		{"GET", "/api/v1/pull", http.StatusNotFound, "default-src 'none'; " + adminScripts}, // the admin's 404 page
	} {
		req, _ := http.NewRequest(tc.method, s.URL()+tc.path, strings.NewReader("{}"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s: status %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options %q, want nosniff", tc.method, tc.path, got)
		}
		if got := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(got, tc.csp) {
			t.Errorf("%s %s: Content-Security-Policy %q, want %q…", tc.method, tc.path, got, tc.csp)
		}
	}
}
