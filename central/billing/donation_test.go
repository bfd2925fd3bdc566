package billing_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
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
