package billing_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestHelloAssoMembershipAndDonations: through the fake HelloAsso, a
// membership form mapped to the membership product (as a shop item to a
// card) credits Alice's dues for the calendar year, the cut-off making it
// the next year too; the donation she added at its checkout, and a
// donation form's order, are recorded as donations: no sale, nothing for
// the bureau to assign, no invoice; a refunded donation counts for
// nothing; the totals per year count what is kept.
func TestHelloAssoMembershipAndDonations(t *testing.T) {
	w := newWorld(t)
	dues := &central.Product{Name: "Adhésion", Kind: access.Membership, Price: 3000, Active: true}
	if err := sqlstore.NewProductService(w.db.DB).CreateProduct(w.ctx, dues); err != nil {
		t.Fatal(err)
	}
	if err := w.payments.SetPaymentMapping(w.ctx, &central.PaymentMapping{Form: "adhesion-2026", Product: dues.ID}); err != nil {
		t.Fatal(err)
	}
	membership := helloassotest.NewMembershipOrder(800, "adhesion-2026", "Adhésion annuelle 2026", 3000, "alice@example.org", "Alice", "Martin")
	w.ha.PutOrder(helloassotest.AddDonation(membership, 1500))
	w.ha.PutOrder(helloassotest.NewDonationOrder(801, "faire-un-don", 5000, "hugo.dubois@example.org", "Hugo", "Dubois"))
	w.ha.PutOrder(helloassotest.NewDonationOrder(802, "faire-un-don", 2000, "zoe@example.org", "Zoé", "Petit"))
	for _, o := range []int64{800, 801, 802} {
		w.notify("Order", o)
	}
	w.run()
	w.run()

	sales := w.sales()
	if len(sales) != 1 || sales[0].Kind != access.Membership || sales[0].Member != w.alice || sales[0].Amount != 3000 ||
		sales[0].End != access.MustDay("2027-12-31") {
		t.Fatalf("sales %+v: want Alice's dues until 31 December 2027", sales)
	}
	b, err := w.ledger.MemberBalance(w.ctx, w.alice, access.Day{})
	if err != nil || !b.MembershipValid {
		t.Fatalf("Alice's dues %+v %v", b, err)
	}
	unmatched := central.PaymentUnmatched
	if ps, n, _ := w.payments.FindPayments(w.ctx, central.PaymentFilter{Status: &unmatched}); n != 0 {
		t.Fatalf("waiting for the bureau: %+v", ps)
	}
	ps, _, err := w.payments.FindPayments(w.ctx, central.PaymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var donations []*central.Payment
	for _, p := range ps {
		if p.IsDonation() {
			donations = append(donations, p)
			if !p.DonationKept() || p.Sale != 0 || p.Product != 0 {
				t.Errorf("donation %+v", p)
			}
		}
	}
	if len(donations) != 3 {
		t.Fatalf("%d donations, want 3: %+v", len(donations), ps)
	}
	for _, d := range donations {
		if d.PayerEmail == "alice@example.org" && d.Member != w.alice {
			t.Errorf("Alice's donation is not linked to her: %+v", d)
		}
		if d.PayerName == "Hugo Dubois" && (d.PayerAddress.City != "Lyon" || d.Amount != 5000) {
			t.Errorf("Hugo's donation: %+v", d)
		}
	}
	w.wantOneInvoice() // the membership's only

	// Zoé's donation is refunded: out of the totals.
	w.clock.Add(24 * time.Hour)
	w.ha.SetPaymentsState(802, "Refunded")
	w.notify("Payment", 802)
	w.run()
	ps, _, _ = w.payments.FindPayments(w.ctx, central.PaymentFilter{})
	totals := central.DonationTotals(ps, time.UTC)
	if len(totals) != 1 || totals[0] != (central.DonationYear{Year: 2026, Count: 2, Donors: 2, Amount: 6500}) {
		t.Fatalf("totals %+v", totals)
	}
	for _, p := range ps {
		if p.PayerName == "Zoé Petit" && (!p.IsDonation() || p.DonationKept() || p.Status != central.PaymentReversed) {
			t.Errorf("Zoé's refunded donation %+v", p)
		}
	}
}

// TestSpaceTaxReceiptsBooks: a space that keeps its own books receipts its
// own gifts in its association's name, from its own settings only: the
// network's tax receipt settings and details never make up for what it
// leaves unset (it is refused, in words that say which association and
// what to set), a space without books of its own has no receipts (its
// gifts are the network's), and the network's receipts never count a
// space's gifts.
func TestSpaceTaxReceiptsBooks(t *testing.T) {
	w := newSpaceWorld(t)
	for k, v := range map[string]string{billing.SettingTaxReceipts: "true", billing.SettingAssociationAddress: "1 place Bellecour, 69002 Lyon",
		billing.SettingAssociationObject: "Fédérer des lieux", billing.SettingAssociationRNA: "W691111111",
		billing.SettingTaxArticles: "200, 238 bis, 978"} {
		w.set(k, v)
	}
	plain := &central.Space{Name: "La Cantine"} // no books of its own
	if err := w.spaces.CreateSpace(w.ctx, plain); err != nil {
		t.Fatal(err)
	}
	gift := func(id string, space int64, email, first string, cents int64) {
		t.Helper()
		if _, err := w.payments.RecordPaymentOrder(w.ctx, &central.PaymentOrder{Source: central.SourceHelloAsso, ID: id,
			Form: "don", FormType: "Donation", Space: space, Date: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
			Payer: central.Payer{Email: email, FirstName: first, LastName: "Dubois", Address: "3 rue Victor Hugo", City: "Lyon"},
			Items: []central.PaymentItem{{ID: id + "1", Name: "Don", Type: "Donation", Gift: true, Amount: cents, State: central.PaymentPaid}}}); err != nil {
			t.Fatal(err)
		}
	}
	gift("900", 0, "hugo@example.org", "Hugo", 5000)
	gift("901", w.square.ID, "hugo@example.org", "Hugo", 3000)
	gift("902", w.square.ID, "lea@example.org", "Léa", 2000)
	books := &billing.Books{Settings: w.settings, Payments: w.payments, Spaces: w.spaces, Now: w.clock.Now}

	rs, err := books.TaxReceipts(w.ctx, 2026)
	if err != nil || len(rs) != 1 || rs[0].Total != 5000 || rs[0].Number != "2026-9001" {
		t.Fatalf("the network's receipts %+v %v, want Hugo's 50 € only", rs, err)
	}
	refused := func(space int64, code, words string) {
		t.Helper()
		_, err := books.SpaceTaxReceipts(w.ctx, space, 2026)
		if central.ErrorCode(err) != code || !strings.Contains(central.ErrorMessage(err), words) {
			t.Errorf("space %d: %v, want %s saying %q", space, err, code, words)
		}
	}
	// Le Square keeps its own association (name, SIRET) but did not say it
	// issues tax receipts: the network's "true" is not its own.
	refused(w.square.ID, central.EINVALID, "The association Association du Square does not issue tax receipts")
	if err := w.spaces.SetSpaceBooks(w.ctx, w.square.ID, billing.SettingTaxReceipts, "true"); err != nil {
		t.Fatal(err)
	}
	refused(w.square.ID, central.EINVALID, "association.address, association.object, association.rna")
	for k, v := range map[string]string{billing.SettingAssociationAddress: "5 rue du Square, 38000 Grenoble",
		billing.SettingAssociationObject: "Animer le Square", billing.SettingAssociationRNA: "W381234567"} {
		if err := w.spaces.SetSpaceBooks(w.ctx, w.square.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	rs, err = books.SpaceTaxReceipts(w.ctx, w.square.ID, 2026)
	if err != nil || len(rs) != 2 {
		t.Fatalf("Le Square's receipts %+v %v, want Hugo's and Léa's", rs, err)
	}
	hugo := rs[0]
	if hugo.Donor.Name != "Hugo Dubois" || hugo.Total != 3000 || hugo.Number != "2026-E2-9011" ||
		hugo.Issuer.Name != "Association du Square" || hugo.Issuer.RNA != "W381234567" ||
		strings.Join(hugo.Issuer.Articles, ", ") != billing.DefaultTaxArticles {
		t.Errorf("Hugo's receipt of Le Square %+v (issuer %+v): want its own association, numbering and default articles", hugo, hugo.Issuer)
	}
	if r, err := books.SpaceTaxReceipt(w.ctx, w.square.ID, 2026, hugo.DonorKey); err != nil || r.Number != hugo.Number {
		t.Errorf("Hugo's receipt of Le Square by key: %+v %v", r, err)
	}
	if r, err := books.TaxReceipt(w.ctx, 2026, "e:lea@example.org"); central.ErrorCode(err) != central.ENOTFOUND {
		t.Errorf("Léa gave to Le Square only, yet the network has her receipt %+v %v", r, err)
	}
	refused(plain.ID, central.EINVALID, "La Cantine keeps no books of its own")
	refused(99, central.ENOTFOUND, "Space 99 not found")
	// A space with its own HelloAsso organisation but the network's
	// association details cannot receipt in the network's name.
	if err := w.spaces.SetSpaceBooks(w.ctx, plain.ID, billing.SettingHelloAssoClientID, "cantine"); err != nil {
		t.Fatal(err)
	}
	refused(plain.ID, central.EINVALID, "has no association details of its own")
}

// TestSpaceTaxReceiptsOnItsClock: a space with its own books and its own
// time zone (an association on La Réunion, four hours ahead of the
// network's Paris in winter) counts its gifts' year on its own clock: a
// gift at 01:30 on 1 January there is the new year's, although it is
// still 31 December in Paris; and its receipt dates it there.
func TestSpaceTaxReceiptsOnItsClock(t *testing.T) {
	w := newSpaceWorld(t)
	reunion := &central.Space{Name: "Le Kaz", Timezone: "Indian/Reunion"}
	if err := w.spaces.CreateSpace(w.ctx, reunion); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{central.SettingAssociationName: "Association Le Kaz", billing.SettingTaxReceipts: "true",
		billing.SettingAssociationAddress: "2 rue de Paris, 97400 Saint-Denis", billing.SettingAssociationObject: "Un tiers-lieu",
		billing.SettingAssociationRNA: "W974001234"} {
		if err := w.spaces.SetSpaceBooks(w.ctx, reunion.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range []struct {
		id   string
		when time.Time
	}{
		{"950", time.Date(2026, 12, 31, 19, 30, 0, 0, time.UTC)}, // 23:30 on 31 December on La Réunion
		{"951", time.Date(2026, 12, 31, 21, 30, 0, 0, time.UTC)}, // 01:30 on 1 January there, 22:30 on 31 December in Paris
	} {
		if _, err := w.payments.RecordPaymentOrder(w.ctx, &central.PaymentOrder{Source: central.SourceHelloAsso, ID: g.id,
			Form: "don", FormType: "Donation", Space: reunion.ID, Date: g.when,
			Payer: central.Payer{Email: "d" + g.id + "@example.org", FirstName: "Donor" + g.id, LastName: "Payet", Address: "1 rue du Barachois", City: "Saint-Denis"},
			Items: []central.PaymentItem{{ID: g.id + "1", Name: "Don", Type: "Donation", Gift: true, Amount: 1000, State: central.PaymentPaid}}}); err != nil {
			t.Fatal(err)
		}
	}
	books := &billing.Books{Settings: w.settings, Payments: w.payments, Spaces: w.spaces, Now: w.clock.Now}
	for year, want := range map[int]string{2026: "Donor950 Payet", 2027: "Donor951 Payet"} {
		rs, err := books.SpaceTaxReceipts(w.ctx, reunion.ID, year)
		if err != nil || len(rs) != 1 || rs[0].Donor.Name != want {
			t.Errorf("Le Kaz's receipts of %d: %+v %v, want %s's only", year, rs, err, want)
			continue
		}
		if d := rs[0].Gifts[0].Date; d.Location().String() != "Indian/Reunion" || d.Year() != year {
			t.Errorf("%s's gift dated %v on the receipt, want on La Réunion's clock in %d", want, d, year)
		}
	}
}
