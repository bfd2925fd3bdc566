package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// testPaidEvent: an event of 1 place sold through a HelloAsso form
// (central/event_payment.go). A member's paid item registers her
// (confirmed, no sale), a non-member's is waitlisted; the same order
// recorded again changes nothing; her refund cancels her registration and
// promotes the waiting list, in the payments' transaction. One form sells
// one event.
func testPaidEvent(t *testing.T) {
	f := newBillingFixture(t)
	eps, ok := f.store.Calendar.(central.EventPaymentService)
	if !ok {
		t.Fatal("the calendar store keeps no event payments")
	}
	alice := f.memberWithEmail("Alice Martin", "alice@example.org")
	ev := &central.CalendarEvent{Title: "Atelier compta", Start: paris("2026-12-03 18:00"), End: paris("2026-12-03 20:00"),
		Capacity: 1, Public: true}
	other := &central.CalendarEvent{Title: "Apéro", Start: paris("2026-12-04 18:00"), End: paris("2026-12-04 20:00"), Capacity: 5}
	for _, e := range []*central.CalendarEvent{ev, other} {
		if err := f.store.Calendar.CreateEvent(f.ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// The form as the adapter reads its address (helloasso.ParseEventForm).
	p, err := central.NewEventPayment(ev.ID, central.PaymentForm{Source: central.SourceHelloAsso, Form: " Atelier-Compta",
		URL: "https://www.helloasso.com/associations/x/evenements/atelier-compta/"}, 1500)
	if err != nil || p.Form != "atelier-compta" {
		t.Fatalf("parse: %+v %v", p, err)
	}
	if err := eps.SetEventPayment(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	wantCode(t, eps.SetEventPayment(f.ctx, &central.EventPayment{Event: other.ID, Form: "ATELIER-COMPTA", Price: 1}), central.ECONFLICT)
	wantCode(t, eps.SetEventPayment(f.ctx, &central.EventPayment{Event: other.ID + 100, Form: "autre", Price: 1}), central.ENOTFOUND)
	wantCode(t, eps.SetEventPayment(f.ctx, &central.EventPayment{Event: other.ID, Form: " ", Price: 1}), central.EINVALID)
	wantCode(t, eps.SetEventPayment(f.ctx, &central.EventPayment{Event: other.ID, Form: "autre", Price: -1}), central.EINVALID)
	// Its own form again (another price) replaces it; removing the other
	// event's form, which has none, is no change to audit.
	if err := eps.SetEventPayment(f.ctx, &central.EventPayment{Event: ev.ID, Source: p.Source, Form: p.Form, URL: p.URL, Price: 1200}); err != nil {
		t.Fatal(err)
	}
	if err := eps.SetEventPayment(f.ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := eps.RemoveEventPayment(f.ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	for object, want := range map[string]int{fmt.Sprintf("event:%d", ev.ID): 3, fmt.Sprintf("event:%d", other.ID): 0} {
		evs, _, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: object})
		n := 0
		for _, e := range evs {
			if e.Action == "event.payment" || e.Action == "event.free" {
				n++
			}
		}
		if err != nil || n != want {
			t.Fatalf("%s: %d payment changes audited (%v), want %d", object, n, err, want)
		}
	}
	paid := func(id, email, first, last string, state central.PaymentState) *central.PaymentOrder {
		return &central.PaymentOrder{Source: central.SourceHelloAsso, ID: id, Form: "Atelier-Compta", FormType: "Event",
			Date: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), Payer: central.Payer{Email: email, FirstName: first, LastName: last},
			Items: []central.PaymentItem{{ID: id + "1", Name: "Entrée", Type: "Registration", Amount: 1500, State: state}}}
	}
	statuses := func() map[string]central.RegistrationStatus {
		rs, err := f.store.Calendar.Registrations(f.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]central.RegistrationStatus{}
		for _, r := range rs {
			out[r.Email] = r.Status
		}
		return out
	}
	ps := f.record(paid("700", "alice@example.org", "Alice", "Martin", central.PaymentPaid))
	if ps[0].Status != central.PaymentCredited || ps[0].Member != alice || ps[0].Registration == 0 || ps[0].Sale != 0 {
		t.Fatalf("her payment %+v", ps[0])
	}
	f.record(paid("701", "bob@example.net", "Bob", "Durand", central.PaymentPaid))
	f.record(paid("700", "alice@example.org", "Alice", "Martin", central.PaymentPaid))
	if got := statuses(); len(got) != 2 || got["alice@example.org"] != central.RegistrationConfirmed ||
		got["bob@example.net"] != central.RegistrationWaitlisted {
		t.Fatalf("registrations %v", got)
	}
	if len(f.sales()) != 0 {
		t.Fatal("a paid event made a sale")
	}
	if paid, err := eps.PaidRegistrations(f.ctx, ev.ID); err != nil || len(paid) != 2 || !paid[ps[0].Registration] {
		t.Fatalf("paid registrations %v %v", paid, err)
	}
	refunded := paid("700", "alice@example.org", "Alice", "Martin", central.PaymentRefunded)
	refunded.Items[0].Reversal = central.ReasonRefund
	if ps := f.record(refunded); ps[0].Status != central.PaymentReversed {
		t.Fatalf("refunded payment %+v", ps[0])
	}
	if got := statuses(); got["alice@example.org"] != central.RegistrationCancelled || got["bob@example.net"] != central.RegistrationConfirmed {
		t.Fatalf("after her refund: %v", got)
	}
	if paid, err := eps.PaidRegistrations(f.ctx, ev.ID); err != nil || len(paid) != 1 || paid[ps[0].Registration] {
		t.Fatalf("paid registrations after her refund %v %v", paid, err)
	}
	got, err := eps.EventPayments(f.ctx)
	if err != nil || len(got) != 1 || got[ev.ID].Price != 1500 || got[ev.ID].URL != p.URL {
		t.Fatalf("event payments %v %v", got, err)
	}
	if err := eps.RemoveEventPayment(f.ctx, ev.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := eps.EventPayments(f.ctx); len(got) != 0 {
		t.Fatalf("after removing: %v", got)
	}
}

// testAssignPaymentToEvent: a payment of a members-only event's form by
// someone who is no member (or under another address) waits unmatched;
// the bureau registers the member who paid (confirmed, no sale, the
// payment credited with her registration, audited), once; a payment of
// no event's form is refused (a product is assigned to it instead), and
// an unknown member too.
func testAssignPaymentToEvent(t *testing.T) {
	f := newBillingFixture(t)
	eps, ok := f.store.Calendar.(central.EventPaymentService)
	if !ok {
		t.Fatal("the calendar store keeps no event payments")
	}
	ev := &central.CalendarEvent{Title: "Atelier compta", Start: paris("2026-12-03 18:00"), End: paris("2026-12-03 20:00"), Capacity: 5}
	if err := f.store.Calendar.CreateEvent(f.ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := eps.SetEventPayment(f.ctx, &central.EventPayment{Event: ev.ID, Source: central.SourceHelloAsso, Form: "atelier-compta",
		URL: "https://www.helloasso.com/associations/x/evenements/atelier-compta", Price: 1500}); err != nil {
		t.Fatal(err)
	}
	chloe := f.memberWithEmail("Chloé Petit", "chloe@example.org")
	ps := f.record(&central.PaymentOrder{Source: central.SourceHelloAsso, ID: "710", Form: "atelier-compta", FormType: "Event",
		Date: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), Payer: central.Payer{Email: "c.petit@perso.example", FirstName: "Chloé", LastName: "Petit"},
		Items: []central.PaymentItem{{ID: "7101", Name: "Entrée", Type: "Registration", Amount: 1500, State: central.PaymentPaid}}})
	if len(ps) != 1 || ps[0].Status != central.PaymentUnmatched || ps[0].Reason != central.ReasonNoMember {
		t.Fatalf("a members-only event paid under an unknown address: %+v, want unmatched, no member", ps)
	}
	id := ps[0].ID
	_, err := f.payments.AssignPaymentToEvent(f.ctx, id, chloe+100)
	wantCode(t, err, central.ENOTFOUND)
	p, err := f.payments.AssignPaymentToEvent(f.ctx, id, chloe)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != central.PaymentCredited || p.Member != chloe || p.Registration == 0 || p.Sale != 0 || p.Product != 0 {
		t.Fatalf("assigned to her registration: %+v", p)
	}
	if read, err := f.payments.FindPaymentByID(f.ctx, id); err != nil || read.Status != central.PaymentCredited || read.Registration != p.Registration {
		t.Fatalf("read back %+v %v", read, err)
	}
	rs, err := f.store.Calendar.Registrations(f.ctx, ev.ID)
	if err != nil || len(rs) != 1 || rs[0].Member != chloe || rs[0].Status != central.RegistrationConfirmed || rs[0].ID != p.Registration {
		t.Fatalf("registrations %+v %v, want Chloé's, confirmed", rs, err)
	}
	if paid, err := eps.PaidRegistrations(f.ctx, ev.ID); err != nil || !paid[p.Registration] {
		t.Fatalf("her registration is not said paid: %v %v", paid, err)
	}
	if len(f.sales()) != 0 {
		t.Fatal("assigning an event's payment made a sale")
	}
	evs, _, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: fmt.Sprintf("payment:%d", id)})
	if err != nil || len(evs) == 0 || evs[0].Action != "payment.assign" {
		t.Fatalf("audit %+v %v, want payment.assign", evs, err)
	}
	_, err = f.payments.AssignPaymentToEvent(f.ctx, id, chloe)
	wantCode(t, err, central.ECONFLICT)
	// A card's payment is no event's.
	card := order("711", central.PaymentPaid)
	card.Payer.Email = "inconnu@example.org"
	ps = f.record(card)
	_, err = f.payments.AssignPaymentToEvent(f.ctx, ps[0].ID, chloe)
	wantCode(t, err, central.EINVALID)
}
