package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestResourceWithdraw: the bureau withdraws a room from its edit page.
// While a member's booking of it is to come, the page says so and leads
// to /resources instead of offering « Retirer », and a POST anyway
// answers 409 with the reason, nothing changed. Once it is cancelled,
// « Retirer » opens a box saying what happens; without the anti-forgery
// token, or as a treasurer or read-only user, refused. Confirmed: 303 to
// /resources with « Ressource retirée … », journaled once (twice is
// fine), listed under « Retirées » with « Remettre en service », offered
// neither to book for a member nor on the members' « Réserver » tab (its
// grid's link shows another room, saying why). Put back: 303, journaled,
// bookable again. In English too.
func TestResourceWithdraw(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	door := e.as(D)
	addRoom(t, door, "Salle de réunion", 60, 0)
	addRoom(t, door, "Vidéoprojecteur", 60, 0)
	paris, _ := time.LoadLocation("Europe/Paris")
	at14 := time.Date(2026, 11, 27, 14, 0, 0, 0, paris)
	hers := &central.Booking{Resource: 1, Member: alice, Start: at14, End: at14.Add(time.Hour)}
	// And one four months ahead, past the 90 days /resources lists: the
	// edit page lists it, so that withdrawing is never a dead end.
	far := &central.Booking{Resource: 1, Member: alice, Start: at14.AddDate(0, 4, 0), End: at14.AddDate(0, 4, 0).Add(time.Hour)}
	for _, b := range []*central.Booking{hers, far} {
		if err := e.cfg.Bookings.Book(e.ctx(), b); err != nil {
			t.Fatal(err)
		}
	}
	active := func() bool { t.Helper(); return resourceNow(t, e, 1).Active }
	journal := func(action string) []*central.AuditEvent {
		t.Helper()
		evs, _, err := e.cfg.Audit.FindAuditEvents(e.ctx(), central.AuditFilter{Action: action})
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}

	// Her bookings to come: no « Retirer », each with its cancel.
	resp, body := door.get("/resources/1/edit")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "<h2 id=\"withdraw-h\">Retirer des réservations</h2>",
		"2 réservations de membres à venir\u00a0: annulez-les d’abord, ci-dessous, puis retirez-la.",
		`<form method="post" action="/resources/1/bookings/`+fmtInt(hers.ID)+`/cancel">`,
		`<form method="post" action="/resources/1/bookings/`+fmtInt(far.ID)+`/cancel">`, `<input type="hidden" name="back" value="edit">`)
	if strings.Contains(body, `action="/resources/1/withdraw"`) {
		t.Error("« Retirer » offered with a booking to come")
	}
	resp, body = door.post("/resources/1/withdraw", nil)
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, `id="withdraw-error" role="alert">Réservations de membres à venir (2)`+"\u00a0: annulez-les avant de retirer la ressource.",
		"<h1>Modifier la ressource</h1>")
	if !active() || len(journal("resource.withdraw")) != 0 {
		t.Fatal("withdrawn with her bookings to come")
	}

	if resp, _ := door.post("/resources/1/bookings/"+fmtInt(hers.ID)+"/cancel", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancelling her booking: %d", resp.StatusCode)
	}
	_, body = door.get("/resources/1/edit")
	mustContain(t, body, "1 réservation d’un membre à venir\u00a0: annulez-la d’abord, ci-dessous, puis retirez-la.")
	// The one past /resources' 90 days, cancelled from the edit page:
	// back there, to withdraw it.
	resp, _ = door.post("/resources/1/bookings/"+fmtInt(far.ID)+"/cancel", url.Values{"back": {"edit"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/resources/1/edit?done=booking_cancelled#withdraw" {
		t.Fatalf("cancelled from the edit page: 303 to %q", loc)
	}
	_, body = door.get("/resources/1/edit")
	mustContain(t, body, `<details class="confirm"><summary class="button secondary">Retirer</summary>`,
		"Retirer «\u00a0Salle de réunion\u00a0»\u00a0? Les membres ne la verront plus dans «\u00a0Réserver\u00a0»",
		`<form method="post" action="/resources/1/withdraw">`, `name="csrf"`, "Oui, retirer «\u00a0Salle de réunion\u00a0»")

	// Roles, the anti-forgery token.
	for _, role := range []central.Role{T, R} {
		u := e.as(role)
		u.get("/resources")
		for _, path := range []string{"/resources/1/withdraw", "/resources/1/restore"} {
			resp, _ := u.post(path, nil)
			mustStatus(t, resp, http.StatusForbidden)
		}
	}
	for _, form := range []url.Values{{"_nocsrf": {"1"}}, {"csrf": {"nope"}}} {
		resp, _ := door.post("/resources/1/withdraw", form)
		mustStatus(t, resp, http.StatusForbidden)
	}
	if !active() {
		t.Fatal("withdrawn by a refused request")
	}

	for range 2 { // a double tap
		resp, _ = door.post("/resources/1/withdraw", nil)
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/resources?done=resource_withdrawn" {
			t.Fatalf("303 to %q", loc)
		}
	}
	if active() {
		t.Fatal("still bookable")
	}
	if evs := journal("resource.withdraw"); len(evs) != 1 || evs[0].Actor != "door@example.org" || evs[0].Object != "resource:1" {
		t.Fatalf("journal: %+v", evs)
	}
	_, body = door.get("/resources?done=resource_withdrawn")
	mustContain(t, body, "Ressource retirée\u00a0: les membres ne la voient plus dans «\u00a0Réserver\u00a0».",
		`<h2 id="withdrawn-h">Retirées</h2>`, `action="/resources/1/restore"`, ">Remettre en service<", `<option value="2">Vidéoprojecteur`)
	if strings.Contains(body, `<option value="1">Salle`) || strings.Contains(body, `action="/resources/1/blocks"`) {
		t.Error("a withdrawn room is offered to book for a member or to block")
	}
	_, body = door.get("/resources/1/edit")
	mustContain(t, body, "Retirée\u00a0: les membres ne la voient plus", `action="/resources/1/restore"`)
	_, body = e.as(A).get("/audit")
	mustContain(t, body, "Ressource retirée des réservations")

	// Her « Réserver » tab: the projector only; the room's link shows it,
	// saying why.
	resp, body = e.client().get("/m/" + at + "/book")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Vidéoprojecteur")
	if strings.Contains(body, "Salle de réunion") || strings.Contains(body, "?resource=1&") {
		t.Error("her Réserver tab offers the withdrawn room")
	}
	resp, body = e.client().get("/m/" + at + "/book?resource=1&day=2026-11-27")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Cette ressource ne se réserve plus\u00a0: le bureau l’a retirée.", `name="resource" value="2"`)

	// Put back.
	resp, _ = door.post("/resources/1/restore", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/resources?done=resource_restored" {
		t.Fatalf("303 to %q", loc)
	}
	if !active() || len(journal("resource.restore")) != 1 {
		t.Fatal("not put back, or not journaled")
	}
	_, body = door.get("/resources?done=resource_restored")
	mustContain(t, body, "Ressource remise en service", `<option value="1">Salle de réunion`)
	if strings.Contains(body, `id="withdrawn"`) {
		t.Error("« Retirées » listed with none withdrawn")
	}
	_, body = e.client().get("/m/" + at + "/book?resource=1&day=2026-11-27")
	mustContain(t, body, `name="resource" value="1"`)

	// English; every room withdrawn, her tab says there is nothing.
	door.get("/lang/en")
	_, body = door.get("/resources/2/edit")
	mustContain(t, body, "Withdraw from booking", "Withdraw “Vidéoprojecteur”? Members will no longer see it")
	for _, id := range []string{"1", "2"} {
		resp, _ := door.post("/resources/"+id+"/withdraw", nil)
		mustStatus(t, resp, http.StatusSeeOther)
	}
	_, body = door.get("/resources?done=resource_withdrawn")
	mustContain(t, body, "Resource withdrawn: members no longer see it in “Book”.", "Put back into service")
	_, body = e.client().get("/m/" + at + "/book")
	mustContain(t, body, "Rien à réserver pour l’instant.")
}

// TestResourceWithdrawSpaces: Le Hangar's bureau withdraws and puts back
// Le Hangar's room only: La Cantine's answers 404 and stays bookable.
func TestResourceWithdrawSpaces(t *testing.T) {
	e := newEnv(t)
	w := seedSpaces(t, e)
	se := seedSpaceEvents(t, e, w)
	_, hangar := e.spaceUser(central.RoleDoor, w.hangar.ID)
	hangar.get("/resources")
	for _, path := range []string{"/resources/1/withdraw", "/resources/1/restore", "/resources/99/withdraw", "/resources/x/withdraw"} {
		resp, _ := hangar.post(path, nil)
		mustStatus(t, resp, http.StatusNotFound)
	}
	if !resourceNow(t, e, se.cantineRoom.ID).Active {
		t.Fatal("La Cantine's room withdrawn by Le Hangar's bureau")
	}
	resp, _ := hangar.post("/resources/2/withdraw", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if resourceNow(t, e, se.hangarRoom.ID).Active {
		t.Fatal("Le Hangar's room not withdrawn")
	}
	_, body := hangar.get("/resources")
	mustContain(t, body, `action="/resources/2/restore"`)
	if strings.Contains(body, "Salle Cantine") {
		t.Error("Le Hangar's bureau sees La Cantine's room")
	}
	resp, _ = hangar.post("/resources/2/restore", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if !resourceNow(t, e, se.hangarRoom.ID).Active {
		t.Fatal("Le Hangar's room not put back")
	}
	// La Cantine's block to come does not keep it from being withdrawn.
	resp, _ = e.as(A).post("/resources/1/withdraw", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	if resourceNow(t, e, se.cantineRoom.ID).Active {
		t.Fatal("a block kept La Cantine's room from being withdrawn")
	}
}

// TestResourcesCut: /resources reads so many bookings of the next 90
// days (central.MaxBookings; 3 here), the soonest first; when it read as
// many, it says its lists stop there and until when, else nothing.
func TestResourcesCut(t *testing.T) {
	e := newEnv(t)
	e.srv.SetResourcesRead(3)
	c := newCommunity(t, e)
	alice, _ := c.member("Alice Martin", "alice@example.org")
	door := e.as(D)
	addRoom(t, door, "Salle de réunion", 60, 0)
	paris, _ := time.LoadLocation("Europe/Paris")
	day := time.Date(2026, 11, 27, 9, 0, 0, 0, paris)
	book := func(b *central.Booking) {
		t.Helper()
		if err := e.cfg.Bookings.Book(e.ctx(), b); err != nil {
			t.Fatal(err)
		}
	}
	book(&central.Booking{Resource: 1, Member: alice, Start: day, End: day.Add(time.Hour)})
	book(&central.Booking{Resource: 1, Blocked: true, Note: "Ménage", Start: day.Add(2 * time.Hour), End: day.Add(3 * time.Hour)})
	_, body := door.get("/resources")
	if strings.Contains(body, `id="bookings-cut"`) {
		t.Error("a list of 2 of 3 said to be cut")
	}
	book(&central.Booking{Resource: 1, Member: alice, Start: day.AddDate(0, 0, 1), End: day.AddDate(0, 0, 1).Add(time.Hour)})
	book(&central.Booking{Resource: 1, Member: alice, Start: day.AddDate(0, 0, 2), End: day.AddDate(0, 0, 2).Add(time.Hour)})
	_, body = door.get("/resources")
	mustContain(t, body, `<p class="warning" role="note" id="bookings-cut">Les 3 premières réservations seulement (jusqu’au 28/11/2026 09:00)`+
		"\u00a0: après, les réservations et les temps bloqués des 90 prochains jours ne sont pas montrés ici.</p>", "27/11/2026 09:00", "28/11/2026 09:00")
	if strings.Contains(body, "29/11/2026") {
		t.Error("a booking after the cut listed")
	}
	door.get("/lang/en")
	_, body = door.get("/resources")
	mustContain(t, body, "The first 3 bookings only (until 2026-11-28 09:00): after that")
}
