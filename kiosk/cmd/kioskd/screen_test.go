package main

import (
	"testing"

	"github.com/badgeuse/badgeuse/shared/access"
)

// TestFrenchHours: the door screen says opening hours in French, days with
// the same hours in a row together.
func TestFrenchHours(t *testing.T) {
	for in, want := range map[string]string{
		"mon-sun 00:00-24:00":                              "lun – dim 00:00 – 24:00",
		"mon-fri 08:00-20:00; sat 09:00-13:00":             "lun – ven 08:00 – 20:00 · sam 09:00 – 13:00",
		"mon,wed 08:00-12:00":                              "lun 08:00 – 12:00 · mer 08:00 – 12:00",
		"mon-tue 08:00-12:00,14:00-18:00; wed 08:00-12:00": "lun – mar 08:00 – 12:00,14:00 – 18:00 · mer 08:00 – 12:00",
		"": "",
	} {
		h, err := access.ParseHours(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if got := frenchHours(h.String()); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
