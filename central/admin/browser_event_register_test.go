package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central/admin"
)

// TestBrowserEventRegister: someone registers for a public event on her
// phone in a real Chromium (390 px: no sideways scroll, tap targets of
// 44 px at least, French): she fills the event's form, is told a mail is
// on its way, opens its link, presses its button, and the event's page
// says her place is confirmed.
func TestBrowserEventRegister(t *testing.T) {
	ctx := browser(t)
	e, m := newMailEnv(t)
	ev := newEvent(t, e, "Atelier compta", 20, true)
	u, page := e.ts.URL, "/e/"+fmtInt(ev.ID)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	shots := newShots(t, ctx)
	mustDo(t, ctx, "event page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+page), chromedp.WaitVisible(css("#name")))
	checkPhonePage(t, ctx, "event page")
	shots.now("event-register-form")
	if text := bodyText(t, ctx); !strings.Contains(text, "votre place n’est prise qu’une fois ce lien ouvert") {
		t.Errorf("the event's page does not say a link is mailed first:\n%s", text)
	}
	mustDo(t, ctx, "fill in and send",
		chromedp.SendKeys(css("#name"), "Chloé Petit"),
		chromedp.SendKeys(css("#email"), "chloe@example.org"),
		chromedp.Click(css(`#event-form button[type=submit]`)),
		chromedp.WaitNotPresent(css("#event-form")))
	shots.now("event-register-mailed")
	if text := bodyText(t, ctx); !strings.Contains(text, "un e-mail vient de partir") || !strings.Contains(text, "20 places libres sur 20") {
		t.Errorf("after the form:\n%s", text)
	}
	links := m.of(admin.MailEventRegister)
	if len(links) != 1 {
		t.Fatalf("links mailed %+v", links)
	}
	mustDo(t, ctx, "her link", chromedp.Navigate(u+linkPath(t, links[0].Link)), chromedp.WaitVisible(css("#confirm")))
	checkPhonePage(t, ctx, "confirmation page")
	shots.now("event-register-confirm")
	if text := bodyText(t, ctx); !strings.Contains(text, "Inscription au nom de Chloé Petit (chloe@example.org).") {
		t.Errorf("confirmation page:\n%s", text)
	}
	mustDo(t, ctx, "press confirm", chromedp.Click(css("#confirm")), chromedp.WaitNotPresent(css("#confirm")))
	checkPhonePage(t, ctx, "the event's page after her link")
	shots.now("event-register-done")
	if text := bodyText(t, ctx); !strings.Contains(text, "votre place est confirmée") || !strings.Contains(text, "19 places libres sur 20") {
		t.Errorf("after her link:\n%s", text)
	}
}
