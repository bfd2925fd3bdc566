package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
)

// TestBrowserSettings: on a 390 px phone, the first-run hint of the login
// page, the settings pages (settings, Slack, billing as an administrator)
// and the other forms never scroll sideways; a duration is set as a
// number of hours and a billing choice from its list.
func TestBrowserSettings(t *testing.T) {
	ctx := browser(t)
	b := newBillingEnv(t)
	sh := newShots(t, ctx)
	u := b.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	narrow := func(what string) {
		t.Helper()
		if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8).join(' ')`))
			t.Errorf("%s is %.0f px wide on a 390 px phone: %s", what, w, wide)
		}
	}

	// No account yet: the login page says how to make one.
	mustDo(t, ctx, "first run", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/login"), chromedp.WaitVisible(css("#first-run")))
	if text := bodyText(t, ctx); !strings.Contains(text, "centrald admin add --data DIR --email EMAIL") {
		t.Errorf("first-run hint:\n%s", text)
	}
	narrow("/login (first run)")
	sh.take("login-first-run", false)

	b.addUser("bureau@example.org", central.RoleAdmin, "correct horse battery staple")
	mustDo(t, ctx, "log in", chromedp.EmulateViewport(390, 844), // the screenshots left a desktop
		chromedp.Navigate(u+"/settings"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "bureau@example.org"),
		chromedp.SendKeys(css("#password"), "correct horse battery staple"),
		chromedp.Click(css(`form[action="/login"] button`)),
		chromedp.WaitVisible(css(`a[href="/billing"]`)))
	for _, p := range []struct{ path, sel string }{
		{"/settings", "#uemail"},
		{"/settings/slack", `input[name="s.slack.token"]`},
		{"/billing", `input[name="s.helloasso.client_id"]`},
		{"/members/new", "#name"},
		{"/members/import", `form[action="/members/import"]`},
		{"/export", "ul.exports"},
		{"/audit", "ol.journal"},
		{"/payments", "#recent"},
	} {
		mustDo(t, ctx, p.path, chromedp.Navigate(u+p.path), chromedp.WaitVisible(css(p.sel)))
		narrow(p.path)
		if name, ok := map[string]string{"/billing": "billing-admin", "/settings/slack": "slack", "/audit": "audit-settings",
			"/members/new": "member-new", "/members/import": "import", "/export": "export", "/payments": "payments-admin"}[p.path]; ok {
			sh.take(name, false)
			mustDo(t, ctx, "phone again", chromedp.EmulateViewport(390, 844))
		}
	}

	// Kiosks trusted for 36 hours, chosen as a number and a unit.
	mustDo(t, ctx, "duration",
		chromedp.Navigate(u+"/settings"), chromedp.WaitVisible(css(`input[name="s.kiosk.stale_after"]`)),
		chromedp.SetValue(css(`input[name="s.kiosk.stale_after"]`), "36"),
		chromedp.SetValue(css(`select[name="u.kiosk.stale_after"]`), "h"),
		chromedp.Click(css(`form:has(input[name="s.kiosk.stale_after"]) button[type=submit]`)),
		waitText("Réglages enregistrés."))
	set, err := b.settings.Settings(b.ctx())
	if err != nil {
		t.Fatal(err)
	}
	if v := set.Get(central.SettingStaleAfter); v != "36h0m0s" {
		t.Errorf("kiosk.stale_after %q, want 36h0m0s", v)
	}
	sh.take("settings-saved", false)

	// Invoices finalized, chosen from the list of the Pennylane part.
	mustDo(t, ctx, "billing choice",
		chromedp.Navigate(u+"/billing"), chromedp.WaitVisible(css(`select[name="s.pennylane.finalize"]`)),
		chromedp.SetValue(css(`select[name="s.pennylane.finalize"]`), "true"),
		chromedp.Click(css(`#settings-pennylane button[type=submit]`)),
		waitText("Réglages de facturation enregistrés."))
	if set, _ := b.settings.Settings(b.ctx()); !billing.PennylaneFrom(set).Finalize {
		t.Error("pennylane.finalize not set")
	}
	if set, _ := b.settings.Settings(b.ctx()); billing.PennylaneFrom(set).Token != b.pl.Token || billing.HelloAssoFrom(set).ClientSecret != b.ha.ClientSecret {
		t.Error("saving the Pennylane part changed a secret")
	}
}
