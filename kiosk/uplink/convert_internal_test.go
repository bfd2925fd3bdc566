package uplink

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/shared/wire"
)

// TestDoorNameBounded: a first name from central is kept only bounded and
// visible before the store keeps it and the door screen shows it.
func TestDoorNameBounded(t *testing.T) {
	for in, want := range map[string]string{
		"Alice":            "Alice",
		" Léa\n":           "Léa",
		"A\u202eli\x00ce":  "Alice",
		"Anne\tMarie":      "AnneMarie",
		"\xff\xfeBob":      "Bob",
		"Jean-Pierre Paul": "Jean-Pierre Paul",
	} {
		if got := doorName(in); got != want {
			t.Errorf("doorName(%q) = %q, want %q", in, got, want)
		}
	}
	long := doorName(strings.Repeat("é", 1000))
	if len(long) > wire.MaxName || !utf8.ValidString(long) {
		t.Errorf("a long name is kept as %d bytes", len(long))
	}
	m, err := memberFromWire(wire.Member{ID: 1, Status: "active", Name: "Alice", Lang: "en"})
	if err != nil || m.Name != "Alice" || m.Lang != "en" {
		t.Fatalf("memberFromWire: %+v, %v", m, err)
	}
	// A language the screen does not speak is French.
	if m, _ := memberFromWire(wire.Member{ID: 1, Status: "active", Lang: "<b>de</b>"}); m.Lang != "" {
		t.Fatalf("language %q kept", m.Lang)
	}
}

// FuzzChangesFromWire: a pull answer as the kiosk decodes it (central's
// words, or whatever sits between) is either refused whole or yields
// members whose names are bounded and visible, languages the screen
// speaks, and events that end after they start.
func FuzzChangesFromWire(f *testing.F) {
	day := "2026-12-07"
	b, _ := json.Marshal(wire.PullResponse{Snapshot: true, Cursor: 3, Members: []wire.Member{{ID: 1, Status: "active", Name: "Alice", Lang: "en",
		LastVisit: day, Badges: []wire.Badge{{Hash: strings.Repeat("ab", 32)}},
		Entitlements: []wire.Entitlement{{ID: 2, Kind: "pack", Start: day, End: day, Entries: 3, Spaces: []int64{2, 5}}}}},
		Elsewhere: []wire.Badge{{Hash: strings.Repeat("cd", 32), Revoked: true}},
		Events:    []wire.Event{{ID: 4, Start: time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC), Members: []int64{1}}}})
	f.Add(b)
	f.Add([]byte(`{"members":[{"id":1,"status":"active","name":"\u202eA\u0000","badges":[{"hash":"zz"}]}]}`))
	f.Add([]byte(`{"members":[{"id":1,"entitlements":[{"id":1,"spaces":[3,3,0,-1]}]}]}`))
	f.Add([]byte(`{"events":[{"id":1,"start":"2026-12-07T20:00:00Z","end":"2026-12-07T18:00:00Z"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var r wire.PullResponse
		if json.Unmarshal(data, &r) != nil {
			return
		}
		c, err := changesFromWire(r)
		if err != nil {
			return
		}
		for _, m := range c.Members {
			if len(m.Name) > wire.MaxName || !utf8.ValidString(m.Name) || m.Name != strings.TrimSpace(m.Name) || (m.Lang != "" && m.Lang != "en") {
				t.Fatalf("member %d kept with name %q, language %q", m.ID, m.Name, m.Lang)
			}
			for _, r := range m.Name {
				if !unicode.IsGraphic(r) {
					t.Fatalf("member %d's name %q holds %U", m.ID, m.Name, r)
				}
			}
		}
		for _, e := range c.Events {
			if !e.End.After(e.Start) {
				t.Fatalf("event %d kept ending at %v, before its start %v", e.ID, e.End, e.Start)
			}
		}
	})
}
