package billing_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// spaceWorld is a world whose central has a second space, Le Square, a
// separate association with its own Pennylane company (its own fake, its
// own token) and a card it sells.
type spaceWorld struct {
	*world
	spaces *sqlstore.SpaceService
	square *central.Space
	plB    *pennylanetest.Server
	cardB  int64
}

func newSpaceWorld(t *testing.T) *spaceWorld {
	w := &spaceWorld{world: newWorld(t)}
	w.spaces = sqlstore.NewSpaceService(w.db.DB)
	w.worker.Spaces = w.spaces
	w.square = &central.Space{Name: "Le Square"}
	if err := w.spaces.CreateSpace(w.ctx, w.square); err != nil {
		t.Fatal(err)
	}
	w.plB = pennylanetest.NewServer(t)
	w.plB.Token = "plt_square_company"
	for k, v := range map[string]string{
		billing.SettingPennylaneAPIURL:   w.plB.APIURL(),
		billing.SettingPennylaneToken:    w.plB.Token,
		central.SettingAssociationName:   "Association du Square",
		billing.SettingAssociationSIRET:  "11122233300044",
		billing.SettingPennylaneFinalize: "true",
	} {
		if err := w.spaces.SetSpaceBooks(w.ctx, w.square.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	w.set(billing.SettingAssociationSIRET, "12345678900012") // the network's, never on Le Square's
	p := &central.Product{Name: "Carte Square", Kind: access.Pack, Entries: 5, Days: 365, Price: 5000}
	if err := sqlstore.NewProductService(w.db.DB).CreateProduct(w.ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := w.spaces.SetProductSpaces(w.ctx, p.ID, w.square.ID, central.ProductSpaces{}); err != nil {
		t.Fatal(err)
	}
	w.cardB = p.ID
	return w
}

func (w *spaceWorld) sell(product int64) *central.Sale {
	w.t.Helper()
	s, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: product, Source: central.SourceAdmin})
	if err != nil {
		w.t.Fatal(err)
	}
	return s
}

// invoiceOf returns the invoice of sale in a fake company, nil if none;
// it fails when the company holds two.
func invoiceOf(t *testing.T, pl *pennylanetest.Server, sale int64) map[string]any {
	t.Helper()
	var found map[string]any
	for _, inv := range pl.Invoices() {
		if inv["external_reference"] == billing.ExternalRef(sale) {
			if found != nil {
				t.Fatalf("two invoices of sale %d", sale)
			}
			found = inv
		}
	}
	return found
}

// TestSpaceOwnPennylane: a sale of a space with its own Pennylane company
// is invoiced there (the fake of that company, which takes its token only,
// holds it), in its association's name, with its own customer; a sale of
// the main space goes to the network's company; asking again makes no
// second invoice; the receipts name each sale's association.
func TestSpaceOwnPennylane(t *testing.T) {
	w := newSpaceWorld(t)
	saleA, saleB := w.sell(w.card), w.sell(w.cardB)
	w.run()
	invA, invB := invoiceOf(t, w.pl, saleA.ID), invoiceOf(t, w.plB, saleB.ID)
	if invA == nil || invB == nil || invoiceOf(t, w.pl, saleB.ID) != nil || invoiceOf(t, w.plB, saleA.ID) != nil {
		t.Fatalf("network's company %v, Le Square's %v: want each sale in its selling space's company", w.pl.Invoices(), w.plB.Invoices())
	}
	if subject, _ := invB["pdf_invoice_subject"].(string); !strings.HasPrefix(subject, "Association du Square — ") {
		t.Fatalf("Le Square's invoice %q: want its association's name", subject)
	}
	if subject, _ := invA["pdf_invoice_subject"].(string); !strings.HasPrefix(subject, "Mon Coworking — ") {
		t.Fatalf("the network's invoice %q", subject)
	}
	if invB["draft"] != false || invA["draft"] != true {
		t.Fatalf("draft: Le Square's %v (finalizes), the network's %v (drafts)", invB["draft"], invA["draft"])
	}
	// Alice is a customer of each company: the one made in the network's
	// is no customer of Le Square's.
	if len(w.pl.Customers()) != 1 || len(w.plB.Customers()) != 1 {
		t.Fatalf("customers: network %v, Le Square %v", w.pl.Customers(), w.plB.Customers())
	}
	saleB2 := w.sell(w.cardB)
	w.run()
	if invoiceOf(t, w.plB, saleB2.ID) == nil || len(w.plB.Customers()) != 1 {
		t.Fatalf("Le Square's second sale: invoices %v, customers %v", w.plB.Invoices(), w.plB.Customers())
	}
	// Idempotent: asked again, nothing new in either company.
	if _, err := w.worker.RequestInvoice(w.ctx, saleB.ID); central.ErrorCode(err) != central.ECONFLICT {
		t.Fatalf("request for an invoiced sale: %v", err)
	}
	w.later()
	if len(w.pl.Invoices()) != 1 || len(w.plB.Invoices()) != 2 {
		t.Fatalf("after a later run: network %d invoices, Le Square %d", len(w.pl.Invoices()), len(w.plB.Invoices()))
	}

	books := &billing.Books{Settings: w.settings, Ledger: w.ledger, Members: w.members,
		Products: sqlstore.NewProductService(w.db.DB), Payments: w.payments, Invoices: w.invoices, Spaces: w.spaces}
	rB, err := books.Receipt(w.ctx, saleB.ID)
	if err != nil {
		t.Fatal(err)
	}
	rA, err := books.Receipt(w.ctx, saleA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rB.Seller.Name != "Association du Square" || rB.Seller.SIRET != "11122233300044" || rA.Seller.Name != "Mon Coworking" ||
		rA.Seller.SIRET != "12345678900012" {
		t.Fatalf("sellers: Le Square's receipt %+v, the network's %+v", rB.Seller, rA.Seller)
	}
}

// TestSpaceOwnPennylaneOnly: with no Pennylane for the network, a sale of
// the space with its own company still asks for its invoice (the sale's
// reaction sees its space's books) and gets it; a sale of the main space
// asks for none.
func TestSpaceOwnPennylaneOnly(t *testing.T) {
	w := newSpaceWorld(t)
	w.set(billing.SettingPennylaneToken, "")
	saleA, saleB := w.sell(w.card), w.sell(w.cardB)
	w.run()
	if invoiceOf(t, w.plB, saleB.ID) == nil || len(w.pl.Invoices()) != 0 {
		t.Fatalf("Le Square's company %v, the network's %v", w.plB.Invoices(), w.pl.Invoices())
	}
	if _, err := w.worker.RequestInvoice(w.ctx, saleA.ID); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("invoice of a sale of the network without Pennylane: %v", err)
	}
}

// TestSpaceOwnHelloAsso: a space with its own HelloAsso organisation gets
// its notifications at its own URL, checked with its signature key (a
// notification signed with another key: 401), and its orders are read
// back with its credentials (the network's organisation does not know
// them): the payment makes a sale of the space's card, invoiced in the
// space's Pennylane company. A space without an organisation of its own,
// or none of that id, answers 404; the network's URL is as before.
func TestSpaceOwnHelloAsso(t *testing.T) {
	w := newSpaceWorld(t)
	haB := helloassotest.NewServer(t)
	haB.ClientID, haB.ClientSecret, haB.SignatureKey = "square-client", "square-secret", "square-signature-key"
	for k, v := range map[string]string{
		billing.SettingHelloAssoAPIURL:       haB.APIURL(),
		billing.SettingHelloAssoClientID:     haB.ClientID,
		billing.SettingHelloAssoClientSecret: haB.ClientSecret,
		billing.SettingHelloAssoSignatureKey: haB.SignatureKey,
	} {
		if err := w.spaces.SetSpaceBooks(w.ctx, w.square.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	w.set(billing.SettingHelloAssoSignatureKey, "network-signature-key")
	if err := w.payments.SetPaymentMapping(w.ctx, &central.PaymentMapping{Form: "carte-square", Item: "Carte Square", Product: w.cardB}); err != nil {
		t.Fatal(err)
	}
	hook := &helloasso.Webhook{Settings: w.settings, Spaces: w.spaces, Orders: sqlstore.NewOutboxService(w.db.DB),
		Kick: w.worker.Kick, Now: w.clock.Now}
	mux := http.NewServeMux()
	mux.Handle("POST "+billing.WebhookPath, hook)
	mux.Handle("POST "+billing.SpaceWebhookPattern, hook)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	spaceURL := billing.SpaceWebhookURL(srv.URL, w.square.ID)
	if spaceURL != srv.URL+"/hooks/helloasso/spaces/2" {
		t.Fatalf("space webhook URL %q", spaceURL)
	}

	haB.PutOrder(helloassotest.NewOrder(901, "carte-square", "Carte Square", 5000, "alice@example.org", "Alice", "Martin"))
	// Signed with the network's key, or with none: refused.
	other := helloassotest.NewServer(t)
	other.SignatureKey = "network-signature-key"
	other.PutOrder(helloassotest.NewOrder(901, "carte-square", "Carte Square", 5000, "alice@example.org", "Alice", "Martin"))
	if status, err := other.Notify(spaceURL, "Order", 901); err != nil || status != http.StatusUnauthorized {
		t.Fatalf("a notification signed with the network's key: status %d, %v", status, err)
	}
	for _, url := range []string{srv.URL + "/hooks/helloasso/spaces/1", srv.URL + "/hooks/helloasso/spaces/99",
		srv.URL + "/hooks/helloasso/spaces/x"} {
		if status, err := haB.Notify(url, "Order", 901); err != nil || status != http.StatusNotFound {
			t.Fatalf("%s: status %d, %v", url, status, err)
		}
	}
	if status, err := haB.Notify(spaceURL, "Order", 901); err != nil || status != http.StatusOK {
		t.Fatalf("Le Square's notification: status %d, %v", status, err)
	}
	w.run()
	sales := w.sales()
	if len(sales) != 1 || sales[0].Product != w.cardB || sales[0].Member != w.alice || sales[0].Source != central.SourceHelloAsso ||
		sales[0].Amount != 5000 {
		t.Fatalf("sales %+v: want Alice's Carte Square", sales)
	}
	w.run()
	if invoiceOf(t, w.plB, sales[0].ID) == nil || len(w.pl.Invoices()) != 0 {
		t.Fatalf("Le Square's company %v, the network's %v", w.plB.Invoices(), w.pl.Invoices())
	}

	// An item of Le Square's organisation mapped to the network's card (a
	// form of the same slug as the network's): no sale of the network's
	// card with Le Square's money; it waits for the bureau.
	haB.PutOrder(helloassotest.NewOrder(903, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin"))
	if status, err := haB.Notify(spaceURL, "Order", 903); err != nil || status != http.StatusOK {
		t.Fatalf("Le Square's second notification: status %d, %v", status, err)
	}
	w.run()
	if n := len(w.sales()); n != 1 {
		t.Fatalf("%d sales: Le Square's money made a sale of the network's card", n)
	}
	src, ref := central.SourceHelloAsso, "9031"
	if ps, _, err := w.payments.FindPayments(w.ctx, central.PaymentFilter{Source: &src, ExternalRef: &ref}); err != nil || len(ps) != 1 ||
		ps[0].Status != central.PaymentUnmatched || ps[0].Reason != central.ReasonNoProduct {
		t.Fatalf("the payment of the network's card at Le Square's organisation: %+v, %v", ps, err)
	}

	// The network's organisation: its URL and key, as before.
	w.ha.SignatureKey = "network-signature-key"
	w.putCardOrder(902)
	if status, err := w.ha.Notify(srv.URL+billing.WebhookPath, "Order", 902); err != nil || status != http.StatusOK {
		t.Fatalf("the network's notification: status %d, %v", status, err)
	}
	w.run()
	if len(w.sales()) != 2 {
		t.Fatalf("sales %+v after the network's order", w.sales())
	}
}

// TestSpaceOwnVATInSalesCSV: the accountant's export splits each sale at
// its selling space's VAT: the network's (exempt) for the main space's
// card, 20 % for Le Square's, whose association is under VAT.
func TestSpaceOwnVATInSalesCSV(t *testing.T) {
	w := newSpaceWorld(t)
	if err := w.spaces.SetSpaceBooks(w.ctx, w.square.ID, billing.SettingVATRate, "FR_200"); err != nil {
		t.Fatal(err)
	}
	w.sell(w.card)
	w.sell(w.cardB)
	books := &billing.Books{Settings: w.settings, Ledger: w.ledger, Members: w.members,
		Products: sqlstore.NewProductService(w.db.DB), Payments: w.payments, Invoices: w.invoices, Spaces: w.spaces}
	var buf strings.Builder
	if err := books.WriteSalesCSV(w.ctx, &buf, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{";Carte 10 entrées;pack;1;120,00;120,00;0,00;exempt;", ";Carte Square;pack;1;50,00;41,67;8,33;FR_200;"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the export lacks %q:\n%s", want, buf.String())
		}
	}
}
