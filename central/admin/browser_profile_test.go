package admin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserProfileRefused: on a 390 px phone, a member fills in her
// directory profile, chooses the phone and forgets the number: the page
// that answers opens at the mistake, next to the number's field, with
// what she wrote still there; corrected, it is saved and the page opens
// at its top, where "Vos choix sont enregistrés." is.
func TestBrowserProfileRefused(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute)
	e := newEnv(t)
	c := newCommunity(t, e)
	sh := newShots(t, ctx)
	_, token := c.member("Zoé Retrait", "zoe@example.org")
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	mustDo(t, ctx, "her directory tab", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+"/m/"+token+"/directory"),
		chromedp.WaitVisible(css("#profile-form")))
	mustDo(t, ctx, "her profile, the phone without its number",
		chromedp.Click(css(`input[name=directory]`)),
		chromedp.SendKeys(css("#about"), "Graphiste et monteuse"),
		chromedp.SendKeys(css("#skills"), "Illustration, Vidéo"),
		chromedp.Click(css(`input[name=contact][value=phone]`)),
		chromedp.Click(css(`#profile-form button[type=submit]`)),
		chromedp.WaitVisible(css("#profile-error")))
	sh.now("profile-refused")
	inView, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const r = document.getElementById('profile-error').getBoundingClientRect();
		const f = document.getElementById('contact_value').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && f.top >= 0 && f.bottom <= innerHeight })()`))
	if !inView {
		t.Error("the page that says the mistake does not show it (or its field) on the phone's screen")
	}
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the refused profile's page is %.0f px wide", w)
	}
	text := bodyText(t, ctx)
	if !strings.Contains(text, "Écrivez votre numéro de téléphone, ou choisissez une autre façon de vous joindre.") || strings.Contains(text, "Oups") {
		t.Errorf("the refused profile:\n%s", text)
	}
	about, _ := chromedp.Run(ctx, chromedp.Value(css("#about")))
	skills, _ := chromedp.Run(ctx, chromedp.Value(css("#skills")))
	if about != "Graphiste et monteuse" || skills != "Illustration, Vidéo" {
		t.Errorf("what she typed is lost: about %q, skills %q", about, skills)
	}
	mustDo(t, ctx, "the number", chromedp.SendKeys(css("#contact_value"), "06 12 34 56 78"),
		chromedp.Click(css(`#profile-form button[type=submit]`)), waitText("Vos choix sont enregistrés."))
	top, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('.flash').getBoundingClientRect().top >= 0 && document.querySelector('.flash').getBoundingClientRect().bottom <= innerHeight`))
	if !top {
		t.Error("saved, the page does not show « Vos choix sont enregistrés. »")
	}
	sh.now("profile-saved")
}
