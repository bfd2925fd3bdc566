package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBookingsPortal: the bureau adds a room; Alice books Friday 09:00
// from her portal, Bob sees it taken and cannot book it, Alice cancels,
// Bob books it; the day's slots fit a 390 px phone.
func TestBookingsPortal(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	_, at := c.member("Alice Martin", "")
	_, bt := c.member("Bob Durand", "")
	door := e.as(D)
	addRoom(t, door, "Salle de réunion", 30, 0)
	_, body := door.get("/resources")
	mustContain(t, body, "Salle de réunion", "réservable de 08:00 à 20:00")
	if resp, _ := e.as(R).post("/resources", url.Values{"name": {"X"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("read-only adds a resource: %d", resp.StatusCode)
	}

	alice, bob := e.client(), e.client()
	_, body = alice.get("/m/" + at + "/book?day=2026-11-27")
	mustContain(t, body, "Réserver une salle ou du matériel", "ven. 27/11/2026", "09:00 – 09:30", `aria-current="date"`)
	// The form of the 09:00 slot (10:00 in Paris is 09:00 UTC: Friday 27 November, 08:00 UTC).
	form := regexp.MustCompile(`name="start" value="(\d+)"><input type="hidden" name="end" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(form) != 24 {
		t.Fatalf("%d free slots, want 24 (08:00-20:00 by 30 minutes)", len(form))
	}
	slot := func() url.Values { // 09:00-09:30; a new one per post (post adds its token)
		return url.Values{"resource": {"1"}, "start": {form[2][1]}, "end": {form[2][2]}}
	}
	resp, _ := alice.post("/m/"+at+"/book", slot())
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "day=2026-11-27") || !strings.HasSuffix(loc, "done=booked") {
		t.Errorf("after booking: %q", loc)
	}
	_, body = alice.get("/m/" + at + "/book?day=2026-11-27")
	mustContain(t, body, "À moi · Annuler")
	_, body = bob.get("/m/" + bt + "/book?day=2026-11-27")
	mustContain(t, body, "Pris")
	// Refused, Bob is back on the same day's grid, which says why.
	resp, _ = bob.post("/m/"+bt+"/book", slot())
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "resource=1&day=2026-11-27") || !strings.HasSuffix(loc, "refused=taken") {
		t.Errorf("after a refused booking: %q", loc)
	}
	_, body = bob.get(resp.Header.Get("Location"))
	mustContain(t, body, `<p class="error" role="alert">Quelqu’un d’autre vient de réserver ce créneau`, `id="slots"`, "Pris")
	// Bob cannot cancel Alice's booking.
	resp, _ = bob.post("/m/"+bt+"/book/1/cancel", nil)
	mustStatus(t, resp, http.StatusNotFound)
	alice.get("/m/" + at + "/book?day=2026-11-27")
	resp, _ = alice.post("/m/"+at+"/book/1/cancel", url.Values{"back": {"?resource=1&day=2026-11-27"}})
	mustStatus(t, resp, http.StatusSeeOther)
	bob.get("/m/" + bt + "/book?day=2026-11-27")
	resp, _ = bob.post("/m/"+bt+"/book", slot())
	mustStatus(t, resp, http.StatusSeeOther)

	if testing.Short() {
		return
	}
	ctx := browser(t)
	mustDo(t, ctx, "book page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+"/m/"+at+"/book?day=2026-11-27"),
		chromedp.WaitVisible(chromedp.CSS("#slots")))
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the booking page is %.0f px wide on a 390 px phone", w)
	}
	small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main a, main button')].filter(e => e.offsetParent !== null && (e.getBoundingClientRect().height < 44 || e.getBoundingClientRect().width < 44)).map(e => e.textContent.trim()).join(', ')`))
	if small != "" {
		t.Errorf("tap targets under 44 px: %s", small)
	}
	// The flash shows as soon as the top of the new page is parsed: read
	// the page once it is whole (a loaded machine parses it in pieces).
	mustDo(t, ctx, "book 10:00", chromedp.Click(chromedp.CSS(`#slots li:nth-child(5) button`)), waitText("Réservé."),
		waitJS(`location.search.includes("done=booked") && document.readyState === "complete"`))
	if text := bodyText(t, ctx); !strings.Contains(text, "À moi · Annuler") {
		t.Errorf("after booking in the browser:\n%s", text)
	}
	// Bob takes 10:30 while Alice's page still shows it free: her
	// booking is refused, and she lands back on the same day's slots
	// (no error page, a dead end on a phone), the reason in the banner
	// at the top, 10:30 now taken; the other slots still book.
	resp, _ = bob.post("/m/"+bt+"/book", url.Values{"resource": {"1"}, "start": {form[5][1]}, "end": {form[5][2]}})
	mustStatus(t, resp, http.StatusSeeOther)
	mustDo(t, ctx, "book 10:30, taken", chromedp.Click(chromedp.CSS(`#slots li:nth-child(6) button`)),
		waitJS(`location.search.includes("refused=taken") && document.readyState === "complete"`))
	if path, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search`)); path != "/m/"+at+"/book?resource=1&day=2026-11-27&refused=taken" {
		t.Errorf("the refused booking leads to %q, not the same day's slots", path)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelectorAll("a.js-back").length`)); n != 0 {
		t.Error("the refused booking shows the error page's way back")
	}
	banner, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('main > p.error[role="alert"]:first-child') || {}).innerText || ""`))
	if !strings.Contains(banner, "Quelqu’un d’autre vient de réserver ce créneau") {
		t.Errorf("the banner at the top of the slots reads %q", banner)
	}
	if top, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('main > p.error').getBoundingClientRect().top + scrollY`)); top > 844 {
		t.Errorf("the banner is %.0f px down: out of a phone's first screen", top)
	}
	if taken, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#slots li:nth-child(6)').innerText`)); !strings.Contains(taken, "Pris") {
		t.Errorf("10:30 after the refusal: %q, want it taken", taken)
	}
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the refused booking's page is %.0f px wide on a 390 px phone", w)
	}
	mustDo(t, ctx, "book 11:00 from there", chromedp.Click(chromedp.CSS(`#slots li:nth-child(7) button`)), waitText("Réservé."),
		waitJS(`location.search.includes("done=booked") && document.readyState === "complete"`))
}

// addRoom adds a room or equipment as c (door staff or admin), bookable
// 08:00-20:00 in slots of slot minutes, at most maxHours a member a week
// (0: no limit).
func addRoom(t *testing.T, c *client, name string, slot, maxHours int) {
	t.Helper()
	resp, _ := c.post("/resources", url.Values{"name": {name}, "opens": {"08:00"}, "closes": {"20:00"},
		"slot": {strconv.Itoa(slot)}, "max_hours": {strconv.Itoa(maxHours)}})
	mustStatus(t, resp, http.StatusSeeOther)
}

// aliceAtRoom: Alice with her personal link at, a meeting room of
// 30-minute slots, and the free slots of 27 November on her booking page
// (start, end), three at least.
func aliceAtRoom(t *testing.T) (e *env, c *community, at string, alice *client, slots [][]string) {
	t.Helper()
	e = newEnv(t)
	c = newCommunity(t, e)
	_, at = c.member("Alice Martin", "")
	addRoom(t, e.as(D), "Salle de réunion", 30, 0)
	alice = e.client()
	_, body := alice.get("/m/" + at + "/book?day=2026-11-27")
	slots = regexp.MustCompile(`name="start" value="(\d+)"><input type="hidden" name="end" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	if len(slots) < 3 {
		t.Fatalf("%d free slots", len(slots))
	}
	return e, c, at, alice, slots
}

// TestBookTwice: a double tap on "Réserver" posts the slot twice. The
// second post finds the slot hers and says it is booked (303), not "this
// slot is already booked"; someone else's slot is still refused (her
// grid says it is taken).
func TestBookTwice(t *testing.T) {
	e, c, at, alice, form := aliceAtRoom(t)
	var resp *http.Response
	var body string
	slot := func(i int) url.Values {
		return url.Values{"resource": {"1"}, "start": {form[i][1]}, "end": {form[i][2]}}
	}
	var locs []string
	for range 2 {
		resp, _ = alice.post("/m/"+at+"/book", slot(2))
		mustStatus(t, resp, http.StatusSeeOther)
		locs = append(locs, resp.Header.Get("Location"))
	}
	if locs[0] != locs[1] || !strings.HasSuffix(locs[1], "done=booked") {
		t.Errorf("booked twice: %q", locs)
	}
	_, body = alice.get(locs[1])
	mustContain(t, body, "À moi · Annuler")
	if n := strings.Count(body, "À moi · Annuler"); n != 1 {
		t.Errorf("%d bookings of hers after a double tap, want 1", n)
	}
	// The slot next to hers, booked by Bob, is still refused to her.
	_, bt := c.member("Bob Durand", "")
	bob := e.client()
	bob.get("/m/" + bt + "/book?day=2026-11-27")
	resp, _ = bob.post("/m/"+bt+"/book", slot(3))
	mustStatus(t, resp, http.StatusSeeOther)
	alice.get("/m/" + at + "/book?day=2026-11-27")
	resp, _ = alice.post("/m/"+at+"/book", slot(3))
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "refused=taken") {
		t.Errorf("Bob's slot booked by Alice: %q", loc)
	}
	_, body = alice.get(resp.Header.Get("Location"))
	mustContain(t, body, "Quelqu’un d’autre vient de réserver ce créneau")
	if n := strings.Count(body, "À moi · Annuler"); n != 1 {
		t.Errorf("%d bookings of hers after Bob's slot was refused, want 1", n)
	}
}

// TestBookCancelAsks: cancelling one of her bookings asks first, as
// cancelling a registration does: "À moi · Annuler" opens a question
// that names the slot, and only its "Oui, annuler ma réservation" posts.
// Opening the cancel address (a GET, a link followed) changes nothing.
func TestBookCancelAsks(t *testing.T) {
	_, _, at, alice, form := aliceAtRoom(t)
	resp, _ := alice.post("/m/"+at+"/book", url.Values{"resource": {"1"}, "start": {form[2][1]}, "end": {form[2][2]}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body := alice.get("/m/" + at + "/book?day=2026-11-27")
	asks := regexp.MustCompile(`<details class="confirm"><summary class="button secondary">À moi · Annuler</summary>\s*` +
		`<div class="confirm-box"><p>Annuler votre réservation de 09:00 à 09:30\x{00a0}\? Le créneau redeviendra libre pour les autres\.</p>\s*` +
		`<form method="post" action="/m/` + at + `/book/1/cancel">.*?<button type="submit" class="danger">Oui, annuler ma réservation</button></form></div></details>`)
	if !asks.MatchString(body) {
		t.Fatalf("cancelling her booking does not ask first:\n%s", body)
	}
	alice.get("/lang/en")
	_, body = alice.get("/m/" + at + "/book?day=2026-11-27")
	mustContain(t, body, "Cancel your booking from 09:00 to 09:30? The slot will be free for others again.", "Yes, cancel my booking")
	alice.get("/lang/fr")

	// A GET of the cancel address changes nothing.
	if resp, _ := alice.get("/m/" + at + "/book/1/cancel"); strings.Contains(resp.Header.Get("Location"), "booking_cancelled") {
		t.Errorf("GET of the cancel address says it cancelled: %q", resp.Header.Get("Location"))
	}
	_, body = alice.get("/m/" + at + "/book?day=2026-11-27")
	mustContain(t, body, "À moi · Annuler")
	// The answer to the question cancels.
	resp, _ = alice.post("/m/"+at+"/book/1/cancel", url.Values{"back": {"?resource=1&day=2026-11-27"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = alice.get("/m/" + at + "/book?day=2026-11-27")
	if strings.Contains(body, "À moi · Annuler") {
		t.Error("her booking is still there after she said yes")
	}
}
