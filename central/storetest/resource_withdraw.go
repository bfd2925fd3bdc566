package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// testResourceWithdraw: the bureau withdraws a resource
// (BookingService.WithdrawResource): refused (ECONFLICT) while a member's
// booking of it is to come, nothing changed; once it is cancelled, the
// resource is stored not bookable, its block to come kept, Book refuses
// it (EINVALID), and the journal says resource.withdraw; twice is no
// error. Put back (RestoreResource), it is bookable again, journaled
// resource.restore. One that does not exist is ENOTFOUND. A list's Limit
// reads the soonest bookings only.
func testResourceWithdraw(t *testing.T) {
	f := newFixture(t)
	bs := f.store.Bookings
	room := &central.Resource{Name: "Vidéoprojecteur", Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute}
	if err := bs.CreateResource(f.ctx, room); err != nil {
		t.Fatal(err)
	}
	alice := f.member("Alice")
	booking := &central.Booking{Resource: room.ID, Member: alice, Start: paris("2026-11-27 09:00"), End: paris("2026-11-27 10:00")}
	block := &central.Booking{Resource: room.ID, Blocked: true, Note: "révision", Start: paris("2026-11-28 09:00"), End: paris("2026-11-28 12:00")}
	for _, b := range []*central.Booking{booking, block} {
		if err := bs.Book(f.ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	active := func() bool {
		t.Helper()
		rs, err := bs.FindResources(f.ctx)
		if err != nil || len(rs) != 1 {
			t.Fatalf("resources: %v %d", err, len(rs))
		}
		return rs[0].Active
	}

	wantCode(t, bs.WithdrawResource(f.ctx, room.ID), central.ECONFLICT)
	if !active() {
		t.Fatal("withdrawn with a booking to come")
	}
	if err := bs.CancelBooking(f.ctx, booking.ID, 0); err != nil {
		t.Fatal(err)
	}
	for range 2 { // a double tap
		if err := bs.WithdrawResource(f.ctx, room.ID); err != nil {
			t.Fatal(err)
		}
	}
	if active() {
		t.Fatal("still bookable once withdrawn")
	}
	held, err := bs.FindBookings(f.ctx, central.BookingFilter{Resource: &room.ID})
	if err != nil || len(held) != 1 || held[0].ID != block.ID {
		t.Fatalf("the block after withdrawing: %v %+v", err, held)
	}
	wantCode(t, bs.Book(f.ctx, &central.Booking{Resource: room.ID, Member: alice, Start: paris("2026-11-27 11:00"),
		End: paris("2026-11-27 12:00")}), central.EINVALID)
	wantCode(t, bs.WithdrawResource(f.ctx, 99), central.ENOTFOUND)
	wantCode(t, bs.RestoreResource(f.ctx, 99), central.ENOTFOUND)

	for range 2 {
		if err := bs.RestoreResource(f.ctx, room.ID); err != nil {
			t.Fatal(err)
		}
	}
	if !active() {
		t.Fatal("not bookable once put back")
	}
	again := &central.Booking{Resource: room.ID, Member: alice, Start: paris("2026-11-27 11:00"), End: paris("2026-11-27 12:00")}
	if err := bs.Book(f.ctx, again); err != nil {
		t.Fatalf("booking it put back: %v", err)
	}
	evs, _, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: fmt.Sprintf("resource:%d", room.ID)})
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, ev := range evs {
		n[ev.Action]++
	}
	if n["resource.withdraw"] != 1 || n["resource.restore"] != 1 {
		t.Errorf("journal: %v", n)
	}

	// Limit: the soonest first, at most that many.
	for _, lim := range []struct{ limit, want int }{{1, 1}, {2, 2}, {3, 2}, {0, 2}, {central.MaxBookings + 1, 2}} {
		got, err := bs.FindBookings(f.ctx, central.BookingFilter{Resource: &room.ID, Limit: lim.limit})
		if err != nil || len(got) != lim.want || got[0].ID != again.ID {
			t.Errorf("Limit %d: %v %d bookings, want %d, the soonest first", lim.limit, err, len(got), lim.want)
		}
	}
}
