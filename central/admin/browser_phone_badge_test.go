package admin_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// cachesCount is a condition for waitJS: the page's origin keeps n
// caches (the service workers' copies). caches.keys() answers later:
// each try asks again and reads the answer of the one before.
func cachesCount(n int) string {
	return `(caches.keys().then(k => { window.__caches = k.length }), window.__caches === ` + strconv.Itoa(n) + `)`
}

// TestBrowserPhoneBadgeAfterNewLink: in Chromium, the phone badge's page
// shows a code and its service worker keeps the page and the codes. Her
// link replaced, the same page, opened with network, says the badge no
// longer works and the copies are gone; opened without network, it shows
// no code (it showed the old ones, as if they still worked).
func TestBrowserPhoneBadgeAfterNewLink(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(time.Now()) // the phone draws the code of its own clock's time
	alice, old := aliceWithLink(t, e)
	phone, err := e.badges.IssuePhoneBadge(e.ctx(), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	saved := e.ts.URL + "/m/" + old + "/phone/" + strconv.FormatInt(phone.ID, 10) + "/"
	ctx := browser(t)
	mustDo(t, ctx, "the phone badge", chromedp.EmulateViewport(390, 844), chromedp.Navigate(saved),
		waitJS(`document.getElementById("phone-code").hasAttribute("data-window")`),
		waitJS(`navigator.serviceWorker.controller !== null`), waitJS(cachesCount(1)))

	if _, _, err := e.store.CreateMemberLink(e.ctx(), alice.ID); err != nil {
		t.Fatal(err)
	}
	mustDo(t, ctx, "the saved badge, her link replaced", chromedp.Navigate(saved),
		waitText("Ce badge de téléphone ne marche plus"), waitJS(cachesCount(0)))
	if text := bodyText(t, ctx); !strings.Contains(text, "Retrouver mon lien") {
		t.Errorf("the saved badge of a replaced link:\n%s", text)
	}

	// Without network: no code.
	e.ts.Close()
	_ = chromedp.Do(ctx, chromedp.Navigate(saved)) // fails: nothing to show
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("phone-code") !== null`))
	if err != nil || shown {
		t.Errorf("offline, the saved badge of a replaced link shows its old page (%v)", err)
	}
}
