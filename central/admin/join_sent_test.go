package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestJoinSentSaysAddress: the join form's answer said « Ouvrez l’e-mail
// que nous venons de vous envoyer » without the address: one typed wrong
// on a phone (« gmial.com ») left her waiting for a mail that never
// comes. The answer now names the address, in her browser only, with a
// way to fill in the form again; the honeypot's robot gets the same page.
// Another browser, or the plain ?sent=1, names no address.
func TestJoinSentSaysAddress(t *testing.T) {
	e, m, _, sub := joinEnv(t)
	c, token := publicForm(t, e, "/join")
	resp, _ := c.post("/join", joinValues(token, "Chloé Petit", "chloe@gmial.com", sub.ID))
	mustStatus(t, resp, http.StatusSeeOther)
	sent := resp.Header.Get("Location")
	if !strings.HasPrefix(sent, "/join?sent=1") || strings.Contains(sent, "gmial") {
		t.Fatalf("the join form answers %q", sent)
	}
	if n := len(m.of("join")); n != 1 {
		t.Fatalf("%d join mails, want 1", n)
	}
	resp, body := c.get(sent)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `id="join-sent"`, "chloe@gmial.com", "Pas la bonne adresse", `href="/join"`)
	// Another browser opening the same address sees no address.
	_, body = e.client().get(sent)
	mustContain(t, body, `id="join-sent"`)
	if strings.Contains(body, "gmial") {
		t.Error("another browser is shown the address typed")
	}
	// The honeypot filled: the same page, no mail.
	c2, token2 := publicForm(t, e, "/join")
	v := joinValues(token2, "Robot", "robot@example.org", sub.ID)
	v.Set("website", "https://spam.example")
	resp, _ = c2.post("/join", v)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = c2.get(resp.Header.Get("Location"))
	mustContain(t, body, `id="join-sent"`, "robot@example.org")
	if n := len(m.of("join")); n != 1 {
		t.Errorf("%d join mails after the robot, want 1", n)
	}
	// In English.
	c.get("/lang/en?next=" + url.QueryEscape(sent))
	_, body = c.get(sent)
	mustContain(t, body, "chloe@gmial.com", "Not the right address?")
}
