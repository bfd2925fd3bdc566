package billing_test

import (
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
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
