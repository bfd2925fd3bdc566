package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPhoneBadgeStopPhone: on a 390 px phone, each working phone
// badge on her page has « Ouvrir » (a 19 px link, « ouvrir », before)
// and « Arrêter », 44 px each, within the screen; « Arrêter » asks first,
// and « Oui, arrêter ce badge » stops that one.
func TestBrowserPhoneBadgeStopPhone(t *testing.T) {
	e := newEnv(t)
	alice, token := aliceWithLink(t, e)
	for range 2 {
		if _, err := e.badges.IssuePhoneBadge(e.ctx(), alice.ID); err != nil {
			t.Fatal(err)
		}
	}
	ctx := browser(t)
	sh := newShots(t, ctx)
	mustDo(t, ctx, "her page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+"/m/"+token),
		chromedp.WaitVisible(chromedp.CSS("#my-badges summary")))
	small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#my-badges a, #my-badges summary')].filter(e => e.offsetParent !== null && (e.getBoundingClientRect().height < 44 || e.getBoundingClientRect().width < 44)).map(e => e.textContent.trim()).join(', ')`))
	if small != "" {
		t.Errorf("tap targets under 44 px among her badges: %s", small)
	}
	mustDo(t, ctx, "ask", chromedp.Click(chromedp.CSS(`#my-badges summary`)), chromedp.WaitVisible(chromedp.CSS(`#my-badges button.danger`)))
	sh.now("phone-badge-stop-phone")
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("her page is %.0f px wide on a 390 px phone", w)
	}
	mustDo(t, ctx, "yes", chromedp.Click(chromedp.CSS(`#my-badges button.danger`)),
		waitJS(`location.search.includes("done=phone_stopped") && document.readyState === "complete"`))
	text := bodyText(t, ctx)
	if !strings.Contains(text, "Badge de téléphone arrêté") || strings.Count(text, "révoqué le") != 1 || strings.Count(text, "Arrêter") != 1 {
		t.Errorf("after stopping one of her two phone badges:\n%s", text)
	}
}
