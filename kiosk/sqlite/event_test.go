package sqlite_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// TestEvents: the kiosk keeps the events central sends (issue 15): a
// registered member's Lookup carries them, a cancelled registration's
// ticket is revoked, an event sent again replaces what was held of it, a
// snapshot drops the events it did not carry, and an event over for a day
// is dropped. An entry for an event that took nothing is not a visit
// (already_today), one that took an entry is.
func TestEvents(t *testing.T) {
	db := mustOpen(t, t.TempDir())
	start := now.Add(time.Hour)
	ev := kiosk.Event{ID: 4, Start: start, End: start.Add(2 * time.Hour), Members: []int64{1}, Revoked: []int64{30}}
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 5, Members: []kiosk.Member{member(1, 1), member(2, 2)},
		Events: []kiosk.Event{ev}})
	h := lookup(t, db, 1)
	want := access.Event{ID: 4, Start: ev.Start, End: ev.End}
	if len(h.Events) != 1 || !h.Events[0].Start.Equal(want.Start) || !h.Events[0].End.Equal(want.End) || h.Events[0].ID != 4 || h.Events[0].Consumes {
		t.Fatalf("registered member's events %+v, want %+v", h.Events, want)
	}
	if h := lookup(t, db, 2); len(h.Events) != 0 {
		t.Fatalf("member not registered: events %+v", h.Events)
	}
	ticket := func(reg int64) kiosk.Holder {
		t.Helper()
		h, err := db.LookupTicket(ctx, reg, badge.TicketHash(uint32(reg)))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	if h := ticket(30); h.Badge != access.BadgeRevoked {
		t.Fatalf("cancelled ticket: %+v", h)
	}
	if h := ticket(31); h.Badge != access.BadgeActive || !h.LastAccepted.IsZero() {
		t.Fatalf("ticket: %+v", h)
	}
	// Sent again: member 2 registered, member 1 cancelled, consuming.
	ev.Members, ev.Revoked, ev.Consumes = []int64{2}, nil, true
	apply(t, db, true, kiosk.Changes{Cursor: 6, Events: []kiosk.Event{ev}})
	if h := lookup(t, db, 1); len(h.Events) != 0 {
		t.Fatalf("member 1 after her cancellation: %+v", h.Events)
	}
	if h := lookup(t, db, 2); len(h.Events) != 1 || !h.Events[0].Consumes {
		t.Fatalf("member 2: %+v", h.Events)
	}
	if h := ticket(30); h.Badge != access.BadgeActive {
		t.Fatalf("ticket no longer listed as cancelled: %+v", h)
	}

	// Entries: one for the event that took nothing is not a visit today;
	// the ticket's acceptance is its last.
	rec := func(member int64, b badge.Hash, d access.Decision) {
		t.Helper()
		if err := db.Record(ctx, &kiosk.Entry{Time: now, Badge: b, Member: member, Decision: d}); err != nil {
			t.Fatal(err)
		}
	}
	rec(2, hashOf(2), access.Decision{Accept: true, Reason: access.OKEvent})
	rec(0, badge.TicketHash(31), access.Decision{Accept: true, Reason: access.OKEvent})
	if h := lookup(t, db, 2); !h.LastVisit.IsZero() {
		t.Fatalf("an event entry that took nothing made a visit: %v", h.LastVisit)
	}
	if h := ticket(31); !h.LastAccepted.Equal(now) {
		t.Fatalf("ticket's last acceptance %v, want %v", h.LastAccepted, now)
	}
	rec(1, hashOf(1), access.Decision{Accept: true, Reason: access.OKEvent, Consume: 9})
	if h := lookup(t, db, 1); h.LastVisit != access.DayOf(now, access.Paris) {
		t.Fatalf("an event entry that took an entry: last visit %v", h.LastVisit)
	}

	// A snapshot without it drops it.
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 9, Members: []kiosk.Member{member(1, 1), member(2, 2)}})
	if h := lookup(t, db, 2); len(h.Events) != 0 {
		t.Fatalf("after a snapshot without the event: %+v", h.Events)
	}
	// An event over for more than a day is dropped at the next pull.
	old := kiosk.Event{ID: 5, Start: now.Add(-50 * time.Hour), End: now.Add(-48 * time.Hour), Members: []int64{1}}
	apply(t, db, true, kiosk.Changes{Cursor: 10, Events: []kiosk.Event{old}})
	if h := lookup(t, db, 1); len(h.Events) != 0 {
		t.Fatalf("an event over for two days is kept: %+v", h.Events)
	}
}
