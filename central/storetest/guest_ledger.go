package storetest

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// guestEntry is an accepted guest's entry of pass g made at t: her host
// as its member, the pass's badge hash.
func guestEntry(seq int64, g *central.GuestPass, t time.Time) *central.Entry {
	return &central.Entry{ID: uuid.Must(uuid.NewV7()).String(), Seq: seq, Member: g.Host, KioskTime: t,
		Badge: badge.GuestHash(uint32(g.ID)), Accept: true, Reason: access.OKGuest}
}

// testGuestLedger: with guests.consumes_host_entry on, a guest's entry
// takes one of her host's entries when it is synced, exactly once (a
// replay, the same batch from the kiosk again, or a second scan of the
// pass take nothing more); her host's own visit of the day still takes
// its own; a subscription of the host does not cover her guest; with the
// setting off, guests take nothing (a pass's first entry synced decides,
// once). Each guest's arrival is an event with
// her pass and her host loaded, once per pass; refunding the card the
// guest used makes her visit an overdraft.
func testGuestLedger(t *testing.T) {
	f := newFixture(t)
	var arrivals []central.GuestArrival
	f.store.SetReactions(func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		if a, ok := ev.(central.GuestArrival); ok {
			arrivals = append(arrivals, a)
		}
		return nil
	})
	host := f.member("Marc")
	card := f.sell(host, f.product(access.Pack, 10, 0))
	k := f.kiosk("Porte", "")
	issue := func(name string, host int64) *central.GuestPass {
		g := &central.GuestPass{Host: host, Name: name, Day: day("2026-11-26"), Space: "Badgeuse"}
		if err := f.store.Guests.IssueGuestPass(f.ctx, g, 0); err != nil {
			t.Fatal(err)
		}
		return g
	}
	lea, paul := issue("Léa", host), issue("Paul", host)
	at := paris("2026-11-26 09:30")

	// Off (the default): the guest takes nothing, but she arrived.
	f.push(k, guestEntry(1, lea, at))
	if b := f.balance(host); b.EntriesLeft != 10 {
		t.Fatalf("setting off: %d left, want 10", b.EntriesLeft)
	}
	if len(arrivals) != 1 || arrivals[0].Pass.Name != "Léa" || arrivals[0].Host == nil || arrivals[0].Host.Name != "Marc" {
		t.Fatalf("guest arrivals %+v", arrivals)
	}

	if err := f.set.SetSetting(f.ctx, central.SettingGuestConsumes, "true"); err != nil {
		t.Fatal(err)
	}
	p := guestEntry(2, paul, at.Add(time.Minute))
	f.push(k, p)
	f.push(k, p)                                          // the same batch again
	f.push(k, guestEntry(3, paul, at.Add(2*time.Minute))) // Paul scans again
	f.push(k, entry(4, host, at.Add(3*time.Minute)))      // Marc comes himself
	if b := f.balance(host); b.EntriesLeft != 8 {
		t.Fatalf("Paul and Marc: %d left, want 8 (one each)", b.EntriesLeft)
	}
	// Whether a pass takes an entry is decided when its first entry is
	// synced: Léa's, which took nothing in the morning, takes nothing
	// when she comes back.
	f.push(k, guestEntry(5, lea, at.Add(4*time.Minute)))
	if b := f.balance(host); b.EntriesLeft != 8 {
		t.Fatalf("Léa again: %d left, want 8", b.EntriesLeft)
	}
	if n := len(arrivals); n != 4 {
		t.Fatalf("%d guest arrival events, want 4 (one per new guest entry; reactions key them by pass)", n)
	}

	// A subscription is Marc's alone: it covers his own visit (his entry
	// comes back to his card), not Zoé's, which takes from his card.
	f.sell(host, f.product(access.Subscription, 0, 30))
	zoe := issue("Zoé", host)
	f.push(k, guestEntry(6, zoe, at.Add(5*time.Minute)))
	if b := f.balance(host); b.EntriesLeft != 8 {
		t.Fatalf("Paul and Zoé with Marc's subscription: %d left, want 8", b.EntriesLeft)
	}

	// Refund the card: the guests' visits are owed, Marc's own is
	// covered by his subscription.
	if _, err := f.ledger.RefundSale(f.ctx, card.ID); err != nil {
		t.Fatal(err)
	}
	if b := f.balance(host); b.Overdraft != 2 {
		t.Fatalf("after the refund: %+v, want 2 owed (Paul's and Zoé's)", b)
	}

	// The bureau sees who came, per host and per month, whatever each
	// guest took.
	issue("Nina", host) // invited, not come
	hg, err := f.store.Admin.HostGuests(f.ctx, host, 10)
	if err != nil || len(hg) != 4 {
		t.Fatalf("HostGuests: %d %v", len(hg), err)
	}
	came, took := map[string]bool{}, map[string]bool{}
	for _, g := range hg {
		came[g.Name], took[g.Name] = g.Came, g.TookEntry
	}
	if !came["Léa"] || !came["Paul"] || !came["Zoé"] || came["Nina"] {
		t.Fatalf("came: %v", came)
	}
	if took["Léa"] || !took["Paul"] || !took["Zoé"] || took["Nina"] {
		t.Fatalf("took one of Marc's entries: %v (Paul and Zoé did, after the setting)", took)
	}
	// And per day, for Today: whether each of the day's guests came.
	other := &central.GuestPass{Host: host, Name: "Tom", Day: day("2026-11-27"), Space: "Badgeuse"}
	if err := f.store.Guests.IssueGuestPass(f.ctx, other, 0); err != nil {
		t.Fatal(err)
	}
	dg, err := f.store.Admin.DayGuests(f.ctx, day("2026-11-26"), 100)
	if err != nil || len(dg) != 4 {
		t.Fatalf("DayGuests: %d %v, want the 4 passes of the day", len(dg), err)
	}
	for i, g := range dg {
		if g.Came != came[g.Name] || g.TookEntry != took[g.Name] || g.Host != host || (i > 0 && g.ID <= dg[i-1].ID) {
			t.Fatalf("DayGuests %d: %+v (came %v), want as HostGuests says, by id", i, g, g.Came)
		}
	}
	if dg, _ := f.store.Admin.DayGuests(f.ctx, day("2026-11-27"), 100); len(dg) != 1 || dg[0].Name != "Tom" || dg[0].Came {
		t.Fatalf("DayGuests of the next day: %+v", dg)
	}
	months, err := f.store.Admin.MonthGuests(f.ctx, day("2026-10-01"), day("2026-11-30"), adminstore.Place{})
	if err != nil || len(months) != 1 || months[0].Month != "2026-11" || months[0].Count != 3 {
		t.Fatalf("MonthGuests: %+v %v", months, err)
	}
}
