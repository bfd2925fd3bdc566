package storetest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/shared/access"
)

// billingFixture adds the billing services and a 10-entry card mapped to
// the HelloAsso form item "carte-10" / "Carte 10 entrées".
type billingFixture struct {
	*fixture
	payments Payments
	invoices central.InvoiceService
	card     int64
}

func newBillingFixture(t *testing.T) *billingFixture {
	f := &billingFixture{fixture: newFixture(t)}
	// The adapters' reactions, as centrald registers them: a sale queues
	// its invoice, an unmatched payment the bureau's alert.
	f.store.SetReactions(slack.React, billing.React)
	f.payments, f.invoices = f.store.Payments, f.store.Invoices
	p := &central.Product{Name: "Carte 10 entrées", Kind: access.Pack, Entries: 10, Days: 365, Price: 12000}
	if err := f.prods.CreateProduct(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	f.card = p.ID
	if err := f.payments.SetPaymentMapping(f.ctx, &central.PaymentMapping{Form: "carte-10", Item: "carte 10  ENTRÉES", Product: p.ID}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *billingFixture) memberWithEmail(name, email string) int64 {
	f.t.Helper()
	m := &central.Member{Name: name, Email: email}
	if err := f.members.CreateMember(f.ctx, m); err != nil {
		f.t.Fatal(err)
	}
	return m.ID
}

// order is a HelloAsso order of one 10-entry card paid by Alice.
func order(id string, state central.PaymentState) *central.PaymentOrder {
	return &central.PaymentOrder{
		Source: central.SourceHelloAsso, ID: id, Form: "carte-10", FormType: "Shop",
		Date: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC),
		Payer: central.Payer{Email: "alice@example.org", FirstName: "Alice", LastName: "Martin",
			Address: "3 rue Victor Hugo", ZipCode: "69002", City: "Lyon", Country: "FR"},
		Items: []central.PaymentItem{{ID: id + "1", Name: "Carte 10 entrées", Type: "Product", Amount: 12000, State: state}},
	}
}

func (f *billingFixture) record(o *central.PaymentOrder) []*central.Payment {
	f.t.Helper()
	ps, err := f.payments.RecordPaymentOrder(f.ctx, o)
	if err != nil {
		f.t.Fatal(err)
	}
	return ps
}

func (f *billingFixture) sales() []*central.Sale {
	f.t.Helper()
	ss, _, err := f.ledger.FindSales(f.ctx, central.SaleFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return ss
}

func (f *billingFixture) invoiceMessages() []*central.OutboxItem {
	f.t.Helper()
	items, err := f.outbox.ClaimOutbox(f.ctx, billing.TopicInvoice, 100, time.Nanosecond)
	if err != nil {
		f.t.Fatal(err)
	}
	return items
}

func testRecordPaymentOrder(t *testing.T) {
	t.Run("PaidAndMatchedCreditsOnce", func(t *testing.T) {
		f := newBillingFixture(t)
		if err := f.set.SetSetting(f.ctx, billing.SettingPennylaneToken, "plt_test"); err != nil {
			t.Fatal(err)
		}
		alice := f.memberWithEmail("Alice Martin", "Alice@Example.org")
		for i := 0; i < 3; i++ {
			ps := f.record(order("100", central.PaymentPaid))
			if len(ps) != 1 || ps[0].Status != central.PaymentCredited || ps[0].Member != alice || ps[0].Sale == 0 {
				t.Fatalf("round %d: payments %+v", i, ps[0])
			}
		}
		ss := f.sales()
		if len(ss) != 1 {
			t.Fatalf("%d sales, want 1", len(ss))
		}
		if s := ss[0]; s.Member != alice || s.Product != f.card || s.Amount != 12000 || s.Source != central.SourceHelloAsso || s.ExternalRef != "1001" {
			t.Fatalf("sale %+v", s)
		}
		if got := f.balance(alice).EntriesLeft; got != 10 {
			t.Fatalf("entries left %d, want 10", got)
		}
		msgs := f.invoiceMessages()
		if len(msgs) != 1 || msgs[0].Key != billing.InvoiceKey(ss[0].ID) {
			t.Fatalf("invoice messages %+v, want one for sale %d", msgs, ss[0].ID)
		}
	})

	t.Run("RefundReversesTheCredit", func(t *testing.T) {
		f := newBillingFixture(t)
		alice := f.memberWithEmail("Alice Martin", "alice@example.org")
		f.record(order("100", central.PaymentPaid))
		for i := 0; i < 2; i++ {
			ps := f.record(order("100", central.PaymentRefunded))
			if ps[0].Status != central.PaymentReversed {
				t.Fatalf("status %s, want refunded", ps[0].Status)
			}
		}
		ss := f.sales()
		if len(ss) != 1 || !ss[0].IsRefunded() {
			t.Fatalf("sales %+v, want one refunded", ss)
		}
		if got := f.balance(alice).EntriesLeft; got != 0 {
			t.Fatalf("entries left %d, want 0", got)
		}
		// A late "paid" report (an old notification read back from a
		// stale cache) never credits a refunded payment again.
		f.record(order("100", central.PaymentPaid))
		if got := f.balance(alice).EntriesLeft; got != 0 || len(f.sales()) != 1 {
			t.Fatalf("entries left %d with %d sales after a late paid report", got, len(f.sales()))
		}
	})

	t.Run("RefundedFirstNeverCredits", func(t *testing.T) {
		f := newBillingFixture(t)
		alice := f.memberWithEmail("Alice Martin", "alice@example.org")
		f.record(order("100", central.PaymentRefunded))
		f.record(order("100", central.PaymentPaid))
		if n := len(f.sales()); n != 0 {
			t.Fatalf("%d sales, want 0", n)
		}
		if got := f.balance(alice).EntriesLeft; got != 0 {
			t.Fatalf("entries left %d", got)
		}
	})

	t.Run("PendingThenPaid", func(t *testing.T) {
		f := newBillingFixture(t)
		f.memberWithEmail("Alice Martin", "alice@example.org")
		if ps := f.record(order("100", central.PaymentPending)); ps[0].Status != central.PaymentWaiting {
			t.Fatalf("status %s, want waiting", ps[0].Status)
		}
		if n := len(f.sales()); n != 0 {
			t.Fatalf("%d sales while pending", n)
		}
		if ps := f.record(order("100", central.PaymentPaid)); ps[0].Status != central.PaymentCredited {
			t.Fatalf("status %s, want credited", ps[0].Status)
		}
	})

	t.Run("NoMemberWaitsThenAssigned", func(t *testing.T) {
		f := newBillingFixture(t)
		ps := f.record(order("100", central.PaymentPaid))
		p := ps[0]
		if p.Status != central.PaymentUnmatched || p.Reason != central.ReasonNoMember || p.Product != f.card {
			t.Fatalf("payment %+v, want unmatched no_member with the product hint", p)
		}
		unmatched := central.PaymentUnmatched
		if list, n, err := f.payments.FindPayments(f.ctx, central.PaymentFilter{Status: &unmatched}); err != nil || n != 1 || list[0].ID != p.ID {
			t.Fatalf("unmatched list %v %d %v", list, n, err)
		}
		// The bureau's Slack alert is queued with it, once.
		f.record(order("100", central.PaymentPaid))
		if alerts, err := f.outbox.ClaimOutbox(f.ctx, slack.TopicAlert, 10, time.Minute); err != nil || len(alerts) != 1 ||
			!strings.Contains(alerts[0].Payload, "Paiement sans membre") {
			t.Fatalf("bureau alerts %+v, %v; want one", alerts, err)
		}
		bob := f.member("Bob") // Alice paid with an address the bureau did not know
		got, err := f.payments.AssignPayment(f.ctx, p.ID, bob, f.card)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != central.PaymentCredited || got.Member != bob || got.Sale == 0 {
			t.Fatalf("assigned %+v", got)
		}
		if b := f.balance(bob).EntriesLeft; b != 10 {
			t.Fatalf("entries left %d, want 10", b)
		}
		_, err = f.payments.AssignPayment(f.ctx, p.ID, bob, f.card)
		wantCode(t, err, central.ECONFLICT)
		// The same order notified again stays credited to Bob, once.
		f.record(order("100", central.PaymentPaid))
		if ss := f.sales(); len(ss) != 1 || ss[0].Member != bob {
			t.Fatalf("sales %+v", ss)
		}
		if list, n, _ := f.payments.FindPayments(f.ctx, central.PaymentFilter{Status: &unmatched}); n != 0 {
			t.Fatalf("still unmatched: %+v", list)
		}
	})

	t.Run("NoProductWaits", func(t *testing.T) {
		f := newBillingFixture(t)
		alice := f.memberWithEmail("Alice Martin", "alice@example.org")
		o := order("100", central.PaymentPaid)
		o.Form = "don"
		p := f.record(o)[0]
		if p.Status != central.PaymentUnmatched || p.Reason != central.ReasonNoProduct || p.Member != alice {
			t.Fatalf("payment %+v, want unmatched no_product with the member hint", p)
		}
		// Mapping the item later: the next notification credits it.
		if err := f.payments.SetPaymentMapping(f.ctx, &central.PaymentMapping{Form: "don", Product: f.card}); err != nil {
			t.Fatal(err)
		}
		if p := f.record(o)[0]; p.Status != central.PaymentCredited {
			t.Fatalf("status %s after mapping", p.Status)
		}
	})

	t.Run("OtherBeneficiaryWaits", func(t *testing.T) {
		f := newBillingFixture(t)
		f.memberWithEmail("Alice Martin", "alice@example.org")
		o := order("100", central.PaymentPaid)
		o.Items[0].FirstName, o.Items[0].LastName = "Bob", "Martin"
		if p := f.record(o)[0]; p.Status != central.PaymentUnmatched || p.Reason != central.ReasonBeneficiary {
			t.Fatalf("payment %+v, want unmatched beneficiary", p)
		}
		// Same person, other accents and case: hers.
		o = order("200", central.PaymentPaid)
		o.Items[0].FirstName, o.Items[0].LastName = "ALICE", "martin"
		if p := f.record(o)[0]; p.Status != central.PaymentCredited {
			t.Fatalf("payment %+v, want credited", p)
		}
	})

	t.Run("IgnoredLeavesTheList", func(t *testing.T) {
		f := newBillingFixture(t)
		p := f.record(order("100", central.PaymentPaid))[0]
		if _, err := f.payments.IgnorePayment(f.ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		f.memberWithEmail("Alice Martin", "alice@example.org")
		if p := f.record(order("100", central.PaymentPaid))[0]; p.Status != central.PaymentIgnored {
			t.Fatalf("status %s, want ignored", p.Status)
		}
		_, err := f.payments.AssignPayment(f.ctx, p.ID, 1, f.card)
		wantCode(t, err, central.ECONFLICT)
	})

	// A gift (PaymentItem.Gift, the adapter's decision) is stored with
	// its payment: a donation stays one once refunded, when nothing but
	// the stored flag says it was a gift; a gift the bureau set aside by
	// hand (here a space's, while it waited to be paid) is not, even once
	// paid.
	t.Run("GiftIsStored", func(t *testing.T) {
		n := newNetwork(t)
		read := func(id int64) *central.Payment {
			t.Helper()
			p, err := n.store.Payments.FindPaymentByID(n.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		gift := func(id string, space int64, state central.PaymentState) *central.PaymentOrder {
			o := order(id, state)
			o.Space, o.FormType = space, "Donation"
			o.Items[0].Name, o.Items[0].Type, o.Items[0].Gift, o.Items[0].Amount = "Don", "Donation", true, 2000
			return o
		}
		record := func(o *central.PaymentOrder) *central.Payment {
			t.Helper()
			ps, err := n.store.Payments.RecordPaymentOrder(n.ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			return ps[0]
		}
		p := record(gift("500", 0, central.PaymentPaid))
		if p = read(p.ID); !p.Gift || !p.IsDonation() || !p.DonationKept() {
			t.Fatalf("a gift paid: %+v, want a donation kept", p)
		}
		o := gift("500", 0, central.PaymentRefunded)
		o.Items[0].Reversal = central.ReasonRefund
		record(o)
		if p = read(p.ID); !p.Gift || p.Status != central.PaymentReversed || !p.IsDonation() || p.DonationKept() {
			t.Fatalf("a gift refunded: %+v, want a donation not kept", p)
		}

		p = record(gift("501", n.b.ID, central.PaymentPending))
		if _, err := n.store.Payments.IgnorePayment(n.ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		record(gift("501", n.b.ID, central.PaymentPaid))
		if p = read(p.ID); !p.Gift || p.Status != central.PaymentIgnored || p.IsDonation() || p.DonationKept() {
			t.Fatalf("a gift set aside by hand: %+v, want no donation", p)
		}

		// The same types without the flag are no gift: the store keeps the
		// adapter's word, it does not read the provider's types.
		o = gift("502", 0, central.PaymentPaid)
		o.Items[0].Gift = false
		if p = read(record(o).ID); p.Gift || p.IsDonation() || p.Status != central.PaymentUnmatched {
			t.Fatalf("an item not flagged: %+v, want unmatched, no donation", p)
		}
	})

	t.Run("GiftYearOnTheNetworksClock", func(t *testing.T) {
		// A gift's year, for its association's totals and tax receipts,
		// is that of its date on the network's clock (space.timezone,
		// Europe/Paris by default), not UTC's: stored and read back by
		// the engine, each gift's instant is kept, and 31 December 23:30
		// in Paris is that year's, 1 January 00:30 the next.
		f := newBillingFixture(t)
		set, err := f.set.Settings(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		loc := set.Location()
		if loc.String() != central.DefaultTimezone {
			t.Fatalf("the network's clock %s, want the default %s", loc, central.DefaultTimezone)
		}
		gifts := []struct {
			ref  string
			when time.Time
			year int
		}{
			{"600", time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC), 2026},                 // 23:30 in Paris
			{"601", time.Date(2026, 12, 31, 22, 59, 59, 0, time.UTC), 2026},                // 23:59:59 in Paris
			{"602", time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), 2027},                  // midnight in Paris
			{"603", time.Date(2027, 1, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), 2027}, // HelloAsso's offset kept
		}
		want := map[string]time.Time{}
		for _, g := range gifts {
			o := order(g.ref, central.PaymentPaid)
			o.FormType, o.Date = "Donation", g.when
			o.Items[0].Name, o.Items[0].Type, o.Items[0].Gift, o.Items[0].Amount = "Don", "Donation", true, 1000
			o.Payer.Email = "donor" + g.ref + "@example.org"
			f.record(o)
			want[o.Items[0].ID] = g.when // a payment's reference is its item's
		}
		kept := central.PaymentIgnored
		ps, _, err := f.payments.FindPayments(f.ctx, central.PaymentFilter{Status: &kept})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != len(gifts) {
			t.Fatalf("%d donations read back, want %d", len(ps), len(gifts))
		}
		for _, p := range ps {
			if !p.DonationKept() || !p.Date.Equal(want[p.ExternalRef]) {
				t.Errorf("gift %s read back %s (kept %v), want %s", p.ExternalRef, p.Date, p.DonationKept(), want[p.ExternalRef])
			}
		}
		if got := central.DonationTotals(ps, loc); len(got) != 2 ||
			got[0] != (central.DonationYear{Year: 2027, Count: 2, Donors: 2, Amount: 2000}) ||
			got[1] != (central.DonationYear{Year: 2026, Count: 2, Donors: 2, Amount: 2000}) {
			t.Errorf("totals on the network's clock %+v, want 2027: 2 gifts, 2026: 2", got)
		}
		if got := central.DonationTotals(ps, time.UTC); len(got) != 1 || got[0].Year != 2026 {
			t.Fatalf("totals in UTC %+v: the case no longer tells the clocks apart", got)
		}
		iss := billing.Issuer{Name: "Mon Coworking"}
		for _, year := range []int{2026, 2027} {
			var refs []string
			for _, r := range billing.TaxReceipts(ps, year, loc, iss, f.clock.Now()) {
				for _, g := range r.Gifts {
					refs = append(refs, g.Ref)
				}
			}
			var wantRefs []string
			for _, g := range gifts {
				if g.year == year {
					wantRefs = append(wantRefs, g.ref+"1")
				}
			}
			slices.Sort(refs)
			if !slices.Equal(refs, wantRefs) {
				t.Errorf("tax receipts of %d count gifts %v, want %v", year, refs, wantRefs)
			}
		}
	})

	t.Run("CreatesMembersWhenAllowed", func(t *testing.T) {
		f := newBillingFixture(t)
		// The billing worker sets it from helloasso.create_members.
		created := order("100", central.PaymentPaid)
		created.CreateMembers = true
		p := f.record(created)[0]
		if p.Status != central.PaymentCredited || !p.NewMember || p.Member == 0 {
			t.Fatalf("payment %+v", p)
		}
		m, err := f.members.FindMemberByID(f.ctx, p.Member)
		if err != nil {
			t.Fatal(err)
		}
		if m.Name != "Alice Martin" || m.Email != "alice@example.org" || m.Status != access.MemberSuspended {
			t.Fatalf("member %+v, want Alice suspended until confirmed", m)
		}
		if m.Balance.EntriesLeft != 10 {
			t.Fatalf("entries left %d", m.Balance.EntriesLeft)
		}
		// A donation (no product) creates nobody.
		o := order("200", central.PaymentPaid)
		o.Form, o.Payer.Email, o.CreateMembers = "don", "carol@example.org", true
		if p := f.record(o)[0]; p.Member != 0 || p.NewMember {
			t.Fatalf("payment %+v: member created for an unmapped item", p)
		}
	})

	t.Run("ConcurrentNotificationsCreditOnce", func(t *testing.T) {
		f := newBillingFixture(t)
		alice := f.memberWithEmail("Alice Martin", "alice@example.org")
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.payments.RecordPaymentOrder(f.ctx, order("100", central.PaymentPaid))
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := len(f.sales()); n != 1 {
			t.Fatalf("%d sales, want 1", n)
		}
		if got := f.balance(alice).EntriesLeft; got != 10 {
			t.Fatalf("entries left %d", got)
		}
	})

	t.Run("EraseClearsPayerData", func(t *testing.T) {
		f := newBillingFixture(t)
		alice := f.memberWithEmail("Alice Martin", "alice@example.org")
		p := f.record(order("100", central.PaymentPaid))[0]
		if err := f.members.EraseMember(f.ctx, alice); err != nil {
			t.Fatal(err)
		}
		got, err := f.payments.FindPaymentByID(f.ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.PayerAddress.City != "Lyon" {
			t.Fatalf("payer address %+v before erase", p.PayerAddress)
		}
		if got.PayerEmail != "" || got.PayerName != "" || got.PayerAddress != (central.Payer{}) || got.Member != 0 || got.Sale != p.Sale {
			t.Fatalf("payment after erase %+v", got)
		}
		// Read back again later: her data does not come back.
		if got := f.record(order("100", central.PaymentPaid))[0]; got.PayerEmail != "" {
			t.Fatalf("payer e-mail back after erase: %q", got.PayerEmail)
		}
	})

	t.Run("ErrInvalidOrder", func(t *testing.T) {
		f := newBillingFixture(t)
		_, err := f.payments.RecordPaymentOrder(f.ctx, &central.PaymentOrder{Source: central.SourceHelloAsso})
		wantCode(t, err, central.EINVALID)
	})
}

func testSaleMessages(t *testing.T) {
	f := newBillingFixture(t)
	alice := f.member("Alice")
	f.sell(alice, f.card) // no Pennylane token: no invoice
	if msgs := f.invoiceMessages(); len(msgs) != 0 {
		t.Fatalf("invoice messages without a token: %+v", msgs)
	}
	if err := f.set.SetSetting(f.ctx, billing.SettingPennylaneToken, "plt_test"); err != nil {
		t.Fatal(err)
	}
	s := f.sell(alice, f.card)
	free := int64(0)
	if _, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: alice, Product: f.card, Amount: &free, Source: central.SourceAdmin}); err != nil {
		t.Fatal(err)
	}
	msgs := f.invoiceMessages()
	if len(msgs) != 1 || msgs[0].Payload != fmt.Sprintf(`{"sale":%d}`, s.ID) {
		t.Fatalf("invoice messages %+v, want one for sale %d (none for a free sale)", msgs, s.ID)
	}
}

func testRecordInvoice(t *testing.T) {
	f := newBillingFixture(t)
	s := f.sell(f.member("Alice"), f.card)
	inv := &central.Invoice{Sale: s.ID, Provider: "pennylane", ID: "9001", Status: "draft"}
	if err := f.invoices.RecordInvoice(f.ctx, inv); err != nil {
		t.Fatal(err)
	}
	first := inv.Created
	f.clock.Add(time.Hour)
	inv.Number, inv.Status = "F-2026-0001", "upcoming"
	if err := f.invoices.RecordInvoice(f.ctx, inv); err != nil {
		t.Fatal(err)
	}
	got, err := f.invoices.FindInvoice(f.ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != "F-2026-0001" || got.ID != "9001" {
		t.Fatalf("invoice %+v", got)
	}
	// The same invoice again is its later state: created stays the first's.
	if !got.Created.Equal(first) || !inv.Created.Equal(first) || !got.Updated.Equal(first.Add(time.Hour)) {
		t.Fatalf("invoice created %v updated %v (recorded %v), want created %v updated an hour later",
			got.Created, got.Updated, inv.Created, first)
	}
	if sale, _ := f.ledger.FindSaleByID(f.ctx, s.ID); sale.InvoiceID != "9001" {
		t.Fatalf("sale invoice %q", sale.InvoiceID)
	}
	err = f.invoices.RecordInvoice(f.ctx, &central.Invoice{Sale: s.ID, Provider: "pennylane", ID: "9002"})
	wantCode(t, err, central.ECONFLICT)
	other := f.sell(f.member("Bob"), f.card)
	err = f.invoices.RecordInvoice(f.ctx, &central.Invoice{Sale: other.ID, Provider: "pennylane", ID: "9001"})
	wantCode(t, err, central.ECONFLICT)
	_, err = f.invoices.FindInvoice(f.ctx, other.ID)
	wantCode(t, err, central.ENOTFOUND)

	if id, err := f.invoices.BillingCustomer(f.ctx, "pennylane", "alice@example.org"); err != nil || id != "" {
		t.Fatalf("customer %q %v", id, err)
	}
	if err := f.invoices.SetBillingCustomer(f.ctx, "pennylane", "alice@example.org", "4321"); err != nil {
		t.Fatal(err)
	}
	if id, _ := f.invoices.BillingCustomer(f.ctx, "pennylane", "alice@example.org"); id != "4321" {
		t.Fatalf("customer %q", id)
	}
}

func testDueOutboxKey(t *testing.T) {
	f := newBillingFixture(t)
	msg := central.OutboxMessage{Topic: billing.TopicInvoice, Key: billing.InvoiceKey(1), Payload: `{"sale":1}`}
	due := func(want bool) {
		t.Helper()
		got, err := f.outbox.DueOutboxKey(f.ctx, msg, 5*time.Minute)
		if err != nil || got != want {
			t.Fatalf("DueOutboxKey = %v, %v; want %v", got, err, want)
		}
	}
	due(true) // stored
	items, err := f.outbox.ClaimOutbox(f.ctx, billing.TopicInvoice, 10, 5*time.Minute)
	if err != nil || len(items) != 1 {
		t.Fatalf("claim %v %v", items, err)
	}
	due(false) // a worker holds it
	if err := f.outbox.RetryOutbox(f.ctx, items[0].ID, "Pennylane down", f.clock.Now().Add(6*time.Hour), false); err != nil {
		t.Fatal(err)
	}
	due(true) // waiting for a retry in 6 h: now
	if items, _ := f.outbox.ClaimOutbox(f.ctx, billing.TopicInvoice, 10, 5*time.Minute); len(items) != 1 {
		t.Fatalf("not due after DueOutboxKey: %v", items)
	}
	if err := f.outbox.FinishOutbox(f.ctx, items[0].ID, central.OutcomeSent, ""); err != nil {
		t.Fatal(err)
	}
	due(false) // done
}

func testQueuePaymentNotice(t *testing.T) {
	f := newBillingFixture(t)
	const every = time.Minute
	queue := func(order string, maxWaiting int, want central.NoticeResult) {
		t.Helper()
		got, err := f.outbox.QueuePaymentNotice(f.ctx, central.PaymentNotice{Source: central.SourceHelloAsso, Order: order,
			Event: "Order"}, every, maxWaiting)
		if err != nil || got != want {
			t.Fatalf("order %s: QueuePaymentNotice = %v, %v; want %v", order, got, err, want)
		}
	}
	claim := func(want int) []*central.OutboxItem {
		t.Helper()
		items, err := f.outbox.ClaimOutbox(f.ctx, central.TopicPaymentOrder, 10, 5*time.Minute)
		if err != nil || len(items) != want {
			t.Fatalf("claimed %d messages (%v), want %d", len(items), err, want)
		}
		return items
	}
	queue("1", 2, central.NoticeQueued)
	queue("1", 2, central.NoticeDuplicate) // waiting: nothing stored
	queue("2", 2, central.NoticeQueued)
	queue("3", 2, central.NoticeFull) // two wait already
	items := claim(2)
	queue("1", 2, central.NoticeDuplicate) // being read: still one message
	for _, it := range items {
		if err := f.outbox.FinishOutbox(f.ctx, it.ID, central.OutcomeFailed, "helloasso: HTTP 404"); err != nil {
			t.Fatal(err)
		}
	}
	// Read: notified again, the order is queued again, to be read a
	// minute after its last reading, as new.
	queue("1", 2, central.NoticeQueued)
	claim(0)
	f.clock.Add(every)
	again := claim(1)
	if again[0].ID != items[0].ID || again[0].Attempts != 0 || again[0].Error != "" {
		t.Fatalf("requeued %+v, want message %d as new", again[0], items[0].ID)
	}
	if err := f.outbox.FinishOutbox(f.ctx, again[0].ID, central.OutcomeSent, ""); err != nil {
		t.Fatal(err)
	}
	// Notified long after its last reading: due at once.
	f.clock.Add(time.Hour)
	queue("1", 2, central.NoticeQueued)
	claim(1)
	if _, n, err := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{TopicPrefix: central.TopicPaymentOrder}); err != nil || n != 2 {
		t.Fatalf("%d order messages (%v), want 2: one per order", n, err)
	}
}
