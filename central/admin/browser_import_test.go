package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
)

// importFile has two lines refused: an address that is not one, and a
// line without a name.
const importFile = "name,email\nAlice Martin,a@example.org\nZoé Petit,pas-un-email\n,b.roux@example.org\n"

// TestImportRefusedLineShowsWhatWasTyped: a refused line of the import's
// preview showed its number and why, its name and address cells empty:
// the volunteer could not tell which line of her spreadsheet to correct.
// It shows what the line says, as a line to import does.
func TestImportRefusedLineShowsWhatWasTyped(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleDoor)
	resp, body := c.post("/members/import", url.Values{"action": {"preview"}, "text": {importFile}})
	mustStatus(t, resp, http.StatusOK)
	for _, row := range []string{
		`<tr><td class="num">2</td><td>Alice Martin</td><td>a@example.org</td>`,
		`<tr class="bad"><td class="num">3</td><td>Zoé Petit</td><td>pas-un-email</td><td><span class="neg">Adresse e-mail invalide`,
		`<tr class="bad"><td class="num">4</td><td></td><td>b.roux@example.org</td><td><span class="neg">Le nom du membre est obligatoire.`,
	} {
		if !strings.Contains(body, row) {
			t.Errorf("the preview lacks the row %s", row)
		}
	}
	// One line to add: the button said « Ajouter les 1 membres ».
	if !strings.Contains(body, ">Ajouter 1 membre</button>") {
		t.Errorf("the button for one member to add is not « Ajouter 1 membre »")
	}
}

// TestBrowserPhoneImportPreview: on a 390 px phone, the preview's
// « Annuler » was a bare link 19 px high beside « Importer »; it is a
// button as tall as it (44 px at least), both within the screen, and
// the refused line shows the name typed on it.
func TestBrowserPhoneImportPreview(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute)
	e := newEnv(t)
	setSession(t, ctx, e, e.as(central.RoleDoor))
	shots := newShots(t, ctx)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	mustDo(t, ctx, "the import form", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+"/members/import"),
		chromedp.WaitVisible(css("#text")), chromedp.SetValue(css("#text"), importFile),
		chromedp.Click(css(`main form button[type=submit]`)), chromedp.WaitVisible(css(`main table`)))
	shots.now("import-preview")
	text := bodyText(t, ctx)
	for _, w := range []string{"Membres à ajouter\u00a0: 1. Lignes ignorées\u00a0: 2.", "Zoé Petit", "pas-un-email", "b.roux@example.org"} {
		if !strings.Contains(text, w) {
			t.Errorf("the preview lacks %q:\n%s", w, text)
		}
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const box = e => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height), r.left >= 0 && r.right <= document.documentElement.clientWidth].join(' '); };
		const cancel = [...document.querySelectorAll('main a')].find(a => a.textContent.trim() === 'Annuler');
		return cancel ? box(cancel) + ' / ' + box(document.querySelector('main form button[type=submit]')) : 'none';
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	var cw, ch, bw, bh int
	var cin, bin bool
	if _, err := fmt.Sscanf(got, "%d %d %t / %d %d %t", &cw, &ch, &cin, &bw, &bh, &bin); err != nil {
		t.Fatalf("« Annuler » and « Importer »: %q (%v)", got, err)
	}
	if ch < 44 || cw < 44 || !cin {
		t.Errorf("« Annuler » is %d × %d px (within the screen: %t), want 44 px at least, on the screen", cw, ch, cin)
	}
	if bh < 44 || !bin {
		t.Errorf("« Importer » is %d × %d px (within the screen: %t)", bw, bh, bin)
	}
	if wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || wide > 390 {
		t.Errorf("the preview is %d px wide (%v), the phone 390", wide, err)
	}
}
