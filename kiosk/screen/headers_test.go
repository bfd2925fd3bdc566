package screen_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/kiosk/screen"
)

// TestSecurityHeaders: every answer of the door screen says nosniff and
// its Content-Security-Policy (no inline script, no framing): the page,
// a static file, and the errors: a path it does not serve (404) and a
// request whose Host is not a loopback name (403, DNS rebinding).
func TestSecurityHeaders(t *testing.T) {
	s := &screen.Server{Info: func(context.Context) (screen.Info, error) { return screen.Info{Space: "La Ruche"}, nil }}
	srv := httptest.NewServer(s.Handler()) // 127.0.0.1: a loopback Host
	defer srv.Close()
	for _, tc := range []struct {
		path, host string
		status     int
	}{
		{"/", "", http.StatusOK},
		{"/static/screen.js", "", http.StatusOK},
		{"/nowhere", "", http.StatusNotFound},
		{"/", "rebind.example.org", http.StatusForbidden},
	} {
		req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
		if tc.host != "" {
			req.Host = tc.host
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("GET %s (Host %q): status %d, want %d", tc.path, tc.host, resp.StatusCode, tc.status)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s (Host %q): X-Content-Type-Options %q, want nosniff", tc.path, tc.host, got)
		}
		if got := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(got, "default-src 'none'; script-src 'self';") || !strings.Contains(got, "frame-ancestors 'none'") {
			t.Errorf("GET %s (Host %q): Content-Security-Policy %q", tc.path, tc.host, got)
		}
	}
}
