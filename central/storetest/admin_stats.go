package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// testStats: the statistics page's queries give known numbers for known
// visits and sales: days and months in Paris time, a member counted once
// per day and once per month, refunded sales and refused entries left
// out, and only the usable cards' entries owed.
func testStats(t *testing.T) {
	f := newFixture(t)
	s := f.store.Admin
	k := f.kiosk("door", "")
	pack, sub, shortPack := f.product(access.Pack, 10, 0), f.product(access.Subscription, 0, 365), f.product(access.Pack, 10, 1)
	alice, bob, carol, dan, eve := f.member("Alice"), f.member("Bob"), f.member("Carol"), f.member("Dan"), f.member("Eve")

	// Sales: each at its time (the fixture's products cost 100 €).
	at := func(when string, fn func()) {
		f.clock.Set(paris(when))
		fn()
	}
	at("2026-09-01 10:00", func() { f.sell(eve, shortPack) }) // expired on 1 September: owes nothing
	at("2026-10-15 10:00", func() { f.sell(alice, pack) })
	at("2026-10-31 23:50", func() { f.sell(bob, sub) }) // 22:50 UTC: October in Paris
	at("2026-11-03 10:00", func() {
		c := f.sell(carol, pack)
		if _, err := f.ledger.RefundSale(f.ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	})
	at("2026-11-04 10:00", func() { f.sell(dan, pack) })

	// Entries, each pushed as it happens.
	seq := int64(0)
	enter := func(member int64, when string) {
		seq++
		f.clock.Set(paris(when).Add(time.Minute))
		f.push(k, entry(seq, member, paris(when)))
	}
	enter(bob, "2026-10-31 23:30")   // Paris day 31 October, 22:30 UTC
	enter(alice, "2026-11-25 09:00") //
	enter(alice, "2026-11-26 09:00") // two entries, one visit
	enter(alice, "2026-11-26 18:00")
	enter(bob, "2026-11-26 08:30")
	enter(0, "2026-11-26 08:45") // refused: an unknown badge
	f.clock.Set(paris("2026-11-26 20:00"))
	today := access.MustDay("2026-11-26")

	days, err := s.VisitDays(f.ctx, access.MustDay("2026-10-01"), today, adminstore.Place{})
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []adminstore.DayCount{{Day: access.MustDay("2026-10-31"), Count: 1}, {Day: access.MustDay("2026-11-25"), Count: 1},
		{Day: today, Count: 2}}
	if !slices.Equal(days, wantDays) {
		t.Errorf("visit days %v, want %v", days, wantDays)
	}
	if days, _ := s.VisitDays(f.ctx, access.MustDay("2026-11-01"), access.MustDay("2026-11-25"), adminstore.Place{}); len(days) != 1 {
		t.Errorf("visit days of 1-25 November %v, want only the 25th (bounds included)", days)
	}

	months, err := s.MonthMembers(f.ctx, access.MustDay("2025-12-01"), today, adminstore.Place{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []adminstore.MonthCount{{Month: "2026-10", Count: 1}, {Month: "2026-11", Count: 2}}; !slices.Equal(months, want) {
		t.Errorf("members per month %v, want %v", months, want)
	}

	loc, _ := time.LoadLocation("Europe/Paris")
	sales, err := s.MonthSales(f.ctx, access.MustDay("2026-10-01").Start(loc), today.AddDays(1).Start(loc), loc, adminstore.Place{})
	if err != nil {
		t.Fatal(err)
	}
	wantSales := []adminstore.MonthSales{{Month: "2026-10", Cards: 1, Subscriptions: 1, Amount: 20000},
		{Month: "2026-11", Cards: 1, Amount: 10000}}
	if !slices.Equal(sales, wantSales) {
		t.Errorf("sales per month %+v, want %+v", sales, wantSales)
	}

	hours, err := s.EntryHours(f.ctx, access.MustDay("2026-11-26").Start(loc), today.AddDays(1).Start(loc), adminstore.Place{})
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time { t, _ := time.Parse("2006-01-02T15", s); return t }
	wantHours := []adminstore.HourCount{{Hour: utc("2026-11-26T07"), Count: 1}, {Hour: utc("2026-11-26T08"), Count: 1},
		{Hour: utc("2026-11-26T17"), Count: 1}}
	if !slices.Equal(hours, wantHours) {
		t.Errorf("entry hours %v, want %v (accepted entries of the 26th only)", hours, wantHours)
	}

	owed, err := s.EntriesOwed(f.ctx, today, adminstore.Place{})
	if err != nil {
		t.Fatal(err)
	}
	// Alice: 10 - 2 visits; Dan: 10; Carol's refunded and Eve's expired
	// cards owe nothing.
	if want := (adminstore.EntriesOwed{Entries: 18, Cards: 2}); owed != want {
		t.Errorf("entries owed %+v, want %+v", owed, want)
	}
}
