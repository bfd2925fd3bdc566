package admin_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var langLinkRE = regexp.MustCompile(`<a class="lang" href="([^"]+)"`)

// switchLang taps the page's language link and returns where it leads.
func switchLang(t *testing.T, c *client, body string) string {
	t.Helper()
	m := langLinkRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no language link on the page:\n%s", body)
	}
	resp, _ := c.get(html.UnescapeString(m[1]))
	mustStatus(t, resp, http.StatusSeeOther)
	return resp.Header.Get("Location")
}

// TestLangKeepsQuery: « English » on her « Réserver » tab brings her back
// to the room and the day she was looking at (the flash message, said
// once, left out), and on « Mes e-mails » to her preferences with their
// way back to her page (?m=). What next= may name is still this site's
// paths only: another site, written or encoded any way, leads to /login.
func TestLangKeepsQuery(t *testing.T) {
	e, _, at, alice, _ := aliceAtRoom(t)
	if err := e.cfg.Bookings.CreateResource(e.ctx(), &central.Resource{Name: "Imprimante 3D", Opens: 8 * 60, Closes: 20 * 60, Slot: time.Hour}); err != nil {
		t.Fatal(err)
	}
	book := "/m/" + at + "/book?day=2026-11-28&resource=2"
	_, body := alice.get(book + "&done=booked")
	if got := switchLang(t, alice, body); got != book {
		t.Fatalf("English on her booking tab leads to %q, want %q", got, book)
	}
	_, body = alice.get(book)
	mustContain(t, body, "Imprimante 3D", "Book")
	if got := switchLang(t, alice, body); got != book {
		t.Fatalf("Français on her booking tab leads to %q, want %q", got, book)
	}

	resp, _ := alice.post("/m/"+at+"/mail", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	prefs := resp.Header.Get("Location")
	_, body = alice.get(prefs)
	mustContain(t, body, `href="/m/`+at+`">Ma page</a>`)
	back := switchLang(t, alice, body)
	if u, err := url.Parse(back); err != nil || u.Path+"?"+u.Query().Encode() != prefs {
		t.Fatalf("English on « Mes e-mails » leads to %q, want %q", back, prefs)
	}
	_, body = alice.get(back)
	mustContain(t, body, `href="/m/`+at+`">My page</a>`)

	// The login page's next= goes along when it is this site's, and is
	// left out when it is not (the login form refuses it anyway).
	anyone := e.client()
	_, body = anyone.get("/login?next=" + url.QueryEscape("/members?q=x"))
	if got := switchLang(t, anyone, body); got != "/login?next=%2Fmembers%3Fq%3Dx" {
		t.Errorf("English on the login page leads to %q", got)
	}
	_, body = anyone.get("/login?next=" + url.QueryEscape("//evil.example"))
	if got := switchLang(t, anyone, body); got != "/login" {
		t.Errorf("English on the login page with another site's next leads to %q, want /login", got)
	}

	for _, next := range []string{
		"//evil.example", "//evil.example/m?x=1", "/\\evil.example", "/\\/evil.example", "https://evil.example",
		"https:%2F%2Fevil.example", "%2F%2Fevil.example", "/%2F%2Fevil.example", "/%2fevil.example?day=1", "/%5Cevil.example",
		"%5C%5Cevil.example", "/%09/evil.example", "%0A//evil.example", "http:/evil.example", "javascript:alert(1)",
	} {
		resp, _ := alice.get("/lang/fr?next=" + next)
		mustStatus(t, resp, http.StatusSeeOther)
		if got := resp.Header.Get("Location"); got != "/login" {
			t.Errorf("/lang/fr?next=%s leads to %q, want /login", next, got)
		}
		resp, _ = alice.get("/lang/fr?next=" + url.QueryEscape(next))
		if got := resp.Header.Get("Location"); got != "/login" {
			t.Errorf("/lang/fr?next=%s (escaped) leads to %q, want /login", url.QueryEscape(next), got)
		}
	}
}
