package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// TestBookForMember: on /resources the bureau finds a member by a search
// narrowing a select and books a slot in her name, over her weekly limit
// (the bureau's booking skips it); the booking is in her portal and her
// agenda feed and in the journal as the bureau's; the conflict rule holds
// (a slot taken is refused and said); a mistake is said; read-only users
// get no form and are refused. Then the same in headless Chromium on a
// 390 px phone.
func TestBookForMember(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) { c.PublicURL = "https://badges.example.org" })
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	bob, _ := c.member("Bob Durand", "bob@example.org")
	door := e.as(D)
	addRoom(t, door, "Salle de réunion", 30, 1)
	paris, _ := time.LoadLocation("Europe/Paris")
	at9 := time.Date(2026, 11, 27, 9, 0, 0, 0, paris)
	// Alice holds her weekly hour already.
	if err := e.cfg.Bookings.Book(e.ctx(), &central.Booking{Resource: 1, Member: alice, Start: at9, End: at9.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}

	_, body := door.get("/resources")
	mustContain(t, body, "Réserver pour un membre", `action="/resources/book"`, "Alice Martin (alice@example.org)", "Bob Durand")
	_, body = door.get("/resources?who=ALI")
	mustContain(t, body, `value="ALI"`, "Alice Martin (alice@example.org)")
	if strings.Contains(body, "Bob Durand") || strings.Contains(body, "— Choisir —") {
		t.Error("the search for ALI offers Bob, or a choice among one")
	}
	_, body = door.get("/resources?who=zzz")
	mustContain(t, body, "Aucun membre ne correspond à «\u00a0zzz\u00a0».")

	bookFor := func(member int64, day, from, to string) (*http.Response, string) {
		return door.post("/resources/book", url.Values{"member": {fmtInt(member)}, "resource": {"1"}, "day": {day}, "from": {from}, "to": {to}})
	}
	resp, _ := bookFor(alice, "2026-11-27", "14:00", "15:30")
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/resources?done=booked_for" {
		t.Fatalf("after booking for her: %q", loc)
	}
	_, body = door.get("/resources?done=booked_for")
	mustContain(t, body, "Réservé au nom du membre")
	mine, _ := e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{Member: &alice})
	if len(mine) != 2 || !mine[1].Start.Equal(at9.Add(5*time.Hour)) || !mine[1].End.Equal(at9.Add(6*time.Hour+30*time.Minute)) || mine[1].Blocked {
		t.Fatalf("her bookings: %+v", mine)
	}
	evs, _, _ := e.cfg.Audit.FindAuditEvents(e.ctx(), central.AuditFilter{Action: "booking.create"})
	byBureau := 0
	for _, ev := range evs {
		if strings.Contains(ev.Details, `"by_bureau":true`) {
			byBureau++
			if ev.Actor == "" || ev.Actor == "cli" || !strings.Contains(ev.Details, `"member":`+fmtInt(alice)) {
				t.Errorf("journal: %+v", ev)
			}
		}
	}
	if byBureau != 1 {
		t.Errorf("journal: %d bookings by the bureau, want 1", byBureau)
	}

	// The same conflict rule: Bob cannot be booked over her slot.
	resp, body = bookFor(bob, "2026-11-27", "15:00", "16:00")
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "Ce créneau est déjà réservé.", "Réserver pour un membre")
	resp, body = bookFor(bob, "2026-11-27", "15:10", "16:00")
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "créneaux")
	resp, body = door.post("/resources/book", url.Values{"member": {""}, "resource": {"1"}, "day": {"2026-11-27"}, "from": {"16:00"}, "to": {"17:00"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Choisissez un membre et une ressource.")
	resp, body = bookFor(999, "2026-11-27", "16:00", "17:00")
	mustStatus(t, resp, http.StatusNotFound)
	mustContain(t, body, "Choisissez un membre et une ressource.")

	// Hers: on her booking page and in her agenda feed.
	m := e.client()
	_, body = m.get("/m/" + at + "/book?resource=1&day=2026-11-27")
	if n := strings.Count(body, "À moi · Annuler"); n != 5 { // 09:00-10:00 and 14:00-15:30 by 30 minutes
		t.Errorf("her booking page shows %d slots of hers, want 5", n)
	}
	m.get("/m/" + at + "/agenda")
	resp, _ = m.post("/m/"+at+"/calendar", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = m.get(resp.Header.Get("Location"))
	found := calendarURLRE.FindStringSubmatch(body)
	if found == nil {
		t.Fatal("no calendar link shown")
	}
	starts := map[time.Time]bool{}
	for _, ev := range feed(t, e.client(), found[1]) {
		if strings.HasPrefix(prop(ev, ics.ComponentPropertySummary), "Réservation\u00a0: Salle de réunion") {
			s, err := ev.GetStartAt()
			if err != nil {
				t.Fatal(err)
			}
			starts[s.UTC()] = true
		}
	}
	if len(starts) != 2 || !starts[at9.Add(5*time.Hour).UTC()] {
		t.Errorf("her feed's bookings: %v", starts)
	}

	ro := e.as(R)
	_, body = ro.get("/resources")
	if strings.Contains(body, "Réserver pour un membre") || strings.Contains(body, "alice@example.org") {
		t.Error("read-only users get the form, or the members' list")
	}
	resp, _ = ro.post("/resources/book", url.Values{"member": {fmtInt(bob)}, "resource": {"1"}, "day": {"2026-11-27"}, "from": {"17:00"}, "to": {"18:00"}})
	mustStatus(t, resp, http.StatusForbidden)

	if testing.Short() {
		return
	}
	ctx := browserFor(t, 2*time.Minute)
	setSession(t, ctx, e, door)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	phone := func(what string) {
		t.Helper()
		if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("%s: %v px wide at 390 px", what, w)
		}
		small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#bookfor a, #bookfor button, #bookfor input:not([type=hidden]), #bookfor select')].filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map(e => e.id || e.textContent.trim()).join(', ')`))
		if small != "" {
			t.Errorf("%s: tap targets under 44 px: %s", what, small)
		}
	}
	mustDo(t, ctx, "/resources", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+"/resources"),
		chromedp.WaitVisible(css("#bfwho")))
	phone("the form")
	mustDo(t, ctx, "search Bob",
		chromedp.SendKeys(css("#bfwho"), "durand"),
		chromedp.Click(css(`#bookfor form[role=search] button`)),
		waitJS(`location.search.includes("who=durand") && document.readyState === "complete"`),
		chromedp.WaitVisible(css("#bfmember")))
	if opts, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#bfmember option')].map(o => o.textContent).join('|')`)); opts != "Bob Durand (bob@example.org)" {
		t.Errorf("the search for durand offers %q", opts)
	}
	phone("the search's result")
	mustDo(t, ctx, "book for Bob",
		chromedp.SetValue(css("#bfday"), "2026-11-28"),
		chromedp.SetValue(css("#bffrom"), "10:00"),
		chromedp.SetValue(css("#bfto"), "11:00"),
		chromedp.Click(css(`form[action="/resources/book"] button[type=submit]`)),
		waitText("Réservé au nom du membre"))
	phone("after booking")
	his, _ := e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{Member: &bob})
	if len(his) != 1 || !his[0].Start.Equal(time.Date(2026, 11, 28, 10, 0, 0, 0, paris)) {
		t.Fatalf("Bob's bookings after the browser: %+v", his)
	}
}
