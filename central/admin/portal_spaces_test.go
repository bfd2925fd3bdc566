package admin_test

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestPortalSpaces (issue 14): a member's Agenda and Réserver tabs show
// the events and rooms of the spaces where a pass she holds is valid,
// each named by its space; every space when she holds no pass, with a
// space filter when she has several. From the portal she registers and
// books at her spaces only (404 elsewhere). The public feed keeps its
// address and takes ?space=ID.
func TestPortalSpaces(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e) // Alice: a card of La Cantine; Bob: of Le Hangar; Chloé: a network pass
	ctx := e.ctx()
	link := func(m int64) string {
		_, token, err := e.store.CreateMemberLink(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	dan := &central.Member{Name: "Dan Nouveau", Email: "dan@example.org"}
	if err := e.members.CreateMember(ctx, dan); err != nil {
		t.Fatal(err)
	}
	at, bt, ct, dt := link(w.alice.ID), link(w.bob.ID), link(w.chloe.ID), link(dan.ID)
	day := time.Date(2026, 12, 10, 18, 0, 0, 0, time.UTC)
	cantineEv := &central.CalendarEvent{Title: "Atelier Cantine", Start: day, End: day.Add(time.Hour), Capacity: 5, Public: true}
	hangarEv := &central.CalendarEvent{Title: "Soirée Hangar", Space: w.hangar.Key, Start: day, End: day.Add(time.Hour), Capacity: 5, Public: true}
	for _, ev := range []*central.CalendarEvent{cantineEv, hangarEv} {
		if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	cantineRoom := &central.Resource{Name: "Salle Cantine", Opens: 9 * 60, Closes: 18 * 60, Slot: time.Hour}
	hangarRoom := &central.Resource{Name: "Salle Hangar", Space: w.hangar.Key, Opens: 9 * 60, Closes: 18 * 60, Slot: time.Hour}
	for _, res := range []*central.Resource{cantineRoom, hangarRoom} {
		if err := e.cfg.Bookings.CreateResource(ctx, res); err != nil {
			t.Fatal(err)
		}
	}

	// Alice: La Cantine's, named; no filter; its feed.
	alice := e.client()
	_, body := alice.get("/m/" + at + "/agenda")
	mustContain(t, body, "Atelier Cantine", " · "+w.cantine.Name+"</p>", "/e/calendar.ics?space="+fmtInt(w.cantine.ID))
	mustNotContain(t, body, "Soirée Hangar", "Tous mes espaces", "/e/calendar.ics?space="+fmtInt(w.hangar.ID))
	resp, _ := alice.post("/m/"+at+"/agenda/"+fmtInt(hangarEv.ID)+"/register", nil)
	mustStatus(t, resp, http.StatusNotFound)
	if rs, _ := e.cfg.Calendar.Registrations(ctx, hangarEv.ID); len(rs) != 0 {
		t.Errorf("registered at another space from the portal: %+v", rs)
	}
	resp, _ = alice.post("/m/"+at+"/agenda/"+fmtInt(cantineEv.ID)+"/register", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = alice.get("/m/" + at + "/book")
	mustContain(t, body, "Salle Cantine")
	mustNotContain(t, body, "Salle Hangar")
	paris, _ := time.LoadLocation("Europe/Paris")
	nine := time.Date(2026, 12, 11, 9, 0, 0, 0, paris)
	book := func(c *client, token string, res *central.Resource) *http.Response {
		resp, _ := c.post("/m/"+token+"/book", url.Values{"resource": {fmtInt(res.ID)}, "start": {strconv.FormatInt(nine.Unix(), 10)},
			"end": {strconv.FormatInt(nine.Add(time.Hour).Unix(), 10)}})
		return resp
	}
	mustStatus(t, book(alice, at, hangarRoom), http.StatusNotFound)
	mustStatus(t, book(alice, at, cantineRoom), http.StatusSeeOther)

	// Bob: Le Hangar's.
	bob := e.client()
	_, body = bob.get("/m/" + bt + "/agenda")
	mustContain(t, body, "Soirée Hangar", " · Le Hangar</p>")
	mustNotContain(t, body, "Atelier Cantine")
	_, body = bob.get("/m/" + bt + "/book")
	mustContain(t, body, "Salle Hangar · Le Hangar")
	mustNotContain(t, body, "Salle Cantine")

	// Chloé (a network pass) and Dan (no pass): both spaces, a filter.
	for _, token := range []string{ct, dt} {
		c := e.client()
		_, body = c.get("/m/" + token + "/agenda")
		mustContain(t, body, "Atelier Cantine", "Soirée Hangar", "Tous mes espaces", `href="/m/`+token+`/agenda?space=`+fmtInt(w.hangar.ID)+`"`)
		_, body = c.get("/m/" + token + "/agenda?space=" + fmtInt(w.hangar.ID))
		mustContain(t, body, "Soirée Hangar", `aria-current="page">Le Hangar</a>`)
		mustNotContain(t, body, "Atelier Cantine")
		_, body = c.get("/m/" + token + "/book?space=" + fmtInt(w.hangar.ID))
		mustContain(t, body, "Salle Hangar")
		mustNotContain(t, body, "Salle Cantine")
		// The other days and weeks keep her filter: the resource's link,
		// the two weeks' and the seven days'.
		if n := strings.Count(body, "&amp;space="+fmtInt(w.hangar.ID)+`"`); n != 10 {
			t.Errorf("the filter is on %d links of the booking page, want 10 (the resource, two weeks, seven days)", n)
		}
		_, body = c.get("/m/" + token + "/book")
		mustContain(t, body, "Salle Hangar", "Salle Cantine")
	}
	// A registration of hers shows wherever it is (the bureau registered
	// her at Le Hangar's), and she may cancel it.
	hers := &central.Registration{Event: hangarEv.ID, Member: w.alice.ID}
	if err := e.cfg.Calendar.Register(ctx, hers); err != nil {
		t.Fatal(err)
	}
	_, body = alice.get("/m/" + at + "/agenda")
	mustContain(t, body, "Atelier Cantine", "Soirée Hangar", " · Le Hangar</p>")
	resp, _ = alice.post("/m/"+at+"/agenda/"+fmtInt(hangarEv.ID)+"/cancel", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = alice.get("/m/" + at + "/agenda")
	mustNotContain(t, body, "Soirée Hangar")

	// The public feed: unchanged address, and one per space.
	resp, body = e.client().get("/e/calendar.ics")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "SUMMARY:Atelier Cantine", "SUMMARY:Soirée Hangar")
	resp, body = e.client().get("/e/calendar.ics?space=" + fmtInt(w.hangar.ID))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "SUMMARY:Soirée Hangar", "X-WR-CALNAME:Le Hangar")
	mustNotContain(t, body, "Atelier Cantine")
	resp, _ = e.client().get("/e/calendar.ics?space=99")
	mustStatus(t, resp, http.StatusNotFound)
}

// TestPortalSpaceFilterKept: a member of several spaces who picked one on
// her Réserver tab (?space=ID) finds it still picked after booking, after
// a booking refused (the slot taken) and after cancelling one.
func TestPortalSpaceFilterKept(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e) // Chloé: a network pass
	ctx := e.ctx()
	dan := &central.Member{Name: "Dan Nouveau", Email: "dan@example.org"}
	if err := e.members.CreateMember(ctx, dan); err != nil {
		t.Fatal(err)
	}
	tokens := map[int64]string{}
	for _, m := range []int64{w.chloe.ID, dan.ID} {
		_, token, err := e.store.CreateMemberLink(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		tokens[m] = token
	}
	room := &central.Resource{Name: "Salle Hangar", Space: w.hangar.Key, Opens: 9 * 60, Closes: 18 * 60, Slot: time.Hour}
	if err := e.cfg.Bookings.CreateResource(ctx, room); err != nil {
		t.Fatal(err)
	}
	pick := "space=" + fmtInt(w.hangar.ID)
	paris, _ := time.LoadLocation("Europe/Paris")
	nine := time.Date(2026, 12, 11, 9, 0, 0, 0, paris)
	slot := url.Values{"resource": {fmtInt(room.ID)}, "start": {strconv.FormatInt(nine.Unix(), 10)},
		"end": {strconv.FormatInt(nine.Add(time.Hour).Unix(), 10)}}

	chloe, ct := e.client(), tokens[w.chloe.ID]
	_, body := chloe.get("/m/" + ct + "/book?resource=" + fmtInt(room.ID) + "&day=2026-12-11&" + pick)
	mustContain(t, body, `action="/m/`+ct+`/book?`+pick+`"`)
	resp, _ := chloe.post("/m/"+ct+"/book?"+pick, maps.Clone(slot))
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "&"+pick) {
		t.Errorf("booked: back to %q, not to the space she picked", loc)
	}
	dans := e.client()
	dans.get("/m/" + tokens[dan.ID] + "/book?" + pick)
	resp, _ = dans.post("/m/"+tokens[dan.ID]+"/book?"+pick, maps.Clone(slot)) // post sets the form's csrf
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "refused=taken") || !strings.Contains(loc, "&"+pick) {
		t.Errorf("refused: back to %q, want the slot taken said on the space she picked", loc)
	}
	_, body = chloe.get("/m/" + ct + "/book?resource=" + fmtInt(room.ID) + "&day=2026-12-11&" + pick)
	back := `name="back" value="?resource=` + fmtInt(room.ID) + `&amp;day=2026-12-11&amp;` + pick + `"`
	if n := strings.Count(body, back); n != 2 { // her coming bookings' line and the slot's
		t.Errorf("%d cancel forms come back to the space she picked, want 2", n)
	}
	resp, _ = chloe.post("/m/"+ct+"/book/1/cancel", url.Values{"back": {"?resource=" + fmtInt(room.ID) + "&day=2026-12-11&" + pick}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "&"+pick) {
		t.Errorf("cancelled: back to %q, not to the space she picked", loc)
	}
}
