package admin_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
	"github.com/badgeuse/badgeuse/central/billing/pennylane"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The services exist only once newEnv made the database: the admin gets
// these wrappers, filled right after.
type lazyPayments struct{ central.PaymentService }

type lazyOutbox struct{ central.Outbox }
type lazyBilling struct{ admin.Billing }

// billingEnv is the admin with billing: real services on SQLite, the
// billing worker, and fake HelloAsso and Pennylane.
type billingEnv struct {
	*env
	payments *sqlstore.PaymentService
	worker   *billing.Worker
	ha       *helloassotest.Server
	pl       *pennylanetest.Server
	card     int64
	alice    int64
	payment  *central.Payment // unmatched: Alice paid her card with another address
}

func newBillingEnv(t *testing.T, opts ...func(*admin.Config)) *billingEnv {
	t.Helper()
	lp, lb, lo := &lazyPayments{}, &lazyBilling{}, &lazyOutbox{}
	b := &billingEnv{ha: helloassotest.NewServer(t), pl: pennylanetest.NewServer(t)}
	b.env = newEnv(t, append([]func(*admin.Config){func(c *admin.Config) {
		c.PublicURL = "https://badges.example.org"
		c.Payments, c.Billing, c.Outbox = lp, lb, lo
	}}, opts...)...)
	ctx := b.ctx()
	b.payments = sqlstore.NewPaymentService(b.db.DB)
	b.worker = &billing.Worker{Outbox: sqlstore.NewOutboxService(b.db.DB), Settings: b.settings, Payments: b.payments,
		Ledger: b.ledger, Members: b.members, Products: b.products, Invoices: sqlstore.NewInvoiceService(b.db.DB),
		Now: b.clock.Now,
		NewOrderAPI: func(h billing.HelloAssoConfig) billing.OrderAPI {
			return helloasso.NewClient(h.APIURL, h.ClientID, h.ClientSecret)
		},
		NewInvoiceAPI: func(p billing.PennylaneConfig) billing.InvoiceAPI {
			return pennylane.NewInvoicer(p.APIURL, p.Token)
		}}
	lp.PaymentService, lb.Billing, lo.Outbox = b.payments, b.worker, sqlstore.NewOutboxService(b.db.DB)
	for k, v := range map[string]string{
		billing.SettingHelloAssoAPIURL: b.ha.APIURL(), billing.SettingHelloAssoClientID: b.ha.ClientID,
		billing.SettingHelloAssoClientSecret: b.ha.ClientSecret, billing.SettingPennylaneAPIURL: b.pl.APIURL(),
		billing.SettingPennylaneToken: b.pl.Token, central.SettingAssociationName: "Mon Coworking",
	} {
		if err := b.settings.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
	p := &central.Product{Name: "Carte 10 entrées", Kind: access.Pack, Entries: 10, Days: 365, Price: 12000}
	if err := b.products.CreateProduct(ctx, p); err != nil {
		t.Fatal(err)
	}
	b.card = p.ID
	if err := b.payments.SetPaymentMapping(ctx, &central.PaymentMapping{Form: "carte-10", Item: "Carte 10 entrées", Product: p.ID}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Bastien Roux", "Alice Martin", "Chloé Lefèvre"} {
		m := &central.Member{Name: name, Email: strings.ToLower(strings.Fields(name)[0]) + "@example.org"}
		if err := b.members.CreateMember(ctx, m); err != nil {
			t.Fatal(err)
		}
		if name == "Alice Martin" {
			b.alice = m.ID
		}
	}
	ps, err := b.payments.RecordPaymentOrder(ctx, &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "777",
		Form: "carte-10", Date: b.clock.Now(),
		Payer: central.Payer{Email: "a.martin@perso.example", FirstName: "Alice", LastName: "Martin", Country: "FR"},
		Items: []central.PaymentItem{{ID: "7771", Name: "Carte 10 entrées", Amount: 12000, State: central.PaymentPaid}}})
	if err != nil || len(ps) != 1 || ps[0].Status != central.PaymentUnmatched {
		t.Fatalf("payment %+v, %v", ps, err)
	}
	b.payment = ps[0]
	return b
}

func (b *billingEnv) entriesLeft(member int64) int {
	b.t.Helper()
	bal, err := b.ledger.MemberBalance(b.ctx(), member, access.Day{})
	if err != nil {
		b.t.Fatal(err)
	}
	return bal.EntriesLeft
}

func TestPaymentsPage(t *testing.T) {
	b := newBillingEnv(t)
	id := fmtInt(b.payment.ID)

	t.Run("ReadOnlySeesNoForm", func(t *testing.T) {
		resp, body := b.as(R).get("/payments")
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "Alice Martin", "a.martin@perso.example", "carte-10 / Carte 10 entrées", "120,00",
			"Aucun membre avec cette adresse e-mail.")
		if strings.Contains(body, `action="/payments/`+id+`/assign"`) {
			t.Error("a read-only user gets the assign form")
		}
	})
	c := b.as(T)
	t.Run("SuggestsTheMemberAndProduct", func(t *testing.T) {
		_, body := c.get("/payments")
		mustContain(t, body, `<option value="`+fmtInt(b.alice)+`" selected>Alice Martin (alice@example.org)</option>`,
			`<option value="`+fmtInt(b.card)+`" selected>Carte 10 entrées`)
	})
	t.Run("NewMemberFirst", func(t *testing.T) {
		// Who may add members gets the form filled with the payer's
		// name and address; a treasurer, who may not, is told whom to ask.
		_, body := c.get("/payments")
		mustContain(t, body, "Demandez à l’accueil ou à un administrateur de l’ajouter")
		adm := b.as(A)
		_, body = adm.get("/payments")
		link := `/members/new?name=Alice%20Martin&amp;email=a.martin%40perso.example`
		mustContain(t, body, `<a href="`+link+"\">Pas encore membre\u00a0? L’ajouter d’abord</a>")
		resp, body := adm.get(strings.ReplaceAll(link, "&amp;", "&"))
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, `name="name" required maxlength="200" value="Alice Martin"`, `value="a.martin@perso.example"`)
	})
	t.Run("ErrNoMember", func(t *testing.T) {
		resp, body := c.post("/payments/"+id+"/assign", url.Values{"member": {""}, "product": {fmtInt(b.card)}})
		mustStatus(t, resp, http.StatusBadRequest)
		// The payments page again: the reason next to the member's
		// select, the product chosen kept.
		mustContain(t, body, `<h1>Paiements HelloAsso</h1>`, `aria-invalid="true" aria-describedby="member-`+id+`-error"`,
			`<p class="field-error" id="member-`+id+`-error" role="alert">Choisissez qui a payé dans la liste.</p>`,
			`<option value="`+fmtInt(b.card)+`" selected>Carte 10 entrées`)
	})
	t.Run("Assign", func(t *testing.T) {
		resp, _ := c.post("/payments/"+id+"/assign", url.Values{"member": {fmtInt(b.alice)}, "product": {fmtInt(b.card)}})
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/payments?done=payment_assigned" {
			t.Fatalf("to %q", loc)
		}
		if left := b.entriesLeft(b.alice); left != 10 {
			t.Fatalf("Alice has %d entries", left)
		}
		_, body := c.get("/payments?done=payment_assigned")
		mustContain(t, body, "Paiement attribué", "Aucun paiement en attente.", "Crédité")
		resp, body = c.post("/payments/"+id+"/assign", url.Values{"member": {fmtInt(b.alice)}, "product": {fmtInt(b.card)}})
		mustStatus(t, resp, http.StatusConflict)
		mustContain(t, body, `<h1>Paiements HelloAsso</h1>`, "Ce paiement n’est plus à attribuer", "Rien n’a été changé.")
		if left := b.entriesLeft(b.alice); left != 10 {
			t.Fatalf("Alice has %d entries after the second assignment", left)
		}
	})
	t.Run("DroppedNotifications", func(t *testing.T) {
		// A forged notification of an order HelloAsso refuses: the
		// bureau sees it was dropped, and HelloAsso's answer.
		outbox := sqlstore.NewOutboxService(b.db.DB)
		_, body := c.get("/payments")
		if strings.Contains(body, "Notifications HelloAsso écartées") {
			t.Fatal("dropped notifications shown while there are none")
		}
		b.ha.RefuseOrder(31337, http.StatusForbidden)
		hook := &helloasso.Webhook{Settings: b.settings, Orders: outbox, Now: b.clock.Now}
		rec := httptest.NewRecorder()
		hook.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hooks/helloasso",
			strings.NewReader(`{"eventType":"Order","data":{"id":31337}}`)))
		mustStatus(t, rec.Result(), http.StatusOK)
		if _, err := b.worker.RunOnce(b.ctx()); err != nil {
			t.Fatal(err)
		}
		_, body = c.get("/payments")
		mustContain(t, body, "Notifications HelloAsso écartées (1)", "<td>31337</td>", "HTTP 403")
	})
	t.Run("Ignore", func(t *testing.T) {
		ps, err := b.payments.RecordPaymentOrder(b.ctx(), &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "778",
			Form: "don", Payer: central.Payer{Email: "x@example.org", FirstName: "X"},
			Items: []central.PaymentItem{{ID: "7781", Name: "Don", Amount: 500, State: central.PaymentPaid}}})
		if err != nil {
			t.Fatal(err)
		}
		resp, _ := c.post("/payments/"+fmtInt(ps[0].ID)+"/ignore", nil)
		mustStatus(t, resp, http.StatusSeeOther)
		if p, _ := b.payments.FindPaymentByID(b.ctx(), ps[0].ID); p.Status != central.PaymentIgnored {
			t.Fatalf("status %s", p.Status)
		}
	})
}

func TestBillingSetupPage(t *testing.T) {
	b := newBillingEnv(t)
	c := b.as(T)
	resp, body := c.get("/billing")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, `<code id="webhook-url">https://badges.example.org/hooks/helloasso</code>`, "Identifiants enregistrés.",
		"Pas de clé de signature", "carte-10", "Carte 10 entrées", "TVA non applicable, art. 261-7-1° du CGI")
	if strings.Contains(body, b.ha.ClientSecret) || strings.Contains(body, b.pl.Token) {
		t.Fatal("the setup page shows a secret")
	}

	t.Run("CheckConnections", func(t *testing.T) {
		resp, _ := c.post("/billing/check/helloasso", nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/billing?done=helloasso_ok" {
			t.Fatalf("check: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, _ = c.post("/billing/check/pennylane", nil)
		if resp.Header.Get("Location") != "/billing?done=pennylane_ok" {
			t.Fatalf("check pennylane: %d", resp.StatusCode)
		}
		if err := b.settings.SetSetting(b.ctx(), billing.SettingHelloAssoClientSecret, "a-wrong-secret-value"); err != nil {
			t.Fatal(err)
		}
		// The failure is shown on the page the POST answers 303 to.
		resp, _ = c.post("/billing/check/helloasso", nil)
		mustStatus(t, resp, http.StatusSeeOther)
		page := resp.Header.Get("Location")
		if !strings.HasPrefix(page, "/billing?check=") {
			t.Fatalf("a failed check answers 303 to %q", page)
		}
		resp, body := c.get(page)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "La connexion a échoué", "invalid_client")
		if strings.Contains(body, "a-wrong-secret-value") {
			t.Fatal("the error shows the secret")
		}
	})
	t.Run("Mappings", func(t *testing.T) {
		resp, _ := c.post("/billing/mappings", url.Values{"form": {"adhesion-2026"}, "item": {"Abonnement"}, "product": {fmtInt(b.card)}})
		mustStatus(t, resp, http.StatusSeeOther)
		ms, _ := b.payments.FindPaymentMappings(b.ctx(), central.SourceHelloAsso)
		if len(ms) != 2 {
			t.Fatalf("mappings %+v", ms)
		}
		resp, body := c.post("/billing/mappings", url.Values{"form": {""}, "product": {fmtInt(b.card)}})
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, "Formulaire obligatoire (200 caractères au plus).") // central's "Form slug required", in French
		for _, m := range ms {
			if m.Form == "adhesion-2026" {
				resp, _ := c.post("/billing/mappings/"+fmtInt(m.ID)+"/delete", nil)
				mustStatus(t, resp, http.StatusSeeOther)
			}
		}
		if ms, _ := b.payments.FindPaymentMappings(b.ctx(), central.SourceHelloAsso); len(ms) != 1 {
			t.Fatalf("mappings after delete %+v", ms)
		}
	})
	t.Run("DoorStaffDenied", func(t *testing.T) {
		resp, _ := b.as(D).get("/billing")
		mustStatus(t, resp, http.StatusForbidden)
	})
}

func TestReceiptAndInvoice(t *testing.T) {
	b := newBillingEnv(t)
	s, err := b.ledger.CreateSale(b.ctx(), central.NewSale{Member: b.alice, Product: b.card, Source: central.SourceAdmin})
	if err != nil {
		t.Fatal(err)
	}
	c := b.as(T)
	resp, body := c.get("/sales/" + fmtInt(s.ID) + "/receipt.pdf")
	mustStatus(t, resp, http.StatusOK)
	if resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-1.4") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "recu-") {
		t.Fatalf("receipt: %v", resp.Header)
	}
	resp, _ = c.get("/sales/999/receipt.pdf")
	mustStatus(t, resp, http.StatusNotFound)

	_, body = c.get("/sales")
	mustContain(t, body, `href="/sales/`+fmtInt(s.ID)+`/receipt.pdf"`)
	if _, err := b.worker.RunOnce(b.ctx()); err != nil { // the sale's own invoice
		t.Fatal(err)
	}
	resp, body = c.post("/sales/"+fmtInt(s.ID)+"/invoice", nil) // again: refused, never two
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "a déjà sa facture") // central's "already has its invoice", in French
	if n := len(b.pl.Invoices()); n != 1 {
		t.Fatalf("%d invoices", n)
	}
	// A sale made before Pennylane was set up: the button asks for it.
	if err := b.settings.SetSetting(b.ctx(), billing.SettingPennylaneToken, ""); err != nil {
		t.Fatal(err)
	}
	old, err := b.ledger.CreateSale(b.ctx(), central.NewSale{Member: b.alice, Product: b.card, Source: central.SourceAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.settings.SetSetting(b.ctx(), billing.SettingPennylaneToken, b.pl.Token); err != nil {
		t.Fatal(err)
	}
	resp, _ = c.post("/sales/"+fmtInt(old.ID)+"/invoice", nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sales?done=invoice_requested" {
		t.Fatalf("request: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := b.worker.RunOnce(b.ctx()); err != nil {
		t.Fatal(err)
	}
	if n := len(b.pl.Invoices()); n != 2 {
		t.Fatalf("%d invoices, want 2", n)
	}
	_, body = c.get("/sales")
	mustContain(t, body, "Facture ")
}

// TestBrowserAssignPayment: in a real Chromium, the treasurer opens the
// payments page, where Alice's unmatched HelloAsso payment waits with
// Alice preselected, and assigns it: the second click credits her card.
func TestBrowserAssignPayment(t *testing.T) {
	ctx := browser(t)
	b := newBillingEnv(t)
	b.addUser("tresorerie@example.org", central.RoleTreasurer, "correct horse battery staple")
	// Two members named alike: the bureau has to choose (first click).
	other := &central.Member{Name: "Alice Martin", Email: "alice.m2@example.org"}
	if err := b.members.CreateMember(b.ctx(), other); err != nil {
		t.Fatal(err)
	}
	sh := newShots(t, ctx)
	u := b.ts.URL
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	form := `form[action="/payments/` + fmtInt(b.payment.ID) + `/assign"]`
	mustDo(t, ctx, "log in",
		chromedp.EmulateViewport(390, 844), chromedp.Navigate(u+"/payments"), chromedp.WaitVisible(css("#email")),
		chromedp.SendKeys(css("#email"), "tresorerie@example.org"),
		chromedp.SendKeys(css("#password"), "correct horse battery staple"),
		chromedp.Click(css(`form[action="/login"] button`)),
		chromedp.WaitVisible(css(form)))
	if text := bodyText(t, ctx); !strings.Contains(text, "À attribuer (1)") || !strings.Contains(text, "a.martin@perso.example") {
		t.Fatalf("payments page:\n%s", text)
	}
	if w, _ := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("payments page is %.0f px wide on a 390 px phone", w)
	}
	sh.take("payments", true)
	sel := "#member-" + fmtInt(b.payment.ID)
	mustDo(t, ctx, "assign",
		chromedp.SetValue(css(sel), fmtInt(b.alice)), // click 1: the member
		chromedp.Click(css(form+" button")),          // click 2: assign
		waitText("Paiement attribué"))
	if text := bodyText(t, ctx); !strings.Contains(text, "Aucun paiement en attente.") {
		t.Errorf("after assigning:\n%s", text)
	}
	if left := b.entriesLeft(b.alice); left != 10 {
		t.Fatalf("Alice has %d entries after the assignment", left)
	}
	if left := b.entriesLeft(other.ID); left != 0 {
		t.Fatalf("the other Alice got %d entries", left)
	}
	mustDo(t, ctx, "setup page", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(u+"/billing"), chromedp.WaitVisible(css("#webhook-url")))
	if url, _ := chromedp.Run(ctx, chromedp.Text(css("#webhook-url"))); url != "https://badges.example.org/hooks/helloasso" {
		t.Errorf("webhook URL %q", url)
	}
	mustDo(t, ctx, "check HelloAsso", chromedp.Click(css("#check-helloasso")), waitText("Connexion à HelloAsso réussie."))
	sh.take("billing", true)
}

// TestPaymentToEvent: a payment of a paid event's form that registered
// no one (a members-only event, paid under an address no member has)
// waits in Paiements as the event's: the treasurer picks the member who
// paid and registers her (no product, no sale); a refusal comes back next
// to the field; a second time, the payment is no longer there.
func TestPaymentToEvent(t *testing.T) {
	b := newBillingEnv(t, func(c *admin.Config) {
		c.EventPayments, c.EventForm = c.Calendar.(central.EventPaymentService), helloasso.ParseEventForm
	})
	ev := newEvent(t, b.env, "Atelier compta", 10, false)
	if err := b.cfg.EventPayments.SetEventPayment(b.ctx(), &central.EventPayment{Event: ev.ID, Source: central.SourceHelloAsso,
		Form: "atelier-compta", URL: "https://www.helloasso.com/associations/x/evenements/atelier-compta", Price: 1500}); err != nil {
		t.Fatal(err)
	}
	ps, err := b.payments.RecordPaymentOrder(b.ctx(), &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "880",
		Form: "atelier-compta", FormType: "Event", Date: b.clock.Now(),
		Payer: central.Payer{Email: "a.martin@perso.example", FirstName: "Alice", LastName: "Martin"},
		Items: []central.PaymentItem{{ID: "8801", Name: "Entrée", Type: "Registration", Amount: 1500, State: central.PaymentPaid}}})
	if err != nil || len(ps) != 1 || ps[0].Status != central.PaymentUnmatched {
		t.Fatalf("the event's payment %+v %v, want unmatched", ps, err)
	}
	id := fmtInt(ps[0].ID)
	c := b.as(T)
	_, body := c.get("/payments")
	mustContain(t, body, "Paiement de l’événement «\u00a0Atelier compta\u00a0»", `action="/payments/`+id+`/register"`, "Inscrire à l’événement",
		"«\u00a0Inscrire à l’événement\u00a0» inscrit le membre choisi")
	if strings.Contains(body, `id="product-`+id+`"`) {
		t.Error("the event's payment offers products")
	}
	resp, body := c.post("/payments/"+id+"/register", url.Values{"member": {""}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `<p class="field-error" id="member-`+id+`-error" role="alert">Choisissez qui a payé dans la liste.</p>`)
	resp, _ = c.post("/payments/"+id+"/register", url.Values{"member": {fmtInt(b.alice)}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/payments?done=payment_registered" {
		t.Fatalf("to %q", loc)
	}
	rs, err := b.cfg.Calendar.Registrations(b.ctx(), ev.ID)
	if err != nil || len(rs) != 1 || rs[0].Member != b.alice || rs[0].Status != central.RegistrationConfirmed {
		t.Fatalf("registrations %+v %v, want Alice's, confirmed", rs, err)
	}
	if ss, _, _ := b.ledger.FindSales(b.ctx(), central.SaleFilter{}); len(ss) != 0 {
		t.Errorf("registering for the event made %d sales", len(ss))
	}
	_, body = c.get("/payments?done=payment_registered")
	mustContain(t, body, "Paiement attribué\u00a0: le membre est inscrit à l’événement.", "À attribuer (1)") // newBillingEnv's card is left
	if strings.Contains(body, `id="payment-`+id+`"`) {
		t.Error("the event's payment still waits")
	}
	resp, body = c.post("/payments/"+id+"/register", url.Values{"member": {fmtInt(b.alice)}})
	mustStatus(t, resp, http.StatusConflict)
	mustContain(t, body, "Ce paiement n’est plus à attribuer")
}

// TestUnpaidSaleDocument: a sale recorded « Pas encore payé » was
// downloaded as « recu-….pdf », titled « REÇU » and linked « Reçu » on the
// sales list, a receipt of money the association did not receive. Its
// document is now « À RÉGLER » (a-regler-….pdf, linked « À régler »);
// once paid, it is the sale's receipt again.
func TestUnpaidSaleDocument(t *testing.T) {
	b := newBillingEnv(t)
	s, err := b.ledger.CreateSale(b.ctx(), central.NewSale{Member: b.alice, Product: b.card, Source: central.SourceAdmin,
		PaidBy: central.PaidBy{Method: central.Unpaid}})
	if err != nil {
		t.Fatal(err)
	}
	c := b.as(T)
	href := `href="/sales/` + fmtInt(s.ID) + `/receipt.pdf" class="receipt">`
	_, body := c.get("/sales")
	mustContain(t, body, href+"À régler</a>")
	resp, body := c.get("/sales/" + fmtInt(s.ID) + "/receipt.pdf")
	mustStatus(t, resp, http.StatusOK)
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="a-regler-`) {
		t.Errorf("an unpaid sale's document: %q", cd)
	}
	mustContain(t, body, `(\300 R\311GLER)`) // « À RÉGLER » in WinAnsiEncoding
	mustNotContain(t, body, `(RE\307U)`)

	if _, err := b.ledger.PaySale(b.ctx(), s.ID, central.PaidBy{Method: central.PaidCash}); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/sales")
	mustContain(t, body, href+"Reçu</a>")
	resp, body = c.get("/sales/" + fmtInt(s.ID) + "/receipt.pdf")
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="recu-`) {
		t.Errorf("a paid sale's receipt: %q", cd)
	}
	mustContain(t, body, `(RE\307U)`)
	c.get("/lang/en")
	_, body = c.get("/sales")
	mustContain(t, body, href+"Receipt</a>")
}

// TestCancelledSaleDocument: a sale cancelled before it was paid has a
// document titled « ANNULÉE », but the sales list linked it « À régler »
// and it downloaded as a-regler-….pdf, as if still owed. It is now
// linked « Avis d’annulation » (« Cancellation notice »: the cell
// already says « Annulée ») and named annulee-….pdf.
func TestCancelledSaleDocument(t *testing.T) {
	b := newBillingEnv(t)
	s, err := b.ledger.CreateSale(b.ctx(), central.NewSale{Member: b.alice, Product: b.card, Source: central.SourceAdmin,
		PaidBy: central.PaidBy{Method: central.Unpaid}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.ledger.RefundSale(b.ctx(), s.ID); err != nil {
		t.Fatal(err)
	}
	c := b.as(T)
	href := `href="/sales/` + fmtInt(s.ID) + `/receipt.pdf" class="receipt">`
	_, body := c.get("/sales")
	mustContain(t, body, href+"Avis d’annulation</a> · Annulée")
	resp, body := c.get("/sales/" + fmtInt(s.ID) + "/receipt.pdf")
	mustStatus(t, resp, http.StatusOK)
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, fmt.Sprintf(`filename="annulee-%06d.pdf"`, s.ID)) {
		t.Errorf("a cancelled sale's document: %q", cd)
	}
	mustContain(t, body, `(ANNUL\311E)`) // « ANNULÉE » in WinAnsiEncoding
	c.get("/lang/en")
	_, body = c.get("/sales")
	mustContain(t, body, href+"Cancellation notice</a>")
}
