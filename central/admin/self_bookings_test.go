package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// TestSelfBookingsListed: a member's bookings showed only on the grid of
// their room and day: to find the projector she booked for next
// Wednesday, or to cancel one when the weekly limit said « Annulez une
// réservation », she had to remember which room, which week, which day.
// Her Réserver tab now lists her coming bookings, every room of hers,
// soonest first, each with its room, day and time and a cancel that asks
// first; slots booked back to back are one line, cancelled together; a
// past booking and another member's are not in it.
func TestSelfBookingsListed(t *testing.T) {
	e, c, at, alice, slots := aliceAtRoom(t)
	door := e.client().login("door@example.org", "correct horse battery") // aliceAtRoom made the user
	addRoom(t, door, "Vidéoprojecteur", 60, 0)
	book := func(cl *client, token string, resource int, start, end time.Time) {
		t.Helper()
		cl.get("/m/" + token + "/book")
		resp, body := cl.post("/m/"+token+"/book", url.Values{"resource": {fmt.Sprint(resource)},
			"start": {fmt.Sprint(start.Unix())}, "end": {fmt.Sprint(end.Unix())}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("booking %d at %s: %d\n%s", resource, start, resp.StatusCode, body)
		}
	}
	_, body := alice.get("/m/" + at + "/book")
	if strings.Contains(body, "Mes réservations à venir") {
		t.Error("the list of her bookings shows with none")
	}
	// Wednesday 2 December, 14:00-15:00 in Paris: the projector; then
	// tomorrow 09:00 to 10:00 the room (Friday 27 November, two slots).
	wed := time.Date(2026, 12, 2, 14, 0, 0, 0, access.Paris)
	book(alice, at, 2, wed, wed.Add(time.Hour))
	unix := func(s string) time.Time {
		var n int64
		fmt.Sscan(s, &n)
		return time.Unix(n, 0)
	}
	book(alice, at, 1, unix(slots[3][1]), unix(slots[3][2]))
	book(alice, at, 1, unix(slots[2][1]), unix(slots[2][2]))
	// Bob books the room's 10:00, right after hers: not in her list.
	_, bt := c.member("Bob Durand", "")
	book(e.client(), bt, 1, unix(slots[4][1]), unix(slots[4][2]))

	// Her list, from the grid of any room and day (here the projector's
	// of today), soonest first.
	_, body = alice.get("/m/" + at + "/book?resource=2")
	mine := regexp.MustCompile(`(?s)<section class="card" id="my-bookings".*?</section>`).FindString(body)
	if mine == "" {
		t.Fatalf("no list of her bookings on her Réserver tab:\n%s", body)
	}
	mustContain(t, mine, "Mes réservations à venir", "Salle de réunion", "ven. 27/11/2026, 09:00 – 10:00",
		"Vidéoprojecteur", "mer. 02/12/2026, 14:00 – 15:00",
		"Annuler votre réservation de Salle de réunion, ven. 27/11/2026, de 09:00 à 10:00\u00a0? Le créneau redeviendra libre pour les autres.",
		"Oui, annuler ma réservation")
	if n := strings.Count(mine, "<li>"); n != 2 {
		t.Errorf("%d lines in her list, want 2 (the room's two slots in one)", n)
	}
	if strings.Index(mine, "Salle de réunion") > strings.Index(mine, "Vidéoprojecteur") {
		t.Error("her bookings are not soonest first")
	}
	if strings.Contains(mine, "10:00 – 10:30") || strings.Contains(mine, "10:30") {
		t.Error("Bob's booking is in Alice's list")
	}
	// Its cancel is a question first (a <details>), then a form.
	form := regexp.MustCompile(`<details class="confirm"><summary class="button secondary">Annuler</summary>\s*<div class="confirm-box"><p>Annuler votre réservation de Vidéoprojecteur[^<]*</p>\s*` +
		`<form method="post" action="(/m/` + at + `/book/\d+/cancel)">.*?<input type="hidden" name="back" value="([^"]*)">`).FindStringSubmatch(mine)
	if form == nil {
		t.Fatalf("the projector's cancel does not ask first:\n%s", mine)
	}
	// In English.
	alice.get("/lang/en")
	_, body = alice.get("/m/" + at + "/book?resource=2")
	mustContain(t, body, "My coming bookings", "Fri 2026-11-27, 09:00 – 10:00", "Wed 2026-12-02, 14:00 – 15:00",
		"Cancel your booking of Vidéoprojecteur, Wed 2026-12-02, from 14:00 to 15:00? The slot will be free for others again.")
	alice.get("/lang/fr")

	// Cancelled from the list: back to the grid she was on, the
	// projector no longer listed.
	back := strings.ReplaceAll(form[2], "&amp;", "&")
	resp, _ := alice.post(form[1], url.Values{"back": {back}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/m/"+at+"/book?resource=2") {
		t.Errorf("cancelled from her list: to %q, want the grid she was on", loc)
	}
	_, body = alice.get("/m/" + at + "/book?resource=2")
	mustContain(t, body, "Mes réservations à venir", "ven. 27/11/2026, 09:00 – 10:00")
	if strings.Contains(body, "mer. 02/12/2026, 14:00") {
		t.Error("the cancelled booking is still listed")
	}
	// The room's line cancels both its slots, Bob's next to them kept.
	form = regexp.MustCompile(`<form method="post" action="(/m/` + at + `/book/\d+/cancel)">.*?<input type="hidden" name="back" value="([^"]*)">((?:<input type="hidden" name="with" value="\d+">)*)`).FindStringSubmatch(body)
	if form == nil {
		t.Fatalf("no cancel in her list:\n%s", body)
	}
	with := url.Values{"back": {strings.ReplaceAll(form[2], "&amp;", "&")}}
	for _, m := range regexp.MustCompile(`value="(\d+)"`).FindAllStringSubmatch(form[3], -1) {
		with.Add("with", m[1])
	}
	resp, _ = alice.post(form[1], with)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = alice.get("/m/" + at + "/book?resource=1&day=2026-11-27")
	if strings.Contains(body, "À moi · Annuler") || strings.Contains(body, "Mes réservations à venir") {
		t.Errorf("her two slots are not both cancelled:\n%s", body)
	}
	if n := strings.Count(body, "Pris"); n != 1 {
		t.Errorf("%d slots taken after she cancelled, want Bob's", n)
	}
	// Another member's booking, its id slipped in the form: nothing is
	// cancelled, neither hers nor his.
	book(alice, at, 1, unix(slots[2][1]), unix(slots[2][2]))
	_, body = alice.get("/m/" + at + "/book")
	form = regexp.MustCompile(`action="(/m/` + at + `/book/\d+/cancel)"`).FindStringSubmatch(body)
	resp, _ = alice.post(form[1], url.Values{"with": {"4"}}) // Bob's (the projector 1, hers 2 and 3, his 4)
	mustStatus(t, resp, http.StatusNotFound)
	_, body = e.client().get("/m/" + bt + "/book?resource=1&day=2026-11-27")
	mustContain(t, body, "À moi · Annuler")
	_, body = alice.get("/m/" + at + "/book?resource=1&day=2026-11-27")
	mustContain(t, body, "À moi · Annuler")
	// Once over, a booking leaves the list.
	e.clock.Set(unix(slots[3][2]).Add(time.Minute))
	_, body = alice.get("/m/" + at + "/book")
	if strings.Contains(body, "Mes réservations à venir") {
		t.Error("a booking over is still listed")
	}
}
