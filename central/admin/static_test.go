package admin_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestStaticVersioned: after an upgrade a browser showed the new pages
// with the stylesheet it had kept for an hour (/static/style.css,
// max-age=3600). Every page now links the files of /static/ at an
// address carrying a hash of their content (?v=), cached a year at that
// address; the address without it, or with an old version, is
// revalidated each time (the phone badge's service worker copies those).
// The bureau's pages, the login page, a member's phone badge page and its
// manifest all link the current versions.
func TestStaticVersioned(t *testing.T) {
	e := newEnv(t)
	version := func(name string) string {
		t.Helper()
		b, err := os.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:])[:12]
	}
	refRE := regexp.MustCompile(`/static/[^"?\\]+(\?[^"\\]*)?`)
	// links checks that what a page links in /static/ is at its current
	// version, and returns the addresses.
	links := func(what, body string, want ...string) []string {
		t.Helper()
		refs := refRE.FindAllString(body, -1)
		for _, ref := range refs {
			name, query, _ := strings.Cut(strings.TrimPrefix(ref, "/static/"), "?")
			if query != "v="+version(name) {
				t.Errorf("%s links %s, want /static/%s?v=%s", what, ref, name, version(name))
			}
		}
		for _, w := range want {
			if !strings.Contains(body, "/static/"+w+"?v="+version(w)) {
				t.Errorf("%s does not link %s at its version", what, w)
			}
		}
		return refs
	}
	anon := e.client()
	_, login := anon.get("/login")
	refs := links("the login page", login, "style.css", "app.js")
	_, today := e.as(A).get("/today")
	links("Today", today, "style.css", "app.js")

	_, token := aliceWithLink(t, e)
	m := e.client()
	_, page := m.get("/m/" + token)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	resp, _ := m.post("/m/"+token+"/phone", url.Values{"csrf": {csrf}})
	mustStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	_, phone := m.get(loc)
	refs = append(refs, links("the phone badge's page", phone, "style.css", "app.js", "phone.js")...)
	_, manifest := m.get(loc + "manifest.webmanifest")
	refs = append(refs, links("the phone badge's manifest", manifest, "badge-icon.svg")...)

	get := func(path string, header ...string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
		if len(header) == 2 {
			req.Header.Set(header[0], header[1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	for _, ref := range refs {
		resp := get(ref)
		mustStatus(t, resp, http.StatusOK)
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q, want a year, immutable", ref, cc)
		}
		bare, _, _ := strings.Cut(ref, "?")
		name := strings.TrimPrefix(bare, "/static/")
		for _, old := range []string{bare, bare + "?v=0123456789ab"} {
			resp := get(old)
			mustStatus(t, resp, http.StatusOK)
			if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("%s: Cache-Control %q, want no-cache (revalidated)", old, cc)
			}
			if etag := resp.Header.Get("ETag"); etag != `"`+version(name)+`"` {
				t.Errorf("%s: ETag %q", old, etag)
			}
		}
		if resp := get(bare, "If-None-Match", `"`+version(name)+`"`); resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s revalidated: status %d, want 304", bare, resp.StatusCode)
		}
	}
}
