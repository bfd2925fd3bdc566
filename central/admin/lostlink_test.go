package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// confirmForm is the one button of a page mailed by the lost-link form:
// its action and anti-forgery token.
var confirmForm = regexp.MustCompile(`<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf" value="([^"]+)">`)

// openMailedLink opens a link mailed by the lost-link form as the member
// does: the page it opens, then its button, and returns the path of the
// personal page it leads to (its answer followed).
func openMailedLink(t *testing.T, e *env, link string) (*http.Response, string) {
	t.Helper()
	c := e.client()
	resp, body := c.get(linkPath(t, link))
	if resp.StatusCode != http.StatusOK {
		return resp, body
	}
	if strings.HasPrefix(linkPath(t, link), "/m/"+central.MemberLinkPrefix) {
		return resp, body // a personal link itself (before the fix)
	}
	f := confirmForm.FindStringSubmatch(body)
	if f == nil {
		t.Fatalf("no button on the mailed link's page:\n%s", body)
	}
	resp, body = c.post(f[1], url.Values{"csrf": {f[2]}})
	if resp.StatusCode != http.StatusSeeOther {
		return resp, body
	}
	return c.follow(resp, body)
}

// TestLostLinkKeepsWorkingLink: a stranger who types a member's address
// on the public lost-link form (/m) cannot cut her off. Her personal link
// still works afterwards, however often the form is posted; the mailed
// link works too, and only once she opens it (and presses its button)
// does it give her a new link in place of the old one.
func TestLostLinkKeepsWorkingLink(t *testing.T) {
	e, m := newMailEnv(t)
	alice, token := aliceWithLink(t, e)
	mine := "/m/" + token
	resp, body := e.client().get(mine)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Alice Martin")

	// The stranger posts her address, twice (within the throttle).
	stranger, csrf := publicForm(t, e, "/m")
	for i := 0; i < 2; i++ {
		resp, _ = stranger.post("/m", url.Values{"csrf": {csrf}, "email": {"alice@example.org"}})
		mustStatus(t, resp, http.StatusSeeOther)
	}
	mailed := m.of(admin.MailLinkRequest)
	if len(mailed) != 2 || mailed[0].Member != alice.ID || mailed[0].Link == mailed[1].Link {
		t.Fatalf("lost-link mails %+v, want two to Alice", mailed)
	}
	if n := len(m.of(admin.MailLink)); n != 0 {
		t.Errorf("%d personal links mailed, want none (a one-time link instead)", n)
	}
	resp, body = e.client().get(mine)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Alice Martin")
	if l, err := e.store.ActiveMemberLink(e.ctx(), alice.ID); err != nil || l == nil || l.Hash != central.HashToken(token) {
		t.Errorf("her link after the stranger's request: %+v %v, want hers", l, err)
	}

	// Opening the mailed link changes nothing (mail programs open links
	// to scan them): her link still works.
	resp, _ = e.client().get(linkPath(t, mailed[1].Link))
	mustStatus(t, resp, http.StatusOK)
	if resp, _ := e.client().get(mine); resp.StatusCode != http.StatusOK {
		t.Fatalf("her link after the mailed link was opened: %d, want 200", resp.StatusCode)
	}

	// She presses its button: her new page, and the old link stops.
	resp, body = openMailedLink(t, e, mailed[1].Link)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Alice Martin")
	l, err := e.store.ActiveMemberLink(e.ctx(), alice.ID)
	if err != nil || l == nil || l.Hash == central.HashToken(token) {
		t.Fatalf("her link after she used the mailed one: %+v %v, want a new one", l, err)
	}
	if resp, _ := e.client().get(mine); resp.StatusCode != http.StatusNotFound {
		t.Errorf("her old link after she used the mailed one: %d, want 404", resp.StatusCode)
	}
	// The mailed link works once; the other one mailed still works
	// (24 hours) and gives her yet another link.
	resp, body = openMailedLink(t, e, mailed[1].Link)
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, `action="/m"`)
	resp, body = openMailedLink(t, e, mailed[0].Link)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Alice Martin")
	if l2, _ := e.store.ActiveMemberLink(e.ctx(), alice.ID); l2 == nil || l2.ID == l.ID {
		t.Errorf("her link after the second mailed link: %+v, want another", l2)
	}
}

// TestLostLinkKeepsTyped: an address the lost-link form refuses comes
// back in the field, as the join form does, to be corrected rather than
// typed again ("alice.@example.org": a phone's keyboard lets it through,
// as does the browser's own check of an e-mail field).
func TestLostLinkKeepsTyped(t *testing.T) {
	e, _ := newMailEnv(t)
	c, token := publicForm(t, e, "/m")
	resp, body := c.post("/m", url.Values{"csrf": {token}, "email": {"alice.@example.org"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Adresse e-mail invalide.", `value="alice.@example.org"`)
}

// TestLostLinkDoubleTap: a double tap on "Recevoir mon nouveau lien"
// posts the mailed link's button twice; the browser shows the second
// answer. It was "this link does not work any more" while the first post
// had already replaced her link: her old link dead, the new one never
// seen. The second post of the same minute now leads to the same new
// page; later, the spent link works no more.
func TestLostLinkDoubleTap(t *testing.T) {
	e, m := newMailEnv(t)
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(e.ctx(), alice); err != nil {
		t.Fatal(err)
	}
	c, csrf := publicForm(t, e, "/m")
	resp, _ := c.post("/m", url.Values{"csrf": {csrf}, "email": {"alice@example.org"}})
	mustStatus(t, resp, http.StatusSeeOther)
	mailed := m.of(admin.MailLinkRequest)
	if len(mailed) != 1 {
		t.Fatalf("%d lost-link mails", len(mailed))
	}
	me := e.client()
	_, body := me.get(linkPath(t, mailed[0].Link))
	f := confirmForm.FindStringSubmatch(body)
	if f == nil {
		t.Fatalf("no button:\n%s", body)
	}
	var locs []string
	for range 2 {
		resp, _ := me.post(f[1], url.Values{"csrf": {f[2]}})
		mustStatus(t, resp, http.StatusSeeOther)
		locs = append(locs, resp.Header.Get("Location"))
	}
	if locs[0] != locs[1] || !strings.HasPrefix(locs[1], "/m/"+central.MemberLinkPrefix) {
		t.Fatalf("the button pressed twice: %q", locs)
	}
	resp, body = me.get(locs[1])
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Alice Martin")
	// Later, the spent link is spent.
	e.clock.Set(e.clock.Now().Add(3 * time.Minute))
	resp, _ = me.post(f[1], url.Values{"csrf": {f[2]}})
	mustStatus(t, resp, http.StatusNotFound)
}
