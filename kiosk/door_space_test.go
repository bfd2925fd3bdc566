package kiosk_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/kiosk/sqlite"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestDoorSpaces: a door of space 2 of a network uses only what is valid
// at its space (never the older card of space 1), refuses a member whose
// passes are all elsewhere, and the badge of another space's member, as
// not_valid_here (shown as such), and still says revoked for a revoked one.
func TestDoorSpaces(t *testing.T) {
	dir := t.TempDir()
	db, err := sqlite.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b := func(n byte) []kiosk.Badge { return []kiosk.Badge{{Hash: secret(n).Hash()}} }
	cardOf1 := access.Entitlement{ID: 10, Kind: access.Pack, Entries: 5, Spaces: access.Spaces(1)}
	pass := access.Entitlement{ID: 11, Kind: access.Pack, Entries: 5, Start: access.MustDay("2026-11-20")}
	err = db.ApplyPull(ctx, true, kiosk.Changes{Snapshot: true, Cursor: 1, ServerTime: t0.Add(-time.Hour),
		Settings: kiosk.RawSettings{Space: "B", SpaceID: 2, Timezone: "Europe/Paris"},
		Members: []kiosk.Member{
			{ID: 1, Status: access.MemberActive, Badges: b(1), Entitlements: []access.Entitlement{cardOf1, pass}},
			{ID: 2, Status: access.MemberActive, Badges: b(2), Entitlements: []access.Entitlement{{ID: 20, Kind: access.Pack, Entries: 3, Spaces: access.Spaces(1, 3)}}},
		},
		Elsewhere: []kiosk.Badge{{Hash: secret(3).Hash()}, {Hash: secret(4).Hash(), Revoked: true}}}, t0.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var frames [][]string
	for _, n := range []byte{1, 2, 3, 4, 9} {
		for range 3 {
			frames = append(frames, []string{secret(n).Text()})
		}
		for range 30 {
			frames = append(frames, nil)
		}
	}
	cam := &script{texts: frames, step: 100 * time.Millisecond, t0: t0}
	ind := &indicator{dir: dir}
	var got []kiosk.Decided
	clock := t0
	door := &kiosk.Door{Camera: cam, Decoder: cam, Store: db, Indicator: ind, ExitAtEOF: true,
		Now: func() time.Time { clock = clock.Add(time.Second); return clock }, BootID: "boot-1",
		Mono:       func() time.Duration { return time.Second },
		OnDecision: func(d kiosk.Decided) { got = append(got, d) }}
	if err := door.Serve(ctx); err != nil {
		t.Fatal(err)
	}
	want := []access.Decision{
		{Accept: true, Reason: access.OKPack, Consume: 11},
		{Reason: access.NotValidHere}, {Reason: access.NotValidHere}, {Reason: access.RevokedBadge}, {Reason: access.UnknownBadge},
	}
	if len(got) != len(want) {
		t.Fatalf("%d decisions, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Entry.Decision != w || ind.shown[i].Reason != w.Reason {
			t.Errorf("scan %d: %+v (shown %s), want %+v", i, got[i].Entry.Decision, ind.shown[i].Reason, w)
		}
	}
	if got[2].Entry.Member != 0 {
		t.Errorf("a badge of another space recorded with member %d", got[2].Entry.Member)
	}
}
