package storetest

import (
	"crypto/ed25519"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
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

// testRenameGuestPasses: renaming a space (SpaceService.RenameSpace, and
// the main space through space.name) stores, in the same transaction,
// its new name as the place of the guest passes that named it by its old
// name in any case: their code is signed with their place
// (GuestPassText) and the space's kiosks check the name the pull gives
// them, so a pass shown after the rename opens its door. Another space's
// passes stay; each place rewritten is audited with the count of passes.
func testRenameGuestPasses(t *testing.T) {
	f := newFixture(t)
	cantine := &central.Space{Name: "La Cantine"}
	annexe := &central.Space{Name: "L'Annexe"}
	for _, sp := range []*central.Space{cantine, annexe} {
		if err := f.store.Spaces.CreateSpace(f.ctx, sp); err != nil {
			t.Fatal(err)
		}
	}
	host := f.member("Marc")
	day := access.MustDay("2026-11-27")
	var passes []*central.GuestPass
	for _, place := range []string{"La Cantine", "la cantine", "La Cantine", "L'Annexe", "Badgeuse", "badgeuse"} {
		g := &central.GuestPass{Host: host, Name: "Léa " + place, Day: day, Space: place}
		if err := f.store.Guests.IssueGuestPass(f.ctx, g, 0); err != nil {
			t.Fatal(err)
		}
		passes = append(passes, g)
	}
	if err := f.store.Spaces.RenameSpace(f.ctx, cantine.ID, "La Cantine Croix-Rousse"); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Settings.SetSetting(f.ctx, central.SettingSpaceName, "La Halle"); err != nil {
		t.Fatal(err)
	}
	list, _, err := f.store.Guests.FindGuestPasses(f.ctx, central.GuestFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, g := range list {
		got[g.ID] = g.Space
	}
	for i, want := range []string{"La Cantine Croix-Rousse", "La Cantine Croix-Rousse", "La Cantine Croix-Rousse", "L'Annexe", "La Halle", "La Halle"} {
		if got[passes[i].ID] != want {
			t.Errorf("pass %d at %q is now at %q, want %q", passes[i].ID, passes[i].Space, got[passes[i].ID], want)
		}
	}
	// Shown after the rename, a pass verifies at the name its door checks.
	key, err := f.store.SigningKey()
	if err != nil {
		t.Fatal(err)
	}
	pub := key.Public().(ed25519.PublicKey)
	for _, c := range []struct {
		pass  *central.GuestPass
		space string
	}{{passes[1], "La Cantine Croix-Rousse"}, {passes[4], "La Halle"}} {
		g := *c.pass
		g.Space = got[g.ID]
		code, err := badge.ParseCode(central.GuestPassText(key, &g))
		if err != nil {
			t.Fatal(err)
		}
		if !code.Verify(pub, c.space) {
			t.Errorf("pass %d shown after the rename does not verify at %q", g.ID, c.space)
		}
	}
	for _, o := range []struct {
		space int64
		was   []string
	}{{cantine.ID, []string{`"count":2`, `"was":"La Cantine"`, `"count":1`, `"was":"la cantine"`}},
		{central.MainSpace, []string{`"count":1`, `"was":"Badgeuse"`, `"count":1`, `"was":"badgeuse"`}},
		{annexe.ID, nil}} {
		evs, _, err := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Object: fmt.Sprint("space:", o.space)})
		if err != nil {
			t.Fatal(err)
		}
		var details string
		n := 0
		for _, ev := range evs {
			if ev.Action == "guest.space" {
				details += ev.Details
				n++
			}
		}
		if n != len(o.was)/2 {
			t.Errorf("space %d: %d guest.space in the journal (%s), want %d", o.space, n, details, len(o.was)/2)
		}
		for _, w := range o.was {
			if !strings.Contains(details, w) {
				t.Errorf("space %d: journal %s, want %s", o.space, details, w)
			}
		}
	}
}

// testPullSpaceKey: a kiosk's pull names its space as it is now (Space)
// and gives its key (SpaceKey), the first name that guest passes mailed
// before a rename are signed for; the main space has no key ("").
func testPullSpaceKey(t *testing.T) {
	f := newFixture(t)
	cantine := &central.Space{Name: "La Cantine"}
	if err := f.store.Spaces.CreateSpace(f.ctx, cantine); err != nil {
		t.Fatal(err)
	}
	main, there := f.kiosk("Accueil", ""), f.kiosk("Porte", cantine.Key)
	check := func(when, mainName, name string) {
		t.Helper()
		if s := f.pull(main, 0, "", 0).Settings; s.Space != mainName || s.SpaceKey != "" {
			t.Errorf("%s: the main space's kiosk has space %q, key %q; want %q, no key", when, s.Space, s.SpaceKey, mainName)
		}
		if s := f.pull(there, 0, "", 0).Settings; s.Space != name || s.SpaceKey != "La Cantine" {
			t.Errorf("%s: La Cantine's kiosk has space %q, key %q; want %q, key La Cantine", when, s.Space, s.SpaceKey, name)
		}
	}
	check("before the renames", "Badgeuse", "La Cantine")
	if err := f.store.Spaces.RenameSpace(f.ctx, cantine.ID, "La Cantine Croix-Rousse"); err != nil {
		t.Fatal(err)
	}
	if err := f.store.Settings.SetSetting(f.ctx, central.SettingSpaceName, "La Halle"); err != nil {
		t.Fatal(err)
	}
	check("after the renames", "La Halle", "La Cantine Croix-Rousse")
}
