package admin_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestEventEdit: the bureau edits an event from its page. Fewer places
// than confirmed are refused, in French and in English; more places
// confirm the waiting list at once; new hours are stored on the space's
// clock as the event's next revision; read-only users cannot edit.
func TestEventEdit(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	ctx := e.ctx()
	ev := &central.CalendarEvent{Title: "Atelier compta", Start: time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC),
		End: time.Date(2026, 12, 3, 19, 0, 0, 0, time.UTC), Capacity: 2}
	if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Alice Martin", "Bob Durand", "Carol Petit"} {
		m, _ := c.member(name, "")
		r := &central.Registration{Event: ev.ID, Member: m}
		if err := e.cfg.Calendar.Register(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	page := "/events/" + fmtInt(ev.ID)
	door := e.as(D)
	_, body := door.get(page)
	mustContain(t, body, `href="`+page+`/edit">Modifier l’événement</a>`)
	resp, body := door.get(page + "/edit")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `value="Atelier compta"`, `value="2026-12-03T18:00"`, `value="2026-12-03T20:00"`, `value="2`,
		// Open to non-members or not is fixed at creation: the form says so
		// rather than leave out what the creation form asked.
		"<p id=\"public-fixed\" class=\"muted\">Réservé aux membres\u00a0: cela ne se change pas après la création")
	form := url.Values{"title": {"Atelier compta"}, "start": {"2026-12-03T18:00"}, "end": {"2026-12-03T20:00"}, "capacity": {"1"}}

	// Two places are confirmed: one is refused, the form kept.
	resp, body = door.post(page+"/edit", form)
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "2 places sont confirmées\u00a0: la capacité ne peut pas être plus basse", `value="1"`)
	door.get("/lang/en?next=" + page)
	door.get(page + "/edit")
	resp, body = door.post(page+"/edit", form)
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "2 places are confirmed: the capacity cannot be lower")
	door.get("/lang/fr?next=" + page)

	// Three places: Carol, waiting, gets the third.
	door.get(page + "/edit")
	form.Set("capacity", "3")
	resp, _ = door.post(page+"/edit", form)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != page+"?done=event_updated" {
		t.Errorf("after saving: %q", loc)
	}
	rs, _ := e.cfg.Calendar.Registrations(ctx, ev.ID)
	for _, r := range rs {
		if r.Status != central.RegistrationConfirmed {
			t.Errorf("registration %d: %s", r.ID, r.Status)
		}
	}
	// An hour later, on the space's clock (Paris).
	door.get(page + "/edit")
	form.Set("start", "2026-12-03T19:00")
	form.Set("end", "2026-12-03T21:00")
	form.Set("consumes", "1")
	resp, _ = door.post(page+"/edit", form)
	mustStatus(t, resp, http.StatusSeeOther)
	got, _ := e.cfg.Calendar.FindEvent(ctx, ev.ID)
	if !got.Start.Equal(time.Date(2026, 12, 3, 18, 0, 0, 0, time.UTC)) || !got.End.Equal(time.Date(2026, 12, 3, 20, 0, 0, 0, time.UTC)) ||
		got.Revision != 1 || !got.Consumes || got.Capacity != 3 {
		t.Fatalf("event after the move: %+v", got)
	}
	_, body = door.get(page + "?done=event_updated")
	mustContain(t, body, "Événement modifié.", "03/12/2026 19:00")

	// Read-only users read, never edit.
	ro := e.as(R)
	resp, _ = ro.get(page + "/edit")
	mustStatus(t, resp, http.StatusForbidden)
	resp, _ = ro.post(page+"/edit", form)
	mustStatus(t, resp, http.StatusForbidden)
	resp, _ = door.get("/events/999/edit")
	mustStatus(t, resp, http.StatusNotFound)

	// Another space's bureau: not found, nothing changed; its own
	// event's space stays its own whatever the form says.
	hangar := &central.Space{Name: "Le Hangar"}
	if err := e.cfg.Spaces.CreateSpace(ctx, hangar); err != nil {
		t.Fatal(err)
	}
	_, hc := e.spaceUser(central.RoleAdmin, hangar.ID)
	resp, _ = hc.get(page + "/edit")
	mustStatus(t, resp, http.StatusNotFound)
	form.Set("capacity", "50")
	form.Del("csrf") // the door user's
	resp, _ = hc.post(page+"/edit", form)
	mustStatus(t, resp, http.StatusNotFound)
	if got, _ := e.cfg.Calendar.FindEvent(ctx, ev.ID); got.Capacity != 3 {
		t.Errorf("another space's bureau changed the event: %+v", got)
	}
	own := &central.CalendarEvent{Title: "Soirée", Space: hangar.Key, Start: ev.Start, End: ev.End, Capacity: 5}
	if err := e.cfg.Calendar.CreateEvent(ctx, own); err != nil {
		t.Fatal(err)
	}
	hc.get("/events/" + fmtInt(own.ID) + "/edit")
	form.Set("space", "")
	resp, _ = hc.post("/events/"+fmtInt(own.ID)+"/edit", form)
	mustStatus(t, resp, http.StatusSeeOther)
	if got, _ := e.cfg.Calendar.FindEvent(ctx, own.ID); got.Space != hangar.Key || got.Capacity != 50 {
		t.Errorf("the space's own event after its edit: %+v", got)
	}
}
