package access_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Spaces of the tests: the door is at A or B; C is a third space.
const (
	spaceA int64 = 1
	spaceB int64 = 2
	spaceC int64 = 3
)

// validAt returns e valid at spaces (none: every space).
func validAt(e access.Entitlement, spaces ...int64) access.Entitlement {
	e.Spaces = access.Spaces(spaces...)
	return e
}

// TestDecideSpaces: every kind of entitlement (pack, subscription,
// unlimited, membership, a guest's host) valid at every set of spaces
// (every space, this one only, another only, a list with or without this
// one), at a door of A, of B, or of no known space. What is valid here
// decides as before; what only another space's products would allow is
// refused not_valid_here; refusals for other reasons keep them.
func TestDecideSpaces(t *testing.T) {
	office, _ := access.ParseHours("mon-fri 08:00-20:00")
	now := at("2026-11-26 09:12") // a Thursday
	card := pack(1, "2026-11-01", "", 5)
	month := sub(2, "2026-11-01", "2026-11-30")
	staff := access.Entitlement{ID: 3, Kind: access.Unlimited}
	year := dues(4, "2026-01-01", "2026-12-31")
	expired := sub(5, "2026-10-01", "2026-10-31")

	type sets struct {
		name   string
		spaces []int64
		atA    bool // valid at a door of A
		atB    bool
	}
	for _, s := range []sets{
		{"AllSpaces", nil, true, true},
		{"SellingSpaceA", []int64{spaceA}, true, false},
		{"OtherSpaceB", []int64{spaceB}, false, true},
		{"ListAB", []int64{spaceA, spaceB}, true, true},
		{"ListBC", []int64{spaceB, spaceC}, false, true},
		{"ListC", []int64{spaceC}, false, false},
	} {
		for _, door := range []int64{0, spaceA, spaceB} {
			valid := door == 0 || (door == spaceA && s.atA) || (door == spaceB && s.atB)
			for _, tc := range []struct {
				kind     string
				req      access.Request
				accepted access.Decision // when the entitlement is valid at the door
			}{
				{"Pack", access.Request{Entitlements: []access.Entitlement{validAt(card, s.spaces...)}},
					access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
				{"Subscription", access.Request{Entitlements: []access.Entitlement{validAt(month, s.spaces...)}},
					access.Decision{Accept: true, Reason: access.OKSubscription}},
				{"Unlimited", access.Request{Entitlements: []access.Entitlement{validAt(staff, s.spaces...)}},
					access.Decision{Accept: true, Reason: access.OKUnlimited}},
				{"MembershipRequired", access.Request{RequireMembership: true,
					Entitlements: []access.Entitlement{validAt(year, s.spaces...), card}},
					access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
				{"GuestOfHostWithPack", access.Request{Guest: true, GuestConsumes: true,
					Entitlements: []access.Entitlement{validAt(card, s.spaces...)}},
					access.Decision{Accept: true, Reason: access.OKGuest, Consume: 1}},
			} {
				t.Run(fmt.Sprintf("%s/%s/door%d", s.name, tc.kind, door), func(t *testing.T) {
					r := tc.req
					r.Badge, r.Member, r.Now, r.Space = access.BadgeActive, access.MemberActive, now, door
					want := tc.accepted
					if !valid {
						want = access.Decision{Reason: access.NotValidHere}
					}
					if got := access.Decide(r); got != want {
						t.Errorf("Decide() = %+v, want %+v", got, want)
					}
				})
			}
		}
	}

	base := access.Request{Badge: access.BadgeActive, Member: access.MemberActive, Now: now, Space: spaceB}
	for _, tc := range []struct {
		name string
		mod  func(*access.Request)
		want access.Decision
	}{
		// Reasons that come before the space keep their word.
		{"RevokedBadgeStaysRevoked", func(r *access.Request) {
			r.Badge = access.BadgeRevoked
			r.Entitlements = []access.Entitlement{validAt(card, spaceA)}
		}, access.Decision{Reason: access.RevokedBadge}},
		{"SuspendedStaysSuspended", func(r *access.Request) {
			r.Member = access.MemberSuspended
			r.Entitlements = []access.Entitlement{validAt(card, spaceA)}
		}, access.Decision{Reason: access.MemberIsSuspended}},
		{"ClosedHereStaysClosed", func(r *access.Request) {
			r.Hours, r.Now = office, at("2026-11-26 21:00")
			r.Entitlements = []access.Entitlement{validAt(card, spaceA)}
		}, access.Decision{Reason: access.Closed}},
		// A pass valid elsewhere that would refuse anyway is no reason to
		// send her elsewhere: she has nothing here.
		{"EmptyCardElsewhereIsNoEntriesLeft", func(r *access.Request) {
			r.Entitlements = []access.Entitlement{validAt(pack(1, "2026-11-01", "", 0), spaceA)}
		}, access.Decision{Reason: access.NoEntriesLeft}},
		{"ExpiredSubscriptionElsewhereIsNothingHere", func(r *access.Request) {
			r.Entitlements = []access.Entitlement{validAt(expired, spaceA)}
		}, access.Decision{Reason: access.NoEntriesLeft}},
		{"ExpiredSubscriptionHere", func(r *access.Request) {
			r.Entitlements = []access.Entitlement{validAt(expired, spaceB), validAt(pack(1, "2026-11-01", "", 0), spaceA)}
		}, access.Decision{Reason: access.SubscriptionExpired}},
		{"NothingAtAll", func(r *access.Request) {}, access.Decision{Reason: access.NoEntriesLeft}},
		// What is valid here comes first: the card of B is used, the
		// older card of A never.
		{"LocalCardUsedNotTheOtherSpaces", func(r *access.Request) {
			r.Entitlements = []access.Entitlement{validAt(pack(7, "2026-10-01", "", 3), spaceA), validAt(pack(8, "2026-11-20", "", 3), spaceB)}
		}, access.Decision{Accept: true, Reason: access.OKPack, Consume: 8}},
		{"NetworkPassUsedWhenLocalEmpty", func(r *access.Request) {
			r.Entitlements = []access.Entitlement{validAt(pack(7, "2026-10-01", "", 0), spaceB), validAt(pack(8, "2026-11-20", "", 3))}
		}, access.Decision{Accept: true, Reason: access.OKPack, Consume: 8}},
		{"EmptyNetworkPassAndCardOfA", func(r *access.Request) {
			r.Entitlements = []access.Entitlement{validAt(pack(7, "2026-10-01", "", 0)), validAt(pack(8, "2026-11-20", "", 3), spaceA)}
		}, access.Decision{Reason: access.NotValidHere}},
		// "Already in today" is per space: LastVisit is her last day at
		// this door's space, given by the caller.
		{"AlreadyInTodayHere", func(r *access.Request) {
			r.LastVisit = day("2026-11-26")
			r.Entitlements = []access.Entitlement{validAt(card, spaceB)}
		}, access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		{"MembershipOfAOnlyAtBRequiringDues", func(r *access.Request) {
			r.RequireMembership = true
			r.Entitlements = []access.Entitlement{validAt(year, spaceA), validAt(card, spaceB)}
		}, access.Decision{Reason: access.NotValidHere}},
		{"StaffOfAGuestAtB", func(r *access.Request) {
			r.Guest, r.GuestConsumes = true, true
			r.Entitlements = []access.Entitlement{validAt(staff, spaceA)}
		}, access.Decision{Reason: access.NotValidHere}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			tc.mod(&r)
			got := access.Decide(r)
			if got != tc.want {
				t.Errorf("Decide() = %+v, want %+v", got, tc.want)
			}
			if got.Accept != got.Reason.Accepts() {
				t.Errorf("Accept=%v disagrees with reason %q", got.Accept, got.Reason)
			}
		})
	}
}

// TestOneSpaceDecidesAsBefore: when every entitlement is valid at the
// door's space (one space: the selling space is the only one), Decide
// answers exactly what it answers without spaces, for random requests.
func TestOneSpaceDecidesAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	kinds := []access.Kind{access.Pack, access.Subscription, access.Unlimited, access.Membership}
	days := []string{"", "2026-10-01", "2026-11-26", "2026-11-27", "2026-12-31"}
	office, _ := access.ParseHours("mon-fri 08:00-20:00")
	for i := 0; i < 5000; i++ {
		var ents []access.Entitlement
		for j := rng.IntN(4); j > 0; j-- {
			e := access.Entitlement{ID: int64(j), Kind: kinds[rng.IntN(len(kinds))],
				Start: day(days[rng.IntN(3)]), End: day(days[rng.IntN(len(days))]), Entries: rng.IntN(3)}
			ents = append(ents, e)
		}
		r := access.Request{Badge: access.BadgeStatus(rng.IntN(3)), Member: access.MemberActive,
			Entitlements: ents, Now: at("2026-11-26 09:00").Add(time.Duration(rng.IntN(48)) * time.Hour),
			RequireMembership: rng.IntN(2) == 0, Guest: rng.IntN(4) == 0, GuestConsumes: rng.IntN(2) == 0,
			LastVisit: day(days[rng.IntN(len(days))])}
		if rng.IntN(2) == 0 {
			r.Hours = office
		}
		want := access.Decide(r)
		one := r
		one.Space = spaceA
		one.Entitlements = make([]access.Entitlement, len(ents))
		for j, e := range ents {
			one.Entitlements[j] = validAt(e, spaceA)
		}
		if got := access.Decide(one); got != want {
			t.Fatalf("request %+v: with one space %+v, without %+v", r, got, want)
		}
	}
}

// TestSettleAtSpaces: a visit is paid only by what is valid at its space;
// a network pass used at two spaces on one day pays two visits; an
// overdraft at B is never paid by a later pack of A.
func TestSettleAtSpaces(t *testing.T) {
	v := func(d string, space int64) access.Visit { return access.Visit{Day: day(d), Space: space} }
	for _, tc := range []struct {
		name      string
		ents      []access.Entitlement
		visits    []access.Visit
		used      []int64
		overdraft int
	}{
		{"LocalCardNotUsedElsewhere",
			[]access.Entitlement{validAt(pack(1, "2026-11-01", "", 10), spaceA), validAt(pack(2, "2026-11-05", "", 10))},
			[]access.Visit{v("2026-11-10", spaceB), v("2026-11-11", spaceA)}, []int64{2, 1}, 0},
		{"NetworkPassTwoSpacesOneDay",
			[]access.Entitlement{validAt(pack(1, "2026-11-01", "", 10), spaceA, spaceB)},
			[]access.Visit{v("2026-11-10", spaceA), v("2026-11-10", spaceB)}, []int64{1, 1}, 0},
		{"SubscriptionOfACoversOnlyA",
			[]access.Entitlement{validAt(sub(1, "2026-11-01", "2026-11-30"), spaceA)},
			[]access.Visit{v("2026-11-10", spaceA), v("2026-11-10", spaceB)}, []int64{0, -1}, 1},
		{"DebtAtBNotPaidByCardOfA",
			[]access.Entitlement{validAt(pack(1, "2026-11-20", "", 10), spaceA)},
			[]access.Visit{v("2026-11-10", spaceB), v("2026-11-21", spaceA)}, []int64{-1, 1}, 1},
		{"DebtAtBPaidByNextNetworkPass",
			[]access.Entitlement{validAt(pack(1, "2026-11-20", "", 10), spaceA), validAt(pack(2, "2026-11-25", "", 10))},
			[]access.Visit{v("2026-11-10", spaceB), v("2026-11-11", spaceB)}, []int64{2, 2}, 0},
		{"UnknownSpaceUsesEverything",
			[]access.Entitlement{validAt(pack(1, "2026-11-01", "", 10), spaceA)},
			[]access.Visit{v("2026-11-10", 0)}, []int64{1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := access.SettleAt(tc.ents, tc.visits)
			if b.Overdraft != tc.overdraft {
				t.Errorf("Overdraft = %d, want %d", b.Overdraft, tc.overdraft)
			}
			for i, want := range tc.used {
				if b.Visits[i] != want {
					t.Errorf("Visits[%d] = %d, want %d", i, b.Visits[i], want)
				}
			}
		})
	}
}

func TestSpaceSet(t *testing.T) {
	if s := access.Spaces(4, 1, 4, 0); s != "1,4" || !s.Has(4) || s.Has(2) || len(s.IDs()) != 2 {
		t.Errorf("Spaces(4, 1, 4, 0) = %q", s)
	}
	if s := access.Spaces(); s != access.AllSpaces || !s.Has(7) || s.IDs() != nil {
		t.Errorf("Spaces() = %q", s)
	}
	if s, err := access.ParseSpaceSet(" 3, 2"); err != nil || s != "2,3" {
		t.Errorf("ParseSpaceSet = %q, %v", s, err)
	}
	for _, bad := range []string{"a", "1,,2", "-1", "0"} {
		if _, err := access.ParseSpaceSet(bad); err == nil {
			t.Errorf("ParseSpaceSet(%q) accepted", bad)
		}
	}
}
