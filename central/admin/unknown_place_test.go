package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestUnknownPlace: before b1ecbc5, `centrald event add --space 1` stored
// an event at a place no space has ("1"), shown to the whole network as
// « Atelier · 1 »; a room likewise. Such rows, stored as an older version
// did, are flagged on the bureau's events and rooms lists (« Espace
// inconnu : 1 », English too) for the network's users, the only ones who
// see them (a space's bureau gets 404); the event's edit form says to
// pick its space, and saving it moves the event to a real space, even
// with people registered (no door held them); the flag is gone.
func TestUnknownPlace(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	ctx := e.ctx()
	cantine := &central.Space{Name: "La Cantine"}
	if err := e.cfg.Spaces.CreateSpace(ctx, cantine); err != nil {
		t.Fatal(err)
	}
	ev := &central.CalendarEvent{Title: "Atelier", Start: time.Date(2026, 12, 10, 17, 0, 0, 0, time.UTC),
		End: time.Date(2026, 12, 10, 19, 0, 0, 0, time.UTC), Capacity: 5}
	if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	m, _ := c.member("Alice Martin", "")
	if err := e.cfg.Calendar.Register(ctx, &central.Registration{Event: ev.ID, Member: m}); err != nil {
		t.Fatal(err)
	}
	room := &central.Resource{Name: "Salle bleue", Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute}
	if err := e.cfg.Bookings.CreateResource(ctx, room); err != nil {
		t.Fatal(err)
	}
	// As an older centrald stored them: the text given, no space's key.
	for _, q := range []string{`UPDATE calendar_events SET space = '1' WHERE id = 1`, `UPDATE resources SET space = '1' WHERE id = 1`} {
		if _, err := e.db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	admin := e.as(central.RoleAdmin)
	_, body := admin.get("/events")
	mustContain(t, body, "Espace inconnu\u00a0: 1")
	_, body = admin.get("/resources")
	mustContain(t, body, "Espace inconnu\u00a0: 1")
	admin.get("/lang/en")
	_, body = admin.get("/events")
	mustContain(t, body, "Unknown space: 1")
	_, body = admin.get("/resources")
	mustContain(t, body, "Unknown space: 1")
	admin.get("/lang/fr")

	// A space's bureau neither sees nor fixes them.
	_, cant := e.spaceUser(central.RoleAdmin, cantine.ID)
	if _, body := cant.get("/events"); strings.Contains(body, "Atelier") {
		t.Error("La Cantine's bureau sees the event of an unknown space")
	}
	resp, _ := cant.get("/events/1/edit")
	mustStatus(t, resp, http.StatusNotFound)

	// The network's: the edit form says to pick its space; saved, the
	// event is La Cantine's, Alice still registered.
	resp, body = admin.get("/events/1/edit")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "L’espace de cet événement, «\u00a01\u00a0», n’existe pas", `<select id="espace" name="space">`)
	form := url.Values{"title": {"Atelier"}, "space": {cantine.Key}, "start": {"2026-12-10T18:00"}, "end": {"2026-12-10T20:00"}, "capacity": {"5"}}
	resp, body = admin.post("/events/1/edit", form)
	mustStatus(t, resp, http.StatusSeeOther)
	got, err := e.cfg.Calendar.FindEvent(ctx, 1)
	if err != nil || got.Space != cantine.Key || got.Confirmed != 1 {
		t.Fatalf("event after its space was picked: %+v %v\n%s", got, err, body)
	}
	_, body = admin.get("/events")
	if strings.Contains(body, "Espace inconnu") {
		t.Error("the event is still flagged once at La Cantine")
	}
	// A real space's event keeps its rule: registered people, no move.
	form.Set("space", "")
	resp, body = admin.post("/events/1/edit", form)
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "l’espace de l’événement ne peut plus changer")
}
