package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestBrowserChequeSlipPhone: on a 390 px phone, the treasurer opens the
// day's deposit slip, which counts a cheque recorded without its bank or
// number; « Compléter » opens its two fields (44 px, no sideways scroll of
// the page), she types them, and the slip comes back complete.
func TestBrowserChequeSlipPhone(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute)
	e := newEnv(t)
	seed(t, e) // Alice (member 1), product 1, sale 1
	e.addUser("tresor@example.org", central.RoleTreasurer, "correct horse battery staple")
	tr := e.as(T)
	resp, _ := tr.post("/members/1/sales", url.Values{"product": {"1"}, "paid": {"cheque"}, "payer": {"Alice Martin"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	day := access.DayOf(e.clock.Now(), access.Paris).String()
	sh := newShots(t, ctx)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	mustDo(t, ctx, "log in", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+"/sales/deposit?day="+day),
		chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "tresor@example.org"),
		chromedp.SendKeys(css("#password"), "correct horse battery staple"),
		chromedp.Click(css(`form[action="/login"] button`)),
		chromedp.WaitVisible(css("#cheque-slip")))
	if text := bodyText(t, ctx); !strings.Contains(text, "1 chèque sans banque ou sans numéro") {
		t.Errorf("the slip does not count the incomplete cheque:\n%s", text)
	}
	mustDo(t, ctx, "open « Compléter »", chromedp.Click(css(`#cheque-slip details summary`)), chromedp.WaitVisible(css(`#bank-2`)))
	sh.now("cheque-slip-complete")
	checkPhonePage(t, ctx, "the slip with « Compléter » open")
	// The fields must be on the phone's screen, not beyond a table that
	// scrolls sideways.
	right, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`Math.max(...['#bank-2', '#cheque-2', '#cheque-slip form button'].map(s => document.querySelector(s).getBoundingClientRect().right))`))
	if right > 390 {
		t.Errorf("the cheque's fields end at %.0f px, beyond the 390 px screen", right)
	}
	mustDo(t, ctx, "complete it",
		chromedp.SendKeys(css("#bank-2"), "Crédit Mutuel"),
		chromedp.SendKeys(css("#cheque-2"), "1234567"),
		chromedp.Click(css(`#cheque-slip form button[type=submit]`)), waitText("Chèque complété."))
	if text := bodyText(t, ctx); !strings.Contains(text, "Crédit Mutuel") || strings.Contains(text, "sans banque ou sans numéro") {
		t.Errorf("after completing:\n%s", text)
	}
	sh.now("cheque-slip-completed")
}
