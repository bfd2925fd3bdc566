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

// testBookingSpaceClock: a resource of a space with its own time zone
// takes slots on that space's clock, not on the network's (space.timezone,
// Europe/Paris here), and its weekly limit counts that space's weeks.
func testBookingSpaceClock(t *testing.T) {
	f := newFixture(t) // now: Thursday 26 November 2026, 10:00 in Paris (04:00 in Montreal)
	mtl := &central.Space{Name: "Montréal", Timezone: "America/Montreal"}
	if err := f.store.Spaces.CreateSpace(f.ctx, mtl); err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("America/Montreal")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	bs := f.store.Bookings
	alice := f.member("Alice")
	room := &central.Resource{Name: "Salle", Space: mtl.Key, Opens: 9 * 60, Closes: 24 * 60, Slot: time.Hour, MaxPerWeek: 2 * time.Hour}
	if err := bs.CreateResource(f.ctx, room); err != nil {
		t.Fatal(err)
	}
	book := func(start, end time.Time) error {
		return bs.Book(f.ctx, &central.Booking{Resource: room.ID, Member: alice, Start: start, End: end})
	}
	// 09:00-10:00 in Montreal is 15:00-16:00 in Paris: bookable.
	if err := book(at("2026-11-27 09:00"), at("2026-11-27 10:00")); err != nil {
		t.Fatalf("09:00 on the room's clock: %v", err)
	}
	// 09:00 in Paris is 03:00 in Montreal: outside the room's hours.
	wantCode(t, book(paris("2026-11-30 09:00"), paris("2026-11-30 10:00")), central.EINVALID)
	// Sunday 29 November 19:00 in Montreal is Monday 01:00 in Paris:
	// Montreal's week still, where Alice then holds two hours of two
	// (on Paris's clock she would hold one that week, and could add one).
	if err := book(at("2026-11-29 19:00"), at("2026-11-29 20:00")); err != nil {
		t.Fatalf("Sunday evening in Montreal: %v", err)
	}
	wantCode(t, book(at("2026-11-28 09:00"), at("2026-11-28 10:00")), central.ECONFLICT)
	if err := book(at("2026-11-30 09:00"), at("2026-11-30 10:00")); err != nil {
		t.Fatalf("Monday in Montreal, a new week: %v", err)
	}
}

// testBookingCancelledByBureau: the bureau cancelling a member's booking
// reacts BookingCancelled in the cancel's transaction (its outbox message
// is there when the cancel returns), once however many times it is
// cancelled, with the resource and the clock of its space; her own
// cancel and a block freed react nothing.
func testBookingCancelledByBureau(t *testing.T) {
	f := newFixture(t) // now: Thursday 26 November 2026, 10:00 in Paris
	var told []central.BookingCancelled
	f.store.SetReactions(func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		c, ok := ev.(central.BookingCancelled)
		if !ok {
			return nil
		}
		told = append(told, c)
		key := fmt.Sprintf("test.booking:%d", c.Booking.ID)
		return []central.OutboxMessage{{Topic: "test.booking", Key: key, Payload: "{}"}}
	})
	mtl := &central.Space{Name: "Montréal", Timezone: "America/Montreal"}
	if err := f.store.Spaces.CreateSpace(f.ctx, mtl); err != nil {
		t.Fatal(err)
	}
	bs := f.store.Bookings
	alice := f.member("Alice")
	room := &central.Resource{Name: "Salle", Space: mtl.Key, Opens: 0, Closes: 24 * 60, Slot: time.Hour}
	if err := bs.CreateResource(f.ctx, room); err != nil {
		t.Fatal(err)
	}
	var mine []*central.Booking
	for _, b := range []*central.Booking{
		{Resource: room.ID, Member: alice, Start: paris("2026-11-27 15:00"), End: paris("2026-11-27 16:00")},
		{Resource: room.ID, Member: alice, Start: paris("2026-11-27 16:00"), End: paris("2026-11-27 17:00")},
		{Resource: room.ID, Blocked: true, Start: paris("2026-11-27 18:00"), End: paris("2026-11-27 19:00")},
	} {
		if err := bs.Book(f.ctx, b); err != nil {
			t.Fatal(err)
		}
		mine = append(mine, b)
	}
	for _, c := range []struct{ id, by int64 }{{mine[0].ID, 0}, {mine[0].ID, 0}, {mine[1].ID, alice}, {mine[2].ID, 0}} {
		if err := bs.CancelBooking(f.ctx, c.id, c.by); err != nil {
			t.Fatal(err)
		}
	}
	if len(told) != 1 || told[0].Booking.ID != mine[0].ID || told[0].Booking.Member != alice || told[0].Resource.Name != "Salle" ||
		told[0].Location.String() != "America/Montreal" || !told[0].Booking.Start.Equal(paris("2026-11-27 15:00")) {
		t.Fatalf("BookingCancelled %+v, want one of the first booking", told)
	}
	items, err := f.outbox.ClaimOutbox(f.ctx, "test.booking", 10, time.Minute)
	if err != nil || len(items) != 1 || items[0].Key != fmt.Sprintf("test.booking:%d", mine[0].ID) {
		t.Fatalf("outbox %+v %v, want the one message", items, err)
	}
}
