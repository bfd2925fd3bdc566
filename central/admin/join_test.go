package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/shared/access"
)

// joinEnv is an admin with e-mail, the join page open, and two products
// offered: a card with a HelloAsso form, a subscription without.
func joinEnv(t *testing.T) (e *env, m *mails, card, sub *central.Product) {
	e, m = newMailEnv(t)
	card = &central.Product{Name: "Carte 10 entrées", Kind: access.Pack, Entries: 10, Price: 8000}
	sub = &central.Product{Name: "Abonnement mensuel", Kind: access.Subscription, Days: 30, Price: 12000}
	for _, p := range []*central.Product{card, sub} {
		if err := e.products.CreateProduct(e.ctx(), p); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range map[string]string{
		central.SettingJoinEnabled:       "true",
		central.SettingJoinProducts:      fmtInt(card.ID) + "," + fmtInt(sub.ID),
		central.SettingJoinForms:         fmtInt(card.ID) + "=https://www.helloasso.com/associations/la-ruche/boutiques/carte-10",
		central.SettingJoinPrivacyNotice: "La Ruche garde vos données pour vos entrées.",
	} {
		if err := e.settings.SetSetting(e.ctx(), k, v); err != nil {
			t.Fatal(err)
		}
	}
	return e, m, card, sub
}

func joinValues(token, name, addr string, product int64) url.Values {
	return url.Values{"csrf": {token}, "name": {name}, "email": {addr}, "phone": {"06 12 34 56 78"},
		"product": {fmtInt(product)}, "consent": {"1"}}
}

// confirm opens a confirmation link and presses its button.
func confirm(t *testing.T, e *env, link string) (*http.Response, string) {
	t.Helper()
	path := linkPath(t, link)
	c, token := publicForm(t, e, path)
	return c.post(path, url.Values{"csrf": {token}})
}

// TestJoinFlow: nobody exists before the address is confirmed; with a
// HelloAsso form she becomes a member and goes to pay; otherwise the
// bureau accepts her request, which makes her a member, welcomed.
func TestJoinFlow(t *testing.T) {
	e, m, card, sub := joinEnv(t)
	c, token := publicForm(t, e, "/join")
	resp, body := c.follow(c.post("/join", joinValues(token, "Chloé Petit", "chloe@example.org", sub.ID))) // reloading it sends no other
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `id="join-sent"`)
	if _, n, _ := e.members.FindMembers(e.ctx(), central.MemberFilter{}); n != 0 {
		t.Fatalf("%d members before the address is confirmed", n)
	}
	j := m.of(admin.MailJoin)
	if len(j) != 1 || j[0].To != "chloe@example.org" || j[0].Name != "Chloé Petit" {
		t.Fatalf("join mails %+v", j)
	}
	// Opening the link (a mail scanner does) changes nothing.
	resp, _ = e.client().get(linkPath(t, j[0].Link))
	mustStatus(t, resp, http.StatusOK)
	// What was done is said on the page the POST answers 303 to: a
	// reload says it again and does nothing.
	resp, _ = confirm(t, e, j[0].Link)
	mustStatus(t, resp, http.StatusSeeOther)
	done := resp.Header.Get("Location")
	for range 2 {
		resp, body = e.client().get(done)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, `id="join-done"`)
	}
	if resp, _ := e.client().get(linkPath(t, j[0].Link)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("link used: %d, want 404", resp.StatusCode)
	}
	bureau := e.as(central.RoleDoor)
	_, page := bureau.get("/joins")
	mustContain(t, page, "Chloé Petit", "chloe@example.org", "06 12 34 56 78", "Abonnement mensuel", "/join")
	resp, _ = bureau.post("/joins/1/accept", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	ms, _, _ := e.members.FindMembers(e.ctx(), central.MemberFilter{})
	if len(ms) != 1 || ms[0].Name != "Chloé Petit" || ms[0].Email != "chloe@example.org" || ms[0].Status != access.MemberActive {
		t.Fatalf("members %+v", ms)
	}
	if w := m.of(admin.MailWelcome); len(w) != 1 || w[0].Member != ms[0].ID {
		t.Fatalf("welcome mails %+v", w)
	}
	if resp, _ := bureau.post("/joins/1/refuse", url.Values{"confirm": {"1"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("decided twice: %d", resp.StatusCode)
	}

	// With the card's HelloAsso form: a member at once, sent to pay.
	c, token = publicForm(t, e, "/join")
	c.post("/join", joinValues(token, "Dan Roux", "dan@example.org", card.ID))
	j = m.of(admin.MailJoin)
	resp, _ = confirm(t, e, j[len(j)-1].Link)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "https://www.helloasso.com/associations/la-ruche/boutiques/carte-10" {
		t.Errorf("sent to %q, want the card's form", loc)
	}
	dan := "dan@example.org"
	if ms, _, _ := e.members.FindMembers(e.ctx(), central.MemberFilter{Email: &dan}); len(ms) != 1 {
		t.Fatalf("Dan is not a member after confirming")
	}
	// An address already a member's adds nothing.
	c, token = publicForm(t, e, "/join")
	c.post("/join", joinValues(token, "Dan Roux", "dan@example.org", sub.ID))
	j = m.of(admin.MailJoin)
	resp, _ = confirm(t, e, j[len(j)-1].Link)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = e.client().get(resp.Header.Get("Location"))
	mustContain(t, body, `id="join-member"`)
	if _, n, _ := e.members.FindMembers(e.ctx(), central.MemberFilter{}); n != 2 {
		t.Errorf("%d members, want 2", n)
	}
}

// TestJoinAbuse: a robot filling the honeypot gets the same answer and no
// mail; bad fields are refused; a product not offered cannot be chosen;
// one client is throttled; the page is closed without e-mail.
func TestJoinAbuse(t *testing.T) {
	e, m, _, sub := joinEnv(t)
	c, token := publicForm(t, e, "/join")
	v := joinValues(token, "Robot", "robot@example.org", sub.ID)
	v.Set("website", "http://spam.example")
	resp, body := c.follow(c.post("/join", v))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `id="join-sent"`)
	if n := len(m.of(admin.MailJoin)); n != 0 {
		t.Fatalf("%d join mails for a robot", n)
	}
	for name, v := range map[string]url.Values{
		"no consent":  {"csrf": {token}, "name": {"A"}, "email": {"a@example.org"}, "product": {fmtInt(sub.ID)}},
		"bad address": joinValues(token, "A", "not an address", sub.ID),
		"not offered": joinValues(token, "A", "a@example.org", 999),
		"letters in phone": func() url.Values {
			v := joinValues(token, "A", "a@example.org", sub.ID)
			v.Set("phone", "call me")
			return v
		}(),
	} {
		if resp, _ := c.post("/join", v); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, resp.StatusCode)
		}
	}
	if resp, _ := c.post("/join", url.Values{"csrf": {"forged"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("forged token: %d", resp.StatusCode)
	}
	var last *http.Response
	for i := 0; i < 8; i++ {
		last, _ = c.post("/join", joinValues(token, "A", "a"+fmtInt(int64(i))+"@example.org", sub.ID))
	}
	mustStatus(t, last, http.StatusTooManyRequests)
	if n := len(m.of(admin.MailJoin)); n > 6 {
		t.Errorf("%d join mails from one client in a minute, want at most 6", n)
	}
	m.off = true
	if resp, _ := e.client().get("/join"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("join page without e-mail: %d, want 404", resp.StatusCode)
	}
}

// FuzzJoinForm: any body gives a valid form or a message key, never a
// panic, and an accepted form is within bounds.
func FuzzJoinForm(f *testing.F) {
	for _, s := range []string{
		"name=Alice&email=alice%40example.org&consent=1&product=2",
		"name=%00&email=a@b&consent=1",
		"name=" + strings.Repeat("x", 300) + "&email=a%40example.org&consent=1",
		"phone=%2B33+6+12&name=A&email=a%40example.org&consent=1&product=1&website=x",
		"product=-1&name=A&email=a%40example.org&consent=1",
		"name=%ff%fe&email=%e2%80%ae%40example.org&consent=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		form, key, _ := admin.ParseJoinForm(v, []int64{1, 2})
		if key != "" {
			return
		}
		if form.Name == "" || len(form.Name) > 200 || len(form.Phone) > 40 || central.ValidateEmail(form.Email) != nil ||
			(form.Product != 1 && form.Product != 2) || !form.Consent {
			t.Fatalf("accepted %+v from %q", form, body)
		}
	})
}
