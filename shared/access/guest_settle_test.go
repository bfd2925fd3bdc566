package access_test

import (
	"slices"
	"testing"

	"github.com/badgeuse/badgeuse/shared/access"
)

// TestSettleGuests: a guest's visit takes one of her host's entries
// (oldest pack first, in day order with the host's own visits), is covered
// by an unlimited plan but not by the host's subscription, and becomes an
// overdraft when no entry is left, like the host's own.
func TestSettleGuests(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ents      []access.Entitlement
		visits    []string
		guest     []bool
		used      []int64
		left      map[int64]int
		overdraft int
	}{
		{"GuestTakesAnEntry", []access.Entitlement{pack(1, "2026-11-01", "", 10)},
			[]string{"2026-11-02", "2026-11-02"}, []bool{false, true}, []int64{1, 1}, map[int64]int{1: 8}, 0},
		{"SubscriptionIsTheHostsOnly", []access.Entitlement{pack(1, "2026-11-01", "", 10), sub(2, "2026-11-01", "2026-11-30")},
			[]string{"2026-11-02", "2026-11-02"}, []bool{false, true}, []int64{0, 1}, map[int64]int{1: 9}, 0},
		{"UnlimitedCoversGuests", []access.Entitlement{{ID: 3, Kind: access.Unlimited}},
			[]string{"2026-11-02"}, []bool{true}, []int64{0}, map[int64]int{}, 0},
		{"GuestOverdraft", []access.Entitlement{pack(1, "2026-11-01", "", 1)},
			[]string{"2026-11-02", "2026-11-03"}, []bool{false, true}, []int64{1, -1}, map[int64]int{1: 0}, 1},
		{"GuestOnlyWithSubscription", []access.Entitlement{sub(2, "2026-11-01", "2026-11-30")},
			[]string{"2026-11-05"}, []bool{true}, []int64{-1}, map[int64]int{}, 1},
		{"ShorterGuestListMeansOwnVisits", []access.Entitlement{sub(2, "2026-11-01", "2026-11-30")},
			[]string{"2026-11-05", "2026-11-06"}, nil, []int64{0, 0}, map[int64]int{}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var visits []access.Visit
			for i, s := range tc.visits {
				visits = append(visits, access.Visit{Day: day(s), Guest: i < len(tc.guest) && tc.guest[i]})
			}
			b := access.SettleAt(tc.ents, visits)
			if !slices.Equal(b.Visits, tc.used) {
				t.Errorf("visits paid by %v, want %v", b.Visits, tc.used)
			}
			for id, want := range tc.left {
				if b.Left[id] != want {
					t.Errorf("Left[%d] = %d, want %d", id, b.Left[id], want)
				}
			}
			if b.Overdraft != tc.overdraft {
				t.Errorf("Overdraft = %d, want %d", b.Overdraft, tc.overdraft)
			}
		})
	}
}
