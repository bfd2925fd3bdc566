package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// resourceNow returns resource id as stored.
func resourceNow(t *testing.T, e *env, id int64) *central.Resource {
	t.Helper()
	rs, err := e.cfg.Bookings.FindResources(e.ctx())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("resource %d not found", id)
	return nil
}

// fmtResources writes resources as "name opens-closes" lines.
func fmtResources(rs []*central.Resource) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Name + " " + fmtInt(int64(r.Opens)) + "-" + fmtInt(int64(r.Closes)) + "\n")
	}
	return b.String()
}

// resourceEditForm is the edit form of La Cantine's room as seedSpaceEvents
// made it, with changes.
func resourceEditForm(changes map[string]string) url.Values {
	f := url.Values{"name": {"Salle Cantine"}, "space": {""}, "opens": {"08:00"}, "closes": {"20:00"}, "slot": {"60"}, "max_hours": {"0"}}
	for k, v := range changes {
		f.Set(k, v)
	}
	return f
}

// TestResourceEdit: a network admin edits a room from the rooms list
// (« Modifier »): the form shows what it is, a bad field answers 400 with
// what was typed and the reason under that field, a change its booking to
// come forbids (another space, hours it would fall out of) 409 with the
// reason, nothing stored; a good one 303 to the list with « Ressource
// enregistrée. », stored and journaled. Without the anti-forgery token
// nothing changes. In English too.
func TestResourceEdit(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	se := seedSpaceEvents(t, e, w)
	room := se.cantineRoom.ID // a block tomorrow 10:00-11:00
	c := e.as(central.RoleAdmin)

	_, body := c.get("/resources")
	mustContain(t, body, `href="/resources/1/edit"`, `href="/resources/2/edit"`, ">Modifier<")
	resp, body := c.get("/resources/1/edit")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "<h1>Modifier la ressource</h1>", `action="/resources/1/edit#refused"`, `name="csrf"`, `value="Salle Cantine"`,
		`id="ropens" name="opens" type="time" value="08:00"`, `id="rcloses" name="closes" type="time" value="20:00"`,
		`id="rslot" name="slot" inputmode="numeric" pattern="[0-9]*" value="60"`, `<option value="" selected>`+w.cantine.Name+`</option>`,
		`<option value="Le Hangar">Le Hangar</option>`)
	// Le Hangar's room, whose place names the space in other letters, has
	// its space selected.
	_, body = c.get("/resources/2/edit")
	mustContain(t, body, `<option value="Le Hangar" selected>Le Hangar</option>`)

	unchanged := func() {
		t.Helper()
		if got := resourceNow(t, e, room); got.Name != "Salle Cantine" || got.Space != "" || got.Opens != 480 || got.Closes != 1200 ||
			got.Slot != time.Hour || got.MaxPerWeek != 0 {
			t.Fatalf("a refused form changed the room: %+v", got)
		}
	}
	for _, tt := range []struct {
		name    string
		changes map[string]string
		status  int
		field   string
		text    string
		kept    string
	}{
		{"no name", map[string]string{"name": "  ", "slot": "30"}, 400, "rname", "Le nom de la ressource est obligatoire.", `value="30"`},
		{"a slot not a number", map[string]string{"slot": "une heure", "name": "Salle Rhône"}, 400, "rslot", "Un nombre entier attendu, comme 30.", `value="une heure"`},
		{"a slot too short", map[string]string{"slot": "2"}, 400, "rslot", "Un créneau dure de 5 minutes à 24 heures", `value="2"`},
		{"hours without whole slots", map[string]string{"slot": "50"}, 400, "rslot", "nombre entier de créneaux", `value="50"`},
		{"an opening after the closing", map[string]string{"opens": "21:00"}, 400, "rcloses", "l’ouverture avant la fermeture", `value="21:00"`},
		{"an opening not a time", map[string]string{"opens": "9h"}, 400, "ropens", "Une heure attendue, comme 09:00.", `value="9h"`},
		{"a limit not a number", map[string]string{"max_hours": "trois"}, 400, "rmax", "Un nombre entier attendu", `value="trois"`},
		{"a space that does not exist", map[string]string{"space": "Atlantis"}, 400, "rspace", "Atlantis", `value="Salle Cantine"`},
		{"another space, a block to come", map[string]string{"space": w.hangar.Key, "name": "Salle du port"}, 409, "rspace",
			"Réservations à venir (1)", `value="Salle du port"`},
		{"hours the block falls out of", map[string]string{"closes": "10:00"}, 409, "rslot",
			"Une réservation à venir (27/11/2026 10:00) ne tiendrait pas", `value="10:00"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := c.post("/resources/1/edit", resourceEditForm(tt.changes))
			mustStatus(t, resp, tt.status)
			mustContain(t, body, `<p class="field-error" id="`+tt.field+`-error" role="alert">`, `aria-describedby="`+tt.field+`-error`,
				tt.text, tt.kept, `name="csrf"`)
			if strings.Count(body, `class="field-error"`) != 1 {
				t.Errorf("%d reasons shown, want 1", strings.Count(body, `class="field-error"`))
			}
			unchanged()
		})
	}
	c.get("/resources/1/edit")
	resp, _ = c.post("/resources/1/edit", url.Values{"_nocsrf": {"1"}, "name": {"Salle forgée"}, "opens": {"08:00"}, "closes": {"20:00"}, "slot": {"60"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("without the anti-forgery token: status %d, want 403", resp.StatusCode)
	}
	unchanged()

	// A good form: renamed, hours to midnight (00:00), a weekly limit.
	resp, _ = c.post("/resources/1/edit", resourceEditForm(map[string]string{"name": "Salle Rhône", "opens": "09:00", "closes": "00:00", "max_hours": "3"}))
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/resources?done=resource_updated" {
		t.Errorf("303 to %q", loc)
	}
	got := resourceNow(t, e, room)
	if got.Name != "Salle Rhône" || got.Space != "" || got.Opens != 540 || got.Closes != 1440 || got.Slot != time.Hour ||
		got.MaxPerWeek != 3*time.Hour || !got.Active {
		t.Fatalf("saved: %+v", got)
	}
	_, body = c.get("/resources?done=resource_updated")
	mustContain(t, body, "Ressource enregistrée.", "Salle Rhône", "réservable de 09:00 à 24:00")
	_, body = c.get("/resources/1/edit")
	mustContain(t, body, `id="rcloses" name="closes" type="time" value="00:00"`, `value="3"`)
	evs, _, err := e.cfg.Audit.FindAuditEvents(e.ctx(), central.AuditFilter{Action: "resource.update"})
	if err != nil || len(evs) != 1 || evs[0].Actor != "admin@example.org" || evs[0].Object != "resource:1" ||
		!strings.Contains(evs[0].Details, `"name_before":"Salle Cantine"`) || !strings.Contains(evs[0].Details, `"closes":"24:00"`) {
		t.Fatalf("journal: %v %+v", err, evs)
	}
	_, body = c.get("/audit")
	mustContain(t, body, "Ressource à réserver modifiée")

	// Le Hangar's room, nothing booked, moves to La Cantine.
	resp, _ = c.post("/resources/2/edit", url.Values{"name": {"Salle Hangar"}, "space": {""}, "opens": {"08:00"}, "closes": {"20:00"}, "slot": {"60"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if got := resourceNow(t, e, se.hangarRoom.ID); got.Space != "" {
		t.Fatalf("moved to %q, want the main space", got.Space)
	}
	resp, _ = c.post("/resources/99/edit", resourceEditForm(nil))
	mustStatus(t, resp, http.StatusNotFound)

	// A new room until midnight: « Jusqu’à » 00:00 (a time input has no
	// 24:00) is the day's end, no longer refused.
	c.get("/resources")
	resp, _ = c.post("/resources", url.Values{"name": {"Salle de nuit"}, "space": {""}, "opens": {"18:00"}, "closes": {"00:00"}, "slot": {"60"},
		"max_hours": {"0"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if rs, _ := e.cfg.Bookings.FindResources(e.ctx()); len(rs) != 3 || !strings.Contains(fmtResources(rs), "Salle de nuit 1080-1440") {
		t.Errorf("new room until midnight: %s", fmtResources(rs))
	}

	c.get("/lang/en")
	resp, body = c.post("/resources/1/edit", resourceEditForm(map[string]string{"space": w.hangar.Key}))
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "<h1>Edit the resource</h1>", "Bookings to come (1): the resource cannot move to another space")
	resp, body = c.post("/resources/1/edit", resourceEditForm(map[string]string{"name": ""}))
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Resource name required.")
}

// TestResourceEditSpaces: roles and spaces. Le Hangar's bureau edits Le
// Hangar's room only (La Cantine's answers 404, unchanged) and keeps it at
// Le Hangar whatever the form says (it offers no space); the read-only
// and treasurer roles may not (403). A room an older version stored at a
// place that names no space is flagged on its form, and a network admin
// moves it to a space there even with a booking to come.
func TestResourceEditSpaces(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	se := seedSpaceEvents(t, e, w)
	_, hangar := e.spaceUser(central.RoleDoor, w.hangar.ID)
	hangar.get("/resources")

	resp, _ := hangar.get("/resources/1/edit")
	mustStatus(t, resp, http.StatusNotFound)
	resp, _ = hangar.post("/resources/1/edit", resourceEditForm(map[string]string{"name": "Volée", "space": w.hangar.Key}))
	mustStatus(t, resp, http.StatusNotFound)
	if got := resourceNow(t, e, se.cantineRoom.ID); got.Name != "Salle Cantine" || got.Space != "" {
		t.Fatalf("La Cantine's room changed by Le Hangar's bureau: %+v", got)
	}
	_, body := hangar.get("/resources")
	mustContain(t, body, `href="/resources/2/edit"`)
	if strings.Contains(body, `href="/resources/1/edit"`) {
		t.Error("Le Hangar's bureau is offered to edit La Cantine's room")
	}
	resp, body = hangar.get("/resources/2/edit")
	mustStatus(t, resp, http.StatusOK)
	if strings.Contains(body, `name="space"`) {
		t.Error("a space's bureau is offered a space")
	}
	resp, _ = hangar.post("/resources/2/edit", url.Values{"name": {"Salle du port"}, "space": {""}, "opens": {"08:00"}, "closes": {"20:00"}, "slot": {"60"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if got := resourceNow(t, e, se.hangarRoom.ID); got.Name != "Salle du port" || got.Space != w.hangar.Key {
		t.Fatalf("Le Hangar's room after its bureau's form: %+v, want renamed at %q", got, w.hangar.Key)
	}

	for _, role := range []central.Role{central.RoleReadOnly, central.RoleTreasurer} {
		_, c := e.spaceUser(role, 0)
		c.get("/resources")
		resp, _ := c.get("/resources/1/edit")
		mustStatus(t, resp, http.StatusForbidden)
		resp, _ = c.post("/resources/1/edit", resourceEditForm(map[string]string{"name": "Interdite"}))
		mustStatus(t, resp, http.StatusForbidden)
		_, body := c.get("/resources")
		if strings.Contains(body, "/edit") {
			t.Errorf("%s is offered to edit a room", role)
		}
	}
	if got := resourceNow(t, e, se.cantineRoom.ID); got.Name != "Salle Cantine" {
		t.Fatalf("a role that may not changed the room: %+v", got)
	}

	// A room at "1", no space: the network admin picks its space.
	lost := &central.Resource{Name: "Imprimante", Space: "1", Opens: 480, Closes: 1200, Slot: time.Hour}
	if err := e.cfg.Bookings.CreateResource(e.ctx(), lost); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) // 10:00 in Paris, tomorrow
	if err := e.cfg.Bookings.Book(e.ctx(), &central.Booking{Resource: lost.ID, Member: w.alice.ID, Start: at, End: at.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	admin := e.as(central.RoleAdmin)
	_, body = admin.get("/resources/" + fmtInt(lost.ID) + "/edit")
	mustContain(t, body, "L’espace de cette ressource, «\u00a01\u00a0», n’existe pas", `name="space"`)
	resp, _ = admin.post("/resources/"+fmtInt(lost.ID)+"/edit", url.Values{"name": {"Imprimante"}, "space": {w.hangar.Key},
		"opens": {"08:00"}, "closes": {"20:00"}, "slot": {"60"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if got := resourceNow(t, e, lost.ID); got.Space != w.hangar.Key {
		t.Fatalf("the room at no space moved to %q, want %q", got.Space, w.hangar.Key)
	}
}
