package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestFormSpaceUnknown: the bureau's forms of a new event, an event's edit
// and a new room post a space from their select (its key); a space that
// does not exist (an id, a key no space has: a form made up or out of
// date) is refused with a 400 that names it and lists the spaces, and
// nothing is stored; a space's id, name or key is stored as its key, the
// place its doors and members' pages read.
func TestFormSpaceUnknown(t *testing.T) {
	e := newEnv(t)
	cantine := &central.Space{Name: "La Cantine"}
	if err := e.cfg.Spaces.CreateSpace(e.ctx(), cantine); err != nil {
		t.Fatal(err)
	}
	door := e.as(D)
	event := func(space string) url.Values {
		return url.Values{"title": {"Atelier"}, "space": {space}, "start": {"2026-12-10T18:00"},
			"end": {"2026-12-10T20:00"}, "capacity": {"5"}}
	}
	for _, space := range []string{"9", "Atlantis", "Badgeuse 2"} {
		resp, body := door.post("/events", event(space))
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, "Aucun espace ne s’appelle", "les espaces sont Badgeuse (1), La Cantine (2).")
	}
	if es, err := e.cfg.Calendar.FindEvents(e.ctx(), central.EventFilter{}); err != nil || len(es) != 0 {
		t.Fatalf("events stored after refusals: %v %v", es, err)
	}
	for _, space := range []string{"2", "la cantine", cantine.Key, ""} {
		resp, _ := door.post("/events", event(space))
		mustStatus(t, resp, http.StatusSeeOther)
	}
	es, err := e.cfg.Calendar.FindEvents(e.ctx(), central.EventFilter{})
	if err != nil || len(es) != 4 {
		t.Fatalf("events %v %v", es, err)
	}
	for i, want := range []string{cantine.Key, cantine.Key, cantine.Key, ""} {
		if es[i].Space != want {
			t.Errorf("event %d stored at %q, want %q", i+1, es[i].Space, want)
		}
	}

	// Its edit: the same refusal, the event unchanged.
	edit := event("Atlantis")
	edit.Set("title", "Atelier déplacé")
	resp, body := door.post("/events/1/edit", edit)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Aucun espace ne s’appelle «\u00a0Atlantis\u00a0»")
	if ev, err := e.cfg.Calendar.FindEvent(e.ctx(), 1); err != nil || ev.Title != "Atelier" || ev.Space != cantine.Key {
		t.Fatalf("event after a refused edit: %+v %v", ev, err)
	}

	// A room.
	resp, body = door.post("/resources", url.Values{"name": {"Salle"}, "space": {"7"}, "opens": {"09:00"}, "closes": {"17:00"}, "slot": {"60"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Aucun espace ne s’appelle «\u00a07\u00a0»")
	if rs, err := e.cfg.Bookings.FindResources(e.ctx()); err != nil || len(rs) != 0 {
		t.Fatalf("resources stored after a refusal: %v %v", rs, err)
	}
	resp, _ = door.post("/resources", url.Values{"name": {"Salle"}, "space": {"2"}, "opens": {"09:00"}, "closes": {"17:00"}, "slot": {"60"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if rs, err := e.cfg.Bookings.FindResources(e.ctx()); err != nil || len(rs) != 1 || rs[0].Space != cantine.Key {
		t.Fatalf("resources %v %v", rs, err)
	}
}
