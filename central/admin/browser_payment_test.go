package admin_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestBrowserPhoneUnmatchedPayment walks, on a 390 × 844 phone, what the
// treasurer does with HelloAsso payments that matched no member (a card
// paid with another address, a payment of an item mapped to nothing):
// Today says they wait and leads to them; the payments page says what
// to do; a refused assignment (the card stopped being sold meanwhile)
// comes back with the reason next to the product, in French, within
// the screen's width, the member chosen kept; another product is
// assigned; the other payment is set aside after a confirmation that
// says what it does; Today no longer calls. The same pages in English
// once switched. Screens in $BADGEUSE_ARTIFACTS (payment-*.png).
func TestBrowserPhoneUnmatchedPayment(t *testing.T) {
	ctx := browserFor(t, 3*time.Minute)
	b := newBillingEnv(t, func(c *admin.Config) {
		c.EventPayments, c.EventForm = c.Calendar.(central.EventPaymentService), helloasso.ParseEventForm
	})
	// A members-only workshop sold on HelloAsso, paid by Bastien under an
	// address no member has: it waits as the workshop's.
	ev := newEvent(t, b.env, "Atelier compta", 10, false)
	if err := b.cfg.EventPayments.SetEventPayment(b.ctx(), &central.EventPayment{Event: ev.ID, Source: central.SourceHelloAsso,
		Form: "atelier-compta", URL: "https://www.helloasso.com/associations/x/evenements/atelier-compta", Price: 1500}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.payments.RecordPaymentOrder(b.ctx(), &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "779",
		Form: "atelier-compta", FormType: "Event", Date: b.clock.Now(),
		Payer: central.Payer{Email: "b.roux@perso.example", FirstName: "Bastien", LastName: "Roux"},
		Items: []central.PaymentItem{{ID: "7791", Name: "Entrée", Type: "Registration", Amount: 1500, State: central.PaymentPaid}}}); err != nil {
		t.Fatal(err)
	}
	// A payment of an item mapped to no product, by someone unknown.
	if _, err := b.payments.RecordPaymentOrder(b.ctx(), &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "778",
		Form: "adhesion-2026", Date: b.clock.Now(),
		Payer: central.Payer{Email: "zoe.petit@example.net", FirstName: "Zoé", LastName: "Petit", Country: "FR"},
		Items: []central.PaymentItem{{ID: "7781", Name: "Adhésion", Amount: 2000, State: central.PaymentPaid}}}); err != nil {
		t.Fatal(err)
	}
	// The card at its new price, sold instead of the one withdrawn below.
	newCard := &central.Product{Name: "Carte 10 entrées 2027", Kind: access.Pack, Entries: 10, Days: 365, Price: 12000}
	if err := b.products.CreateProduct(b.ctx(), newCard); err != nil {
		t.Fatal(err)
	}
	treasurer := b.as(central.RoleTreasurer)
	setSession(t, ctx, b.env, treasurer)
	shots := newShots(t, ctx)
	dir := shots.artifacts
	u := b.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	shot := func(name string) { t.Helper(); shots.now("payment-" + name) }
	has := func(what string, wants ...string) {
		t.Helper()
		text := bodyText(t, ctx)
		for _, w := range wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the page lacks %q:\n%s", what, w, text)
			}
		}
	}
	hasNot := func(what string, unwanted ...string) {
		t.Helper()
		text := bodyText(t, ctx)
		for _, w := range unwanted {
			if strings.Contains(text, w) {
				t.Errorf("%s: the page shows %q:\n%s", what, w, text)
			}
		}
	}
	// fits checks the page does not scroll sideways and that its
	// controls in main are 44 px taps.
	fits := func(what string) {
		t.Helper()
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || wide > 390 {
			t.Errorf("%s: the page is %d px wide (%v), the phone 390", what, wide, err)
		}
		small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main button, main select, main summary, main a.button')].filter(e => e.offsetParent !== null && (e.getBoundingClientRect().height < 43.5 || e.getBoundingClientRect().width < 43.5)).map(e => e.textContent.trim().slice(0, 30)).join(', ')`))
		if small != "" {
			t.Errorf("%s: tap targets under 44 px: %s", what, small)
		}
	}

	// In English first, once switched: Today calls, the page says what to do.
	mustDo(t, ctx, "English", chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/lang/en?next=/today"), chromedp.WaitVisible(css("main")))
	has("Today in English", "3 HelloAsso payments are waiting to be assigned to someone.", "See the payments to assign")
	mustDo(t, ctx, "payments in English", chromedp.Click(css(`main a[href="/payments#unmatched"]`)), chromedp.WaitVisible(css("#unmatched")))
	has("payments in English", "To assign (3)", "Badgeuse did not recognise who paid.", "Who paid?", "What was bought", "Assign", "Set aside",
		"No member with this e-mail address.", "No product mapped to this item.",
		"Payment of the event “Atelier compta”", "Register for the event")
	hasNot("payments in English", "Attribuer", "Qui a payé", "Mettre de côté", "choisir")
	fits("payments in English")
	shot("0-en")
	mustDo(t, ctx, "French", chromedp.Navigate(u+"/lang/fr?next=/today"), chromedp.WaitVisible(css("main")))

	// 1. Today says payments wait, and leads to them.
	has("Today", "3 paiements HelloAsso attendent de savoir à qui ils reviennent.", "Voir les paiements à attribuer")
	shot("1-today")
	mustDo(t, ctx, "to the payments", chromedp.Click(css(`main a[href="/payments#unmatched"]`)), chromedp.WaitVisible(css("#unmatched")))
	has("payments", "À attribuer (3)", "Paiement de l’événement «\u00a0Atelier compta\u00a0»", "Inscrire à l’événement", "Badgeuse n’a pas reconnu qui a payé.", "«\u00a0Attribuer\u00a0» le lui crédite",
		"Alice Martin <a.martin@perso.example>", "Aucun membre avec cette adresse e-mail.",
		"Zoé Petit <zoe.petit@example.net>", "Aucun produit associé à cet article.", "Qui a payé\u00a0?", "Ce qui a été acheté",
		"Pas encore membre\u00a0? Demandez à l’accueil ou à un administrateur de l’ajouter, puis revenez ici.")
	fits("payments")
	shot("2-list")
	alice := "#payment-" + fmtInt(b.payment.ID)
	member, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('`+alice+` select[name=member]').value`))
	if err != nil || member != fmtInt(b.alice) {
		t.Errorf("Alice's payment suggests member %q (%v), want Alice Martin's %d", member, err, b.alice)
	}

	// 2. The card stops being sold while the page is open: assigning it
	// comes back with why, next to the product, Alice still chosen.
	if err := b.products.SetProductActive(b.ctx(), b.card, false); err != nil {
		t.Fatal(err)
	}
	mustDo(t, ctx, "assign a card no longer sold", chromedp.Click(css(alice+` form[action$="/assign"] button[type=submit]`)),
		chromedp.WaitVisible(css(alice+` .field-error`)))
	has("refused assignment", "Le produit n° "+fmtInt(b.card)+" (Carte 10 entrées) n’est plus en vente. Choisissez-en un autre dans la liste.", "À attribuer (3)")
	hasNot("refused assignment", "no longer sold", "Données incorrectes", "Oups", "Revenir corriger")
	where, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const err = document.querySelector('`+alice+` .field-error'), sel = document.querySelector('`+alice+` select[name=product]');
		const r = err.getBoundingClientRect();
		return [err.previousElementSibling === sel, sel.getAttribute('aria-invalid'), sel.getAttribute('aria-describedby') === err.id,
			r.left >= 0 && r.right <= document.documentElement.clientWidth,
			document.querySelector('`+alice+` select[name=member]').value].join(' ');
	})()`))
	if err != nil || where != "true true true true "+fmtInt(b.alice) {
		t.Errorf("the refusal next to the product, marked, within the screen, Alice kept: %q (%v), want \"true true true true %d\"", where, err, b.alice)
	}
	fits("refused assignment")
	mustDo(t, ctx, "scroll to the refusal", chromedp.ScrollIntoView(css(alice+` .field-error`)))
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "payment-3-refused.png"), png, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	if left := b.entriesLeft(b.alice); left != 0 {
		t.Fatalf("the refused assignment credited %d entries", left)
	}

	// 3. The card at its new price: assigned, Alice credited.
	mustDo(t, ctx, "assign the new card", chromedp.SetValue(css(alice+` select[name=product]`), fmtInt(newCard.ID)),
		chromedp.Click(css(alice+` form[action$="/assign"] button[type=submit]`)), waitText("Paiement attribué"))
	has("assigned", "Paiement attribué\u00a0: la vente est enregistrée.", "À attribuer (2)", "Crédité")
	// The latest payments name the member credited, not her number.
	if link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('table.payments a[href="/members/`+fmtInt(b.alice)+`"]').textContent`)); err != nil || link != "Alice Martin" {
		t.Errorf("the latest payments link to Alice as %q (%v), want her name", link, err)
	}
	if left := b.entriesLeft(b.alice); left != 10 {
		t.Errorf("Alice has %d entries, want the card's 10", left)
	}
	shot("4-assigned")

	// 4. Bastien's workshop: he is registered, no product to pick.
	bastien := "#payment-" + fmtInt(b.payment.ID+1) // recorded before Zoé's
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('`+bastien+` select[name=product]').length`)); n != 0 {
		t.Error("the workshop's payment offers products")
	}
	mustDo(t, ctx, "register Bastien", chromedp.ScrollIntoView(css(bastien)), chromedp.Click(css(bastien+` form[action$="/register"] button[type=submit]`)),
		waitText("le membre est inscrit à l’événement"))
	has("registered", "Paiement attribué\u00a0: le membre est inscrit à l’événement.", "À attribuer (1)")
	if rs, err := b.cfg.Calendar.Registrations(b.ctx(), ev.ID); err != nil || len(rs) != 1 || rs[0].Status != central.RegistrationConfirmed {
		t.Errorf("the workshop's registrations %+v (%v), want Bastien's, confirmed", rs, err)
	}

	// 5. Zoé's payment is set aside, after reading what that does.
	zoe := "#payment-" + fmtInt(b.payment.ID+2)
	mustDo(t, ctx, "set aside", chromedp.Click(css(zoe+` details.confirm summary`)), chromedp.WaitVisible(css(zoe+` form[action$="/ignore"] button`)))
	has("set aside confirmation", "Mettre de côté ce paiement (20,00\u00a0€, Zoé Petit)\u00a0?", "Il ne sera crédité à personne", "on ne pourra plus l’attribuer")
	fits("set aside confirmation")
	shot("5-set-aside")
	mustDo(t, ctx, "confirm", chromedp.Click(css(zoe+` form[action$="/ignore"] button`)), waitText("Paiement mis de côté"))
	has("set aside", "À attribuer (0)", "Aucun paiement en attente.", "Mis de côté")

	// 6. Today no longer calls.
	mustDo(t, ctx, "today again", chromedp.Navigate(u+"/today"), chromedp.WaitVisible(css("main")))
	hasNot("Today", "paiement HelloAsso", "paiements HelloAsso")
}
