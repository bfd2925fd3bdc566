package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestSpaceAddressForm: a network admin gives a space (the main one too)
// its postal address on the Espaces page, as `centrald space set
// --address` does: one too long answers 400 with what she typed and the
// reason under that space's field, nothing saved; a good one 303 to the
// page with « Adresse enregistrée. », on one line, journaled with the one
// it replaces; an empty one removes it. A space's own admin and the
// network's other roles may not (403), nor a form without its
// anti-forgery token.
func TestSpaceAddressForm(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx()
	cantine := &central.Space{Name: "La Cantine", Address: "1 place Bellecour"}
	if err := e.cfg.Spaces.CreateSpace(ctx, cantine); err != nil {
		t.Fatal(err)
	}
	address := func(id int64) string {
		t.Helper()
		spaces, err := e.cfg.Spaces.FindSpaces(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return central.SpaceByID(spaces, id).Address
	}
	c := e.as(central.RoleAdmin)
	_, body := c.get("/spaces")
	mustContain(t, body, `<form method="post" action="/spaces/2/address#address-refused" class="stack">`,
		`id="address-2" name="address" maxlength="500" autocomplete="off" value="1 place Bellecour"`,
		`<label for="address-1">Adresse de l’espace</label>`, ">Enregistrer l’adresse</button>")

	long := strings.Repeat("é", central.MaxSpaceAddress+1)
	resp, body := c.post("/spaces/2/address", url.Values{"address": {long}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `value="`+long+`" aria-describedby="address-2-error address-2-help" aria-invalid="true"`,
		`<label for="address-2" id="address-refused">`, "Adresse trop longue (500 caractères au plus).")
	if got := address(cantine.ID); got != "1 place Bellecour" {
		t.Fatalf("refused, but the address is %q", got)
	}
	resp, _ = c.post("/spaces/2/address", url.Values{"_nocsrf": {"1"}, "address": {"ailleurs"}})
	mustStatus(t, resp, http.StatusForbidden)

	resp, _ = c.post("/spaces/2/address", url.Values{"address": {" 12 rue des Lilas\r\n69001   Lyon "}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/spaces?done=space_address" {
		t.Errorf("303 to %q", loc)
	}
	if got := address(cantine.ID); got != "12 rue des Lilas 69001 Lyon" {
		t.Fatalf("saved %q", got)
	}
	_, body = c.get("/spaces?done=space_address")
	mustContain(t, body, "Adresse enregistrée.", `value="12 rue des Lilas 69001 Lyon"`)
	evs, _, err := e.cfg.Audit.FindAuditEvents(ctx, central.AuditFilter{Action: "space.address"})
	if err != nil || len(evs) != 1 || evs[0].Actor != "admin@example.org" || evs[0].Object != "space:2" ||
		!strings.Contains(evs[0].Details, `"was":"1 place Bellecour"`) {
		t.Fatalf("journal: %v %+v", err, evs)
	}
	_, body = c.get("/audit")
	if text := textOf(body); !strings.Contains(text, "a changé l’adresse de l’espace") || !strings.Contains(text, "Avant\u00a0: 1 place Bellecour") || !strings.Contains(text, "Adresse\u00a0: 12 rue des Lilas 69001 Lyon") {
		t.Fatalf("journal page: %.900s", text[max(0, strings.Index(text, "adresse")-200):])
	}

	resp, _ = c.post("/spaces/1/address", url.Values{"address": {"3 quai Saint-Vincent, Paris"}})
	mustStatus(t, resp, http.StatusSeeOther)
	resp, _ = c.post("/spaces/2/address", url.Values{"address": {""}})
	mustStatus(t, resp, http.StatusSeeOther)
	if main, other := address(central.MainSpace), address(cantine.ID); main != "3 quai Saint-Vincent, Paris" || other != "" {
		t.Fatalf("main space %q, La Cantine %q", main, other)
	}
	resp, _ = c.post("/spaces/99/address", url.Values{"address": {"ailleurs"}})
	mustStatus(t, resp, http.StatusNotFound)

	// Who may not.
	_, own := e.spaceUser(central.RoleAdmin, cantine.ID)
	own.get("/today")
	resp, _ = own.post("/spaces/2/address", url.Values{"address": {"chez moi"}})
	mustStatus(t, resp, http.StatusForbidden)
	_, treasurer := e.spaceUser(central.RoleTreasurer, 0)
	treasurer.get("/today")
	resp, _ = treasurer.post("/spaces/2/address", url.Values{"address": {"chez moi"}})
	mustStatus(t, resp, http.StatusForbidden)
	if got := address(cantine.ID); got != "" {
		t.Fatalf("set to %q by a user who may not", got)
	}
}

// TestEventAddress: the public page of an event says where it is, the
// postal address of its space, and the public iCal feed puts it in the
// event's LOCATION after the space's name (a phone's calendar opens it in
// a map); an event at a space without an address shows none, and the
// main space's events get its address alone, as before without one.
func TestEventAddress(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx()
	cantine := &central.Space{Name: "La Cantine", Address: "12 rue des Lilas, 69001 Lyon"}
	if err := e.cfg.Spaces.CreateSpace(ctx, cantine); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 10, 17, 0, 0, 0, time.UTC)
	there := &central.CalendarEvent{Title: "Atelier vélo", Space: cantine.Key, Start: start, End: start.Add(2 * time.Hour), Capacity: 5, Public: true}
	here := &central.CalendarEvent{Title: "Apéro", Start: start.Add(24 * time.Hour), End: start.Add(26 * time.Hour), Capacity: 30, Public: true}
	for _, ev := range []*central.CalendarEvent{there, here} {
		if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	public := e.client()
	_, body := public.get("/e/" + fmtInt(there.ID))
	mustContain(t, body, `<address id="address">12 rue des Lilas, 69001 Lyon</address>`)
	_, body = public.get("/e/" + fmtInt(here.ID))
	if strings.Contains(body, "<address") {
		t.Errorf("an event of the main space, which has no address, shows one")
	}
	_, body = public.get("/e/calendar.ics")
	mustContain(t, body, `LOCATION:La Cantine\, 12 rue des Lilas\, 69001 Lyon`)
	if strings.Count(body, "LOCATION:") != 1 {
		t.Errorf("the main space's event has a LOCATION without an address:\n%s", body)
	}

	if err := e.cfg.Spaces.SetSpaceAddress(ctx, central.MainSpace, "3 quai Saint-Vincent 75004 Paris"); err != nil {
		t.Fatal(err)
	}
	_, body = public.get("/e/" + fmtInt(here.ID))
	mustContain(t, body, `<address id="address">3 quai Saint-Vincent 75004 Paris</address>`)
	_, body = public.get("/e/calendar.ics")
	mustContain(t, body, "LOCATION:3 quai Saint-Vincent 75004 Paris")
}
