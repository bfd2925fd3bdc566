package admin_test

import (
	"net/http"
	"testing"

	"github.com/badgeuse/badgeuse/central/admin"
)

// TestHSTS: the admin sent no Strict-Transport-Security: a browser that
// once reached it over HTTPS would still try http:// first when the
// address is typed without it, and someone on the same Wi-Fi could keep
// it there (the login, the session cookie, a member's link in the path).
// Over HTTPS (TLS, or a trusted proxy's X-Forwarded-Proto), every answer
// says so for a year; over HTTP nothing (browsers ignore it there).
func TestHSTS(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) { c.TrustProxy = true })
	for _, tc := range []struct {
		proto, path, want string
	}{
		{"https", "/login", "max-age=31536000"},
		{"https", "/m/bgm1_unknown", "max-age=31536000"},
		{"https", "/static/style.css", "max-age=31536000"},
		{"http", "/login", ""},
	} {
		req, _ := http.NewRequest("GET", e.ts.URL+tc.path, nil)
		req.Header.Set("X-Forwarded-Proto", tc.proto)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Strict-Transport-Security"); got != tc.want {
			t.Errorf("%s %s: Strict-Transport-Security %q, want %q", tc.proto, tc.path, got, tc.want)
		}
	}
}
