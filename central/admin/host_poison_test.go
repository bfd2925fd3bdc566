package admin_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/shared/access"
)

// postHost posts a form as c.post does, with another Host header: what
// anyone can send to a central without CENTRALD_PUBLIC_URL (directly, or
// through deploy/nginx.conf, which passes $host on).
func (c *client) postHost(host, path string, form url.Values) (*http.Response, string) {
	c.e.t.Helper()
	req, _ := http.NewRequest("POST", c.e.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Host = host
	// The jar would look for the cookies of host: the attacker's own form
	// cookie is the one she got with the form.
	u, _ := url.Parse(c.e.ts.URL)
	for _, ck := range c.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	return c.do(req)
}

// TestMailedLinksIgnoreHostHeader: without a configured public address,
// the links mailed on a public form were built from the request's Host
// header. An attacker posting the password reset form with a treasurer's
// address and "Host: evil.example" had her mailed a genuine reset link to
// evil.example: one click, and the attacker held the token to set her
// password. The same for the lost link (a member's portal and badge),
// joining and claiming a payment. Now such links need Config.PublicURL, or
// a Host of this machine (a demo, a test), where they leak nothing; and
// the answer is still the same for any address.
func TestMailedLinksIgnoreHostHeader(t *testing.T) {
	m := &mails{}
	e := newEnv(t, func(c *admin.Config) { c.Mails = m }) // no PublicURL
	e.addUser("tresorier@example.org", central.RoleTreasurer, "correct horse battery")
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(e.ctx(), alice); err != nil {
		t.Fatal(err)
	}
	sub := &central.Product{Name: "Abonnement mensuel", Kind: access.Subscription, Days: 30, Price: 12000}
	if err := e.products.CreateProduct(e.ctx(), sub); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		central.SettingJoinEnabled:       "true",
		central.SettingJoinProducts:      fmtInt(sub.ID),
		central.SettingJoinPrivacyNotice: "La Ruche garde vos données pour vos entrées.",
	} {
		if err := e.settings.SetSetting(e.ctx(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	const evil = "evil.example"
	noEvilLink := func(step string) {
		t.Helper()
		m.mu.Lock()
		defer m.mu.Unlock()
		for _, x := range m.sent {
			if strings.Contains(x.Link, evil) {
				t.Fatalf("%s: mailed %s a link to the attacker's host: %s", step, x.Kind, x.Link)
			}
		}
	}

	c, token := publicForm(t, e, "/login/reset")
	known, _ := c.postHost(evil, "/login/reset", url.Values{"csrf": {token}, "email": {"tresorier@example.org"}})
	noEvilLink("password reset")
	unknown, _ := c.postHost(evil, "/login/reset", url.Values{"csrf": {token}, "email": {"nobody@example.org"}})
	if known.StatusCode != unknown.StatusCode {
		t.Errorf("password reset: %d for a user's address, %d for another: the answer tells them apart", known.StatusCode, unknown.StatusCode)
	}

	c, token = publicForm(t, e, "/m")
	known, _ = c.postHost(evil, "/m", url.Values{"csrf": {token}, "email": {"alice@example.org"}})
	noEvilLink("lost link")
	unknown, _ = c.postHost(evil, "/m", url.Values{"csrf": {token}, "email": {"nobody@example.org"}})
	if known.StatusCode != unknown.StatusCode {
		t.Errorf("lost link: %d for a member's address, %d for another", known.StatusCode, unknown.StatusCode)
	}

	c, token = publicForm(t, e, "/join")
	c.postHost(evil, "/join", joinValues(token, "Chloé Petit", "chloe@example.org", sub.ID))
	noEvilLink("join")

	// From this machine (the demo, the tests), the Host still makes the
	// links: they lead back here.
	c, token = publicForm(t, e, "/login/reset")
	resp, _ := c.post("/login/reset", url.Values{"csrf": {token}, "email": {"tresorier@example.org"}})
	mustStatus(t, resp, http.StatusSeeOther)
	c, token = publicForm(t, e, "/m")
	c.post("/m", url.Values{"csrf": {token}, "email": {"alice@example.org"}})
	c, token = publicForm(t, e, "/join")
	c.post("/join", joinValues(token, "Chloé Petit", "chloe@example.org", sub.ID))
	for _, kind := range []string{admin.MailPasswordReset, admin.MailLinkRequest, admin.MailJoin} {
		if r := m.of(kind); len(r) != 1 || !strings.HasPrefix(r[0].Link, e.ts.URL+"/") {
			t.Errorf("%s mails %+v, want one link to %s", kind, r, e.ts.URL)
		}
	}
}

// TestClaimLinkIgnoresHostHeader: the payment claim's link, mailed to
// the address a member types on her page, was built from the Host header
// too: with "Host: evil.example", the owner of that address got a genuine
// confirmation link to the attacker's host, whose click hands over the
// token that credits her payment to the attacker's member.
func TestClaimLinkIgnoresHostHeader(t *testing.T) {
	b := newBillingEnv(t)
	m := &mails{}
	cfg := b.cfg
	cfg.Mails, cfg.PublicURL = m, ""
	srv, err := admin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.srv, b.ts = srv, httptest.NewServer(srv)
	t.Cleanup(b.ts.Close)
	_, token, err := b.store.CreateMemberLink(b.ctx(), b.alice)
	if err != nil {
		t.Fatal(err)
	}
	page := "/m/" + token
	c := b.client()
	c.get(page)
	c.postHost("evil.example", page+"/claim", url.Values{"csrf": {c.csrf}, "email": {"victim@perso.example"}})
	for _, x := range m.of(admin.MailClaim) {
		if strings.Contains(x.Link, "evil.example") {
			t.Fatalf("claim mailed a link to the attacker's host: %s", x.Link)
		}
	}
	c.post(page+"/claim", url.Values{"email": {"a.martin@perso.example"}}) // from this machine: sent
	if cl := m.of(admin.MailClaim); len(cl) != 1 || !strings.HasPrefix(cl[0].Link, b.ts.URL+"/claim/") {
		t.Fatalf("claim mails %+v, want one link to %s", cl, b.ts.URL)
	}
}
