package admin_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// community is a space with members, a kiosk, and a way to make them
// arrive (real pushes into the real store).
type community struct {
	e     *env
	kiosk int64
	seq   int64
}

func newCommunity(t *testing.T, e *env) *community {
	t.Helper()
	k := &central.Kiosk{Name: "Porte", Space: "Atelier"}
	if _, err := e.kiosks.CreateKiosk(e.ctx(), k); err != nil {
		t.Fatal(err)
	}
	return &community{e: e, kiosk: k.ID}
}

// member adds a member with a personal link and returns her id and token.
func (c *community) member(name, email string) (int64, string) {
	c.e.t.Helper()
	m := &central.Member{Name: name, Email: email}
	if err := c.e.members.CreateMember(c.e.ctx(), m); err != nil {
		c.e.t.Fatal(err)
	}
	_, token, err := c.e.store.CreateMemberLink(c.e.ctx(), m.ID)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return m.ID, token
}

// arrive pushes an accepted entry of the member at the kiosk's time when.
func (c *community) arrive(member int64, when time.Time) {
	c.e.t.Helper()
	c.seq++
	now := c.e.clock.Now()
	if _, err := c.e.sync.Push(c.e.ctx(), &central.Push{Kiosk: c.kiosk, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: fmt.Sprintf("0190b2a0-0000-7000-8000-%012d", c.seq), Seq: c.seq, Member: member, KioskTime: when,
			Accept: true, Reason: access.OKSubscription},
	}}); err != nil {
		c.e.t.Fatal(err)
	}
}

// choose saves a member's choices from her page, as she would.
func choose(t *testing.T, m *client, token string, form url.Values) {
	t.Helper()
	m.get("/m/" + token + "/directory") // the page's anti-forgery token
	resp, body := m.post("/m/"+token+"/profile", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save profile: status %d\n%s", resp.StatusCode, body)
	}
}

func TestPortalWhoIsHere(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	bob, bt := c.member("Bob Durand", "")
	chloe, ct := c.member("Chloé Petit", "")
	now := e.clock.Now()
	c.arrive(chloe, now.Add(-24*time.Hour)) // yesterday only
	c.arrive(alice, now.Add(-time.Hour))
	c.arrive(bob, now.Add(-30*time.Minute))

	m := e.client()
	// Off by default: nobody is shown, both are counted.
	resp, body := m.get("/m/" + at + "/here")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Qui est là aujourd’hui", "2 personnes présentes", `aria-current="page">Qui est là`)
	for _, name := range []string{"Alice Martin", "Bob Durand", "Chloé Petit"} {
		if strings.Contains(strings.SplitN(body, `id="mychoice"`, 2)[0], name) {
			t.Errorf("%s shown before choosing to be", name)
		}
	}

	choose(t, m, at, url.Values{"presence": {"1"}, "from": {"here"}})
	choose(t, e.client(), ct, url.Values{"presence": {"1"}}) // Chloé opts in, but came yesterday
	_, body = e.client().get("/m/" + bt + "/here")
	list := strings.SplitN(body, `id="mychoice"`, 2)[0]
	mustContain(t, list, "Alice Martin", "et 1 autre personne")
	if strings.Contains(list, "Bob Durand") {
		t.Error("Bob did not opt in but is listed")
	}
	if strings.Contains(list, "Chloé") {
		t.Error("yesterday's presence shown to a member")
	}
	// English too.
	en := e.client()
	en.get("/lang/en")
	_, body = en.get("/m/" + bt + "/here")
	mustContain(t, body, "Who’s here today", "and 1 other person")

	// The choice is in the journal, made by the member.
	evs, _, err := sqliteAudit(e).FindAuditEvents(e.ctx(), central.AuditFilter{Action: "profile.update"})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range evs {
		if ev.Actor == "member:"+fmtInt(alice) && ev.Object == "member:"+fmtInt(alice) && strings.Contains(ev.Details, `"presence":true`) {
			found = true
		}
	}
	if !found {
		t.Errorf("profile.update of Alice by herself not in the journal: %+v", evs)
	}

	// Without the link's anti-forgery token: refused, nothing changed.
	resp, _ = e.client().post("/m/"+bt+"/profile", url.Values{"presence": {"1"}, "csrf": {"forged"}})
	mustStatus(t, resp, http.StatusForbidden)
	if p, _ := e.cfg.Profiles.FindProfile(e.ctx(), bob); p.ShowPresence {
		t.Error("a forged POST changed Bob's choice")
	}
	// An unknown link: 404, as the Moi tab.
	for _, path := range []string{"/m/bgm1_guessed/here", "/m/bgm1_guessed/directory", "/m/bgm1_guessed/here/events"} {
		if resp, _ := e.client().get(path); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, resp.StatusCode)
		}
	}
}

func sqliteAudit(e *env) central.AuditService { return e.cfg.Audit }

// TestPortalHereLive: the stream tells the page when someone arrives.
func TestPortalHereLive(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "")
	bob, _ := c.member("Bob Durand", "")
	c.arrive(alice, e.clock.Now().Add(-time.Hour))

	req, _ := http.NewRequest("GET", e.ts.URL+"/m/"+at+"/here/events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	mustStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	events := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- ev
			}
		}
		close(events)
	}()
	next := func() string {
		select {
		case ev := <-events:
			return ev
		case <-time.After(20 * time.Second):
			t.Fatal("no event in 20 s")
		}
		return ""
	}
	if ev := next(); ev != "version" {
		t.Fatalf("first event %q, want version", ev)
	}
	c.arrive(bob, e.clock.Now())
	if ev := next(); ev != "here" {
		t.Fatalf("after an arrival: event %q, want here", ev)
	}
}

func TestPortalDirectory(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	helene, ht := c.member("Hélène Dupré", "helene@example.org")
	_, bt := c.member("Bob Durand", "bob@example.org")
	_, zt := c.member("Zoé Secret", "")
	m := e.client()
	choose(t, m, ht, url.Values{"directory": {"1"}, "about": {"Expert-comptable"}, "skills": {"Comptabilité, Vidéo"},
		"link": {"https://helene.example.org"}, "contact": {"email"}})
	choose(t, e.client(), bt, url.Values{"directory": {"1"}, "skills": {"Plomberie"}, "contact": {"phone"}, "contact_value": {"06 12 34 56 78"}})
	choose(t, e.client(), zt, url.Values{"about": {"Pas dans l’annuaire"}, "skills": {"comptabilité"}}) // not opted in

	z := e.client()
	resp, body := z.get("/m/" + zt + "/directory?q=" + url.QueryEscape("COMPTABILITE"))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Hélène Dupré", "Comptabilité", "mailto:helene@example.org", `href="https://helene.example.org"`)
	if strings.Contains(body, "Bob Durand") {
		t.Error("a search for comptabilite lists Bob")
	}
	if strings.Contains(strings.SplitN(body, `id="profile-form"`, 2)[0], "Pas dans l’annuaire") {
		t.Error("a member who did not opt in is listed")
	}
	_, body = z.get("/m/" + zt + "/directory?q=plomb")
	mustContain(t, body, "Bob Durand", `href="tel:0612345678"`, "06 12 34 56 78")
	if strings.Contains(body, "bob@example.org") {
		t.Error("Bob's e-mail shown though he chose the phone")
	}
	_, body = z.get("/m/" + zt + "/directory?q=astrophysique")
	mustContain(t, body, "Personne ne correspond à «\u00a0astrophysique\u00a0».")

	// An invalid profile: refused with the reason in French, nothing saved.
	z.get("/m/" + zt + "/directory")
	resp, body = z.post("/m/"+zt+"/profile", url.Values{"directory": {"1"}, "link": {"javascript:alert(1)"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Le lien doit être une adresse web")

	// The bureau hides an abusive profile: gone for members, still on its page.
	door := e.as(D)
	resp, body = door.get("/directory")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Hélène Dupré", "Bob Durand", "Masquer ce profil")
	resp, _ = door.post(fmt.Sprintf("/directory/%d/hidden", helene), url.Values{"hidden": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/directory?done=profile_hidden" {
		t.Errorf("after hiding: Location %q", loc)
	}
	_, body = z.get("/m/" + zt + "/directory")
	if strings.Contains(body, "Hélène") {
		t.Error("a hidden profile is still in the members' directory")
	}
	_, body = e.client().get("/m/" + ht + "/directory")
	mustContain(t, body, "Le bureau a masqué votre profil")
	_, body = door.get("/directory")
	mustContain(t, body, "masqué", "Montrer de nouveau")
	evs, _, _ := e.cfg.Audit.FindAuditEvents(e.ctx(), central.AuditFilter{Action: "profile.hide"})
	if len(evs) != 1 || evs[0].Actor != "door@example.org" {
		t.Errorf("profile.hide in the journal: %+v", evs)
	}
	// Read-only and treasurer read, never hide.
	for _, role := range []central.Role{R, T} {
		cl := e.as(role)
		if resp, _ := cl.get("/directory"); resp.StatusCode != http.StatusOK {
			t.Errorf("%s GET /directory: %d", role, resp.StatusCode)
		}
		resp, _ := cl.post(fmt.Sprintf("/directory/%d/hidden", helene), url.Values{"hidden": {"0"}})
		mustStatus(t, resp, http.StatusForbidden)
	}
	// Erasing the member erases her profile.
	if err := e.members.EraseMember(e.ctx(), helene); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cfg.Profiles.FindProfile(e.ctx(), helene); central.ErrorCode(err) != central.ENOTFOUND {
		t.Errorf("profile after erasure: %v", err)
	}
	_, body = door.get("/directory")
	if strings.Contains(body, "Hélène") {
		t.Error("an erased member's profile is still listed")
	}
}

// TestPortalDirectorySlack: a member reached on Slack is listed with
// « Slack : » as each language writes it; the page wrote "Slack : " in
// English too, with an ordinary space a phone could break at in French.
func TestPortalDirectorySlack(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	_, ht := c.member("Hélène Dupré", "helene@example.org")
	_, zt := c.member("Zoé Secret", "")
	choose(t, e.client(), ht, url.Values{"directory": {"1"}, "contact": {"slack"}, "contact_value": {"@helene"}})
	z := e.client()
	_, body := z.get("/m/" + zt + "/directory")
	mustContain(t, body, "Hélène Dupré", "<p>Slack\u00a0: @helene</p>")
	z.get("/lang/en?next=" + url.QueryEscape("/m/"+zt+"/directory"))
	_, body = z.get("/m/" + zt + "/directory")
	mustContain(t, body, "Hélène Dupré", "<p>Slack: @helene</p>")
}
