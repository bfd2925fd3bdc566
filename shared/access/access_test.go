package access_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

var day = access.MustDay

// at returns an instant in Paris.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, access.Paris)
	if err != nil {
		panic(err)
	}
	return t
}

func pack(id int64, start, end string, left int) access.Entitlement {
	return access.Entitlement{ID: id, Kind: access.Pack, Start: day(start), End: day(end), Entries: left}
}

func sub(id int64, start, end string) access.Entitlement {
	return access.Entitlement{ID: id, Kind: access.Subscription, Start: day(start), End: day(end)}
}

func TestDecide(t *testing.T) {
	office, _ := access.ParseHours("mon-fri 08:00-20:00; sat 09:00-13:00")
	active := access.Request{Badge: access.BadgeActive, Member: access.MemberActive, Now: at("2026-11-26 09:12")}
	with := func(mod func(*access.Request)) access.Request {
		r := active
		mod(&r)
		return r
	}
	for _, tc := range []struct {
		name string
		req  access.Request
		want access.Decision
	}{
		{"UnknownBadge", with(func(r *access.Request) { r.Badge = access.BadgeUnknown }),
			access.Decision{Reason: access.UnknownBadge}},
		{"RevokedBadge", with(func(r *access.Request) {
			r.Badge = access.BadgeRevoked
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5)}
		}), access.Decision{Reason: access.RevokedBadge}},
		{"Suspended", with(func(r *access.Request) {
			r.Member = access.MemberSuspended
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5)}
		}), access.Decision{Reason: access.MemberIsSuspended}},
		{"Archived", with(func(r *access.Request) { r.Member = access.MemberArchived }),
			access.Decision{Reason: access.MemberIsArchived}},
		{"UnknownStatusFailsClosed", with(func(r *access.Request) { r.Member = "frozen" }),
			access.Decision{Reason: access.MemberIsArchived}},
		{"SuspendedEvenIfAlreadyInToday", with(func(r *access.Request) {
			r.Member = access.MemberSuspended
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Reason: access.MemberIsSuspended}},
		{"AlreadyTodayConsumesNothing", with(func(r *access.Request) {
			r.LastVisit = day("2026-11-26")
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5)}
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		{"AlreadyTodayEvenWithEmptyCard", with(func(r *access.Request) {
			r.LastVisit = day("2026-11-26")
			r.Entitlements = []access.Entitlement{pack(1, "", "", 0)}
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		{"YesterdayIsNotToday", with(func(r *access.Request) {
			r.LastVisit = day("2026-11-25")
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"SubscriptionConsumesNothing", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5), sub(2, "2026-11-01", "2026-11-30")}
		}), access.Decision{Accept: true, Reason: access.OKSubscription}},
		{"SubscriptionEndDateInclusive", with(func(r *access.Request) {
			r.Now = at("2026-11-30 23:59")
			r.Entitlements = []access.Entitlement{sub(2, "2026-11-01", "2026-11-30")}
		}), access.Decision{Accept: true, Reason: access.OKSubscription}},
		{"SubscriptionOverNextDay", with(func(r *access.Request) {
			r.Now = at("2026-12-01 00:00")
			r.Entitlements = []access.Entitlement{sub(2, "2026-11-01", "2026-11-30")}
		}), access.Decision{Reason: access.SubscriptionExpired}},
		{"SubscriptionNotStarted", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{sub(2, "2026-12-01", "2026-12-31")}
		}), access.Decision{Reason: access.NoEntriesLeft}},
		{"SubscriptionStartDateInclusive", with(func(r *access.Request) {
			r.Now = at("2026-12-01 08:00")
			r.Entitlements = []access.Entitlement{sub(2, "2026-12-01", "2026-12-31")}
		}), access.Decision{Accept: true, Reason: access.OKSubscription}},
		{"PackConsumesOne", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(7, "2026-10-01", "", 3)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 7}},
		{"OldestPackFirst", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(9, "2026-11-20", "", 10), pack(4, "2026-09-01", "", 2), pack(8, "2026-10-01", "", 10)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 4}},
		{"OldestPackSameDayLowestID", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(9, "2026-11-20", "", 10), pack(8, "2026-11-20", "", 10)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 8}},
		{"EmptyOldPackSkipped", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(4, "2026-09-01", "", 0), pack(8, "2026-10-01", "", 10)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 8}},
		{"ExpiredPackSkipped", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(4, "2025-09-01", "2026-09-01", 6), pack(8, "2026-10-01", "2027-10-01", 10)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 8}},
		{"PackEndDateInclusive", with(func(r *access.Request) {
			r.Now = at("2026-11-26 19:00")
			r.Entitlements = []access.Entitlement{pack(4, "2025-11-27", "2026-11-26", 1)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 4}},
		{"NoEntriesLeft", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(4, "2026-09-01", "", 0)}
		}), access.Decision{Reason: access.NoEntriesLeft}},
		{"NothingAtAll", active, access.Decision{Reason: access.NoEntriesLeft}},
		{"SubscriptionExpiredAfterPack", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(1, "2026-01-01", "", 0), sub(2, "2026-10-01", "2026-10-31")}
		}), access.Decision{Reason: access.SubscriptionExpired}},
		{"PackEmptiedAfterSubscription", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{sub(2, "2026-09-01", "2026-09-30"), pack(1, "2026-10-01", "", 0)}
		}), access.Decision{Reason: access.NoEntriesLeft}},
		{"UnlimitedConsumesNothing", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5), {ID: 3, Kind: access.Unlimited}}
		}), access.Decision{Accept: true, Reason: access.OKUnlimited}},
		{"UnlimitedEnded", with(func(r *access.Request) {
			r.Entitlements = []access.Entitlement{{ID: 3, Kind: access.Unlimited, End: day("2026-06-30")}}
		}), access.Decision{Reason: access.NoEntriesLeft}},
		{"ClosedSunday", with(func(r *access.Request) {
			r.Hours = office
			r.Now = at("2026-11-29 10:00")
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5)}
		}), access.Decision{Reason: access.Closed}},
		{"ClosedBeforeOpening", with(func(r *access.Request) {
			r.Hours = office
			r.Now = at("2026-11-26 07:59")
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Reason: access.Closed}},
		{"OpenAtOpening", with(func(r *access.Request) {
			r.Hours = office
			r.Now = at("2026-11-26 08:00")
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"StaffIgnoresHours", with(func(r *access.Request) {
			r.Hours = office
			r.Now = at("2026-11-29 22:00")
			r.Entitlements = []access.Entitlement{{ID: 3, Kind: access.Unlimited}}
		}), access.Decision{Accept: true, Reason: access.OKUnlimited}},
		// Local calendar day, not UTC: 00:30 in Paris on the 27th is still
		// the 26th in UTC; the visit of the 26th does not cover it.
		{"ParisDayNotUTCDay", with(func(r *access.Request) {
			r.Now = at("2026-11-27 00:30")
			r.LastVisit = day("2026-11-26")
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"ParisLateEveningSameDay", with(func(r *access.Request) {
			r.Now = at("2026-11-26 23:30") // 22:30 UTC, same day either way
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		// DST: on 2026-03-29 Paris jumps from 02:00 to 03:00 (UTC+2). 00:30
		// local is 23:30 UTC of the 28th.
		{"SpringForwardDay", with(func(r *access.Request) {
			r.Now = time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC)
			r.LastVisit = day("2026-03-28")
			r.Entitlements = []access.Entitlement{sub(2, "2026-03-29", "2026-03-29")}
		}), access.Decision{Accept: true, Reason: access.OKSubscription}},
		{"SpringForwardEvening", with(func(r *access.Request) {
			r.Now = time.Date(2026, 3, 29, 21, 59, 0, 0, time.UTC) // 23:59 CEST
			r.Entitlements = []access.Entitlement{sub(2, "2026-03-29", "2026-03-29")}
		}), access.Decision{Accept: true, Reason: access.OKSubscription}},
		{"SpringForwardAfterMidnight", with(func(r *access.Request) {
			r.Now = time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC) // 00:00 CEST on the 30th
			r.Entitlements = []access.Entitlement{sub(2, "2026-03-29", "2026-03-29")}
		}), access.Decision{Reason: access.SubscriptionExpired}},
		// On 2026-10-25 Paris falls back from 03:00 to 02:00 (UTC+1).
		{"FallBackLateEvening", with(func(r *access.Request) {
			r.Now = time.Date(2026, 10, 25, 22, 59, 0, 0, time.UTC) // 23:59 CET
			r.LastVisit = day("2026-10-25")
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		{"FallBackNextDay", with(func(r *access.Request) {
			r.Now = time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC) // 00:00 CET on the 26th
			r.LastVisit = day("2026-10-25")
			r.Entitlements = []access.Entitlement{pack(1, "", "", 1)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		// Signed codes: a phone badge's 30-second window with a ±90 s
		// tolerance; a guest pass's day.
		{"CodeInWindow", with(func(r *access.Request) {
			r.Code = access.Window{From: at("2026-11-26 09:12"), Until: at("2026-11-26 09:12").Add(30 * time.Second), Tolerance: 90 * time.Second}
			r.Entitlements = []access.Entitlement{pack(1, "", "", 5)}
		}), access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"CodeWithinTolerance", with(func(r *access.Request) {
			r.Code = access.Window{From: at("2026-11-26 09:10"), Until: at("2026-11-26 09:10").Add(30 * time.Second), Tolerance: 90 * time.Second}
			r.Now = at("2026-11-26 09:10").Add(119 * time.Second)
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		{"CodeJustPastTolerance", with(func(r *access.Request) {
			r.Code = access.Window{From: at("2026-11-26 09:10"), Until: at("2026-11-26 09:10").Add(30 * time.Second), Tolerance: 90 * time.Second}
			r.Now = at("2026-11-26 09:10").Add(120 * time.Second)
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Reason: access.ExpiredCode}},
		{"CodeFromTheFuture", with(func(r *access.Request) {
			r.Code = access.Window{From: at("2026-11-26 09:20"), Until: at("2026-11-26 09:20").Add(30 * time.Second), Tolerance: 90 * time.Second}
			r.Entitlements = []access.Entitlement{{ID: 3, Kind: access.Unlimited}}
		}), access.Decision{Reason: access.ExpiredCode}},
		{"ExpiredCodeBeforeRevoked", with(func(r *access.Request) {
			r.Badge = access.BadgeRevoked
			r.Code = access.Window{From: at("2026-11-25 09:00"), Until: at("2026-11-25 09:00").Add(30 * time.Second)}
		}), access.Decision{Reason: access.ExpiredCode}},
		{"RevokedPhoneBadgeInWindow", with(func(r *access.Request) {
			r.Badge = access.BadgeRevoked
			r.Code = access.Window{From: at("2026-11-26 09:12"), Until: at("2026-11-26 09:13")}
		}), access.Decision{Reason: access.RevokedBadge}},
		{"GuestToday", with(func(r *access.Request) {
			r.Guest = true
			r.Code = access.Window{From: at("2026-11-26 00:00"), Until: at("2026-11-27 00:00")}
		}), access.Decision{Accept: true, Reason: access.OKGuest}},
		{"GuestDoesNotCountAsHostVisit", with(func(r *access.Request) {
			r.Guest = true
			r.GuestConsumes = true
			r.LastVisit = day("2026-11-26") // the host is here: her guest still takes an entry
			r.Entitlements = []access.Entitlement{pack(4, "", "", 2)}
		}), access.Decision{Accept: true, Reason: access.OKGuest, Consume: 4}},
		{"GuestOfHostWithoutEntries", with(func(r *access.Request) {
			r.Guest = true
			r.GuestConsumes = true
			r.Entitlements = []access.Entitlement{pack(4, "", "", 0), sub(2, "2026-11-01", "2026-11-30")}
		}), access.Decision{Reason: access.NoEntriesLeft}},
		{"GuestOfStaffConsumesNothing", with(func(r *access.Request) {
			r.Guest = true
			r.GuestConsumes = true
			r.Entitlements = []access.Entitlement{{ID: 3, Kind: access.Unlimited}}
		}), access.Decision{Accept: true, Reason: access.OKGuest}},
		{"GuestYesterday", with(func(r *access.Request) {
			r.Guest = true
			r.Code = access.Window{From: at("2026-11-25 00:00"), Until: at("2026-11-26 00:00")}
		}), access.Decision{Reason: access.ExpiredCode}},
		{"GuestOfSuspendedHost", with(func(r *access.Request) {
			r.Guest = true
			r.Member = access.MemberSuspended
		}), access.Decision{Reason: access.MemberIsSuspended}},
		{"GuestClosed", with(func(r *access.Request) {
			r.Guest = true
			r.Hours = office
			r.Now = at("2026-11-29 10:00")
		}), access.Decision{Reason: access.Closed}},
		// Anti-passback.
		{"PassbackRefusesSoon", with(func(r *access.Request) {
			r.Passback = 10 * time.Minute
			r.LastAccepted = at("2026-11-26 09:03")
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Reason: access.AlreadyInside}},
		{"PassbackRefusesStaffToo", with(func(r *access.Request) {
			r.Passback = 10 * time.Minute
			r.LastAccepted = at("2026-11-26 09:11")
			r.Entitlements = []access.Entitlement{{ID: 3, Kind: access.Unlimited}}
		}), access.Decision{Reason: access.AlreadyInside}},
		{"PassbackOver", with(func(r *access.Request) {
			r.Passback = 10 * time.Minute
			r.LastAccepted = at("2026-11-26 09:02")
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		{"PassbackOff", with(func(r *access.Request) {
			r.LastAccepted = at("2026-11-26 09:11")
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		{"PassbackIgnoresAFutureTime", with(func(r *access.Request) {
			r.Passback = 10 * time.Minute
			r.LastAccepted = at("2026-11-26 09:15") // a clock set back: not a reason to lock out
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
		{"RevokedBeforePassback", with(func(r *access.Request) {
			r.Badge = access.BadgeRevoked
			r.Passback = 10 * time.Minute
			r.LastAccepted = at("2026-11-26 09:11")
		}), access.Decision{Reason: access.RevokedBadge}},
		{"OtherTimeZone", with(func(r *access.Request) {
			r.Location = time.FixedZone("UTC-10", -10*3600)
			r.Now = time.Date(2026, 11, 27, 5, 0, 0, 0, time.UTC) // 26th, 19:00 local
			r.LastVisit = day("2026-11-26")
		}), access.Decision{Accept: true, Reason: access.OKAlreadyToday}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := access.Decide(tc.req)
			if got != tc.want {
				t.Fatalf("Decide() = %+v, want %+v", got, tc.want)
			}
			if got.Accept != got.Reason.Accepts() {
				t.Fatalf("Accept=%v disagrees with reason %q", got.Accept, got.Reason)
			}
		})
	}
}

func TestSettle(t *testing.T) {
	days := func(ss ...string) []access.Day {
		var out []access.Day
		for _, s := range ss {
			out = append(out, day(s))
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		ents      []access.Entitlement
		visits    []access.Day
		left      map[int64]int
		used      []int64
		overdraft int
		net       int // EntriesLeft on 2026-11-26
	}{
		{"TenEntryCard", []access.Entitlement{pack(1, "2026-11-01", "", 10)},
			days("2026-11-02", "2026-11-03"), map[int64]int{1: 8}, []int64{1, 1}, 0, 8},
		{"OldestFirstInDayOrder", []access.Entitlement{pack(2, "2026-11-10", "", 10), pack(1, "2026-11-01", "", 1)},
			days("2026-11-12", "2026-11-11"), map[int64]int{1: 0, 2: 9}, []int64{2, 1}, 0, 9},
		{"SubscriptionCoversPackUntouched", []access.Entitlement{pack(1, "2026-11-01", "", 10), sub(2, "2026-11-05", "2026-11-06")},
			days("2026-11-04", "2026-11-05", "2026-11-06", "2026-11-07"), map[int64]int{1: 8}, []int64{1, 0, 0, 1}, 0, 8},
		{"OverdraftVisible", []access.Entitlement{pack(1, "2026-11-01", "", 1)},
			days("2026-11-02", "2026-11-03"), map[int64]int{1: 0}, []int64{1, -1}, 1, -1},
		{"NextPackPaysTheDebt", []access.Entitlement{pack(1, "2026-11-01", "", 1), pack(2, "2026-11-20", "", 10)},
			days("2026-11-02", "2026-11-03", "2026-11-21"), map[int64]int{1: 0, 2: 8}, []int64{1, 2, 2}, 0, 8},
		{"ExpiredPackDoesNotCover", []access.Entitlement{pack(1, "2026-01-01", "2026-06-30", 5)},
			days("2026-07-01"), map[int64]int{1: 5}, []int64{-1}, 1, -1},
		{"RefundedCardGone", nil, days("2026-11-02"), map[int64]int{}, []int64{-1}, 1, -1},
		{"UnlimitedCovers", []access.Entitlement{{ID: 3, Kind: access.Unlimited}}, days("2026-11-02"), map[int64]int{}, []int64{0}, 0, 0},
		{"TwoSpacesSameDayTwoVisits", []access.Entitlement{pack(1, "2026-11-01", "", 10)},
			days("2026-11-02", "2026-11-02"), map[int64]int{1: 8}, []int64{1, 1}, 0, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := access.Settle(tc.ents, tc.visits)
			if b.Overdraft != tc.overdraft {
				t.Errorf("Overdraft = %d, want %d", b.Overdraft, tc.overdraft)
			}
			for id, want := range tc.left {
				if b.Left[id] != want {
					t.Errorf("Left[%d] = %d, want %d", id, b.Left[id], want)
				}
			}
			for i, want := range tc.used {
				if b.Visits[i] != want {
					t.Errorf("Visits[%d] = %d, want %d", i, b.Visits[i], want)
				}
			}
			if got := b.EntriesLeft(tc.ents, day("2026-11-26")); got != tc.net {
				t.Errorf("EntriesLeft = %d, want %d", got, tc.net)
			}
		})
	}
}

// TestDecideAgreesWithSettle: a kiosk deciding scan after scan from the
// balances Settle derives consumes the same packs Settle would.
func TestDecideAgreesWithSettle(t *testing.T) {
	ents := []access.Entitlement{pack(1, "2026-11-01", "", 2), pack(2, "2026-11-03", "", 3), sub(3, "2026-11-05", "2026-11-06")}
	var visits []access.Day
	for d := day("2026-11-02"); d.Before(day("2026-11-12")); d = d.AddDays(1) {
		b := access.Settle(ents, visits)
		cur := make([]access.Entitlement, len(ents))
		copy(cur, ents)
		for i := range cur {
			if cur[i].Kind == access.Pack {
				cur[i].Entries = b.Left[cur[i].ID]
			}
		}
		dec := access.Decide(access.Request{Badge: access.BadgeActive, Member: access.MemberActive,
			Entitlements: cur, Now: d.Start(access.Paris).Add(10 * time.Hour)})
		if !dec.Accept {
			if d.Before(day("2026-11-09")) {
				t.Fatalf("%s refused: %s", d, dec.Reason)
			}
			continue
		}
		visits = append(visits, d)
		after := access.Settle(ents, visits)
		if got := after.Visits[len(visits)-1]; got != dec.Consume {
			t.Fatalf("%s: Decide consumed %d, Settle %d", d, dec.Consume, got)
		}
	}
}

func TestHours(t *testing.T) {
	h, err := access.ParseHours("mon-fri 08:00-12:00,14:00-20:00; sat 09:00-13:00; sun 22:00-24:00")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   string
		open bool
	}{
		{"2026-11-26 08:00", true}, {"2026-11-26 12:00", false}, {"2026-11-26 13:59", false},
		{"2026-11-26 14:00", true}, {"2026-11-26 19:59", true}, {"2026-11-26 20:00", false},
		{"2026-11-28 10:00", true}, {"2026-11-28 13:00", false}, {"2026-11-29 23:59", true}, {"2026-11-29 10:00", false},
	} {
		if got := h.Open(at(tc.at), access.Paris); got != tc.open {
			t.Errorf("Open(%s) = %v, want %v", tc.at, got, tc.open)
		}
	}
	if got, want := h.String(), "mon 08:00-12:00,14:00-20:00; tue 08:00-12:00,14:00-20:00; wed 08:00-12:00,14:00-20:00; thu 08:00-12:00,14:00-20:00; fri 08:00-12:00,14:00-20:00; sat 09:00-13:00; sun 22:00-24:00"; got != want {
		t.Errorf("String() = %q", got)
	}
	if h2, err := access.ParseHours(h.String()); err != nil || h2.String() != h.String() {
		t.Errorf("round trip: %v", err)
	}
	for _, bad := range []string{"mon", "xyz 08:00-10:00", "mon 10:00-08:00", "mon 8h-10h", "mon 08:00"} {
		if _, err := access.ParseHours(bad); err == nil {
			t.Errorf("ParseHours(%q) succeeded", bad)
		}
	}
	var always access.Hours
	if !always.Open(at("2026-11-29 03:00"), access.Paris) {
		t.Error("zero Hours should be always open")
	}
}

func TestDay(t *testing.T) {
	d := day("2026-02-28")
	if d.AddDays(1).String() != "2026-03-01" || d.AddDays(-59).String() != "2025-12-31" {
		t.Fatal("AddDays wrong")
	}
	if !d.Before(day("2026-03-01")) || d.Before(d) || !day("2027-01-01").After(d) {
		t.Fatal("Before/After wrong")
	}
	if _, err := access.ParseDay("2026-13-01"); err == nil {
		t.Fatal("ParseDay accepted month 13")
	}
	if d.Weekday() != time.Saturday {
		t.Fatal("Weekday wrong")
	}
}
