package uplink

import (
	"strings"
	"testing"
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
