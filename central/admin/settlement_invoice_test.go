package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
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
	// A new form each time: post sets its csrf.
	invoice := func() url.Values { return url.Values{"month": {"2026-11"}, "host": {"2"}, "seller": {"1"}} }
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
	if len(invs) != 1 || invs[0]["amount"] != "3.50" || invs[0]["external_reference"] != billing.SettlementRef("2026-11", 2, 1) ||
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
