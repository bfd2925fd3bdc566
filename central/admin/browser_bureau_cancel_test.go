package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestBrowserBureauCancelsBooking: on a 390 px phone, door staff find a
// member's booking under its room on /resources, within the screen, its
// « Annuler » and the confirmation's button 44 px; « Annuler » asks first
// (no script: a details), « Annuler la réservation » cancels it and says
// « Réservation annulée. ».
func TestBrowserBureauCancelsBooking(t *testing.T) {
	if testing.Short() {
		t.Skip("browser")
	}
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, _ := c.member("Alice Martin", "alice@example.org")
	door := e.as(D)
	addRoom(t, door, "Salle de réunion", 60, 0)
	paris, _ := time.LoadLocation("Europe/Paris")
	at14 := time.Date(2026, 11, 27, 14, 0, 0, 0, paris)
	hers := &central.Booking{Resource: 1, Member: alice, Start: at14, End: at14.Add(time.Hour)}
	if err := e.cfg.Bookings.Book(e.ctx(), hers); err != nil {
		t.Fatal(err)
	}
	ctx := browserFor(t, 2*time.Minute)
	setSession(t, ctx, e, door)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	phone := func(what string) {
		t.Helper()
		if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("%s: %v px wide at 390 px", what, w)
		}
		small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.booked button, .booked summary')].filter(e => e.checkVisibility() && (e.getBoundingClientRect().height < 44 || e.getBoundingClientRect().width < 44)).map(e => e.textContent.trim()).join(', ')`))
		if small != "" {
			t.Errorf("%s: tap targets under 44 px: %s", what, small)
		}
	}
	mustDo(t, ctx, "/resources", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+"/resources"),
		chromedp.WaitVisible(css(".booked summary")))
	phone("the list")
	if text := bodyText(t, ctx); !strings.Contains(text, "Réservations à venir") || !strings.Contains(text, "Alice Martin · 27/11/2026 14:00 – 15:00") {
		t.Errorf("the room's bookings:\n%s", text)
	}
	if vis, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('.booked button.danger').checkVisibility()`)); vis {
		t.Error("the booking can be cancelled without being asked first")
	}
	mustDo(t, ctx, "ask", chromedp.Click(css(".booked summary")), chromedp.WaitVisible(css(".booked button.danger")))
	phone("the question")
	if text := bodyText(t, ctx); !strings.Contains(text, "Annuler la réservation d’Alice Martin, le 27/11/2026 14:00 – 15:00\u00a0?") {
		t.Errorf("the question:\n%s", text)
	}
	mustDo(t, ctx, "yes", chromedp.Click(css(".booked button.danger")), waitText("Réservation annulée."))
	if text := bodyText(t, ctx); strings.Contains(text, "Alice Martin · 27/11/2026") {
		t.Errorf("after cancelling, still listed:\n%s", text)
	}
	if bs, _ := e.cfg.Bookings.FindBookings(e.ctx(), central.BookingFilter{Member: &alice}); len(bs) != 0 {
		t.Errorf("her bookings after the bureau cancelled: %+v", bs)
	}
}
