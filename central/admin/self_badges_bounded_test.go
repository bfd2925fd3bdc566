package admin_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// TestSelfBadgesBounded: a member's page makes a badge in place of her
// others, or one more on her phone, at each POST. Every badge stays (a
// revoked one too: the doors say so) and every kiosk of her spaces pulls
// them all again at each change: anyone holding her link added badges in
// a loop, without end (40 in this test, thousands in minutes), growing
// the database and every kiosk's pulls. Now a member's page makes ten a
// day, then one a minute, doubling (429, Retry-After); a day later, she
// may again.
func TestSelfBadgesBounded(t *testing.T) {
	e := newEnv(t)
	alice, token := aliceWithLink(t, e)
	m := e.client()
	_, page := m.get("/m/" + token)
	csrf := csrfRE.FindStringSubmatch(page)[1]
	count := func() int {
		bs, _, err := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: &alice.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(bs)
	}
	for _, action := range []string{"phone", "badge"} {
		before := count()
		refused := 0
		for range 40 {
			resp, _ := m.post("/m/"+token+"/"+action, url.Values{"csrf": {csrf}})
			switch resp.StatusCode {
			case http.StatusSeeOther:
			case http.StatusTooManyRequests:
				refused++
				if resp.Header.Get("Retry-After") == "" {
					t.Errorf("%s: 429 without Retry-After", action)
				}
			default:
				t.Fatalf("%s: status %d", action, resp.StatusCode)
			}
		}
		if made := count() - before; made > 11 || refused == 0 {
			t.Errorf("%s: 40 POSTs from her page made %d badges (%d refused), want at most 11", action, made, refused)
		}
	}
	e.clock.Add(25 * time.Hour)
	resp, _ := m.post("/m/"+token+"/phone", url.Values{"csrf": {csrf}})
	mustStatus(t, resp, http.StatusSeeOther)
}

// TestSelfRowsBounded: the same for the other rows a member's page makes
// and keeps. A new calendar link revokes the last one and keeps it ten
// years; registering for an event and cancelling keeps each registration
// (with its mail, its journal line and the kiosks' pulls): both ran in a
// loop without end. Calendar links are ten a day as badges; registrations
// and bookings thirty, for a busy day.
func TestSelfRowsBounded(t *testing.T) {
	e := newEnv(t)
	_, token := aliceWithLink(t, e)
	day := e.clock.Now().Add(48 * time.Hour)
	ev := &central.CalendarEvent{Title: "Atelier vélo", Start: day, End: day.Add(2 * time.Hour), Capacity: 10}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
		t.Fatal(err)
	}
	m := e.client()
	_, page := m.get("/m/" + token)
	form := url.Values{"csrf": {csrfRE.FindStringSubmatch(page)[1]}}
	made := 0
	for range 40 {
		if resp, _ := m.post("/m/"+token+"/calendar", form); resp.StatusCode == http.StatusSeeOther {
			made++
		}
	}
	if made > 11 {
		t.Errorf("40 POSTs made %d calendar links, want at most 11", made)
	}
	agenda := "/m/" + token + "/agenda/" + fmtInt(ev.ID)
	for range 80 {
		m.post(agenda+"/register", form)
		m.post(agenda+"/cancel", form)
	}
	rs, err := e.cfg.Calendar.Registrations(e.ctx(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 1 || len(rs) > 31 {
		t.Errorf("80 registrations and cancellations kept %d registrations, want 1 to 31", len(rs))
	}
}

// TestGuestMailBounded: a pass's page mails it to the address typed, from
// the association's address, the guest's name (typed by the member) in
// it: once per address, but to any number of addresses. Anyone holding a
// member's link could send the association's mail to a list of strangers
// in a loop (40 here). Now it is counted as the public forms that mail
// are: per member, per client address and per address typed.
func TestGuestMailBounded(t *testing.T) {
	e, mails := newMailEnv(t)
	_, token := aliceWithLink(t, e)
	m := e.client()
	m.get("/m/" + token)
	resp, _ := m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Gagnez un iPhone sur evil.example"}, "guest_day": {"2026-11-27"}})
	mustStatus(t, resp, http.StatusSeeOther)
	pass := resp.Header.Get("Location")
	for i := range 40 {
		m.post(pass+"/mail", url.Values{"email": {"stranger" + fmtInt(int64(i)) + "@example.net"}})
	}
	if n := len(mails.of(admin.MailGuest)); n > 10 {
		t.Errorf("40 POSTs mailed the pass to %d strangers, want at most 10", n)
	}
}
