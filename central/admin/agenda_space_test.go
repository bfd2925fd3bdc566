package admin_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestSpaceClock: a network whose setting space.timezone is Paris has a
// space in Montreal. The bureau types its event's hours on Montreal's
// clock (18:00 there is 23:00 UTC in December); the bureau's pages, the
// member's agenda and the public page show 18:00 with the zone named; the
// kiosk of that space gets the instants; a room there is booked on
// Montreal's clock (its 09:00 slot, 14:00 in Paris).
func TestSpaceClock(t *testing.T) {
	e := newEnv(t)
	mtl := &central.Space{Name: "Montréal", Timezone: "America/Montreal"}
	if err := e.cfg.Spaces.CreateSpace(e.ctx(), mtl); err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("America/Montreal")
	if err != nil {
		t.Fatal(err)
	}
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	door := e.as(D)
	resp, body := door.post("/events", url.Values{"title": {"Atelier Montréal"}, "space": {mtl.Key}, "start": {"2026-12-10T18:00"},
		"end": {"2026-12-10T20:00"}, "deadline": {"2026-12-10T12:00"}, "capacity": {"5"}, "public": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	ev, err := e.cfg.Calendar.FindEvent(e.ctx(), 1)
	if err != nil {
		t.Fatalf("%v\n%s", err, body)
	}
	if want := time.Date(2026, 12, 10, 23, 0, 0, 0, time.UTC); !ev.Start.Equal(want) || !ev.End.Equal(want.Add(2*time.Hour)) ||
		!ev.Deadline.Equal(time.Date(2026, 12, 10, 17, 0, 0, 0, time.UTC)) || ev.Space != mtl.Key {
		t.Fatalf("event stored %v - %v (deadline %v) at %q, want 18:00-20:00 in Montreal", ev.Start, ev.End, ev.Deadline, ev.Space)
	}
	// Today (26 November: 09:12 in Paris, 03:12 in Montreal) lists the
	// events of today on each space's clock: not Montreal's of the 25th
	// (past midnight in Paris), but Montreal's of this evening (the
	// 27th in Paris).
	for _, x := range []*central.CalendarEvent{
		{Title: "Veille Montréal", Space: mtl.Key, Start: time.Date(2026, 11, 25, 22, 0, 0, 0, loc), End: time.Date(2026, 11, 25, 23, 30, 0, 0, loc), Capacity: 5},
		{Title: "Soir Montréal", Space: mtl.Key, Start: time.Date(2026, 11, 26, 20, 0, 0, 0, loc), End: time.Date(2026, 11, 26, 21, 0, 0, 0, loc), Capacity: 5},
	} {
		if err := e.cfg.Calendar.CreateEvent(e.ctx(), x); err != nil {
			t.Fatal(err)
		}
	}
	_, body = door.get("/today")
	mustContain(t, body, "Soir Montréal", "26/11/2026 20:00</time> – <time")
	mustNotContain(t, body, "Veille Montréal")
	_, body = door.get("/events/1")
	mustContain(t, body, "10/12/2026 18:00", "10/12/2026 20:00", "10/12/2026 12:00", "(America/Montreal)")
	mustNotContain(t, body, "11/12/2026 00:00", "11/12/2026 05:00")
	_, body = door.get("/events")
	mustContain(t, body, "10/12/2026 18:00</time> – <time", "20:00</time> (America/Montreal)")
	_, body = e.client().get("/m/" + at + "/agenda")
	mustContain(t, body, "10/12/2026 18:00", "20:00</time> (America/Montreal)")
	_, body = e.client().get("/e/1")
	mustContain(t, body, "10/12/2026 18:00", "(America/Montreal)")

	// The kiosk of that space gets the instants, whatever its clock.
	k := &central.Kiosk{Name: "Porte MTL", Space: mtl.Key}
	if _, err := e.kiosks.CreateKiosk(e.ctx(), k); err != nil {
		t.Fatal(err)
	}
	if err := e.cfg.Calendar.Register(e.ctx(), &central.Registration{Event: 1, Member: alice}); err != nil {
		t.Fatal(err)
	}
	page, err := e.sync.Pull(e.ctx(), central.PullRequest{Kiosk: k.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got *central.KioskEvent
	for i := range page.Events {
		if page.Events[i].ID == 1 {
			got = &page.Events[i]
		}
	}
	if got == nil || !got.Start.Equal(time.Date(2026, 12, 10, 18, 0, 0, 0, loc)) || !got.End.Equal(time.Date(2026, 12, 10, 20, 0, 0, 0, loc)) {
		t.Fatalf("the Montreal kiosk's events: %+v", page.Events)
	}

	// A room of Montreal, 09:00-17:00 there, hour slots.
	resp, _ = door.post("/resources", url.Values{"name": {"Salle MTL"}, "space": {mtl.Key}, "opens": {"09:00"}, "closes": {"17:00"}, "slot": {"60"}})
	mustStatus(t, resp, http.StatusSeeOther)
	rs, err := e.cfg.Bookings.FindResources(e.ctx())
	if err != nil || len(rs) != 1 {
		t.Fatalf("resources %v %v", rs, err)
	}
	room := strconv.FormatInt(rs[0].ID, 10)
	_, body = e.client().get("/m/" + at + "/book?resource=" + room + "&day=2026-12-10")
	mustContain(t, body, "09:00 – 10:00", "16:00 – 17:00", "(America/Montreal)")
	nine := time.Date(2026, 12, 10, 9, 0, 0, 0, loc)
	mustContain(t, body, `name="start" value="`+strconv.FormatInt(nine.Unix(), 10)+`"`)
	member := e.client()
	member.get("/m/" + at + "/book?resource=" + room + "&day=2026-12-10")
	resp, _ = member.post("/m/"+at+"/book", url.Values{"resource": {room}, "start": {strconv.FormatInt(nine.Unix(), 10)},
		"end": {strconv.FormatInt(nine.Add(time.Hour).Unix(), 10)}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/m/"+at+"/book?resource="+room+"&day=2026-12-10&done=booked" {
		t.Errorf("after booking: %q", loc)
	}
	// The bureau blocks 15:00-16:00 on Montreal's clock.
	door.get("/resources")
	resp, body = door.post("/resources/"+room+"/blocks", url.Values{"day": {"2026-12-10"}, "from": {"15:00"}, "to": {"16:00"}, "note": {"Ménage"}})
	mustStatus(t, resp, http.StatusSeeOther)
	bs, err := e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{Resource: &rs[0].ID})
	if err != nil || len(bs) != 2 || !bs[0].Start.Equal(nine) || !bs[1].Start.Equal(time.Date(2026, 12, 10, 15, 0, 0, 0, loc)) {
		t.Fatalf("bookings %v %+v\n%s", err, bs, body)
	}
	_, body = door.get("/resources")
	mustContain(t, body, "10/12/2026 15:00</time> – <time", "16:00</time> (America/Montreal)")
}
