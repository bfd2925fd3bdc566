package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// testBookingConcurrent: 20 members book the same slot at once: exactly
// one gets it, the others ECONFLICT; an overlapping slot booked at the
// same time as well never doubles it. Then the same with the bureau
// booking for half of them (ByBureau) while the others book for
// themselves: the bureau's bookings follow the same conflict rule.
func testBookingConcurrent(t *testing.T) {
	f := newFixture(t)
	bs := f.store.Bookings
	room := &central.Resource{Name: "Salle de réunion", Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute}
	if err := bs.CreateResource(f.ctx, room); err != nil {
		t.Fatal(err)
	}
	var members []int64
	for i := range 20 {
		members = append(members, f.member(fmt.Sprintf("M%d", i)))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, conflicts := 0, 0
	for i, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := paris("2026-12-04 09:00")
			if i%2 == 1 { // half ask 09:30-10:30, which overlaps too
				start = paris("2026-12-04 09:30")
			}
			err := bs.Book(f.ctx, &central.Booking{Resource: room.ID, Member: m, Start: start, End: start.Add(time.Hour)})
			mu.Lock()
			defer mu.Unlock()
			switch central.ErrorCode(err) {
			case "":
				won++
			case central.ECONFLICT:
				conflicts++
			default:
				t.Errorf("book: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 || conflicts != 19 {
		t.Fatalf("%d won, %d conflicts; want exactly one booking", won, conflicts)
	}
	got, err := bs.FindBookings(f.ctx, central.BookingFilter{Resource: &room.ID})
	if err != nil || len(got) != 1 {
		t.Fatalf("bookings stored: %v %d", err, len(got))
	}

	won, conflicts = 0, 0
	for i, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := paris("2026-12-04 14:00")
			err := bs.Book(f.ctx, &central.Booking{Resource: room.ID, Member: m, ByBureau: i%2 == 0,
				Start: start, End: start.Add(time.Hour)})
			mu.Lock()
			defer mu.Unlock()
			switch central.ErrorCode(err) {
			case "":
				won++
			case central.ECONFLICT:
				conflicts++
			default:
				t.Errorf("book: %v", err)
			}
		}()
	}
	wg.Wait()
	if won != 1 || conflicts != 19 {
		t.Fatalf("with the bureau booking for members: %d won, %d conflicts; want exactly one booking", won, conflicts)
	}
	if got, err = bs.FindBookings(f.ctx, central.BookingFilter{Resource: &room.ID}); err != nil || len(got) != 2 {
		t.Fatalf("bookings stored: %v %d", err, len(got))
	}
}

func testBookingRules(t *testing.T) {
	f := newFixture(t) // now: Thursday 26 November 2026, 10:00 in Paris
	bs := f.store.Bookings
	alice, bob := f.member("Alice"), f.member("Bob")
	room := &central.Resource{Name: "Salle", Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute, MaxPerWeek: 2 * time.Hour}
	if err := bs.CreateResource(f.ctx, room); err != nil {
		t.Fatal(err)
	}
	book := func(member int64, from, to string) error {
		return bs.Book(f.ctx, &central.Booking{Resource: room.ID, Member: member, Start: paris(from), End: paris(to)})
	}
	if err := book(alice, "2026-11-27 09:00", "2026-11-27 10:30"); err != nil {
		t.Fatal(err)
	}
	// Back to back is fine; overlapping is not.
	if err := book(bob, "2026-11-27 10:30", "2026-11-27 11:00"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, book(bob, "2026-11-27 10:00", "2026-11-27 10:30"), central.ECONFLICT)
	// Alice's week (Monday 23 to Sunday 29): 1h30 booked, 1h more is over 2h.
	wantCode(t, book(alice, "2026-11-28 09:00", "2026-11-28 10:00"), central.ECONFLICT)
	if err := book(alice, "2026-11-28 09:00", "2026-11-28 09:30"); err != nil {
		t.Fatalf("within the limit: %v", err)
	}
	// Next week is another week.
	if err := book(alice, "2026-11-30 09:00", "2026-11-30 11:00"); err != nil {
		t.Fatalf("next week: %v", err)
	}
	// Outside the hours, off the slots, in the past: refused.
	wantCode(t, book(bob, "2026-11-27 07:30", "2026-11-27 08:30"), central.EINVALID)
	wantCode(t, book(bob, "2026-11-27 12:10", "2026-11-27 12:40"), central.EINVALID)
	wantCode(t, book(bob, "2026-11-25 09:00", "2026-11-25 09:30"), central.EINVALID)
	wantCode(t, bs.Book(f.ctx, &central.Booking{Resource: 99, Member: bob, Start: paris("2026-11-27 12:00"), End: paris("2026-11-27 12:30")}), central.ENOTFOUND)

	// The bureau books for Alice over her weekly limit (2h: she holds
	// 2h already): allowed, and in the journal as the bureau's; the
	// booking counts in her week, so she cannot add one herself.
	forAlice := &central.Booking{Resource: room.ID, Member: alice, ByBureau: true,
		Start: paris("2026-11-29 09:00"), End: paris("2026-11-29 10:00")}
	wantCode(t, book(alice, "2026-11-29 09:00", "2026-11-29 10:00"), central.ECONFLICT)
	if err := bs.Book(f.ctx, forAlice); err != nil {
		t.Fatalf("the bureau books for a member over her limit: %v", err)
	}
	if got, _ := bs.FindBookings(f.ctx, central.BookingFilter{Member: &alice, Since: paris("2026-11-29 00:00")}); len(got) == 0 ||
		got[0].ID != forAlice.ID || got[0].Member != alice || got[0].Blocked {
		t.Fatalf("her bookings: %+v", got)
	}
	if err := bs.CancelBooking(f.ctx, forAlice.ID, alice); err != nil { // she may cancel it herself
		t.Fatal(err)
	}
	byBureau := 0
	evs, _, _ := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: fmt.Sprintf("resource:%d", room.ID)})
	for _, ev := range evs {
		if ev.Action == "booking.create" && strings.Contains(ev.Details, `"by_bureau":true`) {
			byBureau++
		}
	}
	if byBureau != 1 {
		t.Errorf("journal: %d bookings by the bureau, want 1", byBureau)
	}

	// The bureau blocks time: no limit, and no one books it.
	block := &central.Booking{Resource: room.ID, Blocked: true, Note: "Ménage", Start: paris("2026-11-27 14:00"), End: paris("2026-11-27 18:00")}
	if err := bs.Book(f.ctx, block); err != nil {
		t.Fatal(err)
	}
	wantCode(t, book(bob, "2026-11-27 15:00", "2026-11-27 15:30"), central.ECONFLICT)

	// Cancelling frees the slot; only its holder (or the bureau, member 0) cancels.
	mine, _ := bs.FindBookings(f.ctx, central.BookingFilter{Member: &alice})
	wantCode(t, bs.CancelBooking(f.ctx, mine[0].ID, bob), central.ENOTFOUND)
	if err := bs.CancelBooking(f.ctx, mine[0].ID, alice); err != nil {
		t.Fatal(err)
	}
	if err := book(bob, "2026-11-27 09:00", "2026-11-27 10:00"); err != nil {
		t.Fatalf("after cancelling: %v", err)
	}
	evs, _, _ = f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: fmt.Sprintf("resource:%d", room.ID)})
	actions := map[string]int{}
	for _, ev := range evs {
		actions[ev.Action]++
	}
	if actions["resource.create"] != 1 || actions["booking.create"] != 7 || actions["booking.cancel"] != 2 {
		t.Errorf("journal: %v", actions)
	}
}
