package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// testResourceUpdate: the bureau's form changes a resource
// (BookingService.UpdateResource): its name, hours, slot and limit are
// stored, whether it is bookable and when it was made stay, and the
// journal says what it was. Another space is refused (ECONFLICT) while a
// booking to come holds, then allowed once it is cancelled; hours a
// booking to come would fall out of are refused; a bad resource is
// EINVALID and one that does not exist ENOTFOUND, nothing changed.
func testResourceUpdate(t *testing.T) {
	f := newFixture(t)
	bs := f.store.Bookings
	hangar := &central.Space{Name: "Le Hangar"}
	if err := f.store.Spaces.CreateSpace(f.ctx, hangar); err != nil {
		t.Fatal(err)
	}
	room := &central.Resource{Name: "Salle de réunion", Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute}
	if err := bs.CreateResource(f.ctx, room); err != nil {
		t.Fatal(err)
	}
	alice := f.member("Alice")
	booking := &central.Booking{Resource: room.ID, Member: alice, Start: paris("2026-11-27 09:00"), End: paris("2026-11-27 10:00")}
	if err := bs.Book(f.ctx, booking); err != nil {
		t.Fatal(err)
	}
	find := func() *central.Resource {
		t.Helper()
		rs, err := bs.FindResources(f.ctx)
		if err != nil || len(rs) != 1 {
			t.Fatalf("resources: %v %d", err, len(rs))
		}
		return rs[0]
	}
	before := find()

	edit := &central.Resource{ID: room.ID, Name: "  Salle  Rhône ", Opens: 9 * 60, Closes: 19 * 60, Slot: time.Hour, MaxPerWeek: 4 * time.Hour}
	if err := bs.UpdateResource(f.ctx, edit); err != nil {
		t.Fatal(err)
	}
	got := find()
	if got.Name != "Salle Rhône" || got.Space != "" || got.Opens != 540 || got.Closes != 1140 || got.Slot != time.Hour ||
		got.MaxPerWeek != 4*time.Hour || !got.Active || !got.Created.Equal(before.Created) {
		t.Fatalf("updated: %+v", got)
	}

	// Another space while Alice's booking is to come; hours she would
	// fall out of.
	wantCode(t, bs.UpdateResource(f.ctx, &central.Resource{ID: room.ID, Name: "Salle Rhône", Space: hangar.Key,
		Opens: 540, Closes: 1140, Slot: time.Hour}), central.ECONFLICT)
	wantCode(t, bs.UpdateResource(f.ctx, &central.Resource{ID: room.ID, Name: "Salle Rhône", Opens: 600, Closes: 1140,
		Slot: time.Hour}), central.ECONFLICT)
	wantCode(t, bs.UpdateResource(f.ctx, &central.Resource{ID: room.ID, Name: "", Opens: 540, Closes: 1140, Slot: time.Hour}), central.EINVALID)
	wantCode(t, bs.UpdateResource(f.ctx, &central.Resource{ID: 99, Name: "Ailleurs", Opens: 540, Closes: 1140, Slot: time.Hour}), central.ENOTFOUND)
	if got := find(); got.Name != "Salle Rhône" || got.Space != "" || got.Opens != 540 {
		t.Fatalf("refused changes stored: %+v", got)
	}

	// Her booking cancelled, the room moves.
	if err := bs.CancelBooking(f.ctx, booking.ID, alice); err != nil {
		t.Fatal(err)
	}
	if err := bs.UpdateResource(f.ctx, &central.Resource{ID: room.ID, Name: "Salle Rhône", Space: hangar.Key, Opens: 600,
		Closes: 1140, Slot: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if got := find(); got.Space != hangar.Key || got.Opens != 600 || got.MaxPerWeek != 0 {
		t.Fatalf("moved: %+v", got)
	}
	evs, _, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: fmt.Sprintf("resource:%d", room.ID)})
	if err != nil {
		t.Fatal(err)
	}
	var updates []string
	for _, ev := range evs {
		if ev.Action == "resource.update" {
			updates = append(updates, ev.Details)
		}
	}
	if len(updates) != 2 || !strings.Contains(updates[0], `"space_before":""`) || !strings.Contains(updates[0], `"space":"Le Hangar"`) ||
		!strings.Contains(updates[1], `"name_before":"Salle de réunion"`) || !strings.Contains(updates[1], `"name":"Salle Rhône"`) {
		t.Errorf("journal: %q", updates)
	}
}
