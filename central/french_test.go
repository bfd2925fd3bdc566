package central_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestFrenchA: "à" before a place's name contracts with its article "Le"
// or "Les" (any case), and nothing else.
func TestFrenchA(t *testing.T) {
	for _, tc := range []struct{ place, want string }{
		{"Le Square", "au Square"},
		{"le square", "au square"},
		{"LE SQUARE", "au SQUARE"},
		{"Les Halles", "aux Halles"},
		{"La Ruche", "à La Ruche"},
		{"L’Annexe", "à L’Annexe"},
		{"L'Annexe", "à L'Annexe"},
		{"Lesbos Café", "à Lesbos Café"},
		{"Leroy", "à Leroy"},
		{"Le", "à Le"},
		{"Badgeuse", "à Badgeuse"},
		{"", "à "},
	} {
		if got := central.FrenchA(tc.place); got != tc.want {
			t.Errorf("FrenchA(%q) = %q, want %q", tc.place, got, tc.want)
		}
	}
}
