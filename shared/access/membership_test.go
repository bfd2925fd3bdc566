package access_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

func dues(id int64, start, end string) access.Entitlement {
	return access.Entitlement{ID: id, Kind: access.Membership, Start: day(start), End: day(end)}
}

// TestDecideMembership: with door.require_membership, a member whose dues
// do not cover the space's day is refused, whatever else she holds; staff
// are exempt; without the policy, dues change nothing. The day is Paris's,
// across the new year and both DST changes.
func TestDecideMembership(t *testing.T) {
	office, _ := access.ParseHours("mon-fri 08:00-20:00")
	card := pack(1, "2026-01-01", "", 5)
	year := dues(2, "2026-01-15", "2026-12-31")
	for _, tc := range []struct {
		name    string
		require bool
		now     time.Time
		ents    []access.Entitlement
		last    string
		hours   access.Hours
		want    access.Decision
	}{
		{"PolicyOffNoDues", false, at("2026-11-26 09:00"), []access.Entitlement{card}, "", access.Hours{},
			access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"PolicyOffDuesAloneLetNoOneIn", false, at("2026-11-26 09:00"), []access.Entitlement{year}, "", access.Hours{},
			access.Decision{Reason: access.NoEntriesLeft}},
		{"NoDuesRefused", true, at("2026-11-26 09:00"), []access.Entitlement{card}, "", access.Hours{},
			access.Decision{Reason: access.MembershipExpired}},
		{"NothingAtAllSaysDues", true, at("2026-11-26 09:00"), nil, "", access.Hours{},
			access.Decision{Reason: access.MembershipExpired}},
		{"DuesAndCard", true, at("2026-11-26 09:00"), []access.Entitlement{card, year}, "", access.Hours{},
			access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"DuesButNoEntries", true, at("2026-11-26 09:00"), []access.Entitlement{pack(1, "", "", 0), year}, "", access.Hours{},
			access.Decision{Reason: access.NoEntriesLeft}},
		{"DuesDoNotHideSubscriptionExpired", true, at("2026-11-26 09:00"),
			[]access.Entitlement{sub(3, "2026-10-01", "2026-10-31"), dues(4, "2026-11-01", "2027-12-31")}, "", access.Hours{},
			access.Decision{Reason: access.SubscriptionExpired}},
		{"DuesNotStartedYet", true, at("2026-01-14 09:00"), []access.Entitlement{card, year}, "", access.Hours{},
			access.Decision{Reason: access.MembershipExpired}},
		{"DuesFirstDay", true, at("2026-01-15 00:00"), []access.Entitlement{card, year}, "", access.Hours{},
			access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"ExpiredDuesEvenIfAlreadyInToday", true, at("2027-01-02 10:00"), []access.Entitlement{card, year}, "2027-01-02", access.Hours{},
			access.Decision{Reason: access.MembershipExpired}},
		{"StaffExempt", true, at("2026-11-26 09:00"), []access.Entitlement{{ID: 5, Kind: access.Unlimited}}, "", access.Hours{},
			access.Decision{Accept: true, Reason: access.OKUnlimited}},
		{"StaffEndedNotExempt", true, at("2026-11-26 09:00"), []access.Entitlement{{ID: 5, Kind: access.Unlimited, End: day("2026-06-30")}, card}, "", access.Hours{},
			access.Decision{Reason: access.MembershipExpired}},
		{"DuesBeforeHours", true, at("2026-11-29 10:00"), []access.Entitlement{card}, "", office,
			access.Decision{Reason: access.MembershipExpired}},
		{"ClosedWithDues", true, at("2026-11-29 10:00"), []access.Entitlement{card, year}, "", office,
			access.Decision{Reason: access.Closed}},
		// New year's eve in Paris (UTC+1): 23:59:59 local is still 2026;
		// one second after midnight, 23:00:01 UTC, is 2027.
		{"LastSecondOfTheYear", true, time.Date(2026, 12, 31, 22, 59, 59, 0, time.UTC), []access.Entitlement{card, year}, "", access.Hours{},
			access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"NewYearParisStillUTCYesterday", true, time.Date(2026, 12, 31, 23, 0, 1, 0, time.UTC), []access.Entitlement{card, year}, "", access.Hours{},
			access.Decision{Reason: access.MembershipExpired}},
		{"RenewedDuesChain", true, time.Date(2026, 12, 31, 23, 0, 1, 0, time.UTC),
			[]access.Entitlement{card, year, dues(6, "2027-01-01", "2027-12-31")}, "", access.Hours{},
			access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		// DST: on 2026-03-29 Paris moves to UTC+2; dues ending that day
		// end at 22:00 UTC, not at midnight UTC.
		{"SpringForwardLastMinute", true, time.Date(2026, 3, 29, 21, 59, 0, 0, time.UTC),
			[]access.Entitlement{card, dues(7, "2026-03-01", "2026-03-29")}, "", access.Hours{},
			access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"SpringForwardNextDay", true, time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC),
			[]access.Entitlement{card, dues(7, "2026-03-01", "2026-03-29")}, "", access.Hours{},
			access.Decision{Reason: access.MembershipExpired}},
		// On 2026-10-25 Paris moves back to UTC+1: the day lasts 25 hours.
		{"FallBackLastMinute", true, time.Date(2026, 10, 25, 22, 59, 0, 0, time.UTC),
			[]access.Entitlement{card, dues(8, "2025-10-26", "2026-10-25")}, "", access.Hours{},
			access.Decision{Accept: true, Reason: access.OKPack, Consume: 1}},
		{"FallBackNextDay", true, time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC),
			[]access.Entitlement{card, dues(8, "2025-10-26", "2026-10-25")}, "", access.Hours{},
			access.Decision{Reason: access.MembershipExpired}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := access.Decide(access.Request{Badge: access.BadgeActive, Member: access.MemberActive,
				Entitlements: tc.ents, LastVisit: day(tc.last), Now: tc.now, Hours: tc.hours,
				RequireMembership: tc.require})
			if got != tc.want {
				t.Fatalf("Decide() = %+v, want %+v", got, tc.want)
			}
			if got.Accept != got.Reason.Accepts() {
				t.Fatalf("Accept=%v disagrees with reason %q", got.Accept, got.Reason)
			}
		})
	}
}

// TestMembershipPeriod: a calendar-year membership paid on or after the
// cut-off covers the next year too; renewing early starts the day after
// the current dues; N days count from the payment, the last one included.
func TestMembershipPeriod(t *testing.T) {
	nov1 := access.MonthDay{Month: time.November, Day: 1}
	sep1 := access.MonthDay{Month: time.September, Day: 1}
	for _, tc := range []struct {
		name          string
		paid, current string
		days          int
		cutoff        access.MonthDay
		start, end    string
	}{
		{"YearBeforeCutoff", "2026-10-31", "", 0, nov1, "2026-10-31", "2026-12-31"},
		{"YearOnCutoff", "2026-11-01", "", 0, nov1, "2026-11-01", "2027-12-31"},
		{"YearAfterCutoff", "2026-12-31", "", 0, nov1, "2026-12-31", "2027-12-31"},
		{"YearFirstDay", "2027-01-01", "", 0, nov1, "2027-01-01", "2027-12-31"},
		{"YearNoCutoff", "2026-12-15", "", 0, access.MonthDay{}, "2026-12-15", "2026-12-31"},
		{"YearOtherCutoff", "2026-09-01", "", 0, sep1, "2026-09-01", "2027-12-31"},
		{"RenewEarlyNextYear", "2026-10-15", "2026-12-31", 0, nov1, "2027-01-01", "2027-12-31"},
		{"RenewAfterCutoffOnce", "2026-11-15", "2026-12-31", 0, nov1, "2027-01-01", "2027-12-31"},
		{"RenewAfterExpiry", "2027-02-10", "2026-12-31", 0, nov1, "2027-02-10", "2027-12-31"},
		{"RenewOnLastDay", "2026-12-31", "2026-12-31", 0, nov1, "2027-01-01", "2027-12-31"},
		{"Days365", "2026-03-01", "", 365, nov1, "2026-03-01", "2027-02-28"},
		{"Days365LeapYear", "2027-03-01", "", 365, nov1, "2027-03-01", "2028-02-28"},
		{"DaysOne", "2026-03-29", "", 1, nov1, "2026-03-29", "2026-03-29"},
		{"DaysRenewEarly", "2026-06-01", "2026-06-30", 30, nov1, "2026-07-01", "2026-07-30"},
		{"DaysAfterCalendarYear", "2026-12-01", "2027-12-31", 30, nov1, "2028-01-01", "2028-01-30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start, end := access.MembershipPeriod(day(tc.paid), day(tc.current), tc.days, tc.cutoff)
			if start != day(tc.start) || end != day(tc.end) {
				t.Fatalf("MembershipPeriod(%s, %s, %d, %s) = %s..%s, want %s..%s",
					tc.paid, tc.current, tc.days, tc.cutoff, start, end, tc.start, tc.end)
			}
		})
	}
}

// TestMembershipPaidAtNightAcrossCutoff: the day of a payment is the
// space's; 23:30 UTC on 31 October (after the fall-back to UTC+1) is 1
// November in Paris, on or after the cut-off.
func TestMembershipPaidAtNightAcrossCutoff(t *testing.T) {
	nov1 := access.MonthDay{Month: time.November, Day: 1}
	for _, tc := range []struct {
		at  time.Time
		end string
	}{
		{time.Date(2026, 10, 31, 22, 59, 0, 0, time.UTC), "2026-12-31"}, // 23:59 CET, 31 October
		{time.Date(2026, 10, 31, 23, 0, 0, 0, time.UTC), "2027-12-31"},  // 00:00 CET, 1 November
	} {
		paid := access.DayOf(tc.at, access.Paris)
		if _, end := access.MembershipPeriod(paid, access.Day{}, 0, nov1); end != day(tc.end) {
			t.Errorf("paid at %s (%s in Paris): dues end %s, want %s", tc.at, paid, end, tc.end)
		}
	}
}

func TestParseMonthDay(t *testing.T) {
	for in, want := range map[string]access.MonthDay{
		"":      {},
		"11-01": {Month: time.November, Day: 1},
		"09-15": {Month: time.September, Day: 15},
	} {
		got, err := access.ParseMonthDay(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("ParseMonthDay(%q) = %v, %v (%q), want %v", in, got, err, got.String(), want)
		}
	}
	for _, bad := range []string{"11", "1-1", "13-01", "02-29", "02-30", "11-01x", "2026-11-01", "nov"} {
		if _, err := access.ParseMonthDay(bad); err == nil {
			t.Errorf("ParseMonthDay(%q) accepted", bad)
		}
	}
}
