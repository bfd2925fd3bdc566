package admin_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestBrowserPortal drives the member portal on a 390 px phone: the tabs,
// her choice to appear, who is here updated live when someone arrives,
// her directory profile and an accent-insensitive search.
func TestBrowserPortal(t *testing.T) {
	ctx := browserFor(t, 2*time.Minute) // a French member's phone
	e := newEnv(t)
	c := newCommunity(t, e)
	sh := newShots(t, ctx)
	alice, at := c.member("Alice Martin", "alice@example.org")
	bob, bt := c.member("Bob Durand", "")
	zoe, zt := c.member("Zoé Retrait", "")
	choose(t, e.client(), bt, url.Values{"presence": {"1"}, "directory": {"1"}, "skills": {"Comptabilité"}, "about": {"Trésorier"}})
	// Alice holds a 10-entry card and a printed badge, as most members do.
	pack := &central.Product{Name: "Carnet 10 entrées", Kind: access.Pack, Entries: 10, Price: 8000}
	if err := e.products.CreateProduct(e.ctx(), pack); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ledger.CreateSale(e.ctx(), central.NewSale{Member: alice, Product: pack.ID, Source: central.SourceAdmin}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.badges.IssueBadge(e.ctx(), alice, false); err != nil {
		t.Fatal(err)
	}
	c.arrive(alice, e.clock.Now().Add(-time.Hour))
	c.arrive(zoe, e.clock.Now().Add(-50*time.Minute)) // here, not shown
	u := e.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	wide := func(name string) {
		t.Helper()
		if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
			wide, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392 || e.scrollWidth > e.clientWidth + 2).map(e => e.tagName + '.' + e.className + '#' + e.id + ':' + Math.round(e.getBoundingClientRect().right) + '/' + e.scrollWidth).slice(0, 12).join(' ') + ' inner=' + window.innerWidth`))
			t.Errorf("%s is %.0f px wide on a 390 px phone: %s", name, w, wide)
		}
		small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main a, main button, main input:not([type=hidden]), main select, main textarea, main label.check')]
			.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44 && !e.closest('p, li:not(.tabs li), dd, small, label.check'))
			.map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().height)).join(', ')`))
		if small != "" {
			t.Errorf("%s: tap targets under 44 px: %s", name, small)
		}
	}

	mustDo(t, ctx, "Moi", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/m/"+at), chromedp.WaitVisible(css("#entries-left")))
	wide("Moi")
	sh.take("portal-me", true)
	mustDo(t, ctx, "back to phone size", chromedp.EmulateViewport(390, 844))
	mustDo(t, ctx, "tab Qui est là", chromedp.Click(css(`nav.tabs a[href$="/here"]`)), chromedp.WaitVisible(css("#mychoice")))
	text := bodyText(t, ctx)
	if !strings.Contains(text, "2 personnes présentes") || strings.Contains(text, "Zoé") {
		t.Errorf("who is here before choosing:\n%s", text)
	}
	wide("Qui est là")
	mustDo(t, ctx, "appear", chromedp.Click(css(`#mychoice ~ form button`)), waitText("Vos choix sont enregistrés."))
	text = bodyText(t, ctx)
	if !strings.Contains(text, "Alice Martin") || !strings.Contains(text, "et 1 autre personne") || strings.Contains(text, "Zoé") {
		t.Errorf("who is here after choosing:\n%s", text)
	}
	// Bob arrives while her page is open: the list shows him without a reload.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.marker = true`)); err != nil {
		t.Fatal(err)
	}
	c.arrive(bob, e.clock.Now())
	mustDo(t, ctx, "Bob appears", waitText("Bob Durand"))
	if still, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.marker === true`)); !still {
		t.Error("the page was reloaded instead of updated")
	}
	sh.take("portal-here", true)

	mustDo(t, ctx, "tab Annuaire", chromedp.EmulateViewport(390, 844), chromedp.Click(css(`nav.tabs a[href$="/directory"]`)), chromedp.WaitVisible(css("#q")))
	wide("Annuaire")
	mustDo(t, ctx, "her profile",
		chromedp.Click(css(`input[name=directory]`)),
		chromedp.SendKeys(css("#about"), "Graphiste"),
		chromedp.SendKeys(css("#skills"), "Illustration, Vidéo"),
		chromedp.Click(css(`#profile-form button[type=submit]`)),
		waitText("Vos choix sont enregistrés."))
	mustDo(t, ctx, "search", chromedp.SendKeys(css("#q"), "comptabilite"), chromedp.Click(css(`form[role=search] button`)),
		waitJS(`location.search.includes("q=comptabilite") && document.readyState === "complete"`), chromedp.WaitVisible(css("#directory")))
	list, _ := chromedp.Run(ctx, chromedp.Text(css("#directory")))
	if !strings.Contains(list, "Bob Durand") || strings.Contains(list, "Alice") {
		t.Errorf("search comptabilite:\n%s", list)
	}
	mustDo(t, ctx, "search her", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/m/"+zt+"/directory?q=VIDEO"), chromedp.WaitVisible(css("#directory")))
	list, _ = chromedp.Run(ctx, chromedp.Text(css("#directory")))
	if !strings.Contains(list, "Alice Martin") || !strings.Contains(list, "Vidéo") {
		t.Errorf("search VIDEO:\n%s", list)
	}
	wide("Annuaire (résultats)")
	sh.take("portal-directory", true)

	// Agenda: she registers for the one place, Bob waits, she cancels and
	// Bob gets the place.
	ev := &central.CalendarEvent{Title: "Atelier compta", Start: e.clock.Now().Add(48 * time.Hour),
		End: e.clock.Now().Add(50 * time.Hour), Capacity: 1}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev); err != nil {
		t.Fatal(err)
	}
	mustDo(t, ctx, "tab Agenda", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/m/"+at),
		chromedp.Click(css(`nav.tabs a[href$="/agenda"]`)), chromedp.WaitVisible(css("#agenda")))
	wide("Agenda")
	mustDo(t, ctx, "register", chromedp.Click(css(`form[action$="/register"] button`)), waitText("Vous êtes inscrit·e."))
	bobReg := &central.Registration{Event: ev.ID, Member: bob}
	if err := e.cfg.Calendar.Register(e.ctx(), bobReg); err != nil || bobReg.Status != central.RegistrationWaitlisted {
		t.Fatalf("Bob: %v %s", err, bobReg.Status)
	}
	mustDo(t, ctx, "reload", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/m/"+at+"/agenda"), waitText("1 personne en liste d’attente"))
	wide("Agenda (inscrite)")
	sh.take("portal-agenda", true)
	mustDo(t, ctx, "cancel", chromedp.EmulateViewport(390, 844), chromedp.Click(css(`details.confirm summary`)),
		chromedp.WaitVisible(css(`form[action$="/cancel"] button`)), chromedp.Click(css(`form[action$="/cancel"] button`)),
		waitText("Inscription annulée."))
	// Réserver: a room's free slots, as she sees them on her phone.
	if err := e.cfg.Bookings.CreateResource(e.ctx(), &central.Resource{Name: "Salle de réunion", Opens: 9 * 60, Closes: 18 * 60,
		Slot: time.Hour, Active: true}); err != nil {
		t.Fatal(err)
	}
	mustDo(t, ctx, "tab Réserver", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/m/"+at+"/book"), waitText("Salle de réunion"))
	wide("Réserver")
	sh.take("portal-book", true)
	mustDo(t, ctx, "Bob's agenda", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/m/"+bt+"/agenda"), chromedp.WaitVisible(css("#agenda")))
	if text := bodyText(t, ctx); !strings.Contains(text, "Vous êtes inscrit·e.") {
		t.Errorf("Bob not promoted:\n%s", text)
	}
}

// waitJS waits until a JavaScript condition holds.
func waitJS(cond string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for {
			if ok, err := chromedp.Evaluate[bool](cond)(ctx, tg); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", cond, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}
