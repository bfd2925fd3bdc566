package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestSettlementInvoice (issue 14): La Cantine keeps its own Pennylane
// company and received a visit of a network pass the main space sold, at
// their convention's rate: once the month is over, the treasurer is
// offered "Facturer via Pennylane" (with a confirmation), and the invoice
// is made once in La Cantine's company, to the main space's association as
// a customer, for the amount owed; asked again, nothing more is made.
// Before the month is over it is refused in French; a space without a
// company of its own is not offered the button.
func TestSettlementInvoice(t *testing.T) {
	b := newBillingEnv(t)
	_, cantine := b.seedNetwork()
	spaces := sqlstore.NewSpaceService(b.db.DB)
	b.worker.Spaces = spaces
	b.worker.Settlements = central.SettlementSources{Spaces: spaces, Visits: sqlstore.NewEntryService(b.db.DB), Sales: b.ledger}
	b.worker.SettlementStore = spaces
	plB := pennylanetest.NewServer(t)
	plB.Token = "plt_cantine_company"
	for k, v := range map[string]string{billing.SettingPennylaneToken: plB.Token, billing.SettingPennylaneAPIURL: plB.APIURL(),
		central.SettingAssociationName: "Association La Cantine"} {
		if err := spaces.SetSpaceBooks(b.ctx(), cantine.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	c := b.as(central.RoleTreasurer)
	if resp, _ := c.post("/settlement/conventions", url.Values{"host": {"2"}, "seller": {"1"}, "rate": {"3,50"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("convention: status %d", resp.StatusCode)
	}
	// A new form each time: post sets its csrf. The figures confirmed: the
	// month's visits, the invoice's amount in cents.
	invoice := func() url.Values {
		return url.Values{"month": {"2026-11"}, "host": {"2"}, "seller": {"1"}, "seq": {"1"}, "visits": {"1"}, "amount": {"350"}}
	}
	_, body := c.get("/settlement?month=2026-11")
	if strings.Contains(body, `action="/settlement/invoice"`) {
		t.Fatal("the invoice is offered before the month is over")
	}
	resp, body := c.post("/settlement/invoice", invoice())
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "n’est pas terminé") {
		t.Fatalf("before the month is over: status %d", resp.StatusCode)
	}

	b.clock.Add(6 * 24 * time.Hour) // December
	c = b.as(central.RoleAdmin)     // a new session (the first one timed out): an admin may too
	_, body = c.get("/settlement?month=2026-11")
	mustContain(t, body, "Facturer via Pennylane", "La Cantine facture", `action="/settlement/invoice"`, `class="confirm"`,
		"Créer dans la société Pennylane de La Cantine une facture de 3,50")
	if strings.Contains(body, `name="host" value="1"`) {
		t.Fatal("the main space, without a company of its own, is offered an invoice")
	}
	resp, _ = c.post("/settlement/invoice", invoice())
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=settlement_invoiced") {
		t.Fatalf("invoice: status %d, %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := b.worker.RunOnce(b.ctx()); err != nil {
		t.Fatal(err)
	}
	invs := plB.Invoices()
	network := b.pl.Invoices() // the pass's sale only
	// The first invoice keeps the reference it had before complements.
	if len(invs) != 1 || invs[0]["amount"] != "3.50" || invs[0]["external_reference"] != "badgeuse-settlement-2026-11-2-1" ||
		len(network) != 1 || network[0]["external_reference"] != billing.ExternalRef(1) {
		t.Fatalf("La Cantine's company %v, the network's %v", invs, b.pl.Invoices())
	}
	if subject, _ := invs[0]["pdf_invoice_subject"].(string); !strings.HasPrefix(subject, "Association La Cantine — ") {
		t.Fatalf("subject %q", subject)
	}
	if cs := plB.Customers(); len(cs) != 1 || cs[0]["name"] != "Mon Coworking" || cs[0]["customer_type"] != "company" {
		t.Fatalf("customers %v: want the main space's association", cs)
	}
	resp, _ = c.post("/settlement/invoice", invoice())
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=settlement_invoice_asked") {
		t.Fatalf("asked again: status %d, %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := c.post("/settlement/invoice", url.Values{"month": {"2026-11"}, "host": {"1"}, "seller": {"2"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the main space without a company of its own: status %d", resp.StatusCode)
	}
	b.clock.Add(7 * time.Hour)
	if _, err := b.worker.RunOnce(b.ctx()); err != nil {
		t.Fatal(err)
	}
	if n := len(plB.Invoices()); n != 1 {
		t.Fatalf("%d invoices after asking twice", n)
	}
	if items, _, err := b.worker.Outbox.FindOutbox(b.ctx(), central.OutboxFilter{TopicPrefix: billing.TopicSettlementInvoice}); err != nil ||
		len(items) != 1 || items[0].Key != "pennylane.settlement:2026-11:2:1" {
		t.Fatalf("outbox %+v, %v: want the first invoice's key as before", items, err)
	}
	relogin := func() *client { return b.client().login("treasurer@example.org", "correct horse battery") }
	c = relogin() // the admin's session timed out: the treasurer's again
	_, body = c.get("/settlement?month=2026-11")
	mustContain(t, body, "Facture 1\u00a0: 1 visite, 3,50", "faite dans Pennylane le", "Déjà facturé\u00a0: 1 visite, 3,50")
	if strings.Contains(body, `action="/settlement/invoice"`) {
		t.Fatal("an invoice is offered when everything is invoiced")
	}

	// Late visits (issue 14): La Cantine's second door was offline across
	// the month's end and syncs Nadia's visits of 27 and 28 November in
	// December. The month counts 3 visits: the page offers the complement
	// for the 2 more, invoiced once, for the difference only.
	page := func() string { _, body := c.get("/settlement?month=2026-11"); return body }
	lateVisits(t, b.env, cantine, start.Add(24*time.Hour), start.Add(48*time.Hour))
	mustContain(t, page(), "Le mois compte maintenant 3 visites\u00a0: 2 de plus que facturé, 7,00",
		"Facturer le complément", `class="confirm"`, "une facture complémentaire de 7,00", `name="seq" value="2"`)
	complement := func(visits, amount string) url.Values {
		return url.Values{"month": {"2026-11"}, "host": {"2"}, "seller": {"1"}, "seq": {"2"}, "visits": {visits}, "amount": {amount}}
	}
	// Figures the month no longer counts (the page was shown before the
	// last visit arrived) are refused, to be confirmed again.
	resp, body = c.post("/settlement/invoice", complement("2", "350"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "ont changé") {
		t.Fatalf("stale figures: status %d", resp.StatusCode)
	}
	for i, want := range []string{"done=settlement_complement", "done=settlement_invoice_asked"} { // asked twice
		resp, _ = c.post("/settlement/invoice", complement("3", "700"))
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), want) {
			t.Fatalf("complement %d: status %d, %s", i+1, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	for range 2 {
		if _, err := b.worker.RunOnce(b.ctx()); err != nil {
			t.Fatal(err)
		}
		b.clock.Add(7 * time.Hour)
	}
	c = relogin()
	invs = plB.Invoices()
	if len(invs) != 2 || invs[1]["amount"] != "7.00" || invs[1]["external_reference"] != billing.SettlementRef("2026-11", 2, 1, 2) ||
		invs[1]["external_reference"] != "badgeuse-settlement-2026-11-2-1-2" {
		t.Fatalf("after the complement: %v", invs)
	}
	if subject, _ := invs[1]["pdf_invoice_subject"].(string); !strings.Contains(subject, "complément 1 des visites de novembre 2026") {
		t.Fatalf("complement's subject %q", subject)
	}
	if items, _, err := b.worker.Outbox.FindOutbox(b.ctx(), central.OutboxFilter{TopicPrefix: billing.TopicSettlementInvoice}); err != nil ||
		len(items) != 2 || items[0].Key != "pennylane.settlement:2026-11:2:1:2" {
		t.Fatalf("outbox %+v, %v", items, err)
	}
	body = page()
	mustContain(t, body, "Facture 2\u00a0: 2 visites, 7,00", "Déjà facturé\u00a0: 3 visites, 10,50")
	if strings.Contains(body, `action="/settlement/invoice"`) {
		t.Fatal("a complement is offered again")
	}

	// Fewer visits than invoiced (one of the late ones refunded away: the
	// pass is refunded, none is paid) is shown, never invoiced back.
	if _, err := b.ledger.RefundSale(b.ctx(), nadiaPass(t, b.env)); err != nil {
		t.Fatal(err)
	}
	body = page()
	mustContain(t, body, "3 visites de moins que facturé", "à la main dans Pennylane")
	if strings.Contains(body, `action="/settlement/invoice"`) {
		t.Fatal("an invoice is offered for fewer visits")
	}
	if resp, _ := c.post("/settlement/invoice", complement("0", "0")); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("fewer visits: status %d, want 400 (nothing owed)", resp.StatusCode)
	}
	if resp, _ := b.as(central.RoleDoor).post("/settlement/invoice", invoice()); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the door role: status %d", resp.StatusCode)
	}
}

// TestSpaceBooksCheck (issue 14): an admin checks a space's own Pennylane
// company from its books page (303 "Connexion à Pennylane réussie"), a
// wrong token is answered 502 with Pennylane's refusal, and a space that
// uses the network's HelloAsso is told so in French.
func TestSpaceBooksCheck(t *testing.T) {
	b := newBillingEnv(t)
	_, cantine := b.seedNetwork()
	spaces := sqlstore.NewSpaceService(b.db.DB)
	b.worker.Spaces = spaces
	plB := pennylanetest.NewServer(t)
	plB.Token = "plt_cantine_company"
	for k, v := range map[string]string{billing.SettingPennylaneToken: plB.Token, billing.SettingPennylaneAPIURL: plB.APIURL()} {
		if err := spaces.SetSpaceBooks(b.ctx(), cantine.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	a := b.as(central.RoleAdmin)
	_, body := a.get("/spaces/2/books")
	mustContain(t, body, `action="/spaces/2/books/check/pennylane"`)
	if strings.Contains(body, `action="/spaces/2/books/check/helloasso"`) {
		t.Fatal("a check is offered for the network's HelloAsso")
	}
	resp, _ := a.post("/spaces/2/books/check/pennylane", nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "done=pennylane_ok") {
		t.Fatalf("check: status %d, %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if err := spaces.SetSpaceBooks(b.ctx(), cantine.ID, billing.SettingPennylaneToken, "plt_wrong_token"); err != nil {
		t.Fatal(err)
	}
	resp, body = a.post("/spaces/2/books/check/pennylane", nil)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "La connexion a échoué") {
		t.Fatalf("a wrong token: status %d", resp.StatusCode)
	}
	resp, body = a.post("/spaces/2/books/check/helloasso", nil)
	if resp.StatusCode != http.StatusBadGateway || !strings.Contains(body, "compte du réseau") {
		t.Fatalf("the network's HelloAsso: status %d", resp.StatusCode)
	}
}

// lateVisits pushes, from a new door of space, visits of Nadia (seedNetwork)
// on the days of at, received now: a kiosk that was offline.
func lateVisits(t *testing.T, e *env, space *central.Space, at ...time.Time) {
	t.Helper()
	ctx := e.ctx()
	k := &central.Kiosk{Name: "Cantine 2", Space: space.Key}
	if _, err := e.kiosks.CreateKiosk(ctx, k); err != nil {
		t.Fatal(err)
	}
	nadia := nadiaID(t, e)
	var es []*central.Entry
	for i, when := range at {
		es = append(es, &central.Entry{ID: fmt.Sprintf("0190b2a0-0000-7000-8000-00000000%04x", 0x1b00+i), Seq: int64(i + 1),
			Member: nadia, KioskTime: when, Accept: true, Reason: access.OKPack, KioskConsumed: 1})
	}
	now := e.clock.Now()
	if _, err := e.sync.Push(ctx, &central.Push{Kiosk: k.ID, Received: now, SentAt: now, Entries: es}); err != nil {
		t.Fatal(err)
	}
}

func nadiaID(t *testing.T, e *env) int64 {
	t.Helper()
	ms, _, err := e.members.FindMembers(e.ctx(), central.MemberFilter{Query: "Nadia"})
	if err != nil || len(ms) != 1 {
		t.Fatalf("Nadia: %v, %v", ms, err)
	}
	return ms[0].ID
}

// nadiaPass is the id of Nadia's network pass (seedNetwork).
func nadiaPass(t *testing.T, e *env) int64 {
	t.Helper()
	id := nadiaID(t, e)
	sales, _, err := e.ledger.FindSales(e.ctx(), central.SaleFilter{Member: &id})
	if err != nil || len(sales) != 1 {
		t.Fatalf("Nadia's sales: %v, %v", sales, err)
	}
	return sales[0].ID
}

// TestSettlementInvoiceAskedBeforeFigures (issue 14): a month's invoice
// asked before requests carried their figures (its outbox message names
// the month and the spaces only, its kept row has no figures, as 0250
// leaves them) is made with the month's figures when the worker runs,
// under its key and reference as before, and they are kept; the page then
// shows them, and offers no complement while the month counts no more.
func TestSettlementInvoiceAskedBeforeFigures(t *testing.T) {
	b := newBillingEnv(t)
	spaces, _, plB := b.cantineInvoices(t)
	old := central.OutboxMessage{Topic: billing.TopicSettlementInvoice, Key: "pennylane.settlement:2026-11:2:1",
		Payload: `{"month":"2026-11","host":2,"seller":1}`}
	if ok, err := spaces.AskSettlementInvoice(b.ctx(), &central.SettlementInvoice{Month: "2026-11", Host: 2, Seller: 1, Seq: 1}, old); err != nil || !ok {
		t.Fatalf("asked %v, %v", ok, err)
	}
	if _, err := b.worker.RunOnce(b.ctx()); err != nil {
		t.Fatal(err)
	}
	if invs := plB.Invoices(); len(invs) != 1 || invs[0]["amount"] != "3.50" || invs[0]["external_reference"] != "badgeuse-settlement-2026-11-2-1" {
		t.Fatalf("invoices %v", invs)
	}
	kept, err := spaces.SettlementInvoices(b.ctx(), "2026-11")
	if err != nil || len(kept) != 1 || !kept[0].Known || kept[0].Visits != 1 || kept[0].Amount != 350 || kept[0].Made.IsZero() {
		t.Fatalf("kept %+v, %v", kept, err)
	}
	_, body := b.as(central.RoleTreasurer).get("/settlement?month=2026-11")
	mustContain(t, body, "Facture 1\u00a0: 1 visite, 3,50", "faite dans Pennylane le")
	if strings.Contains(body, `action="/settlement/invoice"`) {
		t.Fatal("an invoice is offered when everything is invoiced")
	}
}

// cantineInvoices seeds the network (seedNetwork) with La Cantine's own
// Pennylane company (a fake) and a convention of 3,50 € per visit the main
// space pays it, wires the worker's settlement, and moves to December:
// November is over, its visit to invoice.
func (b *billingEnv) cantineInvoices(t *testing.T) (*sqlstore.SpaceService, *central.Space, *pennylanetest.Server) {
	t.Helper()
	_, cantine := b.seedNetwork()
	spaces := sqlstore.NewSpaceService(b.db.DB)
	b.worker.Spaces, b.worker.SettlementStore = spaces, spaces
	b.worker.Settlements = central.SettlementSources{Spaces: spaces, Visits: sqlstore.NewEntryService(b.db.DB), Sales: b.ledger}
	plB := pennylanetest.NewServer(t)
	plB.Token = "plt_cantine_company"
	for k, v := range map[string]string{billing.SettingPennylaneToken: plB.Token, billing.SettingPennylaneAPIURL: plB.APIURL()} {
		if err := spaces.SetSpaceBooks(b.ctx(), cantine.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := spaces.SetConvention(b.ctx(), &central.Convention{Host: cantine.ID, Seller: 1, Rate: 350}); err != nil {
		t.Fatal(err)
	}
	b.clock.Add(6 * 24 * time.Hour)
	return spaces, cantine, plB
}
