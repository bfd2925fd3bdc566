package billing_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestPaidEvent: a public event of 2 places sold through a HelloAsso
// event form (issue 15). Through the real webhook, the worker and the
// fake HelloAsso: a member's payment registers her (confirmed, no sale),
// a non-member's registers her name and e-mail, the third payer is
// waitlisted (the capacity holds); notifications replayed, stale or not,
// register nobody twice; a refund cancels the registration its payment
// made and promotes the waiting list; at a members-only event, a payer who
// is not a member registers nobody and waits unmatched for the bureau.
func TestPaidEvent(t *testing.T) {
	w := newWorld(t)
	cal := sqlstore.NewCalendarService(w.db.DB)
	start := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	event := func(title string, public bool, form string) *central.CalendarEvent {
		t.Helper()
		e := &central.CalendarEvent{Title: title, Start: start, End: start.Add(2 * time.Hour), Capacity: 2, Public: public}
		if err := cal.CreateEvent(w.ctx, e); err != nil {
			t.Fatal(err)
		}
		f, err := helloasso.ParseEventForm("https://www.helloasso.com/associations/mon-coworking/evenements/" + form)
		if err != nil {
			t.Fatal(err)
		}
		p, err := central.NewEventPayment(e.ID, f, 1500)
		if err != nil {
			t.Fatal(err)
		}
		if err := cal.SetEventPayment(w.ctx, p); err != nil {
			t.Fatal(err)
		}
		return e
	}
	workshop := event("Atelier compta", true, "Atelier-Compta")
	members := event("Apéro des membres", false, "apero-membres")
	pay := func(id int64, form, email, first, last string) {
		t.Helper()
		o := helloassotest.NewOrder(id, form, "Entrée", 1500, email, first, last)
		o.FormType = "Event"
		w.ha.PutOrder(o)
		w.notify("Order", id)
		w.run()
	}
	statuses := func(e *central.CalendarEvent) map[string]central.RegistrationStatus {
		t.Helper()
		rs, err := cal.Registrations(w.ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]central.RegistrationStatus{}
		for _, r := range rs {
			if _, dup := out[r.Email]; dup && r.Status != central.RegistrationCancelled {
				t.Errorf("%s registered twice", r.Email)
			}
			if r.Status != central.RegistrationCancelled || out[r.Email] == "" {
				out[r.Email] = r.Status
			}
		}
		return out
	}
	want := func(e *central.CalendarEvent, want map[string]central.RegistrationStatus) {
		t.Helper()
		got := statuses(e)
		if len(got) != len(want) {
			t.Fatalf("%s: registrations %v, want %v", e.Title, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("%s: registrations %v, want %v", e.Title, got, want)
			}
		}
	}

	pay(900, "atelier-compta", "alice@example.org", "Alice", "Martin")
	want(workshop, map[string]central.RegistrationStatus{"alice@example.org": central.RegistrationConfirmed})
	ps, _, err := w.payments.FindPayments(w.ctx, central.PaymentFilter{})
	if err != nil || len(ps) != 1 || ps[0].Status != central.PaymentCredited || ps[0].Member != w.alice || ps[0].Registration == 0 || ps[0].Sale != 0 {
		t.Fatalf("payments %+v, %v", ps, err)
	}
	if len(w.sales()) != 0 {
		t.Fatal("a paid event made a sale")
	}
	stale := w.ha.Notification("Order", 900)

	pay(901, "atelier-compta", "chloe@example.net", "Chloé", "Petit")
	pay(902, "atelier-compta", "dan@example.net", "Dan", "Leroy")
	want(workshop, map[string]central.RegistrationStatus{"alice@example.org": central.RegistrationConfirmed,
		"chloe@example.net": central.RegistrationConfirmed, "dan@example.net": central.RegistrationWaitlisted})

	// Replays: the same notifications again, later.
	for _, id := range []int64{900, 901, 902} {
		w.notify("Order", id)
		w.notify("Payment", id)
	}
	w.later()
	want(workshop, map[string]central.RegistrationStatus{"alice@example.org": central.RegistrationConfirmed,
		"chloe@example.net": central.RegistrationConfirmed, "dan@example.net": central.RegistrationWaitlisted})

	// Alice is refunded: her place goes to Dan.
	w.ha.SetPaymentsState(900, "Refunded")
	w.notify("Payment", 900)
	w.clock.Add(helloasso.OrderEvery)
	w.run()
	want(workshop, map[string]central.RegistrationStatus{"alice@example.org": central.RegistrationCancelled,
		"chloe@example.net": central.RegistrationConfirmed, "dan@example.net": central.RegistrationConfirmed})
	// The stale paid copy of her order, replayed: read back, still refunded.
	if status, err := helloassotest.Send(w.hook.URL+billing.WebhookPath, stale, "", nil); err != nil || status != http.StatusOK {
		t.Fatal(status, err)
	}
	w.later()
	want(workshop, map[string]central.RegistrationStatus{"alice@example.org": central.RegistrationCancelled,
		"chloe@example.net": central.RegistrationConfirmed, "dan@example.net": central.RegistrationConfirmed})

	// Members only: a member's payment registers her, another's waits.
	pay(903, "apero-membres", "alice@example.org", "Alice", "Martin")
	pay(904, "apero-membres", "eve@example.net", "Eve", "Roux")
	want(members, map[string]central.RegistrationStatus{"alice@example.org": central.RegistrationConfirmed})
	unmatched := central.PaymentUnmatched
	ps, _, err = w.payments.FindPayments(w.ctx, central.PaymentFilter{Status: &unmatched})
	if err != nil || len(ps) != 1 || ps[0].PayerEmail != "eve@example.net" || ps[0].Reason != central.ReasonNoMember || ps[0].Registration != 0 {
		t.Fatalf("unmatched %+v, %v", ps, err)
	}
}
