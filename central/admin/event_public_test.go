package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// newEvent adds an event with capacity places, starting in a week.
func newEvent(t *testing.T, e *env, title string, capacity int, public bool) *central.CalendarEvent {
	t.Helper()
	ev := &central.CalendarEvent{Title: title, Start: start.Add(7*24*time.Hour + 10*time.Hour),
		End: start.Add(7*24*time.Hour + 12*time.Hour), Capacity: capacity, Public: public, Space: "La Ruche"}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestEventCancelLink: the link of an event mail cancels its registration
// without logging in: opening it changes nothing, its button (with its
// anti-forgery token) cancels and answers 303, the first on the waiting
// list gets the place, and the link works once. A link is valid until the
// event ends; none is made after it.
func TestEventCancelLink(t *testing.T) {
	e, _ := newMailEnv(t)
	ev := newEvent(t, e, "Atelier compta", 1, true)
	ra := &central.Registration{Event: ev.ID, Name: "Chloé Petit", Email: "chloe@example.net"}
	rb := &central.Registration{Event: ev.ID, Name: "Bob Durand", Email: "bob@example.net"}
	for _, r := range []*central.Registration{ra, rb} {
		if err := e.cfg.Calendar.Register(e.ctx(), r); err != nil {
			t.Fatal(err)
		}
	}
	link, err := e.srv.CancelURL(e.ctx(), ev, ra.ID)
	if err != nil || !strings.HasPrefix(link, "https://badges.example.org/e/cancel/bge1_") {
		t.Fatalf("link %q, %v", link, err)
	}
	path := linkPath(t, link)
	c, token := publicForm(t, e, path)
	_, body := c.get(path)
	mustContain(t, body, "Atelier compta", "Bonjour Chloé Petit, vous ne pouvez plus venir\u00a0?", "Oui, annuler mon inscription")
	if rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID); rs[0].Status != central.RegistrationConfirmed {
		t.Fatalf("opening the link changed the registration: %+v", rs[0])
	}
	// Another page's token, or none: refused.
	resp, _ := c.post(path, url.Values{"csrf": {"x"}})
	mustStatus(t, resp, http.StatusForbidden)
	resp, _ = c.post(path, url.Values{"csrf": {token}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/e/cancelled" {
		t.Fatalf("after cancelling: %q", loc)
	}
	_, body = c.get("/e/cancelled")
	mustContain(t, body, "Votre inscription est annulée.")
	rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID)
	if rs[0].Status != central.RegistrationCancelled || rs[1].Status != central.RegistrationConfirmed {
		t.Fatalf("after the link: %s %s", rs[0].Status, rs[1].Status)
	}
	// Her button pressed twice (a double tap): the second answer, which
	// the browser shows, says it is cancelled, as the first did; nothing
	// more changes.
	resp, _ = c.post(path, url.Values{"csrf": {token}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/e/cancelled" {
		t.Fatalf("the button pressed twice: %q", loc)
	}
	if rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID); rs[0].Status != central.RegistrationCancelled || rs[1].Status != central.RegistrationConfirmed {
		t.Fatalf("after a double tap: %s %s", rs[0].Status, rs[1].Status)
	}
	// Once only: later, the spent link no longer works.
	e.clock.Add(2 * time.Minute)
	resp, body = c.post(path, url.Values{"csrf": {token}})
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, "Ce lien ne marche plus")
	// A link in English, for a waitlisted registration.
	rc := &central.Registration{Event: ev.ID, Name: "Carol", Email: "carol@example.net"}
	if err := e.cfg.Calendar.Register(e.ctx(), rc); err != nil || rc.Status != central.RegistrationWaitlisted {
		t.Fatal(rc.Status, err)
	}
	link, _ = e.srv.CancelURL(e.ctx(), ev, rc.ID)
	en := e.client()
	en.get("/lang/en")
	_, body = en.get(linkPath(t, link))
	mustContain(t, body, "Hello Carol, you are on the waiting list. Leave it?")
	// Tokens of another kind, or made up, are unknown.
	for _, p := range []string{"/e/cancel/bge1_nothing", "/e/cancel/bgu1_" + strings.Repeat("a", 43), "/e/cancel/" + strings.Repeat("b", 200)} {
		resp, _ := e.client().get(p)
		mustStatus(t, resp, http.StatusNotFound)
	}
	// The event over: the link no longer works, and no new one is made.
	e.clock.Set(ev.End.Add(time.Minute))
	resp, _ = e.client().get(linkPath(t, link))
	mustStatus(t, resp, http.StatusNotFound)
	if l, err := e.srv.CancelURL(e.ctx(), ev, rc.ID); l != "" || err != nil {
		t.Errorf("after the event: %q %v", l, err)
	}
}

// TestEventPublicPage: a public event has a page anyone opens (French
// first, English too) to register with a name and an e-mail. The form
// registers no one: it mails the address a link (24 hours, once) whose
// button registers her, confirmed or waitlisted, and the page says
// which. So an address typed by anyone registers no one, and the places
// left, which only a confirmed link moves, do not tell whether an address
// was registered already: the form answers every address alike. Opening
// the link changes nothing; an address confirmed twice registers once
// and is mailed where it stands; a double tap gets the same answer; a
// link confirmed after registrations closed registers no one.
// Members-only and unknown events have no page; the anti-forgery token
// is checked, inputs are bounded, a robot filling the honeypot is
// answered alike and nothing is kept, an address is throttled; the
// bureau's page of the event shows its link and QR code.
func TestEventPublicPage(t *testing.T) {
	e, m := newMailEnv(t)
	ev := newEvent(t, e, "Atelier compta", 1, true)
	private := newEvent(t, e, "AG des membres", 10, false)
	for _, p := range []string{"/e/" + fmtInt(private.ID), "/e/999", "/e/x"} {
		resp, body := e.client().get(p)
		mustStatus(t, resp, http.StatusNotFound)
		mustContain(t, body, "n’est pas ouvert au public")
	}
	page := "/e/" + fmtInt(ev.ID)
	c, token := publicForm(t, e, page)
	_, body := c.get(page)
	mustContain(t, body, "Atelier compta", "1 place libre sur 1", `name="website"`, "S’inscrire", "La Ruche")
	en := e.client()
	en.get("/lang/en")
	_, body = en.get(page)
	mustContain(t, body, "1 place left of 1", "Register")

	form := func(token, name, addr string) url.Values {
		return url.Values{"csrf": {token}, "name": {name}, "email": {addr}}
	}
	resp, _ := e.client().post(page, form("x", "Chloé Petit", "chloe@example.net"))
	mustStatus(t, resp, http.StatusForbidden)
	for _, bad := range []struct{ name, addr, want string }{
		{"", "chloe@example.net", "nom"},
		{strings.Repeat("é", 150), "chloe@example.net", "trop long"},
		{"Chloé Petit", "pas une adresse", "adresse"},
		{"Chloé\x00Petit", "chloe@example.net", "trop long"},
	} {
		resp, body := c.post(page, form(token, bad.name, bad.addr))
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, bad.want)
	}
	// A robot: the same answer, nothing kept.
	v := form(token, "Robot", "robot@example.net")
	v.Set("website", "https://spam.example")
	resp, _ = c.post(page, v)
	mustStatus(t, resp, http.StatusSeeOther)
	if rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID); len(rs) != 0 {
		t.Fatalf("the honeypot registered %+v", rs)
	}

	// The form registers no one: it mails the address a link, and the
	// places left do not move.
	resp, _ = c.post(page, form(token, "  Chloé   Petit ", "chloe@example.net"))
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != page+"?done=event_mailed" {
		t.Fatalf("after the form: %q", loc)
	}
	_, body = c.get(resp.Header.Get("Location"))
	mustContain(t, body, "un e-mail vient de partir", "1 place libre sur 1")
	if rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID); len(rs) != 0 {
		t.Fatalf("the form registered %+v before the address was confirmed", rs)
	}
	link := registerLink(t, m, 0, "chloe@example.net", "Chloé Petit", ev.ID)

	// Opening the link (a mail program scanning it) changes nothing; its
	// button registers her, once.
	lc, lt := publicForm(t, e, link)
	_, body = lc.get(link)
	mustContain(t, body, "Atelier compta", "Inscription au nom de Chloé Petit (chloe@example.net).", "Confirmer mon inscription")
	if rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID); len(rs) != 0 {
		t.Fatalf("opening the link registered %+v", rs)
	}
	resp, _ = lc.post(link, url.Values{"csrf": {"x"}})
	mustStatus(t, resp, http.StatusForbidden)
	resp, _ = lc.post(link, url.Values{"csrf": {lt}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != page+"?done=event_registered" {
		t.Fatalf("after confirming: %q", loc)
	}
	_, body = lc.get(resp.Header.Get("Location"))
	mustContain(t, body, "votre place est confirmée", "Vous recevez un e-mail de confirmation")
	rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID)
	if len(rs) != 1 || rs[0].Name != "Chloé Petit" || rs[0].Email != "chloe@example.net" || rs[0].Member != 0 ||
		rs[0].Status != central.RegistrationConfirmed {
		t.Fatalf("registrations %+v", rs)
	}
	// Her button pressed twice: the same answer; the link is spent.
	resp, _ = lc.post(link, url.Values{"csrf": {lt}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != page+"?done=event_registered" {
		t.Fatalf("a double tap: %d %q", resp.StatusCode, loc)
	}
	resp, body = lc.get(link)
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, "Ce lien ne fonctionne plus")

	// The same address again: the form answers as it would any address
	// and the places left do not move; her link registers nothing twice,
	// says so and mails her where she stands.
	resp, body = c.post(page, form(token, "Chloé Petit", "CHLOE@example.net"))
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != page+"?done=event_mailed" {
		t.Fatalf("the same address again: %q", loc)
	}
	if strings.Contains(body, "inscrit") {
		t.Errorf("the same address again: %s", body)
	}
	_, body = c.get(page)
	mustContain(t, body, `<p id="places">Complet</p>`)
	again := registerLink(t, m, 1, "CHLOE@example.net", "Chloé Petit", ev.ID)
	ac, at := publicForm(t, e, again)
	resp, _ = ac.post(again, url.Values{"csrf": {at}})
	if loc := resp.Header.Get("Location"); loc != page+"?done=event_already" {
		t.Fatalf("her address confirmed again: %q", loc)
	}
	_, body = ac.get(resp.Header.Get("Location"))
	mustContain(t, body, "Cette adresse était déjà inscrite")
	if rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID); len(rs) != 1 {
		t.Fatalf("registered twice: %+v", rs)
	}
	if ms := m.of(admin.MailEventConfirmed); len(ms) != 1 || ms[0].To != "chloe@example.net" || ms[0].Name != "Chloé Petit" ||
		ms[0].Event != ev.ID || ms[0].Registration != rs[0].ID || !ms[0].Again {
		t.Errorf("the mail to the address registered already: %+v", ms)
	}
	// Full: the next one's link puts her on the waiting list.
	d, dt := publicForm(t, e, page)
	_, body = d.get(page)
	mustContain(t, body, "S’inscrire sur la liste d’attente")
	resp, _ = d.post(page, form(dt, "Dan", "dan@example.net"))
	if loc := resp.Header.Get("Location"); loc != page+"?done=event_mailed" {
		t.Fatalf("full: %q", loc)
	}
	dan := registerLink(t, m, 2, "dan@example.net", "Dan", ev.ID)
	dc, dlt := publicForm(t, e, dan)
	_, body = dc.get(dan)
	mustContain(t, body, "M’inscrire sur la liste d’attente")
	resp, _ = dc.post(dan, url.Values{"csrf": {dlt}})
	if loc := resp.Header.Get("Location"); loc != page+"?done=event_waitlisted" {
		t.Fatalf("waitlisted: %q", loc)
	}
	// The address typed is throttled as on /join: three tries, then
	// minutes apart.
	resp, _ = d.post(page, form(dt, "Chloé Petit", "chloe@example.net"))
	mustStatus(t, resp, http.StatusSeeOther)
	resp, body = d.post(page, form(dt, "Chloé Petit", "chloe@example.net"))
	mustStatus(t, resp, http.StatusTooManyRequests)
	mustContain(t, body, "Chloé Petit")
	if n := len(m.of(admin.MailEventRegister)); n != 4 {
		t.Errorf("%d links mailed, want 4 (the throttled form mails none)", n)
	}

	// The bureau's page of the event: its link and QR code to share.
	door := e.as(D)
	_, body = door.get("/events/" + fmtInt(ev.ID))
	mustContain(t, body, `value="https://badges.example.org/e/`+fmtInt(ev.ID)+`"`, "<svg", "Lien et QR code à partager",
		"Chacun confirme son adresse par un lien reçu par e-mail")
	_, body = door.get("/events/" + fmtInt(private.ID))
	if strings.Contains(body, "Lien et QR code à partager") {
		t.Error("a members-only event offers a public link")
	}

	// Two links mailed now: Fanny's, and Eve's for an event tonight.
	resp, _ = c.post(page, form(token, "Fanny", "fanny@example.net"))
	mustStatus(t, resp, http.StatusSeeOther)
	fanny := registerLink(t, m, 4, "fanny@example.net", "Fanny", ev.ID)
	tonight := &central.CalendarEvent{Title: "Apéro", Start: start.Add(10 * time.Hour), End: start.Add(12 * time.Hour),
		Capacity: 5, Public: true}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), tonight); err != nil {
		t.Fatal(err)
	}
	tc, tt := publicForm(t, e, "/e/"+fmtInt(tonight.ID))
	resp, _ = tc.post("/e/"+fmtInt(tonight.ID), form(tt, "Eve", "eve@example.net"))
	mustStatus(t, resp, http.StatusSeeOther)
	eve := registerLink(t, m, 5, "eve@example.net", "Eve", tonight.ID)
	ec, et := publicForm(t, e, eve)

	// Tonight's registrations closed when it began: Eve's link says so
	// and registers no one.
	e.clock.Set(tonight.Start)
	_, body = ec.get(eve)
	mustContain(t, body, "Les inscriptions sont closes.")
	mustNotContain(t, body, "Confirmer mon inscription")
	resp, body = ec.post(eve, url.Values{"csrf": {et}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Les inscriptions à cet événement sont closes.")

	// A link lives 24 hours.
	e.clock.Set(start.Add(25 * time.Hour))
	resp, body = c.get(fanny)
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, "date de plus de 24 heures")

	// Registrations closed: said, and the form refused.
	e.clock.Set(ev.Start)
	_, body = c.get(page)
	mustContain(t, body, "Les inscriptions sont closes.")
	resp, body = c.post(page, form(token, "Gaby", "gaby@example.net"))
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Les inscriptions à cet événement sont closes.")
	if n := len(m.of(admin.MailEventRegister)); n != 6 {
		t.Errorf("%d links mailed, want 6 (none once closed)", n)
	}
}

// registerLink returns the path of the n-th link the public event form
// mailed (from 0), checking it went to addr, greeted name, for event.
func registerLink(t *testing.T, m *mails, n int, addr, name string, event int64) string {
	t.Helper()
	ms := m.of(admin.MailEventRegister)
	if len(ms) <= n {
		t.Fatalf("%d links mailed, want a %dth", len(ms), n+1)
	}
	x := ms[n]
	if x.To != addr || x.Name != name || x.Event != event || x.Member != 0 || x.Key == "" {
		t.Fatalf("link mailed %+v, want to %s (%s) for event %d", x, addr, name, event)
	}
	path := linkPath(t, x.Link)
	if !strings.HasPrefix(path, "/e/confirm/bgi1_") {
		t.Fatalf("link %q", x.Link)
	}
	return path
}

// TestEventPublicWithoutMail: without e-mail no address can be confirmed,
// so the public form registers at once, and answers an address
// registered already as it would a new one (the waiting list once the
// place is taken), registering nothing twice; the page says no mail
// follows, and the bureau's page of the event that addresses go
// unchecked.
func TestEventPublicWithoutMail(t *testing.T) {
	e := newEnv(t)
	ev := newEvent(t, e, "Atelier compta", 1, true)
	page := "/e/" + fmtInt(ev.ID)
	c, token := publicForm(t, e, page)
	_, body := c.get(page)
	mustNotContain(t, body, "e-mail avec un lien")
	for i, want := range []string{"event_registered", "event_waitlisted"} {
		resp, _ := c.post(page, url.Values{"csrf": {token}, "name": {"Chloé Petit"}, "email": {"chloe@example.net"}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != page+"?done="+want {
			t.Fatalf("form %d: %d %q, want %s", i, resp.StatusCode, loc, want)
		}
	}
	_, body = c.get(page + "?done=event_registered")
	mustContain(t, body, "votre place est confirmée")
	mustNotContain(t, body, "e-mail")
	if rs, _ := e.cfg.Calendar.Registrations(e.ctx(), ev.ID); len(rs) != 1 || rs[0].Status != central.RegistrationConfirmed {
		t.Fatalf("registrations %+v", rs)
	}
	// The bureau's page of the event warns that addresses go unchecked.
	_, body = e.as(D).get("/events/" + fmtInt(ev.ID))
	mustContain(t, body, "L’e-mail n’est pas configuré\u00a0: les adresses données sur cette page ne sont pas vérifiées")
}

// TestEventPublicConcurrent: 200 people sending the public form at once
// (each from her own address) for 50 places: every one is answered 303,
// exactly 50 told their place is confirmed and 150 that they wait, as
// the store holds them.
func TestEventPublicConcurrent(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) { c.TrustProxy = true })
	ev := newEvent(t, e, "Conférence", 50, true)
	page := "/e/" + fmtInt(ev.ID)
	const n = 200
	clients, tokens := make([]*client, n), make([]string, n)
	for i := range n {
		clients[i], tokens[i] = publicForm(t, e, page)
	}
	var wg sync.WaitGroup
	answers := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := url.Values{"csrf": {tokens[i]}, "name": {fmt.Sprintf("Invitée %d", i)}, "email": {fmt.Sprintf("invitee%d@example.net", i)}}
			req, _ := http.NewRequest("POST", e.ts.URL+page, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.0.%d.%d", i/250, i%250+1))
			resp, err := clients[i].Do(req)
			if err != nil {
				answers <- err.Error()
				return
			}
			resp.Body.Close()
			answers <- fmt.Sprint(resp.StatusCode, " ", resp.Header.Get("Location"))
		}()
	}
	wg.Wait()
	close(answers)
	count := map[string]int{}
	for a := range answers {
		count[a]++
	}
	if count["303 "+page+"?done=event_registered"] != 50 || count["303 "+page+"?done=event_waitlisted"] != 150 {
		t.Fatalf("answers %v; want 50 confirmed and 150 waitlisted", count)
	}
	got, err := e.cfg.Calendar.FindEvent(e.ctx(), ev.ID)
	if err != nil || got.Confirmed != 50 || got.Waitlisted != 150 {
		t.Fatalf("stored %+v %v", got, err)
	}
}
