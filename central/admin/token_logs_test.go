package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/admin"
)

// TestLinkTokensNotLogged: a member's personal link is a bearer secret
// (her portal, her phone badge: the door). The admin logged the path of a
// request it could not serve, token included: a busy server (bodies in
// flight) or a database failure wrote every member's link who tried then
// to the logs, for anyone who reads them (a host's log shipping, a
// support ticket) to open her portal. The path is logged without it.
func TestLinkTokensNotLogged(t *testing.T) {
	b := &budget{max: 1 << 30}
	e := newEnv(t, func(c *admin.Config) { c.Bodies = b })
	_, token := aliceWithLink(t, e)
	page := "/m/" + token
	c := e.client()
	resp, _ := c.get(page)
	mustStatus(t, resp, http.StatusOK)

	b.setMax(0) // busy: her POST is refused before its body is read
	resp, _ = c.post(page+"/profile", url.Values{"shown": {"1"}})
	mustStatus(t, resp, http.StatusServiceUnavailable)

	e.db.Close() // the database fails: her page is an internal error
	resp, _ = c.get(page)
	mustStatus(t, resp, http.StatusInternalServerError)

	logs := e.logs.String()
	if !strings.Contains(logs, "too many bodies") || !strings.Contains(logs, "request failed") {
		t.Fatalf("the failures were not logged:\n%s", logs)
	}
	if strings.Contains(logs, token) {
		t.Errorf("the logs hold Alice's personal link:\n%s", logs)
	}
}
