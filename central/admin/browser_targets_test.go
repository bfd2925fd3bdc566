package admin_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestBrowserTapTargets walks every page of the admin's menu as an
// administrator, in a real Chromium at phone size (390 px), in French
// and English, with some data on them (a member with a card and entries,
// another in the directory): no page scrolls sideways, and every link,
// button, field and summary a finger must hit is at least 44 px tall,
// except links inside a sentence (a paragraph, a definition, a small
// note), which WCAG exempts. A review at the door found the directory's
// names (21 px) and the exports' CSV links (19 px) too small.
func TestBrowserTapTargets(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	seed(t, e)
	c := newCommunity(t, e)
	_, ht := c.member("Hélène Dupré", "helene@example.org")
	choose(t, e.client(), ht, url.Values{"directory": {"1"}, "about": {"Expert-comptable"}, "skills": {"Comptabilité"}, "contact": {"email"}})
	e.addUser("bureau@example.org", central.RoleAdmin, "correct horse battery staple")
	u := e.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	mustDo(t, ctx, "log in", chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(u+"/today"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "bureau@example.org"),
		chromedp.SendKeys(css("#password"), "correct horse battery staple"),
		chromedp.Click(css(`form[action="/login"] button`)),
		chromedp.WaitReady(css("#menu a[href=\"/members\"]")))
	menu, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#menu a[href^="/"]')].map(a => a.getAttribute('href'))`))
	if err != nil || len(menu) < 8 {
		t.Fatalf("the menu's pages: %v %v", menu, err)
	}
	pages := append(menu, "/members/1", "/members/new")
	for _, lang := range []string{"fr", "en"} {
		mustDo(t, ctx, "language "+lang, chromedp.Navigate(u+"/lang/"+lang+"?next=/today"), chromedp.WaitVisible(css("main")))
		for _, p := range pages {
			if strings.HasPrefix(p, "/lang/") || p == "/logout" {
				continue
			}
			mustDo(t, ctx, p, chromedp.Navigate(u+p), chromedp.WaitVisible(css("main")))
			if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
				t.Errorf("%s (%s) is %.0f px wide on a 390 px phone", p, lang, w)
			}
			small, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(
				'main a, main button, main summary, main select, main input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
				.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44 && !e.closest('p, dd, small'))
				.map(e => e.tagName.toLowerCase() + ' "' + (e.textContent.trim() || e.name || e.id).slice(0, 30) + '" ' + Math.round(e.getBoundingClientRect().height) + ' px')
				.join(', ')`))
			if err != nil {
				t.Fatal(err)
			}
			if small != "" {
				t.Errorf("%s (%s): tap targets under 44 px: %s", p, lang, small)
			}
		}
	}
}
