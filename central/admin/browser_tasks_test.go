package admin_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// TestBrowserPhoneTasks does, on a 390 × 844 phone, what issue 18 says a
// volunteer must manage without help: add a member, sell her a card
// (after the confirmation page), print her badge, hand her link as a QR
// code, refund a sale after confirming, change the opening hours with
// boxes and times, find this month's entries and their export, read the
// statistics, see the kiosks and read the journal in sentences. Each step
// is checked; a screen of each is saved (phone-*.png), in
// BADGEUSE_SCREENSHOTS too when set (`make screenshots`: deploy/screenshots,
// shown in the README).
func TestBrowserPhoneTasks(t *testing.T) {
	ctx := browserFor(t, 3*time.Minute)
	e := newEnv(t)
	seedPhoneRules(t, e)
	setSession(t, ctx, e, e.as(central.RoleAdmin))
	sh := newShots(t, ctx)
	u := e.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	shot := func(name, sel string) {
		t.Helper()
		if sel != "" {
			mustDo(t, ctx, "scroll to "+sel, chromedp.ScrollIntoView(css(sel)), chromedp.Sleep(50*time.Millisecond))
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		for _, d := range []string{sh.artifacts, sh.docs} {
			if d != "" {
				if err := os.WriteFile(filepath.Join(d, "phone-"+name+".png"), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	has := func(what string, wants ...string) {
		t.Helper()
		text := bodyText(t, ctx)
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the page lacks %q:\n%s", what, w, text)
			}
		}
	}

	// 1. Add a member.
	mustDo(t, ctx, "new member", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/members/new"), chromedp.WaitVisible(css("#name")),
		chromedp.SendKeys(css("#name"), "Inès Leroy"), chromedp.SendKeys(css("#email"), "ines@example.org"),
		chromedp.Click(css(`form[action="/members"] button[type=submit]`)), chromedp.WaitVisible(css("#standing")))
	has("member added", "Inès Leroy", "Rien en cours", "Vendre", "Badges", "Lien personnel")
	shot("1-member", "")
	page, err := chromedp.Run(ctx, chromedp.Location()) // her page, /members/ID (the seed's network has made others)
	if err != nil {
		t.Fatal(err)
	}

	// 2. Sell her a 10-entry card: the confirmation says what happens.
	mustDo(t, ctx, "sell", chromedp.Click(css(`a[href="#sell"]`)), chromedp.WaitVisible(css("#product")))
	// The card by its name, as a volunteer picks it (the list holds the
	// network's products too).
	card, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('#product option')].find(o => o.text.startsWith('Carnet 10 entrées')).value`))
	if err != nil {
		t.Fatalf("the card in the product list: %v", err)
	}
	mustDo(t, ctx, "sell the card", chromedp.SetValue(css("#product"), card),
		chromedp.Click(css(`form[action$="/sales"] button[type=submit]`)), waitText("Confirmer la vente"))
	has("sale confirmation", "Vendre «\u00a0Carnet 10 entrées\u00a0» à Inès Leroy pour 80,00\u00a0€\u00a0?", "10 entrées de plus")
	shot("2-sale-confirm", "")
	mustDo(t, ctx, "confirm the sale", chromedp.Click(css(`form[action$="/sales"] button[type=submit]`)), waitText("Vente enregistrée"))
	has("sold", "carnet\u00a0: 10 entrées restantes")

	// 3. Her badge, ready to print, once.
	mustDo(t, ctx, "badge", chromedp.Click(css(`form[action$="/badges"] button`)), chromedp.WaitVisible(css(".badge-card svg")))
	has("badge", "C’est son premier badge valable.", "Imprimer")
	shot("3-badge", "")
	mustDo(t, ctx, "reload the badge", chromedp.Reload())
	has("badge reloaded", "Déjà affiché", "Réafficher pour réimprimer")

	// 4. Her personal link, as a QR code to show her.
	mustDo(t, ctx, "link", chromedp.Navigate(page), chromedp.WaitVisible(css("#link")),
		chromedp.Click(css(`form[action$="/link"] button`)), chromedp.WaitVisible(css(".qr-box svg")))
	has("link", "Lien personnel — Inès Leroy")
	shot("4-link", ".qr-box")

	// 5. A refund, after reading what it does.
	mustDo(t, ctx, "refund", chromedp.Navigate(page), chromedp.WaitVisible(css("#sales")),
		chromedp.Click(css(`#sales ~ div details.confirm summary, section[aria-labelledby=sales] details.confirm summary`)),
		chromedp.WaitVisible(css(`form[action$="/refund"] button`)))
	has("refund confirmation", "Rembourser la vente «\u00a0Carnet 10 entrées\u00a0» de 80,00\u00a0€", "L’argent n’est pas rendu par Badgeuse")
	shot("5-refund-confirm", `form[action$="/refund"]`)
	mustDo(t, ctx, "confirm the refund", chromedp.Click(css(`form[action$="/refund"] button`)), waitText("Vente remboursée"))

	// 6. Opening hours: boxes and times.
	mustDo(t, ctx, "hours", chromedp.Navigate(u+"/settings"), chromedp.WaitVisible(css("fieldset.hours")))
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		mustDo(t, ctx, d, chromedp.Click(css("#s-space\\.hours-"+d)),
			chromedp.SetValue(css("#s-space\\.hours-"+d+"-from"), "08:30"), chromedp.SetValue(css("#s-space\\.hours-"+d+"-to"), "19:00"))
	}
	shot("6-hours", "fieldset.hours")
	mustDo(t, ctx, "save hours", chromedp.Click(css(`form:has(fieldset.hours) button[type=submit]`)), waitText("Réglages enregistrés"))
	if st, _ := e.settings.Settings(e.ctx()); st[central.SettingHours] != "mon 08:30-19:00; tue 08:30-19:00; wed 08:30-19:00; thu 08:30-19:00; fri 08:30-19:00" {
		t.Errorf("hours stored %q", st[central.SettingHours])
	}

	// 7. This month's entries, and their export for Excel.
	mustDo(t, ctx, "entries", chromedp.Navigate(u+"/entries"), chromedp.WaitVisible(css("table.entries")))
	has("entries", "Alice Martin", "Exporter")
	shot("7-entries", "")
	head, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/entries.csv').then(r => r.arrayBuffer()).then(b => Array.from(new Uint8Array(b.slice(0, 4))).join(","))`, chromedp.EvalAwaitPromise))
	if err != nil || head != "239,187,191,78" { // UTF-8's BOM, then "N°…"
		t.Errorf("entries.csv for Excel starts with bytes %q (%v), want the BOM", head, err)
	}

	// 8. The statistics.
	mustDo(t, ctx, "stats", chromedp.Navigate(u+"/stats"), chromedp.WaitVisible(css(".chart svg")))
	shot("8-stats", "")

	// 9. The kiosks.
	mustDo(t, ctx, "kiosks", chromedp.Navigate(u+"/kiosks"), chromedp.WaitVisible(css("#kiosk-1")))
	shot("9-kiosks", "")

	// 10. The journal, in sentences.
	mustDo(t, ctx, "journal", chromedp.Navigate(u+"/audit"), chromedp.WaitVisible(css("ol.journal")))
	has("journal", "a changé le réglage «\u00a0Horaires d’ouverture\u00a0»", "lundi 08:30–19:00",
		"a remboursé la vente n°", "a vendu «\u00a0Carnet 10 entrées\u00a0» à Inès Leroy pour 80,00\u00a0€")
	if text := bodyText(t, ctx); strings.Contains(text, "member:") || strings.Contains(text, "sale.create") {
		t.Errorf("the journal shows codes:\n%s", text)
	}
	shot("10-journal", "")
}
