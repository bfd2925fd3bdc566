package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// eventEntry is an entry accepted for an event at t: a member's (member
// != 0) or the ticket's of registration ticket.
func eventEntry(seq, member, ticket int64, t time.Time) *central.Entry {
	e := &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, Member: member, KioskTime: t,
		Accept: true, Reason: access.OKEvent}
	if ticket != 0 {
		e.Badge = badge.TicketHash(uint32(ticket))
	}
	return e
}

// pulledEvent returns the event id of the pages, or nil.
func pulledEvent(pages []*central.PullPage, id int64) *central.KioskEvent {
	var found *central.KioskEvent
	for _, p := range pages {
		for i := range p.Events {
			if p.Events[i].ID == id {
				found = &p.Events[i]
			}
		}
	}
	return found
}

// testEventDoor: the kiosks of an event's space receive it in their pulls
// (a snapshot: every event not over; an incremental pull: those whose
// registrations changed since its cursor, once), with its members
// registered and its cancelled tickets; another space's kiosks never. An
// event entry pushed marks the registration attended (the member's, or
// the ticket's by its hash), once: a replay changes nothing. A member's
// entry for an event that does not consume takes nothing from her card;
// for one that consumes, a day like any other.
func testEventDoor(t *testing.T) {
	f := newFixture(t)
	cal := f.store.Calendar
	other := &central.Space{Name: "Annexe"}
	if err := f.store.Spaces.CreateSpace(f.ctx, other); err != nil {
		t.Fatal(err)
	}
	ada, bob := f.member("Ada"), f.member("Bob")
	card := f.product(access.Pack, 10, 0)
	f.sell(ada, card)
	f.sell(bob, card)
	k := f.kiosk("Porte", "")
	annexe := f.kiosk("Porte annexe", other.Key)

	free := &central.CalendarEvent{Title: "Apéro", Start: paris("2026-11-26 18:00"), End: paris("2026-11-26 22:00"),
		Capacity: 30, Public: true}
	paid := &central.CalendarEvent{Title: "Atelier", Start: paris("2026-11-27 09:00"), End: paris("2026-11-27 12:00"),
		Capacity: 30, Consumes: true}
	away := &central.CalendarEvent{Title: "Ailleurs", Space: "Annexe", Start: paris("2026-11-26 18:00"),
		End: paris("2026-11-26 22:00"), Capacity: 30, Public: true}
	for _, e := range []*central.CalendarEvent{free, paid, away} {
		if err := cal.CreateEvent(f.ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := cal.FindEvent(f.ctx, paid.ID); err != nil || !got.Consumes {
		t.Fatalf("FindEvent(paid) = %+v, %v: Consumes not kept", got, err)
	}
	register := func(r *central.Registration) *central.Registration {
		t.Helper()
		if err := cal.Register(f.ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	register(&central.Registration{Event: free.ID, Member: ada})
	lea := register(&central.Registration{Event: free.ID, Name: "Léa", Email: "lea@example.org"})
	paul := register(&central.Registration{Event: free.ID, Name: "Paul", Email: "paul@example.org"})
	register(&central.Registration{Event: paid.ID, Member: bob})
	register(&central.Registration{Event: away.ID, Member: bob})

	pages := f.pullAll(k, 0, 0)
	cursor := pages[len(pages)-1].Cursor
	ev := pulledEvent(pages, free.ID)
	if ev == nil || !slices.Equal(ev.Members, []int64{ada}) || len(ev.Revoked) != 0 || ev.Consumes ||
		!ev.Start.Equal(free.Start) || !ev.End.Equal(free.End) {
		t.Fatalf("snapshot: event %+v, want its hours and Ada registered", ev)
	}
	if ev := pulledEvent(pages, paid.ID); ev == nil || !ev.Consumes || !slices.Equal(ev.Members, []int64{bob}) {
		t.Fatalf("snapshot: consuming event %+v", ev)
	}
	if pulledEvent(pages, away.ID) != nil {
		t.Fatal("a kiosk received another space's event")
	}
	annexePages := f.pullAll(annexe, 0, 0)
	if ev := pulledEvent(annexePages, away.ID); ev == nil || !slices.Equal(ev.Members, []int64{bob}) {
		t.Fatalf("the annexe's kiosk: event %+v", ev)
	}
	// Bob's card is not valid at the annexe, but he is registered to its
	// event: its kiosks hold him (to let him in for it); Ada they do not.
	held := func(pages []*central.PullPage, m int64) bool {
		for _, p := range pages {
			for _, km := range p.Members {
				if km.ID == m {
					return true
				}
			}
		}
		return false
	}
	if !held(annexePages, bob) || held(annexePages, ada) {
		t.Fatalf("the annexe's kiosk holds Bob %v, Ada %v: want Bob only", held(annexePages, bob), held(annexePages, ada))
	}

	// Registering takes effect at the next incremental pull too: Ada
	// registers at the annexe, cancels, and its kiosk holds her, then
	// lets her go at its next snapshot.
	annexeCursor := annexePages[len(annexePages)-1].Cursor
	adaAway := register(&central.Registration{Event: away.ID, Member: ada})
	if p := f.pullAll(annexe, annexeCursor, 0); !held(p, ada) || pulledEvent(p, away.ID) == nil {
		t.Fatal("the annexe's incremental pull misses Ada, registered to its event")
	}
	if _, err := cal.CancelRegistration(f.ctx, away.ID, adaAway.ID); err != nil {
		t.Fatal(err)
	}
	if p := f.pullAll(annexe, 0, 0); held(p, ada) {
		t.Fatal("the annexe's kiosk holds Ada after her cancellation")
	}

	// Nothing changed: an incremental pull sends no event.
	if p := f.pullAll(k, cursor, 0); pulledEvent(p, free.ID) != nil || pulledEvent(p, paid.ID) != nil {
		t.Fatal("an unchanged event was sent again")
	}
	// Paul cancels: his ticket is revoked at the next pull, and only the
	// event changed comes.
	if _, err := cal.CancelRegistration(f.ctx, free.ID, paul.ID); err != nil {
		t.Fatal(err)
	}
	pages = f.pullAll(k, cursor, 0)
	if ev := pulledEvent(pages, free.ID); ev == nil || !slices.Equal(ev.Revoked, []int64{paul.ID}) || !slices.Equal(ev.Members, []int64{ada}) {
		t.Fatalf("after a cancellation: event %+v, want Paul's ticket revoked", ev)
	}
	if pulledEvent(pages, paid.ID) != nil {
		t.Fatal("an unchanged event came with a changed one")
	}

	// At the door: Ada and Léa's ticket come in for the free event.
	f.clock.Set(paris("2026-11-26 18:40"))
	at := paris("2026-11-26 18:35") // within the early margin
	ae, le := eventEntry(1, ada, 0, at), eventEntry(2, 0, lea.ID, at.Add(time.Minute))
	f.push(k, ae, le)
	f.push(k, ae, le) // replayed
	rs, err := cal.Registrations(f.ctx, free.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]central.RegistrationStatus{lea.ID: central.RegistrationAttended, paul.ID: central.RegistrationCancelled}
	for _, r := range rs {
		if r.Member == ada && r.Status != central.RegistrationAttended {
			t.Fatalf("Ada: %s, want attended", r.Status)
		}
		if w, ok := want[r.ID]; ok && r.Status != w {
			t.Fatalf("%s: %s, want %s", r.Name, r.Status, w)
		}
	}
	if b := f.balance(ada); b.EntriesLeft != 10 {
		t.Fatalf("Ada came for a free event: %d entries left, want 10", b.EntriesLeft)
	}
	// The kiosk of the annexe records Bob's entry for its event: it is
	// not the main space's (his main-space registration stays confirmed).
	f.push(annexe, eventEntry(1, bob, 0, at))
	if rs, _ := cal.Registrations(f.ctx, paid.ID); rs[0].Status != central.RegistrationConfirmed {
		t.Fatalf("Bob's registration at the main space: %s", rs[0].Status)
	}
	if rs, _ := cal.Registrations(f.ctx, away.ID); rs[0].Status != central.RegistrationAttended {
		t.Fatalf("Bob at the annexe: %s, want attended", rs[0].Status)
	}

	// The consuming event costs Bob a day: one entry.
	f.clock.Set(paris("2026-11-27 09:10"))
	f.push(k, eventEntry(3, bob, 0, paris("2026-11-27 09:05")))
	if b := f.balance(bob); b.EntriesLeft != 9 {
		t.Fatalf("Bob at a consuming event: %d entries left, want 9", b.EntriesLeft)
	}
	if rs, _ := cal.Registrations(f.ctx, paid.ID); rs[0].Status != central.RegistrationAttended {
		t.Fatalf("Bob: %s, want attended", rs[0].Status)
	}
	// Once over, events are not sent any more.
	f.clock.Set(paris("2026-11-28 10:00"))
	if p := f.pullAll(k, 0, 0); pulledEvent(p, free.ID) != nil || pulledEvent(p, paid.ID) != nil {
		t.Fatal("an event over was sent")
	}
}
