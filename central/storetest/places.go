package storetest

import (
	"fmt"
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
