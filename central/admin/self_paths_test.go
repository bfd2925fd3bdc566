package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSelfFormAddressesLeadBack: the address bar of a member's refused
// form shows the address it was sent to (/m/{token}/profile), which has
// no page of its own: « English » on that answer, a reload, or her link
// with a slash after it, led to the bureau's login page (« Pas de
// compte ? Demandez à un membre du bureau. »). Now each leads to the tab
// that holds the form, her page otherwise; an unknown link still gets the
// form that e-mails a new one.
func TestSelfFormAddressesLeadBack(t *testing.T) {
	e := newEnv(t)
	_, token := aliceWithLink(t, e)
	me := "/m/" + token
	for _, c := range []struct{ path, want string }{
		{"/", ""},
		{"/profile", "/directory"},
		{"/directory/", "/directory"},
		{"/here/", "/here"},
		{"/calendar", "/agenda"},
		{"/calendar/revoke", "/agenda"},
		{"/agenda/12/register", "/agenda"},
		{"/agenda/12/cancel", "/agenda"},
		{"/book/3/cancel", "/book"},
		{"/guests", "#myguests"},
		{"/claim", "#myclaim"},
		{"/mail", "#mymails"},
		{"/badge", "#mybadge"},
		{"/phone", "#mybadge"},
	} {
		resp, body := e.client().get(me + c.path)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != me+c.want {
			t.Errorf("GET %s: %d to %q, want 303 to %q\n%.300s", c.path, resp.StatusCode, resp.Header.Get("Location"), me+c.want, body)
		}
	}
	// An unknown link: the lost-link form, as for her page.
	resp, body := e.client().get("/m/bgm1_nope/profile")
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, "Retrouver mon lien")

	// Her profile refused (a link without https://) answers 400 at
	// /m/{token}/profile; « English » there brings her to her directory
	// tab in English, not to the login page.
	alice := e.client()
	alice.get(me + "/directory")
	resp, _ = alice.post(me+"/profile", url.Values{"directory": {"1"}, "link": {"www.exemple.fr"}, "contact": {"none"}})
	mustStatus(t, resp, http.StatusBadRequest)
	to := "/lang/en?next=" + url.QueryEscape(me+"/profile")
	for range 3 {
		resp, _ = alice.get(to)
		if resp.StatusCode != http.StatusSeeOther {
			break
		}
		to = resp.Header.Get("Location")
	}
	if to != me+"/directory" || strings.HasPrefix(to, "/login") {
		t.Fatalf("« English » after her refused profile led to %q, want %q", to, me+"/directory")
	}
	resp, body = alice.get(to)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Members’ directory")
}
