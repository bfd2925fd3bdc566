package storetest

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// testProfiles: a profile is stored as chosen, the directory lists the
// active members who joined it by name, leaves out a hidden profile but
// for the bureau, and who is here today says each member's choice.
func testProfiles(t *testing.T) {
	f := newFixture(t)
	ps := f.store.Profiles
	alice, bob, carol := f.member("alice"), f.member("Bob"), f.member("Carol")
	if p, err := ps.FindProfile(f.ctx, alice); err != nil || p.InDirectory || p.ShowPresence {
		t.Fatalf("a new member's profile %+v, %v; want nothing shown", p, err)
	}
	if _, err := ps.FindProfile(f.ctx, 999); central.ErrorCode(err) != central.ENOTFOUND {
		t.Fatalf("profile of no member: %v", err)
	}
	for _, p := range []*central.Profile{
		{Member: alice, InDirectory: true, ShowPresence: true, About: "Menuisière", Skills: []string{"bois", "CNC"}},
		{Member: bob, InDirectory: true, About: "Graphiste"},
		{Member: carol, InDirectory: false, ShowPresence: false},
	} {
		if err := ps.SaveProfile(f.ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	p, err := ps.FindProfile(f.ctx, alice)
	if err != nil || !p.InDirectory || !p.ShowPresence || p.About != "Menuisière" || len(p.Skills) != 2 || p.Skills[1] != "CNC" {
		t.Fatalf("profile %+v, %v", p, err)
	}
	names := func(withHidden bool) []string {
		t.Helper()
		d, err := ps.Directory(f.ctx, withHidden)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range d {
			out = append(out, e.Name)
		}
		return out
	}
	if got := names(false); len(got) != 2 || got[0] != "alice" || got[1] != "Bob" {
		t.Fatalf("directory %v; want alice, Bob (by name, whatever the case)", got)
	}
	if err := ps.SetProfileHidden(f.ctx, bob, true); err != nil {
		t.Fatal(err)
	}
	if got := names(false); len(got) != 1 || got[0] != "alice" {
		t.Fatalf("directory with Bob hidden %v", got)
	}
	if got := names(true); len(got) != 2 {
		t.Fatalf("the bureau's directory %v; want the hidden profile too", got)
	}
	k := f.kiosk("door", "")
	f.sell(alice, f.product(access.Pack, 10, 0))
	f.push(k, entry(1, alice, f.clock.Now()), entry(2, carol, f.clock.Now()))
	here, err := ps.PresentToday(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	shown := map[int64]bool{}
	for _, p := range here {
		shown[p.Member] = p.Shown
	}
	if len(here) != 2 || !shown[alice] || shown[carol] {
		t.Fatalf("present today %+v; want alice shown, Carol not", here)
	}
}
