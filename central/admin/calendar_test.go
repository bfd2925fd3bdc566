package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// feed fetches an iCalendar feed and parses it with a well-kept
// iCalendar library, after checking the lines' form (CRLF, folded at 75
// octets).
func feed(t *testing.T, c *client, path string) []*ics.VEvent {
	t.Helper()
	resp, body := c.get(path)
	mustStatus(t, resp, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	if !strings.HasSuffix(body, "END:VCALENDAR\r\n") {
		t.Errorf("%s does not end with END:VCALENDAR and CRLF", path)
	}
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(l) > 75 || strings.Contains(l, "\n") {
			t.Errorf("%s: line of %d octets or with a bare newline: %q", path, len(l), l)
		}
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s does not parse: %v\n%s", path, err, body)
	}
	return cal.Events()
}

func prop(ev *ics.VEvent, p ics.ComponentProperty) string {
	if x := ev.GetProperty(p); x != nil {
		return x.Value
	}
	return ""
}

var calendarURLRE = regexp.MustCompile(`id="calendar-url"[^>]*value="https://badges\.example\.org(/c/[^"]+)"`)

// TestCalendarFeeds: the public events' feed holds the public events
// only; a member makes a secret calendar link on her Agenda tab (shown
// once), whose feed holds her registrations (a waiting list as
// tentative) and bookings, and whose resource feeds say when a resource
// is taken without saying by whom; a new link revokes the old one, and
// revoking leaves none. Every feed parses with github.com/arran4/golang-ical.
func TestCalendarFeeds(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) { c.PublicURL = "https://badges.example.org" })
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	bob, _ := c.member("Bob Durand", "bob@example.org")
	public := newEvent(t, e, "Atelier compta; bilan, budget", 10, true)
	public.Description = strings.Repeat("Les bases de la comptabilité d’une association, ", 5)
	long := &central.CalendarEvent{Title: "Soirée « portes ouvertes »", Description: strings.Repeat("Découvrez l’espace. ", 10),
		Start: public.Start.Add(24 * time.Hour), End: public.End.Add(24 * time.Hour), Capacity: 50, Public: true}
	private := newEvent(t, e, "AG des membres", 30, false)
	full := newEvent(t, e, "Visite du fablab", 1, false)
	for _, ev := range []*central.CalendarEvent{long} {
		if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []*central.Registration{{Event: public.ID, Member: alice}, {Event: private.ID, Member: alice},
		{Event: full.ID, Member: bob}, {Event: full.ID, Member: alice}} {
		if err := e.cfg.Calendar.Register(e.ctx(), r); err != nil {
			t.Fatal(err)
		}
	}
	room := &central.Resource{Name: "Salle de réunion", Opens: 8 * 60, Closes: 20 * 60, Slot: time.Hour, Active: true}
	if err := e.cfg.Bookings.CreateResource(e.ctx(), room); err != nil {
		t.Fatal(err)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	friday := time.Date(2026, 11, 27, 10, 0, 0, 0, paris)
	mine := &central.Booking{Resource: room.ID, Member: alice, Start: friday, End: friday.Add(time.Hour)}
	block := &central.Booking{Resource: room.ID, Blocked: true, Note: "Ménage", Start: friday.Add(2 * time.Hour), End: friday.Add(4 * time.Hour)}
	for _, b := range []*central.Booking{mine, block} {
		if err := e.cfg.Bookings.Book(e.ctx(), b); err != nil {
			t.Fatal(err)
		}
	}

	// The public events' feed.
	anyone := e.client()
	evs := feed(t, anyone, "/e/calendar.ics")
	if len(evs) != 2 {
		t.Fatalf("public feed: %d events, want the 2 public ones", len(evs))
	}
	if got := prop(evs[0], ics.ComponentPropertySummary); got != "Atelier compta; bilan, budget" {
		t.Errorf("summary %q", got)
	}
	if s, err := evs[0].GetStartAt(); err != nil || !s.Equal(public.Start) {
		t.Errorf("start %v %v, want %v", s, err, public.Start)
	}
	if end, err := evs[1].GetEndAt(); err != nil || !end.Equal(long.End) {
		t.Errorf("end %v %v", end, err)
	}
	if u := prop(evs[0], ics.ComponentPropertyUrl); u != "https://badges.example.org/e/"+fmtInt(public.ID) {
		t.Errorf("url %q", u)
	}
	if !strings.HasPrefix(prop(evs[1], ics.ComponentPropertyDescription), "Découvrez l’espace. Découvrez") {
		t.Errorf("folded description %q", prop(evs[1], ics.ComponentPropertyDescription))
	}

	// Her link, made on her Agenda tab and shown once.
	m := e.client()
	_, body := m.get("/m/" + at + "/agenda")
	mustContain(t, body, "Créer mon lien d’agenda", "/e/calendar.ics")
	resp, _ := m.post("/m/"+at+"/calendar", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = m.get(resp.Header.Get("Location"))
	found := calendarURLRE.FindStringSubmatch(body)
	if found == nil {
		t.Fatalf("no calendar link shown:\n%s", body)
	}
	link := found[1]
	mustContain(t, body, "webcal://badges.example.org"+link, "/resources/"+fmtInt(room.ID)+"/availability.ics")
	_, body = m.get(resp.Header.Get("Location"))
	if calendarURLRE.MatchString(body) {
		t.Error("the link was shown twice")
	}
	mustContain(t, body, "Votre lien d’agenda est actif.")

	evs = feed(t, anyone, link)
	got := map[string]string{}
	for _, ev := range evs {
		got[prop(ev, ics.ComponentPropertySummary)] = prop(ev, ics.ComponentPropertyStatus)
	}
	want := map[string]string{"Atelier compta; bilan, budget": "CONFIRMED", "AG des membres": "CONFIRMED",
		"Visite du fablab (liste d’attente, n° 1)": "TENTATIVE", "Réservation\u00a0: Salle de réunion": "CONFIRMED"}
	if len(got) != len(want) {
		t.Fatalf("her feed %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("her feed: %q is %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	evs = feed(t, anyone, link+"?lang=en")
	for _, ev := range evs {
		if s := prop(ev, ics.ComponentPropertySummary); strings.HasPrefix(s, "Réservation") {
			t.Errorf("English feed says %q", s)
		}
	}

	// The room's availability: taken, without names.
	base := strings.TrimSuffix(link, "/agenda.ics")
	resp, raw := anyone.get(base + "/resources/" + fmtInt(room.ID) + "/availability.ics")
	mustStatus(t, resp, http.StatusOK)
	if strings.Contains(raw, "Alice") || strings.Contains(raw, "Ménage") {
		t.Errorf("the availability feed says who or why:\n%s", raw)
	}
	evs = feed(t, anyone, base+"/resources/"+fmtInt(room.ID)+"/availability.ics")
	if len(evs) != 2 || prop(evs[0], ics.ComponentPropertySummary) != "Réservé" || prop(evs[1], ics.ComponentPropertySummary) != "Indisponible" {
		t.Errorf("availability %d events", len(evs))
	}
	for _, p := range []string{base + "/resources/999/availability.ics", "/c/bgk1_nothing/agenda.ics", "/c/" + strings.Repeat("x", 300) + "/agenda.ics"} {
		resp, _ := anyone.get(p)
		mustStatus(t, resp, http.StatusNotFound)
	}

	// A new link revokes the old one; revoking leaves none.
	m.get("/m/" + at + "/agenda")
	resp, _ = m.post("/m/"+at+"/calendar", nil)
	_, body = m.get(resp.Header.Get("Location"))
	link2 := calendarURLRE.FindStringSubmatch(body)[1]
	resp, _ = anyone.get(link)
	mustStatus(t, resp, http.StatusNotFound)
	feed(t, anyone, link2)
	resp, _ = m.post("/m/"+at+"/calendar/revoke", nil)
	mustStatus(t, resp, http.StatusSeeOther)
	resp, _ = anyone.get(link2)
	mustStatus(t, resp, http.StatusNotFound)
	_, body = m.get("/m/" + at + "/agenda")
	mustContain(t, body, "Créer mon lien d’agenda")
	// Without her page's token: refused.
	resp, _ = e.client().post("/m/"+at+"/calendar", url.Values{"csrf": {"x"}})
	mustStatus(t, resp, http.StatusForbidden)
}
