package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// TestBookRefusedBackToGrid: a slot central's booking rules refuse
// (taken meanwhile, blocked by the bureau, over her week, past, off the
// bookable hours, the resource withdrawn) answers 303 to the same room's
// same day, whose banner at the top says why in her language, the slot
// shown as it is now: no error page, a dead end on a phone. A malformed
// form is still refused as such (400 for times that are no slot's, 404
// for a resource id malformed or unknown, 403 without the anti-forgery
// token).
func TestBookRefusedBackToGrid(t *testing.T) {
	e, c, at, alice, form := aliceAtRoom(t)                               // room 1: 08:00-20:00, 30 minutes, no limit
	door := e.client().login("door@example.org", "correct horse battery") // aliceAtRoom's
	addRoom(t, door, "Cabine", 30, 1)                                     // 2: one hour a member a week
	addRoom(t, door, "Vieux projecteur", 30, 0)                           // 3: withdrawn below
	_, bt := c.member("Bob Durand", "")
	bob := e.client()
	bob.get("/m/" + bt + "/book?day=2026-11-27")
	resp, _ := bob.post("/m/"+bt+"/book", url.Values{"resource": {"1"}, "start": {form[0][1]}, "end": {form[0][2]}})
	mustStatus(t, resp, http.StatusSeeOther)
	door.get("/resources")
	resp, _ = door.post("/resources/1/blocks", url.Values{"day": {"2026-11-27"}, "from": {"11:00"}, "to": {"12:00"}, "note": {"Ménage"}})
	mustStatus(t, resp, http.StatusSeeOther)
	at27 := func(hhmm string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", "2026-11-27 "+hhmm, access.Paris)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	slot := func(res string, from time.Time) url.Values {
		return url.Values{"resource": {res}, "start": {strconv.FormatInt(from.Unix(), 10)},
			"end": {strconv.FormatInt(from.Add(30*time.Minute).Unix(), 10)}}
	}
	for _, from := range []string{"09:00", "09:30"} { // her hour of the Cabine
		alice.get("/m/" + at + "/book?resource=2&day=2026-11-27")
		resp, _ := alice.post("/m/"+at+"/book", slot("2", at27(from)))
		mustStatus(t, resp, http.StatusSeeOther)
	}
	if _, err := e.db.SQL().Exec(`UPDATE resources SET active = 0 WHERE id = 3`); err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name     string
		lang     string
		form     url.Values
		day      string
		refused  string
		banner   string
		slotNow  string // the slot's line in the grid now (a regexp), when shown
		resource string // the grid's resource
	}{
		{"taken by Bob", "fr", slot("1", at27("08:00")), "2026-11-27", "taken",
			"Quelqu’un d’autre vient de réserver ce créneau : il est maintenant pris. Choisissez-en un autre.",
			`08:00 – 08:30</span>\s*<span class="muted">Pris</span>`, "1"},
		{"blocked by the bureau", "fr", slot("1", at27("11:00")), "2026-11-27", "blocked",
			"Le bureau a bloqué ce créneau (entretien, événement…) : il ne se réserve pas. Choisissez-en un autre.",
			`11:00 – 11:30</span>\s*<span class="muted">Pris</span>`, "1"},
		{"over her week", "fr", slot("2", at27("10:00")), "2026-11-27", "week",
			"Ce créneau dépasserait le temps permis pour cette ressource : 1 h par membre et par semaine. Annulez une de vos réservations de cette semaine ou choisissez une autre semaine.",
			`10:00 – 10:30</span>\s*<form`, "2"},
		{"over her week, in English", "en", slot("2", at27("10:00")), "2026-11-27", "week",
			"This slot would go over the time allowed for this resource: 1 h a member a week. Cancel one of your bookings of that week or pick another week.",
			`10:00 – 10:30</span>\s*<form`, "2"},
		{"past", "fr", slot("1", time.Date(2026, 11, 20, 9, 0, 0, 0, access.Paris)), "2026-11-20", "past",
			"Ce créneau est déjà passé : choisissez-en un à venir.",
			`09:00 – 09:30</span>\s*<span class="muted">Passé</span>`, "1"},
		{"before the bookable hours", "fr", slot("1", at27("07:00")), "2026-11-27", "hours",
			"Ce créneau n’est plus dans les heures réservables de cette ressource (de 08:00 à 20:00, par créneaux de 30 minutes) : le bureau les a changées. Choisissez un créneau ci-dessous.",
			"", "1"},
		{"off the slots, in English", "en", slot("1", at27("08:10")), "2026-11-27", "hours",
			"This slot is no longer within this resource’s bookable hours (08:00 to 20:00, in slots of 30 minutes): the board changed them. Pick a slot below.",
			"", "1"},
		{"the resource withdrawn", "fr", slot("3", at27("09:00")), "2026-11-27", "closed",
			"Cette ressource ne se réserve plus : le bureau l’a retirée. Choisissez-en une autre.", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			alice.get("/lang/" + tt.lang)
			defer alice.get("/lang/fr")
			alice.get("/m/" + at + "/book?resource=" + tt.form.Get("resource") + "&day=2026-11-27")
			resp, body := alice.post("/m/"+at+"/book", tt.form)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("refused booking answered %d, want 303 to the grid:\n%s", resp.StatusCode, body)
			}
			res := tt.form.Get("resource")
			want := "/m/" + at + "/book?resource=" + res + "&day=" + tt.day + "&refused=" + tt.refused
			if loc := resp.Header.Get("Location"); loc != want {
				t.Fatalf("refused booking goes to %q, want %q", loc, want)
			}
			resp, body = alice.get(want)
			mustStatus(t, resp, http.StatusOK)
			plain := strings.ReplaceAll(body, "\u00a0", " ")
			banner := regexp.MustCompile(`<main id="main" tabindex="-1">\s*<p class="error" role="alert">([^<]*)</p>`).FindStringSubmatch(plain)
			if banner == nil || banner[1] != tt.banner {
				t.Errorf("the grid's banner: %q, want %q", banner, tt.banner)
			}
			if !strings.Contains(body, `id="slots"`) && tt.resource != "" {
				t.Errorf("no slots under the banner:\n%s", body)
			}
			if tt.slotNow != "" && !regexp.MustCompile(tt.slotNow).MatchString(body) {
				t.Errorf("the slot is not shown as it is now (%s):\n%s", tt.slotNow, body)
			}
			if tt.resource != "" && !strings.Contains(body, `aria-current="page">`+map[string]string{"1": "Salle de réunion", "2": "Cabine"}[tt.resource]) {
				t.Errorf("the grid is not the room's %s", tt.resource)
			}
			// Said once: the language link leaves it out.
			if strings.Contains(body, "refused=") && regexp.MustCompile(`href="/lang/[a-z]+\?next=[^"]*refused=`).MatchString(body) {
				t.Error("the language link carries refused=")
			}
		})
	}

	// Malformed forms, and a value of refused= that is none, are no
	// refusal of the rules.
	alice.get("/m/" + at + "/book?day=2026-11-27")
	for _, tt := range []struct {
		name string
		form url.Values
		want int
	}{
		{"resource no number", url.Values{"resource": {"x"}, "start": {form[3][1]}, "end": {form[3][2]}}, http.StatusNotFound},
		{"no start", url.Values{"resource": {"1"}, "end": {form[3][2]}}, http.StatusBadRequest},
		{"end before start", url.Values{"resource": {"1"}, "start": {form[3][2]}, "end": {form[3][1]}}, http.StatusBadRequest},
		{"unknown resource", url.Values{"resource": {"99"}, "start": {form[3][1]}, "end": {form[3][2]}}, http.StatusNotFound},
		{"no anti-forgery token", url.Values{"resource": {"1"}, "start": {form[3][1]}, "end": {form[3][2]}, "_nocsrf": {""}}, http.StatusForbidden},
	} {
		resp, _ := alice.post("/m/"+at+"/book", tt.form)
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %d, want %d (%s)", tt.name, resp.StatusCode, tt.want, resp.Header.Get("Location"))
		}
	}
	_, body := alice.get("/m/" + at + "/book?resource=1&day=2026-11-27&refused=<script>")
	if strings.Contains(body, `class="error"`) {
		t.Errorf("refused=<script> shows a banner:\n%s", body)
	}
}
