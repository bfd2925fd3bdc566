package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// testUnknownPlaces: an event or a resource an older `centrald event add
// --space` stored at a place that names no space ("1") is found by
// Places and central.UnknownPlaces (what centrald doctor reports), the
// main space's ("") and a space's key or name are not; SetResourcePlace
// moves a resource to a space (ENOTFOUND for none).
func testUnknownPlaces(t *testing.T) {
	f := newFixture(t)
	cantine := &central.Space{Name: "La Cantine"}
	if err := f.store.Spaces.CreateSpace(f.ctx, cantine); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 10, 17, 0, 0, 0, time.UTC)
	for _, place := range []string{"", "1", cantine.Key, "la cantine", "Atlantis"} {
		e := &central.CalendarEvent{Title: "Atelier " + place, Space: place, Start: start, End: start.Add(time.Hour), Capacity: 5}
		if err := f.store.Calendar.CreateEvent(f.ctx, e); err != nil {
			t.Fatal(err)
		}
		r := &central.Resource{Name: "Salle " + place, Space: place, Opens: 480, Closes: 1200, Slot: 30 * time.Minute}
		if err := f.store.Bookings.CreateResource(f.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	unknown := func() string {
		t.Helper()
		spaces, err := f.store.Spaces.FindSpaces(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.store.Calendar.Places(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(central.UnknownPlaces(spaces, rows))
	}
	if got, want := unknown(), "[{false 2 1} {false 5 Atlantis} {true 2 1} {true 5 Atlantis}]"; got != want {
		t.Fatalf("unknown places %s, want %s", got, want)
	}
	if err := f.store.Bookings.SetResourcePlace(f.ctx, 2, cantine.Key); err != nil {
		t.Fatal(err)
	}
	wantCode(t, f.store.Bookings.SetResourcePlace(f.ctx, 99, cantine.Key), central.ENOTFOUND)
	if got, want := unknown(), "[{false 2 1} {false 5 Atlantis} {true 5 Atlantis}]"; got != want {
		t.Fatalf("unknown places after resource 2 moved %s, want %s", got, want)
	}
	rs, err := f.store.Bookings.FindResources(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.ID == 2 && r.Space != cantine.Key {
			t.Fatalf("resource 2 at %q, want %q", r.Space, cantine.Key)
		}
	}
}

// testRenameKeepsPlaces: renaming a space (SpaceService.RenameSpace)
// stores at its key, in the same transaction, the events and resources
// that named it by its name in another case (an
// older `centrald event add --space` kept what was typed): renamed, they
// would name no space. Its key and another space's place stay; each move
// is audited (event.update, resource.space with the place it was). The
// main space renamed through space.name takes those named by its old
// name back to "".
func testRenameKeepsPlaces(t *testing.T) {
	f := newFixture(t)
	cantine := &central.Space{Name: "La Cantine"}
	annexe := &central.Space{Name: "L'Annexe"}
	for _, sp := range []*central.Space{cantine, annexe} {
		if err := f.store.Spaces.CreateSpace(f.ctx, sp); err != nil {
			t.Fatal(err)
		}
	}
	places := []string{cantine.Key, "la cantine", "LA CANTINE", "l'annexe", "1", "badgeuse"}
	start := time.Date(2026, 12, 10, 17, 0, 0, 0, time.UTC)
	for i, place := range places {
		e := &central.CalendarEvent{Title: fmt.Sprint("Atelier ", i), Space: place, Start: start, End: start.Add(time.Hour), Capacity: 5}
		if err := f.store.Calendar.CreateEvent(f.ctx, e); err != nil {
			t.Fatal(err)
		}
		r := &central.Resource{Name: fmt.Sprint("Salle ", i), Space: place, Opens: 480, Closes: 1200, Slot: 30 * time.Minute}
		if err := f.store.Bookings.CreateResource(f.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.Spaces.RenameSpace(f.ctx, cantine.ID, "La Cantine Croix-Rousse"); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Settings.SetSetting(f.ctx, central.SettingSpaceName, "La Halle"); err != nil {
		t.Fatal(err)
	}
	rows, err := f.store.Calendar.Places(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := "[{false 1 La Cantine} {false 2 La Cantine} {false 3 La Cantine} {false 4 l'annexe} {false 5 1} " +
		"{true 1 La Cantine} {true 2 La Cantine} {true 3 La Cantine} {true 4 l'annexe} {true 5 1}]"
	if got := fmt.Sprint(rows); got != want {
		t.Errorf("places after the renames %s, want %s", got, want)
	}
	spaces, err := f.store.Spaces.FindSpaces(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(central.UnknownPlaces(spaces, rows)), "[{false 5 1} {true 5 1}]"; got != want {
		t.Errorf("unknown places after the renames %s, want %s (only the one that named no space before)", got, want)
	}
	for _, o := range []struct{ object, was string }{
		{"event:2", "la cantine"}, {"event:3", "LA CANTINE"}, {"resource:2", "la cantine"}, {"resource:3", "LA CANTINE"},
		{"event:6", "badgeuse"}, {"resource:6", "badgeuse"},
	} {
		evs, _, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: o.object})
		if err != nil {
			t.Fatal(err)
		}
		var moved []string
		for _, ev := range evs {
			if ev.Action == "event.update" || ev.Action == "resource.space" {
				moved = append(moved, ev.Details)
			}
		}
		if len(moved) != 1 || !strings.Contains(moved[0], fmt.Sprintf(`"was":%q`, o.was)) {
			t.Errorf("%s's journal %q, want its move from %q", o.object, moved, o.was)
		}
	}
	for _, object := range []string{"event:1", "event:4", "event:5", "resource:1", "resource:4"} {
		evs, _, _ := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: object})
		for _, ev := range evs {
			if ev.Action == "event.update" || ev.Action == "resource.space" {
				t.Errorf("%s moved: %s %s", object, ev.Action, ev.Details)
			}
		}
	}
}
