package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestEvents: the bureau creates an event with 1 place from its page,
// two members register from their portals (one confirmed, one on the
// waiting list), the first cancels and the second gets the place; the
// bureau marks her present and exports the registrations.
func TestEvents(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	_, at := c.member("Alice Martin", "alice@example.org")
	bob, bt := c.member("Bob Durand", "bob@example.org")
	door := e.as(D)
	resp, body := door.get("/events")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Nouvel événement", "Aucun événement à venir.")

	// Times are the space's (Paris): 3 December, 18:00 to 20:00.
	resp, body = door.post("/events", url.Values{"title": {"Atelier compta"}, "start": {"2026-12-03T18:00"},
		"end": {"2026-12-03T20:00"}, "capacity": {"1"}, "description": {"Les bases"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/events/1?done=event_created" {
		t.Fatalf("after creating: %q\n%s", loc, body)
	}
	ev, err := e.cfg.Calendar.FindEvent(e.ctx(), 1)
	if err != nil || ev.Start.Format("2006-01-02 15:04") != "2026-12-03 17:00" || ev.Capacity != 1 || ev.Public {
		t.Fatalf("event stored: %v %+v", err, ev)
	}
	// A mistake is shown on the form, kept as typed.
	resp, body = door.post("/events", url.Values{"title": {"Soirée"}, "start": {"2026-12-03T20:00"},
		"end": {"2026-12-03T18:00"}, "capacity": {"10"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Un événement finit après avoir commencé.", `value="Soirée"`)
	resp, body = door.post("/events", url.Values{"title": {"Soirée"}, "start": {"demain"}, "end": {"2026-12-03T18:00"}, "capacity": {"10"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Début\u00a0: date et heure attendues")

	alice, bobC := e.client(), e.client()
	_, body = alice.get("/m/" + at + "/agenda")
	mustContain(t, body, "Atelier compta", "1 place libre sur 1", "M’inscrire", `aria-current="page">Agenda`)
	resp, _ = alice.post("/m/"+at+"/agenda/1/register", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = alice.get(resp.Header.Get("Location"))
	mustContain(t, body, "Vous êtes inscrit·e.", "Annuler mon inscription")
	_, body = bobC.get("/m/" + bt + "/agenda")
	mustContain(t, body, "<p>Complet</p>", "M’inscrire sur la liste d’attente")
	resp, _ = bobC.post("/m/"+bt+"/agenda/1/register", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "done=waitlisted") {
		t.Errorf("waitlisted: %q", loc)
	}
	_, body = bobC.get("/m/" + bt + "/agenda")
	mustContain(t, body, "Liste d’attente\u00a0: position 1.")
	// Registering twice (a double tap): one registration, and the second
	// post says where she stands (303), not a conflict on an error page.
	resp, _ = bobC.post("/m/"+bt+"/agenda/1/register", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "/agenda?done=waitlisted") {
		t.Errorf("registered twice: %q", loc)
	}
	_, body = bobC.get(resp.Header.Get("Location"))
	mustContain(t, body, "Complet\u00a0: vous êtes sur la liste d’attente.", "Liste d’attente\u00a0: position 1.", "Complet · 1 personne en liste d’attente")
	resp, _ = alice.post("/m/"+at+"/agenda/1/register", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "/agenda?done=registered") {
		t.Errorf("registered twice: %q", loc)
	}
	// Without the anti-forgery token: refused.
	resp, _ = e.client().post("/m/"+at+"/agenda/1/cancel", url.Values{"csrf": {"x"}})
	mustStatus(t, resp, http.StatusForbidden)

	// Alice cancels: Bob gets the place.
	alice.get("/m/" + at + "/agenda")
	resp, _ = alice.post("/m/"+at+"/agenda/1/cancel", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = bobC.get("/m/" + bt + "/agenda")
	mustContain(t, body, "Vous êtes inscrit·e.")
	_, body = alice.get("/m/" + at + "/agenda")
	mustContain(t, body, "Complet")

	// The bureau's page: who registered, who came.
	_, body = door.get("/events/1")
	mustContain(t, body, "Atelier compta", "Inscrits\u00a0: 1 sur 1 places", "Confirmés\u00a0: 1 · venus\u00a0: 0 · en attente\u00a0: 0 · annulés\u00a0: 1", "Venu·e")
	regs, _ := e.cfg.Calendar.Registrations(e.ctx(), 1)
	var bobReg int64
	for _, r := range regs {
		if r.Member == bob {
			bobReg = r.ID
		}
	}
	resp, _ = door.post(fmt.Sprintf("/events/1/registrations/%d/attended", bobReg), nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = door.get("/events/1")
	mustContain(t, body, "Confirmés\u00a0: 0 · venus\u00a0: 1")
	resp, body = door.get("/events/1/registrations.csv?format=raw")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "id,name,email,member_id,status,no_show,created", ",Alice Martin,alice@example.org,", ",cancelled,0,",
		",Bob Durand,bob@example.org,"+fmtInt(bob)+",attended,0,")

	// Roles: read-only reads, never changes.
	ro := e.as(R)
	if resp, _ := ro.get("/events/1"); resp.StatusCode != http.StatusOK {
		t.Errorf("read-only GET /events/1: %d", resp.StatusCode)
	}
	resp, _ = ro.post("/events", url.Values{"title": {"X"}})
	mustStatus(t, resp, http.StatusForbidden)
	resp, _ = ro.post(fmt.Sprintf("/events/1/registrations/%d/cancel", bobReg), nil)
	mustStatus(t, resp, http.StatusForbidden)

	// After the event: no more registration; a confirmed registration is a no-show.
	e.clock.Add(8 * 24 * 3600e9)
	_, body = alice.get("/m/" + at + "/agenda")
	if strings.Contains(body, "Atelier compta") {
		t.Error("a past event in the members' agenda")
	}
	if got, _ := e.cfg.Calendar.FindEvents(e.ctx(), central.EventFilter{}); len(got) != 1 {
		t.Errorf("events: %d", len(got))
	}
	door = e.client().login("door@example.org", "correct horse battery") // a week later: the session ended
	_, body = door.get("/events")
	mustContain(t, body, "Passés (90 jours)", "Atelier compta")
	_, body = door.get("/events/1/registrations.csv?format=raw")
	mustContain(t, body, ",attended,0,") // came: not a no-show
}

// TestEventRegisterFor: the bureau registers a member who asks at the desk
// or by phone, found by typing her name (never her number): the event's
// page offers her, the registration is in her name (303), and when the
// event is full she waits. Registering her again changes nothing and
// goes back to the event's page saying where she stands, in French and
// in English; it answered 409 with an error page, « Conflit avec des
// données existantes : … ».
func TestEventRegisterFor(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, _ := c.member("Alice Martin", "alice@example.org")
	bob, _ := c.member("Bob Durand", "bob@example.org")
	door := e.as(D)
	resp, _ := door.post("/events", url.Values{"title": {"Atelier compta"}, "start": {"2026-12-03T18:00"},
		"end": {"2026-12-03T20:00"}, "capacity": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body := door.get("/events/1")
	mustContain(t, body, "Inscrire un membre", `name="who"`)
	_, body = door.get("/events/1?who=zzz")
	mustContain(t, body, "Aucun membre ne correspond à «\u00a0zzz\u00a0».")
	_, body = door.get("/events/1?who=alice")
	mustContain(t, body, `<option value="`+fmt.Sprint(alice)+`">Alice Martin (alice@example.org)</option>`, "Inscrire</button>")
	if strings.Contains(body, "Bob Durand") {
		t.Error("the search offers Bob for \"alice\"")
	}
	resp, _ = door.post("/events/1/registrations", url.Values{"member": {fmt.Sprint(alice)}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/events/1?done=registered_for" {
		t.Fatalf("after registering: %q", loc)
	}
	_, body = door.get("/events/1")
	mustContain(t, body, "Alice Martin", "Confirmés\u00a0: 1")
	again := func(member int64, want, text string) {
		t.Helper()
		resp, _ := door.post("/events/1/registrations", url.Values{"member": {fmt.Sprint(member)}})
		mustStatus(t, resp, http.StatusSeeOther)
		loc := resp.Header.Get("Location")
		if loc != "/events/1?done="+want {
			t.Fatalf("registered again: %q, want done=%s", loc, want)
		}
		_, body := door.get(loc)
		mustContain(t, body, `<p class="flash" role="status">`+text+`</p>`)
		mustNotContain(t, body, "Conflit", "Oups", "already", "Already")
	}
	again(alice, "already_registered", "Elle est déjà inscrite\u00a0: rien n’a changé.")
	resp, _ = door.post("/events/1/registrations", url.Values{"member": {fmt.Sprint(bob)}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/events/1?done=waitlisted_for" {
		t.Errorf("a full event: %q, want the waiting list", loc)
	}
	again(bob, "already_waitlisted", "Elle est déjà sur la liste d’attente\u00a0: rien n’a changé.")
	resp, _ = door.post("/events/1/registrations", url.Values{"member": {"nobody"}})
	mustStatus(t, resp, http.StatusBadRequest)
	regs, err := e.cfg.Calendar.Registrations(e.ctx(), 1)
	if err != nil || len(regs) != 2 || regs[0].Member != alice || regs[0].Status != central.RegistrationConfirmed ||
		regs[1].Member != bob || regs[1].Status != central.RegistrationWaitlisted {
		t.Fatalf("registrations: %v %+v", err, regs)
	}
	door.get("/lang/en")
	for member, want := range map[int64]string{alice: "She is registered already: nothing changed.", bob: "She is on the waiting list already: nothing changed."} {
		resp, _ := door.post("/events/1/registrations", url.Values{"member": {fmt.Sprint(member)}})
		mustStatus(t, resp, http.StatusSeeOther)
		_, body := door.get(resp.Header.Get("Location"))
		mustContain(t, body, `<p class="flash" role="status">`+want+`</p>`)
	}
}

// TestEventAttendedEarly: "Venu·e" cannot be undone and a registration so
// marked can no longer be cancelled; next to "Annuler", on an event still
// to come (days away), one mistaken tap marked her for good. Before the door lets the
// event's people in (30 minutes before its start), it asks first; from
// then on, at the door, it is one tap.
func TestEventAttendedEarly(t *testing.T) {
	e := newEnv(t)
	door := e.as(D)
	ctx := e.ctx()
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(ctx, alice); err != nil {
		t.Fatal(err)
	}
	start := e.clock.Now().Add(time.Hour)
	ev := &central.CalendarEvent{Title: "Atelier vélo", Start: start, End: start.Add(2 * time.Hour), Capacity: 10}
	if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	r := &central.Registration{Event: ev.ID, Member: alice.ID}
	if err := e.cfg.Calendar.Register(ctx, r); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/events/%d", ev.ID)
	_, body := door.get(page)
	mustContain(t, body, `<summary class="button secondary">Venu·e</summary>`,
		"Marquer Alice Martin comme venu·e\u00a0? L’événement n’a pas encore commencé", "Oui, venu·e")
	door.get("/lang/en")
	_, body = door.get(page)
	mustContain(t, body, "Mark Alice Martin as come? The event has not begun yet")
	door.get("/lang/fr")

	e.clock.Set(start.Add(-20 * time.Minute)) // the door lets them in
	_, body = door.get(page)
	mustContain(t, body, `<button type="submit" class="secondary">Venu·e</button>`)
	mustNotContain(t, body, "Marquer Alice Martin comme venu·e")
	resp, _ := door.post(fmt.Sprintf("%s/registrations/%d/attended", page, r.ID), nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = door.get(page)
	mustContain(t, body, "venus\u00a0: 1")
}
