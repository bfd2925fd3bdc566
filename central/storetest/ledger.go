package storetest

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// consumed returns the entries central counts as consumed.
func consumed(f *fixture) []*central.Entry {
	var out []*central.Entry
	for _, e := range f.allEntries() {
		if e.Consumed {
			out = append(out, e)
		}
	}
	return out
}

func testLedger(t *testing.T) {
	t.Run("TwoKiosksSameCardSameDayConsumeOnce", func(t *testing.T) {
		f := newFixture(t)
		a, b := f.kiosk("front", ""), f.kiosk("back", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		// Both kiosks offline, both accept the card the same day.
		ea := entry(1, m, paris("2026-11-26 09:00"))
		eb := entry(1, m, paris("2026-11-26 14:00"))
		f.push(b, eb)
		f.push(a, ea)
		if got := f.balance(m).EntriesLeft; got != 9 {
			t.Fatalf("entries left %d, want 9", got)
		}
		c := consumed(f)
		if len(c) != 1 || c[0].ID != ea.ID {
			t.Fatalf("consumed %v, want only the earliest entry %s", c, ea.ID)
		}
	})
	t.Run("TwoSpacesSameDayConsumeTwice", func(t *testing.T) {
		f := newFixture(t)
		a, b := f.kiosk("main", ""), f.kiosk("annex", "Annexe")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		f.push(a, entry(1, m, paris("2026-11-26 09:00")))
		f.push(b, entry(1, m, paris("2026-11-26 15:00")))
		if got := f.balance(m).EntriesLeft; got != 8 {
			t.Fatalf("entries left %d, want 8", got)
		}
	})
	t.Run("OfflineOverdraftVisibleThenPaidByNextPack", func(t *testing.T) {
		f := newFixture(t)
		a, b := f.kiosk("front", ""), f.kiosk("back", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 1, 0))
		// The last entry is used on the 26th at a, and again on the 27th
		// at b, which had not heard of it.
		f.push(a, entry(1, m, paris("2026-11-26 09:00")))
		f.clock.Set(paris("2026-11-27 18:00"))
		f.push(b, entry(1, m, paris("2026-11-27 09:00")))
		bal := f.balance(m)
		if bal.EntriesLeft != -1 || bal.Overdraft != 1 {
			t.Fatalf("balance %+v, want -1 left, overdraft 1", bal)
		}
		if n := len(consumed(f)); n != 2 {
			t.Fatalf("%d consumed entries, want 2 (a pack and an overdraft)", n)
		}
		ms, _, _ := f.members.FindMembers(f.ctx, central.MemberFilter{ID: &m})
		if ms[0].Balance.EntriesLeft != -1 {
			t.Fatalf("member list shows %d left, want -1", ms[0].Balance.EntriesLeft)
		}
		f.sell(m, f.product(access.Pack, 10, 0))
		if bal := f.balance(m); bal.EntriesLeft != 9 || bal.Overdraft != 0 {
			t.Fatalf("after a new pack %+v, want 9 left, no overdraft", bal)
		}
	})
	t.Run("SubscriptionEndIsInclusive", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		sub := f.sell(m, f.product(access.Subscription, 0, 30))
		if sub.Start != day("2026-11-26") || sub.End != day("2026-12-25") {
			t.Fatalf("subscription %s..%s, want 2026-11-26..2026-12-25", sub.Start, sub.End)
		}
		f.clock.Set(paris("2026-12-26 12:00"))
		f.push(k, entry(1, m, paris("2026-12-25 23:59")), entry(2, m, paris("2026-12-26 00:01")))
		if got := f.balance(m).EntriesLeft; got != 9 {
			t.Fatalf("entries left %d, want 9: the last day is covered, the day after is not", got)
		}
		vs, _, _ := f.entries.FindVisits(f.ctx, central.VisitFilter{Member: &m})
		if vs[0].Charge != central.ChargeCovered || vs[1].Charge != central.ChargePack {
			t.Fatalf("charges %s, %s; want covered, pack", vs[0].Charge, vs[1].Charge)
		}
	})
	t.Run("SubscriptionRenewedEarlyStartsAfterCurrent", func(t *testing.T) {
		f := newFixture(t)
		m := f.member("Alice")
		p := f.product(access.Subscription, 0, 30)
		f.sell(m, p)
		next := f.sell(m, p)
		if next.Start != day("2026-12-26") || next.End != day("2027-01-24") {
			t.Fatalf("renewal %s..%s, want 2026-12-26..2027-01-24", next.Start, next.End)
		}
		if got := f.balance(m).SubscriptionUntil; got != day("2027-01-24") {
			t.Fatalf("subscription until %s", got)
		}
	})
	t.Run("RefundReversesTheCredit", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Alice")
		sale := f.sell(m, f.product(access.Pack, 10, 0))
		f.clock.Set(paris("2026-11-27 20:00"))
		f.push(k, entry(1, m, paris("2026-11-26 10:00")), entry(2, m, paris("2026-11-27 10:00")))
		if got := f.balance(m).EntriesLeft; got != 8 {
			t.Fatalf("entries left %d, want 8", got)
		}
		if _, err := f.ledger.RefundSale(f.ctx, sale.ID); err != nil {
			t.Fatal(err)
		}
		if bal := f.balance(m); bal.EntriesLeft != -2 || bal.Overdraft != 2 {
			t.Fatalf("after refund %+v, want -2 left, overdraft 2", bal)
		}
		_, err := f.ledger.RefundSale(f.ctx, sale.ID)
		wantCode(t, err, central.ECONFLICT)
	})
	t.Run("LateEntryRederivesWhichPackPaid", func(t *testing.T) {
		f := newFixture(t)
		k1, k2 := f.kiosk("front", ""), f.kiosk("back", "")
		m := f.member("Alice")
		short := f.sell(m, f.product(access.Pack, 1, 3)) // valid 26th to 28th
		long := f.sell(m, f.product(access.Pack, 10, 0))
		f.clock.Set(paris("2026-11-28 20:00"))
		f.push(k1, entry(1, m, paris("2026-11-28 10:00")))
		vs, _, _ := f.entries.FindVisits(f.ctx, central.VisitFilter{Member: &m})
		if vs[0].Sale != short.ID {
			t.Fatalf("28th paid by %d, want the short pack %d", vs[0].Sale, short.ID)
		}
		// An offline kiosk reports a visit on the 27th, late: the short
		// pack pays the 27th (oldest first, in day order), the long pack
		// the 28th.
		f.push(k2, entry(1, m, paris("2026-11-27 10:00")))
		vs, _, _ = f.entries.FindVisits(f.ctx, central.VisitFilter{Member: &m})
		if vs[0].Sale != short.ID || vs[1].Sale != long.ID {
			t.Fatalf("paid by %d, %d; want %d, %d", vs[0].Sale, vs[1].Sale, short.ID, long.ID)
		}
		if got := f.balance(m).EntriesLeft; got != 9 {
			t.Fatalf("entries left %d, want 9 (short pack expired and used)", got)
		}
	})
	t.Run("LateEarlierEntrySameDayBecomesTheConsumedOne", func(t *testing.T) {
		f := newFixture(t)
		k1, k2 := f.kiosk("front", ""), f.kiosk("back", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		later := entry(1, m, paris("2026-11-26 15:00"))
		earlier := entry(1, m, paris("2026-11-26 08:00"))
		f.push(k1, later)
		f.push(k2, earlier)
		c := consumed(f)
		if len(c) != 1 || c[0].ID != earlier.ID {
			t.Fatalf("consumed %v, want the earlier entry only", c)
		}
		if got := f.balance(m).EntriesLeft; got != 9 {
			t.Fatalf("entries left %d, want 9", got)
		}
	})
	t.Run("ExpiredPackNotCounted", func(t *testing.T) {
		f := newFixture(t)
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 3))
		f.clock.Set(paris("2026-11-29 10:00"))
		if got := f.balance(m).EntriesLeft; got != 0 {
			t.Fatalf("entries left %d after expiry, want 0", got)
		}
	})
	t.Run("UnlimitedCoversEverything", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Staff")
		f.sell(m, f.product(access.Pack, 10, 0))
		f.sell(m, f.product(access.Unlimited, 0, 0))
		f.push(k, entry(1, m, f.clock.Now()))
		bal := f.balance(m)
		if bal.EntriesLeft != 10 || !bal.Unlimited {
			t.Fatalf("balance %+v, want 10 left and unlimited", bal)
		}
	})
	t.Run("ExternalRefRecordedOnce", func(t *testing.T) {
		f := newFixture(t)
		m := f.member("Alice")
		p := f.product(access.Pack, 10, 0)
		n := central.NewSale{Member: m, Product: p, Source: central.SourceHelloAsso, ExternalRef: "order-1"}
		if _, err := f.ledger.CreateSale(f.ctx, n); err != nil {
			t.Fatal(err)
		}
		_, err := f.ledger.CreateSale(f.ctx, n)
		wantCode(t, err, central.ECONFLICT)
	})
	t.Run("ErrInactiveProduct", func(t *testing.T) {
		f := newFixture(t)
		m := f.member("Alice")
		p := f.product(access.Pack, 10, 0)
		if err := f.prods.SetProductActive(f.ctx, p, false); err != nil {
			t.Fatal(err)
		}
		_, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: m, Product: p, Source: "cli"})
		wantCode(t, err, central.EINVALID)
	})
	t.Run("ErrUnknownMemberOrProduct", func(t *testing.T) {
		f := newFixture(t)
		m := f.member("Alice")
		p := f.product(access.Pack, 10, 0)
		_, err := f.ledger.CreateSale(f.ctx, central.NewSale{Member: m + 1, Product: p, Source: "cli"})
		wantCode(t, err, central.ENOTFOUND)
		_, err = f.ledger.CreateSale(f.ctx, central.NewSale{Member: m, Product: p + 1, Source: "cli"})
		wantCode(t, err, central.ENOTFOUND)
	})
	t.Run("InvoiceSetOnce", func(t *testing.T) {
		f := newFixture(t)
		s := f.sell(f.member("Alice"), f.product(access.Pack, 10, 0))
		if err := f.ledger.SetSaleInvoice(f.ctx, s.ID, "F-2026-001"); err != nil {
			t.Fatal(err)
		}
		if err := f.ledger.SetSaleInvoice(f.ctx, s.ID, "F-2026-001"); err != nil {
			t.Fatalf("same invoice again: %v", err)
		}
		wantCode(t, f.ledger.SetSaleInvoice(f.ctx, s.ID, "F-2026-002"), central.ECONFLICT)
		got, _ := f.ledger.FindSaleByID(f.ctx, s.ID)
		if got.InvoiceID != "F-2026-001" {
			t.Fatalf("invoice %q", got.InvoiceID)
		}
	})
}

func testRetention(t *testing.T) {
	t.Run("PurgeKeepsBalancesAndVisits", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		m := f.member("Alice")
		f.sell(m, f.product(access.Pack, 10, 0))
		old := []*central.Entry{entry(1, m, paris("2026-11-26 09:00")), entry(2, m, paris("2026-11-27 09:00"))}
		f.clock.Set(paris("2027-03-01 10:00"))
		recent := entry(3, m, paris("2027-03-01 09:00"))
		f.push(k, append(old, recent)...)
		before := f.balance(m)
		n, err := f.entries.PurgeEntries(f.ctx, f.clock.Now().AddDate(0, 0, -90))
		if err != nil {
			t.Fatal(err)
		}
		if n != 2 || len(f.allEntries()) != 1 {
			t.Fatalf("purged %d, %d left; want 2 purged, 1 left", n, len(f.allEntries()))
		}
		after := f.balance(m)
		if after.EntriesLeft != before.EntriesLeft || after.EntriesLeft != 7 {
			t.Fatalf("entries left %d after purge, %d before, want 7", after.EntriesLeft, before.EntriesLeft)
		}
		if vs, _, _ := f.entries.FindVisits(f.ctx, central.VisitFilter{Member: &m}); len(vs) != 3 || vs[0].Entry != "" {
			t.Fatalf("visits %+v, want 3, the purged ones without entry", vs)
		}
		// A kiosk sending a purged entry again does not store it again,
		// and a later sale re-derives the balance from the visits.
		if res := f.push(k, old...); res.Inserted != 0 || res.Duplicates != 2 {
			t.Fatalf("replay after purge %+v", res)
		}
		f.sell(m, f.product(access.Pack, 10, 0))
		if got := f.balance(m).EntriesLeft; got != 17 {
			t.Fatalf("entries left %d after a new pack, want 17", got)
		}
		evs, _, _ := f.audit.FindAuditEvents(f.ctx, central.AuditFilter{Action: "entries.purge"})
		if len(evs) != 1 {
			t.Fatalf("%d purge audit events, want 1", len(evs))
		}
	})
	t.Run("PurgeKeepsEntriesAboveAGap", func(t *testing.T) {
		f := newFixture(t)
		k := f.kiosk("door", "")
		f.push(k, entry(1, 0, paris("2026-01-01 09:00")), entry(3, 0, paris("2026-01-01 09:00")))
		n, err := f.entries.PurgeEntries(f.ctx, f.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("purged %d, want 1 (the entry above the gap stays)", n)
		}
	})
}
