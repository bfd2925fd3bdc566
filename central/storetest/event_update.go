package storetest

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// testEventUpdate: the bureau edits an event. A capacity below the places
// confirmed is refused; a capacity raised confirms the waiting list,
// oldest first, as a cancellation does (RegistrationPromoted each); its
// space cannot change once someone is registered. New hours make the
// next revision, an EventMoved naming the registrations holding or
// waiting for a place (none cancelled), and the kiosks of its space get
// them at their next incremental pull.
func testEventUpdate(t *testing.T) {
	f := newFixture(t) // now: Thursday 26 November 2026, 10:00 in Paris
	var moved []central.EventMoved
	var promoted []int64
	f.store.SetReactions(func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		switch ev := ev.(type) {
		case central.EventMoved:
			moved = append(moved, ev)
		case central.RegistrationPromoted:
			promoted = append(promoted, ev.Registration.ID)
		}
		return nil
	})
	cal := f.store.Calendar
	ada, bob, cid, dan := f.member("Ada"), f.member("Bob"), f.member("Cid"), f.member("Dan")
	f.sell(ada, f.product(access.Pack, 10, 0))
	k := f.kiosk("Porte", "")
	ev := &central.CalendarEvent{Title: "Atelier", Start: paris("2026-12-03 18:00"), End: paris("2026-12-03 20:00"), Capacity: 2}
	if err := cal.CreateEvent(f.ctx, ev); err != nil {
		t.Fatal(err)
	}
	regs := map[int64]*central.Registration{}
	for _, m := range []int64{ada, bob, cid, dan} {
		r := &central.Registration{Event: ev.ID, Member: m}
		if err := cal.Register(f.ctx, r); err != nil {
			t.Fatal(err)
		}
		regs[m] = r
	}
	if _, err := cal.CancelRegistration(f.ctx, ev.ID, regs[dan].ID); err != nil { // Dan waited, then left
		t.Fatal(err)
	}
	pages := f.pullAll(k, 0, 0)
	cursor := pages[len(pages)-1].Cursor
	promoted = nil

	edit := func(change func(e *central.CalendarEvent)) ([]*central.Registration, error) {
		e, err := cal.FindEvent(f.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		change(e)
		return cal.UpdateEvent(f.ctx, e)
	}
	// Ada and Bob hold the two places: one place is refused.
	_, err := edit(func(e *central.CalendarEvent) { e.Capacity = 1 })
	wantCode(t, err, central.ECONFLICT)
	_, err = edit(func(e *central.CalendarEvent) { e.Space = "Ailleurs" })
	wantCode(t, err, central.ECONFLICT)
	_, err = edit(func(e *central.CalendarEvent) { e.End = e.Start })
	wantCode(t, err, central.EINVALID)
	if _, err := cal.UpdateEvent(f.ctx, &central.CalendarEvent{ID: 999, Title: "X", Start: ev.Start, End: ev.End, Capacity: 1}); central.ErrorCode(err) != central.ENOTFOUND {
		t.Fatalf("an unknown event: %v", err)
	}
	// Three places: Cid, waiting, gets the third.
	got, err := edit(func(e *central.CalendarEvent) { e.Capacity = 3; e.Title = "Atelier compta" })
	if err != nil || len(got) != 1 || got[0].ID != regs[cid].ID || got[0].Status != central.RegistrationConfirmed {
		t.Fatalf("capacity raised: promoted %+v, %v", got, err)
	}
	if len(promoted) != 1 || promoted[0] != regs[cid].ID || len(moved) != 0 {
		t.Fatalf("reactions: promoted %v, moved %d", promoted, len(moved))
	}
	e, _ := cal.FindEvent(f.ctx, ev.ID)
	if e.Title != "Atelier compta" || e.Capacity != 3 || e.Confirmed != 3 || e.Waitlisted != 0 || e.Revision != 0 {
		t.Fatalf("after the capacity: %+v", e)
	}

	// An hour later: a new revision, the three holding places told, the
	// kiosk's next pull has the new hours (and Consumes).
	got, err = edit(func(e *central.CalendarEvent) {
		e.Start, e.End, e.Consumes = e.Start.Add(time.Hour), e.End.Add(time.Hour), true
	})
	if err != nil || len(got) != 0 {
		t.Fatalf("moved: %+v %v", got, err)
	}
	if len(moved) != 1 || moved[0].Event.Revision != 1 || len(moved[0].Registrations) != 3 ||
		!moved[0].Event.Start.Equal(paris("2026-12-03 19:00")) {
		t.Fatalf("EventMoved %+v", moved)
	}
	for _, r := range moved[0].Registrations {
		if r.Member == dan || r.Status != central.RegistrationConfirmed {
			t.Errorf("told %+v", r)
		}
	}
	pages = f.pullAll(k, cursor, 0)
	kev := pulledEvent(pages, ev.ID)
	if kev == nil || !kev.Start.Equal(paris("2026-12-03 19:00")) || !kev.End.Equal(paris("2026-12-03 21:00")) || !kev.Consumes ||
		len(kev.Members) != 3 {
		t.Fatalf("the kiosk's incremental pull: %+v", kev)
	}
	// The same hours again: no new revision, nobody told.
	if _, err := edit(func(e *central.CalendarEvent) { e.Description = "Les bases" }); err != nil {
		t.Fatal(err)
	}
	if e, _ := cal.FindEvent(f.ctx, ev.ID); e.Revision != 1 || e.Description != "Les bases" || len(moved) != 1 {
		t.Fatalf("a change of the text only: revision %d, %d moves", e.Revision, len(moved))
	}
}
