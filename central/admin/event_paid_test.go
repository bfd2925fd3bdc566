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
)

// TestPaidEventPages: a paid event's public page and the member's agenda
// show its price and send people to its HelloAsso form instead of the
// registration form; a registration posted anyway is refused and stores
// nothing (her payment registers her: central/billing TestPaidEvent); a
// free event keeps its form. The public page fits a 390 px phone.
func TestPaidEventPages(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) { c.EventPayments = c.Calendar.(central.EventPaymentService) })
	c := newCommunity(t, e)
	_, at := c.member("Alice Martin", "alice@example.org")
	paid := newEvent(t, e, "Atelier compta", 10, true)
	free := newEvent(t, e, "Apéro", 10, true)
	form := "https://www.helloasso.com/associations/mon-coworking/evenements/atelier-compta"
	p, err := central.ParseEventPayment(paid.ID, form, 1500)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.cfg.EventPayments.SetEventPayment(e.ctx(), p); err != nil {
		t.Fatal(err)
	}
	page := "/e/" + fmtInt(paid.ID)
	pc, token := publicForm(t, e, "/e/"+fmtInt(free.ID)) // a form's token, from the free event's page
	_, body := pc.get(page)
	mustContain(t, body, "Prix : 15,00", `href="`+form+`"`, "Payer et s’inscrire sur HelloAsso")
	if strings.Contains(body, `id="event-form"`) {
		t.Error("the paid event's page offers the free registration form")
	}
	resp, body := pc.post(page, url.Values{"csrf": {token}, "name": {"Chloé Petit"}, "email": {"chloe@example.net"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Cet événement est payant")

	m := e.client()
	_, body = m.get("/m/" + at + "/agenda")
	mustContain(t, body, "Prix : 15,00", `href="`+form+`"`, `action="/m/`+at+`/agenda/`+fmtInt(free.ID)+`/register"`)
	if strings.Contains(body, `/agenda/`+fmtInt(paid.ID)+`/register"`) {
		t.Error("her agenda offers to register for the paid event without paying")
	}
	resp, _ = m.post("/m/"+at+"/agenda/"+fmtInt(paid.ID)+"/register", nil)
	mustStatus(t, resp, http.StatusBadRequest)
	if rs, err := e.cfg.Calendar.Registrations(e.ctx(), paid.ID); err != nil || len(rs) != 0 {
		t.Fatalf("registrations of the paid event: %v %v", rs, err)
	}
	en := e.client()
	en.get("/lang/en")
	_, body = en.get(page)
	mustContain(t, body, "Price: €15.00", "Pay and register on HelloAsso")

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
}
