package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestBlockTime: the bureau blocks a resource's time from /resources
// (whole slots, with a reason), which members then cannot book; a block
// over a booking that holds is refused and said; a mistake is said;
// unblocking frees the time. Read-only users see the blocks but no form.
func TestBlockTime(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	door := e.as(D)
	addRoom(t, door, "Salle de réunion", 60, 0)
	_, body := door.get("/resources")
	mustContain(t, body, "Bloquer un créneau", `name="day" type="date" value="2026-11-26"`)

	paris, _ := time.LoadLocation("Europe/Paris")
	at10 := time.Date(2026, 11, 27, 10, 0, 0, 0, paris)
	booked := &central.Booking{Resource: 1, Member: alice, Start: at10.Add(4 * time.Hour), End: at10.Add(5 * time.Hour)}
	if err := e.cfg.Bookings.Book(e.ctx(), booked); err != nil {
		t.Fatal(err)
	}
	block := func(day, from, to, note string) (*http.Response, string) {
		return door.post("/resources/1/blocks", url.Values{"day": {day}, "from": {from}, "to": {to}, "note": {note}})
	}
	resp, _ := block("2026-11-27", "10:00", "12:00", "Ménage  de printemps")
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/resources?done=time_blocked" {
		t.Fatalf("after blocking: %q", loc)
	}
	_, body = door.get("/resources?done=time_blocked")
	mustContain(t, body, "Créneau bloqué", "Créneaux bloqués", "27/11/2026 10:00", "12:00", "Ménage de printemps", "Débloquer")
	bs, _ := e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{})
	var blk *central.Booking
	for _, b := range bs {
		if b.Blocked {
			blk = b
		}
	}
	if blk == nil || blk.Member != 0 || blk.Note != "Ménage de printemps" || !blk.Start.Equal(at10) || !blk.End.Equal(at10.Add(2*time.Hour)) {
		t.Fatalf("block stored %+v", blk)
	}
	// Members cannot book over it.
	if err := e.cfg.Bookings.Book(e.ctx(), &central.Booking{Resource: 1, Member: alice, Start: at10.Add(time.Hour),
		End: at10.Add(2 * time.Hour)}); central.ErrorCode(err) != central.ECONFLICT {
		t.Errorf("a member booked blocked time: %v", err)
	}
	_, body = e.client().get("/m/" + at + "/book?resource=1&day=2026-11-27")
	slot := func(t0 time.Time) string { return `name="start" value="` + fmtInt(t0.Unix()) + `"` }
	if strings.Contains(body, slot(at10)) || !strings.Contains(body, slot(at10.Add(-time.Hour))) {
		t.Error("the portal offers a blocked slot, or no free one")
	}
	// Over a booking: refused, said in French. Mistakes: said.
	resp, body = block("2026-11-27", "14:00", "16:00", "")
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "Bloquer un créneau")
	resp, body = block("2026-11-27", "10:30", "11:00", "")
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "créneaux")
	resp, body = block("demain", "10:00", "11:00", "")
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Jour et heures attendus.")
	resp, _ = block("2026-11-27", "18:00", "19:00", strings.Repeat("x", 201))
	mustStatus(t, resp, http.StatusBadRequest)

	ro := e.as(R)
	_, body = ro.get("/resources")
	mustContain(t, body, "Ménage de printemps")
	if strings.Contains(body, "Bloquer un créneau") || strings.Contains(body, "Débloquer") {
		t.Error("read-only users get the forms")
	}
	resp, _ = ro.post("/resources/1/blocks", url.Values{"day": {"2026-11-28"}, "from": {"10:00"}, "to": {"11:00"}})
	mustStatus(t, resp, http.StatusForbidden)

	resp, _ = door.post("/resources/1/blocks/"+fmtInt(blk.ID)+"/cancel", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	// Twice (a double tap): no error.
	resp, _ = door.post("/resources/1/blocks/"+fmtInt(blk.ID)+"/cancel", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	// A member's booking is no block, and a block is its resource's: not
	// freed by this form, and not said freed (it answered 303 and
	// « débloqué » before; the block is now found by its id, not in a
	// capped list of the resource's bookings).
	resp, _ = door.post("/resources/1/blocks/"+fmtInt(booked.ID)+"/cancel", nil)
	mustStatus(t, resp, http.StatusNotFound)
	resp, _ = door.post("/resources/2/blocks/"+fmtInt(blk.ID)+"/cancel", nil)
	mustStatus(t, resp, http.StatusNotFound)
	resp, _ = door.post("/resources/1/blocks/999999/cancel", nil)
	mustStatus(t, resp, http.StatusNotFound)
	bs, _ = e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{})
	if len(bs) != 1 || bs[0].ID != booked.ID {
		t.Errorf("after unblocking: %+v", bs)
	}
}

// TestTodayEvents: the Today page lists the day's events with their
// places; the export of an event's registrations opens in French Excel.
func TestTodayEvents(t *testing.T) {
	e := newEnv(t)
	today := &central.CalendarEvent{Title: "Atelier compta", Start: start.Add(9 * time.Hour), End: start.Add(11 * time.Hour), Capacity: 12}
	later := &central.CalendarEvent{Title: "Apéro de décembre", Start: start.Add(48 * time.Hour), End: start.Add(50 * time.Hour), Capacity: 40}
	for _, ev := range []*central.CalendarEvent{today, later} {
		if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.cfg.Calendar.Register(e.ctx(), &central.Registration{Event: today.ID, Name: "Chloé Petit", Email: "chloe@example.net"}); err == nil {
		t.Fatal("a members-only event took a registration from no member")
	}
	ro := e.as(R)
	_, body := ro.get("/today")
	mustContain(t, body, "Événements du jour (1)", "Atelier compta", "Inscrits\u00a0: 0 sur 12 places", `href="/events/`+fmtInt(today.ID)+`"`)
	if strings.Contains(body, "Apéro de décembre") {
		t.Error("the Today page shows a later event")
	}
	resp, body := ro.get("/events/" + fmtInt(today.ID) + "/registrations.csv")
	mustStatus(t, resp, http.StatusOK)
	if !strings.HasPrefix(body, "\ufeff") || !strings.Contains(body, ";") {
		t.Errorf("the export is not for French Excel: %.200q", body)
	}
}
