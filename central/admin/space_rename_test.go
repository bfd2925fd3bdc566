package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestRenamedSpacePlaces: La Cantine has an event, a room, a kiosk
// where Alice came, and a guest pass; it is renamed « La Cantine
// Croix-Rousse ». What they carry is still its key, its first name, but
// the bureau's pages (events, the event, rooms, today, the member's
// visits, the guest pass), the member's (her visits, her agenda, her
// room booking, who is here), the public event page, the public iCal
// feed, the guest pass's mail and the entries export name it by its new
// name, never the old one (central.PlaceName).
func TestRenamedSpacePlaces(t *testing.T) {
	e, mails := newMailEnv(t)
	ctx := e.ctx()
	cantine := &central.Space{Name: "La Cantine"}
	if err := e.cfg.Spaces.CreateSpace(ctx, cantine); err != nil {
		t.Fatal(err)
	}
	k := &central.Kiosk{Name: "Porte Cantine", Space: cantine.Key}
	if _, err := e.kiosks.CreateKiosk(ctx, k); err != nil {
		t.Fatal(err)
	}
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(ctx, alice); err != nil {
		t.Fatal(err)
	}
	_, token, err := e.store.CreateMemberLink(ctx, alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 10, 17, 0, 0, 0, time.UTC)
	ev := &central.CalendarEvent{Title: "Atelier vélo", Space: cantine.Key, Start: start, End: start.Add(2 * time.Hour),
		Capacity: 5, Public: true}
	if err := e.cfg.Calendar.CreateEvent(ctx, ev); err != nil {
		t.Fatal(err)
	}
	room := &central.Resource{Name: "Salle Rhône", Space: cantine.Key, Opens: 480, Closes: 1200, Slot: 60 * time.Minute, Active: true}
	if err := e.cfg.Bookings.CreateResource(ctx, room); err != nil {
		t.Fatal(err)
	}
	g := &central.GuestPass{Host: alice.ID, Name: "Léa Roux", Day: access.MustDay("2026-11-27"), Space: cantine.Name}
	if err := e.cfg.Guests.IssueGuestPass(ctx, g, 0); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if _, err := e.sync.Push(ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: []*central.Entry{
		{ID: "0190b2a0-0000-7000-8000-000000000001", Seq: 1, Member: alice.ID, KioskTime: now, Accept: true, Reason: access.OKSubscription},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := e.cfg.Spaces.RenameSpace(ctx, cantine.ID, "La Cantine Croix-Rousse"); err != nil {
		t.Fatal(err)
	}

	// The old name shown to people: "La Cantine" but in the new name and
	// in what forms send back (an option's value is the space's key).
	oldShown := func(what, body string) {
		t.Helper()
		rest := strings.ReplaceAll(body, "La Cantine Croix-Rousse", "")
		rest = strings.ReplaceAll(rest, `value="La Cantine"`, "")
		if i := strings.Index(rest, "La Cantine"); i >= 0 {
			t.Errorf("%s shows the old name: …%s…", what, rest[max(i-200, 0):min(i+60, len(rest))])
		}
	}
	const name = "La Cantine Croix-Rousse"
	admin := e.as(central.RoleAdmin)
	for _, page := range []struct{ path, want string }{
		{"/events", " · " + name},
		{"/events/" + fmtInt(ev.ID), "<dd>" + name + "</dd>"},
		{"/resources", name + " · "},
		{"/today", "<h3>" + name + " <small>"},
		{"/members/" + fmtInt(alice.ID), "<td>" + name + "</td>"},
		{"/members/" + fmtInt(alice.ID) + "/guests/" + fmtInt(g.ID), `<span class="badge-space">` + name + "</span>"},
	} {
		resp, body := admin.get(page.path)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, page.want)
		oldShown(page.path, body)
	}
	m := e.client()
	for _, page := range []struct{ path, want string }{
		{"/m/" + token, "(" + name + ")"},
		{"/m/" + token + "/agenda", " · " + name},
		{"/m/" + token + "/book?resource=" + fmtInt(room.ID) + "&day=2026-12-10", "Salle Rhône · " + name},
		{"/m/" + token + "/here", name},
		{"/m/" + token + "/guests/" + fmtInt(g.ID), `<span class="badge-space">` + name + "</span>"},
	} {
		resp, body := m.get(page.path)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, page.want)
		oldShown(page.path, body)
	}
	public := e.client()
	resp, body := public.get("/e/" + fmtInt(ev.ID))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, " · "+name+"</p>")
	oldShown("/e/1", body)
	_, body = public.get("/e/calendar.ics")
	mustContain(t, body, "LOCATION:"+name)
	oldShown("/e/calendar.ics", body)

	// The guest pass's mail names the space by its new name.
	resp, _ = m.post("/m/"+token+"/guests/"+fmtInt(g.ID)+"/mail", url.Values{"email": {"lea@example.org"}, "lang": {"fr"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if got := mails.of("guest"); len(got) != 1 || got[0].Space != name {
		t.Errorf("guest pass mails %+v, want one naming %q", got, name)
	}

	// The entries export: its space cell (raw and for people).
	for _, q := range []string{"", "?format=raw"} {
		_, body = admin.get("/entries.csv" + q)
		mustContain(t, body, name)
		oldShown(fmt.Sprint("/entries.csv", q), body)
	}
}
