package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLinkWithTrailingPunctuation: a member's link copied from a mail
// with the full stop (or bracket, guillemet) that followed it in its
// sentence said « ce lien n'existe pas », though every letter of it was
// there. Such a link now leads (303) to the link itself, query kept; a
// link that is not hers is still unknown, and nothing else is redirected.
func TestLinkWithTrailingPunctuation(t *testing.T) {
	e := newEnv(t)
	_, token := aliceWithLink(t, e)
	c := e.client()
	for _, trail := range []string{".", ",", ").", "»", " »", "\u00a0»", "!", "?", ";", ":", ">", "'", `"`} {
		path := "/m/" + token + url.PathEscape(trail)
		resp, _ := c.get(path + "?lang=fr")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/m/"+token+"?lang=fr" {
			t.Errorf("%s: %d to %q, want 303 to her link", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	resp, _ := c.get("/join/confirm/bgj1_abc.")
	if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != "/join/confirm/bgj1_abc" {
		t.Errorf("a join link with its full stop: %d to %q", resp.StatusCode, got)
	}
	resp, _ = c.get("/m/" + token + ".")
	resp, body := c.get(resp.Header.Get("Location"))
	mustStatus(t, resp, http.StatusOK)
	if !strings.Contains(body, "Alice") {
		t.Errorf("her page after the full stop is not hers:\n%s", body)
	}
	// Not a link: nothing but punctuation, other addresses, a form sent.
	for _, path := range []string{"/m/.", "/sales.", "/c/" + token + ".", "/m/" + token + "/here."} {
		if resp, _ := c.get(path); resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == strings.TrimRight(path, ".") {
			t.Errorf("%s: sent to %q, without its full stop", path, resp.Header.Get("Location"))
		}
	}
	resp, _ = c.post("/m/"+token+".", url.Values{})
	if resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/m/"+token {
		t.Errorf("a POST was sent to her link")
	}
}
