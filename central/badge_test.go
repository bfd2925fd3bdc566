package central

import (
	"slices"
	"testing"
	"time"
)

// TestReplacedBy: a replacing card revokes the member's valid printed
// badges only; without replace nothing is revoked.
func TestReplacedBy(t *testing.T) {
	then := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	card := &Badge{ID: 1, Kind: BadgeCard}
	card2 := &Badge{ID: 2, Kind: BadgeCard}
	revokedCard := &Badge{ID: 3, Kind: BadgeCard, Revoked: then}
	phone := &Badge{ID: 4, Kind: BadgePhone}
	all := []*Badge{card, card2, revokedCard, phone}
	for _, c := range []struct {
		name    string
		badges  []*Badge
		replace bool
		want    []int64
	}{
		{"replace revokes the valid cards", all, true, []int64{1, 2}},
		{"without replace nothing", all, false, nil},
		{"phone badges stay", []*Badge{phone}, true, nil},
		{"a revoked card keeps its revocation", []*Badge{revokedCard}, true, nil},
		{"no badge yet", nil, true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []int64
			for _, b := range ReplacedBy(c.badges, c.replace) {
				got = append(got, b.ID)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("ReplacedBy = %v, want %v", got, c.want)
			}
		})
	}
}
