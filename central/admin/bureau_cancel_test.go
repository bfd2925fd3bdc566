package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestBureauCancelsBooking: /resources lists each resource's members'
// bookings to come to door staff and admins (her name, day, times) with
// « Annuler » behind a confirmation; the bureau cancels one (303, « Réservation
// annulée. », journaled as the bureau user's), it leaves her Réserver
// tab, the others hold; twice is fine; a block, another resource's
// booking or none is not found; without the anti-forgery token, or as a
// treasurer or read-only user, refused, and those users see no names.
func TestBureauCancelsBooking(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	bob, _ := c.member("Bob Durand", "bob@example.org")
	door := e.as(D)
	for _, name := range []string{"Salle de réunion", "Vidéoprojecteur"} {
		addRoom(t, door, name, 60, 0)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	at14 := time.Date(2026, 11, 27, 14, 0, 0, 0, paris)
	hers := &central.Booking{Resource: 1, Member: alice, Start: at14, End: at14.Add(time.Hour)}
	his := &central.Booking{Resource: 1, Member: bob, Start: at14.Add(2 * time.Hour), End: at14.Add(3 * time.Hour)}
	block := &central.Booking{Resource: 1, Blocked: true, Note: "Ménage", Start: at14.Add(4 * time.Hour), End: at14.Add(5 * time.Hour)}
	for _, b := range []*central.Booking{hers, his, block} {
		if err := e.cfg.Bookings.Book(e.ctx(), b); err != nil {
			t.Fatal(err)
		}
	}
	cancelPath := func(res, b int64) string { return "/resources/" + fmtInt(res) + "/bookings/" + fmtInt(b) + "/cancel" }
	holds := func(b *central.Booking) bool {
		bs, err := e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range bs {
			if x.ID == b.ID {
				return true
			}
		}
		return false
	}

	_, body := door.get("/resources")
	mustContain(t, body, "Réservations à venir", "Alice Martin", "Bob Durand", "27/11/2026 14:00", "15:00",
		`<details class="confirm"><summary class="button secondary">Annuler</summary>`,
		"Annuler la réservation d’Alice Martin, le 27/11/2026 14:00 – 15:00\u00a0? Le créneau redeviendra libre. Aucun e-mail ne la prévient\u00a0: dites-le-lui.",
		`action="`+cancelPath(1, hers.ID)+`"`, `action="`+cancelPath(1, his.ID)+`"`)
	if strings.Contains(body, cancelPath(1, block.ID)) {
		t.Error("a block is offered as a member's booking")
	}
	_, body = e.client().get("/m/" + at + "/book?resource=1&day=2026-11-27")
	mustContain(t, body, "Mes réservations à venir")

	// Roles: a treasurer or a read-only user sees no names and is refused.
	for _, role := range []central.Role{T, R} {
		u := e.as(role)
		_, body := u.get("/resources")
		if strings.Contains(body, "Alice Martin") || strings.Contains(body, "/bookings/") {
			t.Errorf("%s sees the members' bookings", role)
		}
		resp, _ := u.post(cancelPath(1, hers.ID), nil)
		mustStatus(t, resp, http.StatusForbidden)
	}
	// The anti-forgery token: missing or wrong, refused.
	for _, form := range []url.Values{{"_nocsrf": {"1"}}, {"csrf": {"nope"}}} {
		resp, _ := door.post(cancelPath(1, hers.ID), form)
		mustStatus(t, resp, http.StatusForbidden)
	}
	if !holds(hers) {
		t.Fatal("a refused request cancelled her booking")
	}

	resp, _ := door.post(cancelPath(1, hers.ID), nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/resources?done=booking_cancelled" {
		t.Fatalf("after cancelling: %q", loc)
	}
	_, body = door.get("/resources?done=booking_cancelled")
	mustContain(t, body, "Réservation annulée.", "Bob Durand")
	if strings.Contains(body, "d’Alice Martin, le") || strings.Contains(body, cancelPath(1, hers.ID)) {
		t.Error("her cancelled booking is still listed")
	}
	if holds(hers) || !holds(his) || !holds(block) {
		t.Errorf("after cancelling hers: hers %v, his %v, the block %v", holds(hers), holds(his), holds(block))
	}
	_, body = e.client().get("/m/" + at + "/book?resource=1&day=2026-11-27")
	if strings.Contains(body, "Mes réservations à venir") {
		t.Error("her Réserver tab still shows her booking")
	}
	evs, _, err := e.cfg.Audit.FindAuditEvents(e.ctx(), central.AuditFilter{Action: "booking.cancel"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Actor != "door@example.org" || !strings.Contains(evs[0].Details, `"booking":`+fmtInt(hers.ID)) {
		t.Errorf("journal: %+v", evs)
	}
	// Twice (a double tap, a page left open): fine, journaled once.
	resp, _ = door.post(cancelPath(1, hers.ID), nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if evs, _, _ := e.cfg.Audit.FindAuditEvents(e.ctx(), central.AuditFilter{Action: "booking.cancel"}); len(evs) != 1 {
		t.Errorf("cancelled twice: %d journal lines", len(evs))
	}

	// Not a member's booking of that resource: not found, nothing cancelled.
	for _, path := range []string{cancelPath(1, block.ID), cancelPath(2, his.ID), cancelPath(1, 999), cancelPath(999, his.ID),
		"/resources/1/bookings/x/cancel"} {
		resp, _ := door.post(path, nil)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("POST %s: status %d, want 404", path, resp.StatusCode)
		}
	}
	if !holds(his) || !holds(block) {
		t.Error("a refused request cancelled a booking or the block")
	}
	// An admin cancels too.
	resp, _ = e.as(A).post(cancelPath(1, his.ID), nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if holds(his) {
		t.Error("the admin's cancel did not cancel")
	}
}

// TestBureauCancelsBookingSpaces: a space's bureau sees and cancels its
// own space's rooms' bookings only; another space's booking is not found
// (404) and holds.
func TestBureauCancelsBookingSpaces(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	se := seedSpaceEvents(t, e, w)
	paris, _ := time.LoadLocation("Europe/Paris")
	n := e.clock.Now().In(paris)
	at14 := time.Date(n.Year(), n.Month(), n.Day()+1, 14, 0, 0, 0, paris)
	aliceB := &central.Booking{Resource: se.cantineRoom.ID, Member: w.alice.ID, Start: at14, End: at14.Add(time.Hour)}
	bobB := &central.Booking{Resource: se.hangarRoom.ID, Member: w.bob.ID, Start: at14, End: at14.Add(time.Hour)}
	for _, b := range []*central.Booking{aliceB, bobB} {
		if err := e.cfg.Bookings.Book(e.ctx(), b); err != nil {
			t.Fatal(err)
		}
	}
	cancelPath := func(b *central.Booking) string {
		return "/resources/" + fmtInt(b.Resource) + "/bookings/" + fmtInt(b.ID) + "/cancel"
	}
	_, hangar := e.spaceUser(D, w.hangar.ID)
	_, body := hangar.get("/resources")
	mustContain(t, body, w.bob.Name, cancelPath(bobB))
	if strings.Contains(body, w.alice.Name) || strings.Contains(body, cancelPath(aliceB)) {
		t.Error("Le Hangar's bureau sees La Cantine's booking")
	}
	resp, _ := hangar.post(cancelPath(aliceB), nil)
	mustStatus(t, resp, http.StatusNotFound)
	// Through its own room's path: still not its room's booking.
	resp, _ = hangar.post("/resources/"+fmtInt(se.hangarRoom.ID)+"/bookings/"+fmtInt(aliceB.ID)+"/cancel", nil)
	mustStatus(t, resp, http.StatusNotFound)
	bs, _ := e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{Member: &w.alice.ID})
	if len(bs) != 1 {
		t.Fatalf("Alice's booking after Le Hangar's tries: %+v", bs)
	}
	resp, _ = hangar.post(cancelPath(bobB), nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if bs, _ := e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{Member: &w.bob.ID}); len(bs) != 0 {
		t.Errorf("Bob's booking after Le Hangar cancelled it: %+v", bs)
	}
}
