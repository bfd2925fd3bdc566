package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestPaidEventPages: the treasurer makes an event paid on its page (the
// HelloAsso form's address and a price; door staff may not; a wrong
// address, a wrong price and a form selling another event are said); its
// public page and the member's agenda then show its price and send people
// to the form instead of the registration form; a registration posted
// anyway is refused and stores nothing (her payment registers her:
// central/billing TestPaidEvent), and the bureau's list says who paid;
// made free again, the form is back. The
// public page and the bureau's fit a 390 px phone.
func TestPaidEventPages(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) {
		c.EventPayments, c.EventForm = c.Calendar.(central.EventPaymentService), helloasso.ParseEventForm
	})
	c := newCommunity(t, e)
	_, at := c.member("Alice Martin", "alice@example.org")
	paid := newEvent(t, e, "Atelier compta", 10, true)
	free := newEvent(t, e, "Apéro", 10, true)
	form := "https://www.helloasso.com/associations/mon-coworking/evenements/atelier-compta"
	// The treasurer makes it paid on the event's page (as HelloAsso's
	// mappings: door staff may not); mistakes are said.
	tr := e.as(T)
	bureau := "/events/" + fmtInt(paid.ID)
	_, body := tr.get(bureau)
	mustContain(t, body, "Gratuit.", "Rendre payant")
	setPay := func(c *client, v url.Values) (*http.Response, string) { return c.post(bureau+"/payment", v) }
	resp, _ := setPay(e.as(D), url.Values{"form": {form}, "price": {"15"}})
	mustStatus(t, resp, http.StatusForbidden)
	resp, body = setPay(tr, url.Values{"form": {"https://example.org/atelier"}, "price": {"15"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "L’adresse du formulaire HelloAsso de l’événement est attendue")
	resp, body = setPay(tr, url.Values{"form": {form}, "price": {"quinze"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Données incorrectes\u00a0: «\u00a0quinze\u00a0» n’est pas un montant en euros (écrivez-le comme 80 ou 80,50).")
	resp, _ = setPay(tr, url.Values{"form": {form}, "price": {"15,00"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != bureau+"?done=event_paid" {
		t.Fatalf("after making it paid: %q", loc)
	}
	resp, body = e.as(A).post("/events/"+fmtInt(free.ID)+"/payment", url.Values{"form": {form}, "price": {"5"}})
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "Ce formulaire de paiement vend déjà l’événement n° "+fmtInt(paid.ID))
	_, body = tr.get(bureau)
	mustContain(t, body, "Prix\u00a0: 15,00", `value="15,00"`, "Rendre gratuit")
	if strings.Contains(body, "payé sur HelloAsso") {
		t.Error("the bureau's list says someone paid before anyone did")
	}
	// Chloé pays on HelloAsso (the order as the worker reads it back):
	// the bureau's list says she paid.
	if _, err := sqlstore.NewPaymentService(e.db.DB).RecordPaymentOrder(e.ctx(), &central.PaymentOrder{
		Source: central.SourceHelloAsso, ID: "900", Form: "atelier-compta", FormType: "Event", Date: start,
		Payer: central.Payer{Email: "chloe@example.net", FirstName: "Chloé", LastName: "Petit"},
		Items: []central.PaymentItem{{ID: "9001", Name: "Entrée", Amount: 1500, State: central.PaymentPaid}}}); err != nil {
		t.Fatal(err)
	}
	_, body = tr.get(bureau)
	mustContain(t, body, "Chloé Petit", "confirmé·e · payé sur HelloAsso")
	page := "/e/" + fmtInt(paid.ID)
	pc, token := publicForm(t, e, "/e/"+fmtInt(free.ID)) // a form's token, from the free event's page
	_, body = pc.get(page)
	mustContain(t, body, "Prix\u00a0: 15,00", `href="`+form+`"`, "Payer et s’inscrire sur HelloAsso")
	if strings.Contains(body, `id="event-form"`) {
		t.Error("the paid event's page offers the free registration form")
	}
	resp, body = pc.post(page, url.Values{"csrf": {token}, "name": {"Chloé Petit"}, "email": {"chloe@example.net"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Cet événement est payant")

	m := e.client()
	_, body = m.get("/m/" + at + "/agenda")
	mustContain(t, body, "Prix\u00a0: 15,00", `href="`+form+`"`, `action="/m/`+at+`/agenda/`+fmtInt(free.ID)+`/register"`)
	if strings.Contains(body, `/agenda/`+fmtInt(paid.ID)+`/register"`) {
		t.Error("her agenda offers to register for the paid event without paying")
	}
	resp, _ = m.post("/m/"+at+"/agenda/"+fmtInt(paid.ID)+"/register", nil)
	mustStatus(t, resp, http.StatusBadRequest)
	if rs, err := e.cfg.Calendar.Registrations(e.ctx(), paid.ID); err != nil || len(rs) != 1 || rs[0].Email != "chloe@example.net" {
		t.Fatalf("registrations of the paid event (Chloé's payment's alone): %v %v", rs, err)
	}
	en := e.client()
	en.get("/lang/en")
	_, body = en.get(page)
	mustContain(t, body, "Price: €15.00", "Pay and register on HelloAsso")

	// Free again: the form is back; the bureau's page says it.
	resp, _ = setPay(tr, url.Values{"free": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, body = e.client().get(page)
	mustContain(t, body, `id="event-form"`)
	if strings.Contains(body, "HelloAsso") {
		t.Error("a free event's page sends people to HelloAsso")
	}
	resp, _ = setPay(tr, url.Values{"form": {form}, "price": {"15"}})
	mustStatus(t, resp, http.StatusSeeOther)

	if testing.Short() {
		return
	}
	ctx := browserFor(t, time.Minute)
	mustDo(t, ctx, "paid event page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(e.ts.URL+page),
		chromedp.WaitVisible(chromedp.CSS("#pay")))
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the paid event's page is %.0f px wide on a 390 px phone", w)
	}
	if h, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('#pay').getBoundingClientRect().height`)); h < 44 {
		t.Errorf("the pay link is %.0f px high", h)
	}
	setSession(t, ctx, e, tr)
	mustDo(t, ctx, "the bureau's page", chromedp.Navigate(e.ts.URL+bureau), chromedp.WaitVisible(chromedp.CSS("#pay-form")))
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("the event's page is %.0f px wide on a 390 px phone", w)
	}
	small, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('#payment input, #payment button, #payment summary')].filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map(e => e.id || e.textContent.trim()).join(', ')`))
	if small != "" {
		t.Errorf("tap targets under 44 px: %s", small)
	}
}
