package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// mails records the mails the admin queues, as the outbox would: a
// second mail of the same kind and key is dropped.
type mails struct {
	mu   sync.Mutex
	off  bool
	sent []admin.Mail
	keys map[string]bool
}

func (m *mails) Enabled(context.Context) bool { return !m.off }

func (m *mails) Queue(_ context.Context, mail admin.Mail) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		m.keys = map[string]bool{}
	}
	if m.keys[mail.Kind+":"+mail.Key] {
		return false, nil
	}
	m.keys[mail.Kind+":"+mail.Key] = true
	m.sent = append(m.sent, mail)
	return true, nil
}

func (m *mails) of(kind string) []admin.Mail {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []admin.Mail
	for _, x := range m.sent {
		if x.Kind == kind {
			out = append(out, x)
		}
	}
	return out
}

func newMailEnv(t *testing.T) (*env, *mails) {
	m := &mails{}
	e := newEnv(t, func(c *admin.Config) { c.Mails = m; c.PublicURL = "https://badges.example.org" })
	return e, m
}

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// linkPath is the path of a personal link in a mail.
func linkPath(t *testing.T, link string) string {
	t.Helper()
	p, ok := strings.CutPrefix(link, "https://badges.example.org")
	if !ok {
		t.Fatalf("link %q is not on the public address", link)
	}
	return p
}

// TestWelcomeOnCreate: a member added with an address is welcomed by
// e-mail with a working personal link and her badge's QR; without an
// address, or without e-mail set up, nothing is sent.
func TestWelcomeOnCreate(t *testing.T) {
	e, m := newMailEnv(t)
	c := e.as(central.RoleDoor)
	resp, _ := c.post("/members", url.Values{"name": {"Alice Martin"}, "email": {"alice@example.org"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "done=member_welcomed") {
		t.Errorf("redirect to %s, want the welcome flash", loc)
	}
	w := m.of(admin.MailWelcome)
	if len(w) != 1 || w[0].Key != "member:1" || w[0].Member != 1 || !bytes.HasPrefix(w[0].BadgePNG, pngMagic) {
		t.Fatalf("welcome mails %+v", w)
	}
	resp, body := e.client().get(linkPath(t, w[0].Link))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Alice Martin")
	bs, _, err := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: &w[0].Member})
	if err != nil || len(bs) != 1 {
		t.Fatalf("badges %v %v: want the one mailed", bs, err)
	}

	c.post("/members", url.Values{"name": {"Bob Durand"}})
	m.off = true
	c.post("/members", url.Values{"name": {"Chloé Petit"}, "email": {"chloe@example.org"}})
	if n := len(m.of(admin.MailWelcome)); n != 1 {
		t.Errorf("%d welcome mails, want only Alice's", n)
	}
}

var secretRE = regexp.MustCompile(`name="secret" value="([^"]+)"`)

// TestSendByEmail: the badge and link pages e-mail what they show; a
// badge's or link's secret not of that member is refused.
func TestSendByEmail(t *testing.T) {
	e, m := newMailEnv(t)
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	bob := &central.Member{Name: "Bob Durand", Email: "bob@example.org"}
	for _, x := range []*central.Member{alice, bob} {
		if err := e.members.CreateMember(e.ctx(), x); err != nil {
			t.Fatal(err)
		}
	}
	c := e.as(central.RoleDoor)
	// The badge and the link show once, on the page the POST leads to.
	shown := func(resp *http.Response) string {
		t.Helper()
		mustStatus(t, resp, http.StatusSeeOther)
		_, page := c.get(resp.Header.Get("Location"))
		return page
	}
	resp, _ := c.post("/members/"+fmtInt(alice.ID)+"/badges", nil)
	page := shown(resp)
	sm := secretRE.FindStringSubmatch(page)
	if sm == nil {
		t.Fatalf("no send-by-e-mail form on the badge page:\n%s", page)
	}
	sm[1] = html.UnescapeString(sm[1])
	badgePath := regexp.MustCompile(`action="(/members/\d+/badges/\d+/email)"`).FindStringSubmatch(page)[1]
	// Bob's page cannot mail Alice's badge, nor a made-up secret.
	wrong := strings.Replace(badgePath, "/members/"+fmtInt(alice.ID)+"/", "/members/"+fmtInt(bob.ID)+"/", 1)
	resp, _ = c.post(wrong, url.Values{"secret": {sm[1]}})
	mustStatus(t, resp, http.StatusNotFound)
	resp, _ = c.post(badgePath, url.Values{"secret": {"BG1:nope"}})
	mustStatus(t, resp, http.StatusNotFound)
	resp, _ = c.post(badgePath, url.Values{"secret": {sm[1]}})
	mustStatus(t, resp, http.StatusSeeOther)
	if b := m.of(admin.MailBadge); len(b) != 1 || b[0].Member != alice.ID || !bytes.HasPrefix(b[0].BadgePNG, pngMagic) {
		t.Fatalf("badge mails %+v", b)
	}

	resp, _ = c.post("/members/"+fmtInt(alice.ID)+"/link", nil)
	page = shown(resp)
	lm := regexp.MustCompile(`name="link" value="([^"]+)"`).FindStringSubmatch(page)
	if lm == nil {
		t.Fatalf("no send-by-e-mail form on the link page:\n%s", page)
	}
	lm[1] = html.UnescapeString(lm[1])
	resp, _ = c.post("/members/"+fmtInt(bob.ID)+"/link/email", url.Values{"link": {lm[1]}})
	mustStatus(t, resp, http.StatusNotFound)
	resp, _ = c.post("/members/"+fmtInt(alice.ID)+"/link/email", url.Values{"link": {lm[1]}})
	mustStatus(t, resp, http.StatusSeeOther)
	l := m.of(admin.MailLink)
	if len(l) != 1 || l[0].Link != lm[1] || l[0].Member != alice.ID {
		t.Fatalf("link mails %+v, want the link shown (%s)", l, lm[1])
	}
	// Without a link, a new one is made and mailed: the old one stops.
	resp, _ = c.post("/members/"+fmtInt(alice.ID)+"/link/email", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if l = m.of(admin.MailLink); len(l) != 2 || l[1].Link == lm[1] {
		t.Fatalf("link mails %+v, want a new link", l)
	}
	if resp, _ := e.client().get(linkPath(t, lm[1])); resp.StatusCode != http.StatusNotFound {
		t.Errorf("old link: %d, want 404", resp.StatusCode)
	}
	if resp, _ := e.client().get(linkPath(t, l[1].Link)); resp.StatusCode != http.StatusOK {
		t.Errorf("new link: %d, want 200", resp.StatusCode)
	}
}

// publicForm gets a public form and returns a client holding its token.
func publicForm(t *testing.T, e *env, path string) (*client, string) {
	t.Helper()
	c := e.client()
	resp, body := c.get(path)
	mustStatus(t, resp, http.StatusOK)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no token on %s:\n%s", path, body)
	}
	return c, m[1]
}

// TestLostLink: the login-free form mails a member's address a one-time
// link to a new personal link (TestLostLinkKeepsWorkingLink: her link
// keeps working until she uses it), answers the same for any address, and
// is throttled.
func TestLostLink(t *testing.T) {
	e, m := newMailEnv(t)
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(e.ctx(), alice); err != nil {
		t.Fatal(err)
	}
	c, token := publicForm(t, e, "/m")
	resp, known := c.follow(c.post("/m", url.Values{"csrf": {token}, "email": {"Alice@example.org"}}))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, known, `id="lost-sent"`)
	resp, unknown := c.follow(c.post("/m", url.Values{"csrf": {token}, "email": {"nobody@example.org"}}))
	mustStatus(t, resp, http.StatusOK)
	if known != unknown {
		t.Errorf("the answers differ for a member's address and another")
	}
	l := m.of(admin.MailLinkRequest)
	if len(l) != 1 || l[0].Member != alice.ID {
		t.Fatalf("link mails %+v, want one to Alice", l)
	}
	if resp, body := openMailedLink(t, e, l[0].Link); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Alice Martin") {
		t.Errorf("mailed link: %d", resp.StatusCode)
	}
	resp, _ = c.post("/m", url.Values{"email": {"alice@example.org"}, "csrf": {"forged"}})
	mustStatus(t, resp, http.StatusForbidden)
	// One address cannot be flooded: after a few requests, wait.
	var last *http.Response
	for i := 0; i < 5; i++ {
		last, _ = c.post("/m", url.Values{"csrf": {token}, "email": {"alice@example.org"}})
	}
	mustStatus(t, last, http.StatusTooManyRequests)
	if n := len(m.of(admin.MailLinkRequest)); n > 3 {
		t.Errorf("%d link mails to one address in a minute, want at most 3", n)
	}
	// An unknown link offers the form.
	resp, body := e.client().get("/m/bgm1_unknown")
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, `action="/m"`)
}

// TestPasswordReset: a bureau user gets a one-time link valid one hour;
// it sets a new password once; the answer is the same for any address.
func TestPasswordReset(t *testing.T) {
	e, m := newMailEnv(t)
	e.addUser("tresorier@example.org", central.RoleTreasurer, "old password 1")
	c, token := publicForm(t, e, "/login/reset")
	_, known := c.follow(c.post("/login/reset", url.Values{"csrf": {token}, "email": {"tresorier@example.org"}}))
	_, unknown := c.follow(c.post("/login/reset", url.Values{"csrf": {token}, "email": {"nobody@example.org"}}))
	mustContain(t, known, `id="reset-sent"`)
	if known != unknown {
		t.Errorf("the answers differ for a user's address and another")
	}
	r := m.of(admin.MailPasswordReset)
	if len(r) != 1 || r[0].To != "tresorier@example.org" {
		t.Fatalf("reset mails %+v", r)
	}
	path := linkPath(t, r[0].Link)
	c2, token2 := publicForm(t, e, path)
	resp, _ := c2.post(path, url.Values{"csrf": {token2}, "password": {"short"}})
	mustStatus(t, resp, http.StatusBadRequest)
	resp, _ = c2.post(path, url.Values{"csrf": {token2}, "password": {"new password 2"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if resp, _ := e.client().tryLogin("tresorier@example.org", "old password 1"); resp.StatusCode == http.StatusSeeOther {
		t.Errorf("the old password still works")
	}
	e.client().login("tresorier@example.org", "new password 2")
	// Used once.
	if resp, _ := e.client().get(path); resp.StatusCode != http.StatusNotFound {
		t.Errorf("used link: %d, want 404", resp.StatusCode)
	}
	resp, _ = c2.post(path, url.Values{"csrf": {token2}, "password": {"third password 3"}})
	mustStatus(t, resp, http.StatusNotFound)
	// Expired after an hour.
	c3, token3 := publicForm(t, e, "/login/reset")
	c3.post("/login/reset", url.Values{"csrf": {token3}, "email": {"tresorier@example.org"}})
	r = m.of(admin.MailPasswordReset)
	if len(r) != 2 {
		t.Fatalf("%d reset mails, want 2", len(r))
	}
	e.clock.Add(61 * time.Minute)
	if resp, _ := e.client().get(linkPath(t, r[1].Link)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("link older than an hour: %d, want 404", resp.StatusCode)
	}
}

// TestMailPrefsPage: a reminder's unsubscribe link opens her preferences
// without login; turning reminders off is recorded.
func TestMailPrefsPage(t *testing.T) {
	e, _ := newMailEnv(t)
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(e.ctx(), alice); err != nil {
		t.Fatal(err)
	}
	u, err := e.srv.UnsubscribeURL(e.ctx(), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	path := linkPath(t, u)
	c := e.client()
	resp, body := c.get(path)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Alice Martin", `name="reminders"`)
	resp, _ = c.post(path, url.Values{"lang": {"en"}})
	mustStatus(t, resp, http.StatusSeeOther)
	lang, off, err := e.store.MailPrefs(e.ctx(), alice.ID)
	if err != nil || lang != "en" || !off {
		t.Fatalf("prefs %s %v %v, want English with reminders off", lang, off, err)
	}
	resp, _ = c.post(path, url.Values{"csrf": {"forged"}, "reminders": {"1"}})
	mustStatus(t, resp, http.StatusForbidden)
	if resp, _ := c.get("/u/bgu1_unknown"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown link: %d", resp.StatusCode)
	}
}

// TestMailPrefsFromPortal: her preferences (the language of her mails,
// reminders) were reachable only from a reminder's link; her page leads
// there too, in French and in English.
func TestMailPrefsFromPortal(t *testing.T) {
	e, m := newMailEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	_, bt := c.member("Bob Durand", "") // no address: nothing to choose
	me := e.client()
	resp, body := me.get("/m/" + at)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Mes e-mails", `action="/m/`+at+`/mail"`, "Choisir mes e-mails")
	resp, _ = me.post("/m/"+at+"/mail", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	prefs := resp.Header.Get("Location")
	if !strings.HasPrefix(prefs, "/u/bgu1_") {
		t.Fatalf("her preferences: redirected to %q", prefs)
	}
	resp, body = me.get(prefs)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Bonjour Alice Martin", `name="reminders"`)
	resp, _ = me.post(prefs, url.Values{"lang": {"en"}, "reminders": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if lang, off, err := e.store.MailPrefs(e.ctx(), alice); err != nil || lang != "en" || off {
		t.Fatalf("prefs %s %v %v, want English with reminders on", lang, off, err)
	}
	me.get("/lang/en?next=/m/" + at)
	_, body = me.get("/m/" + at)
	mustContain(t, body, "My e-mails", "Choose my e-mails")
	// Without the page's token, nothing; without an address, no section.
	resp, _ = me.post("/m/"+at+"/mail", url.Values{"csrf": {"forged"}})
	mustStatus(t, resp, http.StatusForbidden)
	_, body = e.client().get("/m/" + bt)
	if strings.Contains(body, "/mail\"") {
		t.Error("a member without an address is offered her e-mails' preferences")
	}
	// Without e-mail set up, no section either.
	m.off = true
	_, body = me.get("/m/" + at)
	if strings.Contains(body, "/mail\"") {
		t.Error("her e-mails' preferences are offered without e-mail set up")
	}
}

// TestMailPrefsBackToHerPage: "Mes e-mails" opened from her page leads
// back to it ("Ma page"), before and after saving; opened from a
// reminder's link, which knows nothing of her personal link, it does not;
// another member's link put in its address leads nowhere.
func TestMailPrefsBackToHerPage(t *testing.T) {
	e, _ := newMailEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	_, bt := c.member("Bob Durand", "bob@example.org")
	me := e.client()
	me.get("/m/" + at)
	resp, _ := me.post("/m/"+at+"/mail", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	prefs := resp.Header.Get("Location")
	back := `<a class="button secondary" href="/m/` + at + `">Ma page</a>`
	_, body := me.get(prefs)
	mustContain(t, body, "Bonjour Alice Martin", back)
	resp, _ = me.post(prefs, url.Values{"lang": {"fr"}, "reminders": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = me.get(resp.Header.Get("Location"))
	mustContain(t, body, "Préférences enregistrées.", back)
	me.get("/lang/en")
	_, body = me.get(prefs)
	mustContain(t, body, `href="/m/`+at+`">My page</a>`)
	me.get("/lang/fr")

	// From a reminder's link: no way to her page.
	u, err := e.srv.UnsubscribeURL(e.ctx(), alice)
	if err != nil {
		t.Fatal(err)
	}
	_, body = me.get(linkPath(t, u))
	mustContain(t, body, "Bonjour Alice Martin")
	if strings.Contains(body, `href="/m/`) {
		t.Error("her preferences opened from a reminder lead to a personal page")
	}
	// Bob's link in her preferences' address: not his page, not hers.
	path, _, _ := strings.Cut(prefs, "?")
	_, body = me.get(path + "?m=" + bt)
	if strings.Contains(body, `href="/m/`) {
		t.Error("her preferences lead to another member's page")
	}
}

// TestMailFailuresShown: a mail given up (the server's 5xx answer) shows
// on the member's page with the server's words.
func TestMailFailuresShown(t *testing.T) {
	e, _ := newMailEnv(t)
	outbox := sqlstore.NewOutboxService(e.db.DB)
	cfg := e.cfg
	cfg.Outbox = outbox
	cfg.MailMember = func(it *central.OutboxItem) int64 {
		var p struct{ Member int64 }
		json.Unmarshal([]byte(it.Payload), &p)
		return p.Member
	}
	srv, err := admin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv, e.ts = srv, httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(e.ctx(), alice); err != nil {
		t.Fatal(err)
	}
	for i, member := range []int64{alice.ID, alice.ID + 1} {
		msg := central.OutboxMessage{Topic: "email.receipt", Key: "email.receipt:sale:" + fmtInt(int64(i+1)),
			Payload: `{"member":` + fmtInt(member) + `,"sale":` + fmtInt(int64(i+1)) + `}`}
		if _, err := outbox.EnqueueOutbox(e.ctx(), msg); err != nil {
			t.Fatal(err)
		}
		items, err := outbox.ClaimOutbox(e.ctx(), "email.receipt", 1, time.Minute)
		if err != nil || len(items) != 1 {
			t.Fatalf("claim: %v %v", items, err)
		}
		why := "550 5.1.1 <alice@example.org>: mailbox " + fmtInt(int64(i)) + " unknown"
		if err := outbox.FinishOutbox(e.ctx(), items[0].ID, central.OutcomeFailed, why); err != nil {
			t.Fatal(err)
		}
	}
	_, body := e.as(central.RoleReadOnly).get("/members/" + fmtInt(alice.ID))
	mustContain(t, body, "E-mails non distribués", "Reçu", "550 5.1.1 &lt;alice@example.org&gt;: mailbox 0 unknown")
	if strings.Contains(body, "mailbox 1 unknown") {
		t.Errorf("another member's failure shows on her page")
	}
}
