package admin_test

import (
	"crypto/ed25519"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// TestBrowserEventTicket (issue 15): on her phone in a real Chromium
// (390 px: no sideways scroll, French), someone registered who is not a
// member opens her registration's page (the link of her mail): her
// ticket's QR code, its download (a 44 px target) and how to use it,
// above the button that cancels her registration.
func TestBrowserEventTicket(t *testing.T) {
	ctx := browser(t)
	tk := &realTickets{key: ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))}
	e := newEnv(t, func(c *admin.Config) { c.PublicURL = "https://badges.example.org"; c.Tickets = tk })
	tk.e = e
	ev := &central.CalendarEvent{Title: "Atelier compta", Start: e.clock.Now().Add(48 * time.Hour), End: e.clock.Now().Add(50 * time.Hour),
		Capacity: 20, Public: true}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
		t.Fatal(err)
	}
	r := &central.Registration{Event: ev.ID, Name: "Léa Invitée-Avec-Un-Très-Long-Nom", Email: "lea@example.net"}
	if err := e.cfg.Calendar.Register(e.ctx(), r); err != nil {
		t.Fatal(err)
	}
	link, err := e.srv.CancelURL(e.ctx(), ev, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, ctx, "her registration's page", chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.ts.URL+linkPath(t, link)), chromedp.WaitVisible(chromedp.CSS("#ticket-download")))
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("%v px wide at 390 px", w)
	}
	text := bodyText(t, ctx)
	for _, want := range []string{"Votre billet", "Télécharger le billet (PNG)", "30 minutes avant le début", "Oui, annuler mon inscription"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q:\n%s", want, text)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg.qr').length`)); n != 1 {
		t.Errorf("%d QR codes on the page, want her ticket's", n)
	}
	if h, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('#ticket-download').getBoundingClientRect().height`)); h < 44 {
		t.Errorf("the download is %v px high, want 44 at least", h)
	}
}
