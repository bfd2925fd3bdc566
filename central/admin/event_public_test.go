package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
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
	mustContain(t, body, "Atelier compta", "Bonjour Chloé Petit, vous ne pouvez plus venir ?", "Oui, annuler mon inscription")
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
	// Once only.
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
