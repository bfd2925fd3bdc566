package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMyBookingsPhone: on a 390 px phone, her Réserver tab lists
// her coming bookings above the rooms (three slots back to back in one
// line), within the screen, every button 44 px; « Annuler » asks first,
// « Oui, annuler ma réservation » cancels the three and comes back to the
// day she was looking at.
func TestBrowserMyBookingsPhone(t *testing.T) {
	e, _, at, alice, slots := aliceAtRoom(t)
	for i := 2; i <= 4; i++ {
		alice.get("/m/" + at + "/book?day=2026-11-27")
		resp, _ := alice.post("/m/"+at+"/book", url.Values{"resource": {"1"}, "start": {slots[i][1]}, "end": {slots[i][2]}})
		mustStatus(t, resp, http.StatusSeeOther)
	}
	ctx := browser(t)
	sh := newShots(t, ctx)
	mustDo(t, ctx, "her Réserver tab", chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.ts.URL+"/m/"+at+"/book?day=2026-11-30"), chromedp.WaitVisible(chromedp.CSS("#my-bookings")))
	text := bodyText(t, ctx)
	if !strings.Contains(text, "Mes réservations à venir") || !strings.Contains(text, "ven. 27/11/2026, 09:00 – 10:30") ||
		strings.Index(text, "Mes réservations à venir") > strings.Index(text, "lun. 30/11/2026") {
		t.Errorf("her bookings, above the day's slots:\n%s", text)
	}
	mustDo(t, ctx, "ask", chromedp.Click(chromedp.CSS(`#my-bookings summary`)), chromedp.WaitVisible(chromedp.CSS(`#my-bookings button.danger`)))
	sh.now("my-bookings-phone")
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("her Réserver tab is %.0f px wide on a 390 px phone", w)
	}
	small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#my-bookings a, #my-bookings button, #my-bookings summary')].filter(e => e.offsetParent !== null && (e.getBoundingClientRect().height < 44 || e.getBoundingClientRect().width < 44)).map(e => e.textContent.trim()).join(', ')`))
	if small != "" {
		t.Errorf("tap targets under 44 px in her bookings: %s", small)
	}
	if text := bodyText(t, ctx); !strings.Contains(text, "Annuler votre réservation de Salle de réunion, ven. 27/11/2026, de 09:00 à 10:30\u00a0?") {
		t.Errorf("the question:\n%s", text)
	}
	mustDo(t, ctx, "yes", chromedp.Click(chromedp.CSS(`#my-bookings button.danger`)),
		waitJS(`location.search.includes("done=booking_cancelled") && document.readyState === "complete"`))
	if loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`)); !strings.Contains(loc, "day=2026-11-30") {
		t.Errorf("after cancelling: %s, want the day she was looking at", loc)
	}
	if text := bodyText(t, ctx); strings.Contains(text, "Mes réservations à venir") || !strings.Contains(text, "Réservation annulée.") {
		t.Errorf("after cancelling:\n%s", text)
	}
	_, body := alice.get("/m/" + at + "/book?day=2026-11-27")
	if strings.Contains(body, "À moi · Annuler") {
		t.Error("a slot of hers is still booked")
	}
}
