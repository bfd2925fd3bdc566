package admin_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central/admin"
)

// TestBrowserGuestInvite: on her phone in a real Chromium (390 px: no
// sideways scroll, French), a member invites a guest from her page: she
// types the name, picks the day in the date input, sends; the pass's page
// shows the QR code to forward, and she e-mails it to her guest.
func TestBrowserGuestInvite(t *testing.T) {
	ctx := browser(t)
	e, mails := newMailEnv(t)
	seed(t, e)
	door := e.as(D)
	_, body := door.follow(door.post("/members/1/link", nil))
	token := regexp.MustCompile(`/m/(bgm1_[A-Za-z0-9_-]+)`).FindStringSubmatch(body)[1]
	u := e.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	noSideways := func(what string) {
		t.Helper()
		if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
			t.Errorf("%s: %v px wide at 390 px", what, w)
		}
	}
	mustDo(t, ctx, "her page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/m/"+token), chromedp.WaitVisible(css("#guest-name")))
	noSideways("her page")
	if text := bodyText(t, ctx); !strings.Contains(text, "Il vous reste 2 invitations ce mois-ci (sur 2).") {
		t.Fatalf("her page:\n%s", text)
	}
	// The date input takes the day as a browser does (ISO value).
	mustDo(t, ctx, "invite",
		chromedp.SendKeys(css("#guest-name"), "Léa Martin"),
		chromedp.SetValue(css("#guest-day"), "2026-11-28"),
		chromedp.Click(css(`form[action$="/guests"] button[type=submit]`)),
		chromedp.WaitVisible(css("#guest-email")))
	noSideways("the pass's page")
	text := bodyText(t, ctx)
	for _, want := range []string{"Pass invité", "Léa Martin, le 28/11/2026", "Télécharger l’image", "Transférez cette image"} {
		if !strings.Contains(text, want) {
			t.Errorf("the pass's page lacks %q:\n%s", want, text)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg.qr').length`)); n != 1 {
		t.Errorf("%d QR codes on the pass's page", n)
	}
	mustDo(t, ctx, "e-mail it",
		chromedp.SendKeys(css("#guest-email"), "lea@example.org"),
		chromedp.Click(css(`form[action$="/mail"] button[type=submit]`)),
		chromedp.WaitVisible(css(".flash")))
	if sent := mails.of(admin.MailGuest); len(sent) != 1 || sent[0].To != "lea@example.org" || sent[0].Day != "2026-11-28" {
		t.Fatalf("guest mails %+v", sent)
	}
}
