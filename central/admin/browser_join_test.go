package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// TestBrowserJoin: a newcomer joins on her phone in a real Chromium
// (390 px: no sideways scroll, tap targets of 44 px at least, French):
// she fills the form, consents, confirms the address from the mail's
// link; the honeypot stays out of sight; the bureau accepts her.
func TestBrowserJoin(t *testing.T) {
	ctx := browser(t)
	e, m, _, sub := joinEnv(t)
	u := e.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	phoneChecks := func(what string) { t.Helper(); checkPhonePage(t, ctx, what) }
	mustDo(t, ctx, "join page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/join"), chromedp.WaitVisible(css("#name")))
	phoneChecks("join page")
	text := bodyText(t, ctx)
	for _, want := range []string{"Adhérer", "La Ruche garde vos données pour vos entrées.", "Abonnement mensuel", "J’ai lu et j’accepte"} {
		if !strings.Contains(text, want) {
			t.Errorf("join page lacks %q:\n%s", want, text)
		}
	}
	// The honeypot is off screen and hidden from screen readers.
	if off, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const h = document.querySelector('.hp');
		return h.getBoundingClientRect().right <= 0 && h.getAttribute('aria-hidden') === 'true'; })()`)); !off {
		t.Errorf("the honeypot is in sight")
	}
	mustDo(t, ctx, "fill in and send",
		chromedp.SendKeys(css("#name"), "Chloé Petit"),
		chromedp.SendKeys(css("#email"), "chloe@example.org"),
		chromedp.SendKeys(css("#phone"), "06 12 34 56 78"),
		chromedp.Click(css("#product-"+fmtInt(sub.ID))),
		chromedp.Click(css("#consent")),
		chromedp.Click(css(`#join-form button[type=submit]`)),
		chromedp.WaitVisible(css("#join-sent")))
	j := m.of(admin.MailJoin)
	if len(j) != 1 {
		t.Fatalf("join mails %+v", j)
	}
	mustDo(t, ctx, "confirm", chromedp.Navigate(u+linkPath(t, j[0].Link)), chromedp.WaitVisible(css("main form button")))
	phoneChecks("confirmation page")
	mustDo(t, ctx, "press confirm", chromedp.Click(css("main form button")), chromedp.WaitVisible(css("#join-done")))
	mustDo(t, ctx, "lost link page", chromedp.Navigate(u+"/m"), chromedp.WaitVisible(css("#email")))
	phoneChecks("lost link page")
	mustDo(t, ctx, "password reset page", chromedp.Navigate(u+"/login/reset"), chromedp.WaitVisible(css("#email")))
	phoneChecks("password reset page")

	e.addUser("bureau@example.org", central.RoleDoor, "correct horse battery staple")
	mustDo(t, ctx, "log in",
		chromedp.Navigate(u+"/joins"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "bureau@example.org"),
		chromedp.SendKeys(css("#password"), "correct horse battery staple"),
		chromedp.Click(css(`form[action="/login"] button`)),
		chromedp.WaitVisible(css(`form[action="/joins/1/accept"]`)))
	phoneChecks("join requests")
	mustDo(t, ctx, "accept", chromedp.Click(css(`form[action="/joins/1/accept"] button`)), chromedp.WaitVisible(css(".flash")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Chloé Petit") {
		t.Errorf("after accepting, not on her page:\n%s", text)
	}
	if w := m.of(admin.MailWelcome); len(w) != 1 {
		t.Errorf("welcome mails %+v", w)
	}
}

// checkPhonePage fails the test when the page shown in ctx (at 390 px)
// scrolls sideways or has a tap target (button, input, button link) under
// 44 px high; what names the page.
func checkPhonePage(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		wide, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('body *')).filter(el =>
			el.getBoundingClientRect().right > 391).map(el => el.tagName + '.' + el.className + '#' + el.id + ' ' + el.getBoundingClientRect().right)`))
		t.Errorf("%s: %v px wide at 390 px: sideways scroll (%v)", what, w, wide)
	}
	small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(
		'main button, main input:not([type=hidden]), main a.button')).filter(el => {
			if (el.closest('.hp')) return false;
			const r = el.getBoundingClientRect();
			return r.height < 44 && !(el.type === 'checkbox' || el.type === 'radio');
		}).map(el => (el.id || el.name || el.textContent) + ' ' + el.getBoundingClientRect().height)`))
	if err != nil {
		t.Fatal(err)
	}
	if len(small) > 0 {
		t.Errorf("%s: tap targets under 44 px: %v", what, small)
	}
}
