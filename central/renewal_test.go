package central_test

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestRenewalDue: which reminder is due, from the instant centrald looks
// and the space's time zone, for dues made by the membership rules: across
// the calendar year's cut-off (1 November) and the nights the clocks
// change (Europe/Paris: 28 March 2027 loses an hour, 25 October 2026
// gains one).
func TestRenewalDue(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	cutoff := access.MonthDay{Month: time.November, Day: 1}
	yearEnd := func(paid string) access.Day {
		_, end := access.MembershipPeriod(day(paid), access.Day{}, 0, cutoff)
		return end
	}
	daysEnd := func(paid string, n int) access.Day {
		_, end := access.MembershipPeriod(day(paid), access.Day{}, n, cutoff)
		return end
	}
	for _, tc := range []struct {
		name     string
		until    access.Day
		at       string // an instant, RFC 3339
		catchUp  int
		reminder string
		left     int
	}{
		// Paid on 31 October: the calendar year only, ending 31 December 2026.
		{"before the cut-off, 30 days before", yearEnd("2026-10-31"), "2026-12-01T10:00:00+01:00", 0, central.RenewalBefore, 30},
		{"before the cut-off, 31 days before", yearEnd("2026-10-31"), "2026-11-30T23:59:59+01:00", 0, "", 31},
		{"before the cut-off, last day", yearEnd("2026-10-31"), "2026-12-31T00:00:00+01:00", 0, central.RenewalLast, 0},
		{"before the cut-off, day after", yearEnd("2026-10-31"), "2027-01-01T00:00:00+01:00", 0, "", -1},
		// Paid on 1 November: the next year too; nothing in December 2026.
		{"on the cut-off, December 2026", yearEnd("2026-11-01"), "2026-12-01T10:00:00+01:00", 0, "", 395},
		{"on the cut-off, December 2026 last day", yearEnd("2026-11-01"), "2026-12-31T10:00:00+01:00", 0, "", 365},
		{"on the cut-off, 30 days before 2027 ends", yearEnd("2026-11-01"), "2027-12-01T00:30:00+01:00", 0, central.RenewalBefore, 30},
		{"on the cut-off, last day of 2027", yearEnd("2026-11-01"), "2027-12-31T23:59:00+01:00", 0, central.RenewalLast, 0},
		// The instant is read in the space's time zone: 23:30 UTC on 30
		// December is already the 31st in Paris.
		{"UTC evening is the next day in Paris", yearEnd("2026-10-31"), "2026-12-30T23:30:00Z", 0, central.RenewalLast, 0},
		{"UTC evening before midnight in Paris", yearEnd("2026-10-31"), "2026-12-30T22:30:00Z", 0, "", 1},
		// Dues of 60 days paid on 27 February 2027 end on 27 April: 30
		// days before is 28 March, the night the clocks go forward.
		{"spring forward, 00:30 CET", daysEnd("2027-02-27", 60), "2027-03-27T23:30:00Z", 0, central.RenewalBefore, 30},
		{"spring forward, 03:30 CEST", daysEnd("2027-02-27", 60), "2027-03-28T01:30:00Z", 0, central.RenewalBefore, 30},
		{"spring forward, 23:30 CET the day before", daysEnd("2027-02-27", 60), "2027-03-27T22:30:00Z", 0, "", 31},
		{"spring forward, 23:30 CEST", daysEnd("2027-02-27", 60), "2027-03-28T21:30:00Z", 0, central.RenewalBefore, 30},
		{"spring forward, next day 00:30 CEST", daysEnd("2027-02-27", 60), "2027-03-28T22:30:00Z", 0, "", 29},
		{"spring forward, next day with catch-up", daysEnd("2027-02-27", 60), "2027-03-28T22:30:00Z", 6, central.RenewalBefore, 29},
		// Dues of 60 days paid on 26 September 2026 end on 24 November:
		// 30 days before is 25 October, the night the clocks go back.
		{"fall back, 02:30 CEST", daysEnd("2026-09-26", 60), "2026-10-25T00:30:00Z", 0, central.RenewalBefore, 30},
		{"fall back, 02:30 CET (the second time)", daysEnd("2026-09-26", 60), "2026-10-25T01:30:00Z", 0, central.RenewalBefore, 30},
		{"fall back, 23:59 CET", daysEnd("2026-09-26", 60), "2026-10-25T22:59:00Z", 0, central.RenewalBefore, 30},
		{"fall back, next day 00:00 CET", daysEnd("2026-09-26", 60), "2026-10-25T23:00:00Z", 0, "", 29},
		{"last day across the clock change", daysEnd("2026-10-25", 1), "2026-10-25T23:59:00+01:00", 0, central.RenewalLast, 0},
		// Catching up a stopped centrald: 6 days at most.
		{"catch-up, 24 days left", yearEnd("2026-10-31"), "2026-12-07T10:00:00+01:00", 6, central.RenewalBefore, 24},
		{"catch-up, 23 days left", yearEnd("2026-10-31"), "2026-12-08T10:00:00+01:00", 6, "", 23},
		{"catch-up bounded", yearEnd("2026-10-31"), "2026-12-08T10:00:00+01:00", 99, "", 23},
		{"no catch-up, 29 days left", yearEnd("2026-10-31"), "2026-12-02T10:00:00+01:00", 0, "", 29},
		{"no dues", access.Day{}, "2026-12-02T10:00:00+01:00", 6, "", 0},
	} {
		at, err := time.Parse(time.RFC3339, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		today := access.DayOf(at, paris)
		reminder, left := central.RenewalDue(today, tc.until, tc.catchUp)
		if reminder != tc.reminder || (tc.until != access.Day{} && left != tc.left) {
			t.Errorf("%s: dues until %s, at %s (%s in Paris): %q with %d days left, want %q with %d",
				tc.name, tc.until, tc.at, today, reminder, left, tc.reminder, tc.left)
		}
	}
}

func TestDaysBetween(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"2026-12-01", "2026-12-31", 30},
		{"2026-12-31", "2026-12-01", -30},
		{"2027-03-27", "2027-03-29", 2}, // across the spring clock change
		{"2026-10-24", "2026-10-26", 2}, // across the autumn one
		{"2028-02-28", "2028-03-01", 2}, // leap year
		{"2027-02-28", "2027-03-01", 1},
		{"2026-01-01", "2027-01-01", 365},
	} {
		if got := central.DaysBetween(day(tc.a), day(tc.b)); got != tc.want {
			t.Errorf("DaysBetween(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// TestDuesOf: where a member stands for her page's "renew" link.
func TestDuesOf(t *testing.T) {
	dues := func(id, product int64, start, end string) *central.Sale {
		return &central.Sale{ID: id, Product: product, Kind: access.Membership, Start: day(start), End: day(end)}
	}
	pack := &central.Sale{ID: 9, Product: 5, Kind: access.Pack, Entries: 10, Start: day("2026-01-01")}
	refunded := dues(8, 4, "2026-01-01", "2026-12-31")
	refunded.Refunded = time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		sales   []*central.Sale
		today   string
		state   central.DuesState
		product int64
	}{
		{"none", []*central.Sale{pack}, "2026-06-01", central.DuesNone, 0},
		{"refunded only", []*central.Sale{pack, refunded}, "2026-06-01", central.DuesNone, 0},
		{"current", []*central.Sale{dues(1, 3, "2026-01-01", "2026-12-31")}, "2026-11-30", central.DuesCurrent, 0},
		{"soon", []*central.Sale{dues(1, 3, "2026-01-01", "2026-12-31")}, "2026-12-02", central.DuesSoon, 3},
		{"last day", []*central.Sale{dues(1, 3, "2026-01-01", "2026-12-31")}, "2026-12-31", central.DuesSoon, 3},
		{"expired", []*central.Sale{dues(1, 3, "2026-01-01", "2026-12-31")}, "2027-01-01", central.DuesExpired, 3},
		{"renewed early", []*central.Sale{dues(1, 3, "2026-01-01", "2026-12-31"), dues(2, 4, "2027-01-01", "2027-12-31")},
			"2026-12-15", central.DuesCurrent, 4},
		{"paid ahead", []*central.Sale{dues(1, 3, "2025-01-01", "2025-12-31"), dues(2, 4, "2027-01-01", "2027-12-31")},
			"2026-06-01", central.DuesAhead, 4},
	} {
		state, product := central.DuesOf(tc.sales, day(tc.today))
		if state != tc.state || (tc.product != 0 && product != tc.product) {
			t.Errorf("%s: %v, product %d; want %v, product %d", tc.name, state, product, tc.state, tc.product)
		}
	}
}

func TestRenewURL(t *testing.T) {
	products := []*central.Product{
		{ID: 1, Kind: access.Pack, Active: true},
		{ID: 2, Kind: access.Membership, Active: false},
		{ID: 3, Kind: access.Membership, Active: true},
		{ID: 4, Kind: access.Membership, Active: true},
	}
	forms := map[int64]string{1: "https://f/1", 2: "https://f/2", 3: "https://f/3", 4: "https://f/4"}
	for _, tc := range []struct {
		latest int64
		forms  map[int64]string
		want   string
	}{
		{4, forms, "https://f/4"},
		{2, forms, "https://f/3"}, // no longer sold: the first one sold
		{0, forms, "https://f/3"},
		{0, map[int64]string{1: "https://f/1"}, ""},
		{4, map[int64]string{3: "https://f/3"}, "https://f/3"},
	} {
		if got := central.RenewURL(tc.forms, tc.latest, products); got != tc.want {
			t.Errorf("RenewURL(latest %d) = %q, want %q", tc.latest, got, tc.want)
		}
	}
}
