package pennylane_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/pennylane"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
)

func TestInvoicer(t *testing.T) {
	s := pennylanetest.NewServer(t)
	iv := pennylane.NewInvoicer(s.APIURL(), s.Token)
	fakeTime(iv.Client)

	t.Run("CustomerOnce", func(t *testing.T) {
		c := &billing.Customer{Ref: "badgeuse:eloise@example.org", Name: "Éloïse  Marie Dupré", Email: "eloise@example.org",
			Address: central.Payer{Address: "1 place Bellecour", ZipCode: "69002", City: "Lyon", Country: "FR"}}
		id, err := iv.Customer(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := iv.Customer(ctx, c); err != nil || again != id {
			t.Fatalf("second call: %q, %v; want %q", again, err, id)
		}
		cs := s.Customers()
		if len(cs) != 1 || cs[0]["first_name"] != "Éloïse Marie" || cs[0]["last_name"] != "Dupré" ||
			cs[0]["billing_address"].(map[string]any)["city"] != "Lyon" {
			t.Fatalf("customers %+v", cs)
		}
	})
	t.Run("Company", func(t *testing.T) {
		if _, err := iv.Customer(ctx, &billing.Customer{Ref: "badgeuse:compta@acme.example", Name: "Bob", Company: "Acme SAS"}); err != nil {
			t.Fatal(err)
		}
		cs := s.Customers()
		if c := cs[len(cs)-1]; c["customer_type"] != "company" || c["name"] != "Acme SAS" {
			t.Fatalf("customer %+v", c)
		}
	})
	t.Run("OneWordName", func(t *testing.T) {
		if _, err := iv.Customer(ctx, &billing.Customer{Ref: "badgeuse:member:7", Name: "Zoé"}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("InvoiceInEuros", func(t *testing.T) {
		id, _ := iv.Customer(ctx, &billing.Customer{Ref: "badgeuse:member:7", Name: "Zoé"})
		inv, err := iv.CreateInvoice(ctx, &billing.NewInvoice{Ref: "badgeuse-sale-3", Customer: id,
			Date: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC), Draft: false,
			Lines: []billing.InvoiceLine{{Label: "Journée", Quantity: 2, UnitPrice: 1250, VATCode: "FR_200"}}})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Provider != "pennylane" || inv.Number == "" || inv.URL == "" {
			t.Fatalf("invoice %+v", inv)
		}
		got := s.Invoices()[0]
		if got["amount"] != "30.00" || got["tax"] != "5.00" || got["date"] != "2026-11-20" || got["deadline"] != "2026-11-20" {
			t.Fatalf("invoice %+v", got)
		}
		found, err := iv.FindInvoices(ctx, "badgeuse-sale-3")
		if err != nil || len(found) != 1 || found[0].ID != inv.ID {
			t.Fatalf("found %+v, %v", found, err)
		}
	})
	t.Run("FindCustomerInvoicesBySubject", func(t *testing.T) {
		s.NoExternalReferenceFilter = true
		defer func() { s.NoExternalReferenceFilter = false }()
		zoe, _ := iv.Customer(ctx, &billing.Customer{Ref: "badgeuse:member:7", Name: "Zoé"})
		acme, _ := iv.Customer(ctx, &billing.Customer{Ref: "badgeuse:compta@acme.example", Name: "Bob", Company: "Acme SAS"})
		day := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
		lines := []billing.InvoiceLine{{Label: "Journée", Quantity: 1, UnitPrice: 1250, VATCode: "FR_200"}}
		var made []*central.Invoice
		for _, n := range []*billing.NewInvoice{
			{Ref: "badgeuse-sale-4", Customer: zoe, Date: day, Subject: "Vente n° 4 " + billing.SubjectMark(4), Lines: lines},
			{Ref: "badgeuse-sale-42", Customer: zoe, Date: day, Subject: "Vente n° 42 " + billing.SubjectMark(42), Lines: lines},
			{Ref: "badgeuse-sale-43", Customer: acme, Date: day, Subject: "Vente n° 43 " + billing.SubjectMark(4), Lines: lines},
		} {
			inv, err := iv.CreateInvoice(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			made = append(made, inv)
		}
		if found, err := iv.FindInvoices(ctx, "badgeuse-sale-4"); err != nil || len(found) != 0 {
			t.Fatalf("the broken filter found %+v, %v", found, err)
		}
		// Sale 4's invoice, not sale 42's, nor another customer's.
		found, err := iv.FindCustomerInvoices(ctx, zoe, billing.SubjectMark(4))
		if err != nil || len(found) != 1 || found[0].ID != made[0].ID {
			t.Fatalf("found %+v, %v; want invoice %s", found, err, made[0].ID)
		}
	})
}
