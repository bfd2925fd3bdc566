package admin_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestEventFullWaitingWords: a full event says « Complet » alone while
// nobody waits (it said « Complet · 0 en liste d’attente »), then « 1
// personne », « 2 personnes en liste d’attente », on the member's agenda
// and the public page, in French and in English.
func TestEventFullWaitingWords(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	ev := &central.CalendarEvent{Title: "Atelier vélo", Public: true, Start: e.clock.Now().Add(48 * time.Hour),
		End: e.clock.Now().Add(50 * time.Hour), Capacity: 1}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
		t.Fatal(err)
	}
	if err := e.cfg.Calendar.Register(e.ctx(), &central.Registration{Event: ev.ID, Member: alice}); err != nil {
		t.Fatal(err)
	}
	me, anyone := e.client(), e.client()
	check := func(fr, en string) {
		t.Helper()
		for _, cl := range []*client{me, anyone} {
			for _, lang := range []string{"fr", "en"} {
				cl.get("/lang/" + lang)
				path := "/e/" + fmtInt(ev.ID)
				if cl == me {
					path = "/m/" + at + "/agenda"
				}
				_, body := cl.get(path)
				want := map[string]string{"fr": fr, "en": en}[lang]
				mustContain(t, body, ">"+want+"</p>")
				mustNotContain(t, body, " 0 en liste", "0 on the waiting list", "0 people")
			}
		}
	}
	check("Complet", "Full")
	for i, name := range []string{"Bea", "Carl"} {
		if err := e.cfg.Calendar.Register(e.ctx(), &central.Registration{Event: ev.ID, Name: name, Email: name + "@example.net"}); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			check("Complet · 1 personne en liste d’attente", "Full · 1 person on the waiting list")
		} else {
			check("Complet · 2 personnes en liste d’attente", "Full · 2 people on the waiting list")
		}
	}
}

// TestEventPlacesThousands: an event's places were written « 9999 places
// libres sur 10000 » (and « Inscrits : 1 sur 10000 places » on the
// bureau's pages): the counts of an event, up to 10,000 places, take the
// language's thousands separator as the other counts do.
func TestEventPlacesThousands(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	ev := &central.CalendarEvent{Title: "Grande fête", Public: true, Start: e.clock.Now().Add(48 * time.Hour),
		End: e.clock.Now().Add(50 * time.Hour), Capacity: 10000}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
		t.Fatal(err)
	}
	if err := e.cfg.Calendar.Register(e.ctx(), &central.Registration{Event: ev.ID, Member: alice}); err != nil {
		t.Fatal(err)
	}
	anyone := e.client()
	for path, want := range map[string]string{
		"/e/" + fmtInt(ev.ID):  "9\u00a0999 places libres sur 10\u00a0000",
		"/m/" + at + "/agenda": "9\u00a0999 places libres sur 10\u00a0000",
	} {
		_, body := anyone.get(path)
		mustContain(t, body, want)
	}
	admin := e.as(central.RoleAdmin)
	for _, path := range []string{"/events/" + fmtInt(ev.ID), "/events"} {
		_, body := admin.get(path)
		mustContain(t, body, "Inscrits\u00a0: 1 sur 10\u00a0000 places")
	}
	admin.get("/lang/en")
	_, body := admin.get("/events/" + fmtInt(ev.ID))
	mustContain(t, body, "Registered: 1 of 10,000 places")
}
