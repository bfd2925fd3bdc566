package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestBrowserEventStartPast: on a 390 px phone, the bureau types a new
// event with last year's date: the page that answers opens at the
// mistake under the start, with the box « Oui, cette date est passée »
// (44 px high, no sideways scroll) and what was typed still there;
// ticked, the event is created and its page opens.
func TestBrowserEventStartPast(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute)
	e := newEnv(t) // 26 November 2026
	e.addUser("bureau@example.org", central.RoleAdmin, "correct horse battery staple")
	sh := newShots(t, ctx)
	u := e.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	mustDo(t, ctx, "log in", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/events"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "bureau@example.org"),
		chromedp.SendKeys(css("#password"), "correct horse battery staple"),
		chromedp.Click(css(`form[action="/login"] button`)),
		chromedp.WaitVisible(css("#etitle")))
	mustDo(t, ctx, "a new event, last year",
		chromedp.SendKeys(css("#etitle"), "Atelier compta"),
		chromedp.SetValue(css("#estart"), "2025-12-03T18:00"),
		chromedp.SetValue(css("#eend"), "2025-12-03T20:00"),
		chromedp.SetValue(css("#ecap"), "12"),
		chromedp.Click(css(`form[action^="/events"] button[type=submit]`)),
		chromedp.WaitVisible(css("#estart-error")))
	sh.now("event-start-past")
	checkPhonePage(t, ctx, "the refused event")
	inView, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.getElementById('estart-error').getBoundingClientRect();
		return r.top >= 0 && r.bottom <= innerHeight })()`))
	if !inView {
		t.Error("the page that says the mistake does not show it on the phone's screen")
	}
	box, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('input[name=past]').closest('label').getBoundingClientRect().height`))
	if box < 44 {
		t.Errorf("the box « Oui, cette date est passée » is %.0f px high, want 44 at least", box)
	}
	if text := bodyText(t, ctx); !strings.Contains(text, "Ce début (03/12/2025 18:00) est déjà passé") || !strings.Contains(text, "Oui, cette date est passée") {
		t.Errorf("the refused event:\n%s", text)
	}
	if title, _ := chromedp.Run(ctx, chromedp.Value(css("#etitle"))); title != "Atelier compta" {
		t.Errorf("the title typed is lost: %q", title)
	}
	mustDo(t, ctx, "the box ticked", chromedp.Click(css(`input[name=past]`)),
		chromedp.Click(css(`form[action^="/events"] button[type=submit]`)), waitText("Inscrits\u00a0: 0 sur 12 places"))
	sh.now("event-start-past-created")
}
