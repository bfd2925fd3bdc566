package sqlite_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestElsewhereBadges: a kiosk of a network keeps the badges of other
// spaces' members as hashes only (Lookup: unknown badge, Elsewhere; a
// revoked one revoked), forgets them with the next snapshot that does not
// carry them, and a badge becomes a member's here when she is sent (she
// bought a pass valid here). Entitlements keep their spaces, the space id
// its settings.
func TestElsewhereBadges(t *testing.T) {
	db := mustOpen(t, t.TempDir())
	pass := access.Entitlement{ID: 7, Kind: access.Pack, Entries: 3}
	cardA := access.Entitlement{ID: 8, Kind: access.Pack, Entries: 5, Spaces: access.Spaces(1)}
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 5, Settings: kiosk.RawSettings{Space: "B", SpaceID: 2},
		Members:   []kiosk.Member{member(1, 1, pass, cardA)},
		Elsewhere: []kiosk.Badge{{Hash: hashOf(2)}, {Hash: hashOf(3), Revoked: true}}})
	h := lookup(t, db, 1)
	if h.Member != 1 || h.Elsewhere || len(h.Entitlements) != 2 || h.Entitlements[0] != pass || h.Entitlements[1] != cardA {
		t.Fatalf("member here: %+v", h)
	}
	if h := lookup(t, db, 2); h.Badge != access.BadgeUnknown || !h.Elsewhere || h.Member != 0 {
		t.Fatalf("badge of another space: %+v, want unknown, elsewhere, no member", h)
	}
	if h := lookup(t, db, 3); h.Badge != access.BadgeRevoked || h.Elsewhere {
		t.Fatalf("revoked badge of another space: %+v, want revoked", h)
	}
	if h := lookup(t, db, 4); h.Badge != access.BadgeUnknown || h.Elsewhere {
		t.Fatalf("badge of no one: %+v", h)
	}
	st, err := db.State(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Settings.SpaceID != 2 {
		t.Fatalf("space id %d, want 2", st.Settings.SpaceID)
	}
	// Incremental: the member of badge 2 bought a pass valid here; member
	// 1 lost hers (Deleted, her badge now elsewhere).
	apply(t, db, true, kiosk.Changes{Cursor: 6, Settings: kiosk.RawSettings{Space: "B", SpaceID: 2},
		Members: []kiosk.Member{member(2, 2, pass)}, Deleted: []int64{1}, Elsewhere: []kiosk.Badge{{Hash: hashOf(1)}}})
	if h := lookup(t, db, 2); h.Member != 2 || h.Elsewhere {
		t.Fatalf("badge 2 after she bought a pass here: %+v", h)
	}
	if h := lookup(t, db, 1); h.Member != 0 || !h.Elsewhere {
		t.Fatalf("badge 1 after she lost her pass here: %+v, want elsewhere, no member", h)
	}
	// A snapshot that no longer carries badge 3 forgets it.
	apply(t, db, true, kiosk.Changes{Snapshot: true, Cursor: 9, Settings: kiosk.RawSettings{Space: "B", SpaceID: 2},
		Members: []kiosk.Member{member(2, 2, pass)}, Elsewhere: []kiosk.Badge{{Hash: hashOf(1)}}})
	if h := lookup(t, db, 3); h.Badge != access.BadgeUnknown || h.Elsewhere {
		t.Fatalf("badge 3 after a snapshot without it: %+v", h)
	}
	if h := lookup(t, db, 1); !h.Elsewhere {
		t.Fatalf("badge 1 after a snapshot with it: %+v", h)
	}
}
