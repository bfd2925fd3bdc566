package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// testMemberSpaces: central.MemberFilter.Space selects the members a
// space's bureau sees (issue 14): holding a sale of a product it sells or
// that is valid there (refunded sales count: her history with the space
// stays its books), or registered there and having bought nothing;
// central.MemberSpaces, over the admin's MemberPurchases, says the same
// of each member (the members export's column).
func testMemberSpaces(t *testing.T) {
	n := newNetwork(t) // alice: card of A; bob: the network pass; carl: card of B; dan: nothing
	f := n.fixture
	erin := &central.Member{Name: "Erin", Space: n.b.ID} // registered by B's bureau, bought nothing
	if err := f.members.CreateMember(f.ctx, erin); err != nil {
		t.Fatal(err)
	}
	// Sold by A, valid at B only (a list): both see her.
	forB := f.product(access.Pack, 3, 0)
	if err := n.spaces.SetProductSpaces(f.ctx, forB, central.MainSpace, central.ProductSpaces{List: access.Spaces(n.b.ID)}); err != nil {
		t.Fatal(err)
	}
	fay := f.member("Fay")
	f.sell(fay, forB)
	// A card of B, refunded: still B's.
	gus := f.member("Gus")
	s := f.sell(gus, n.cardB)
	if _, err := f.ledger.RefundSale(f.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	ids := func(space int64, query string) []int64 {
		t.Helper()
		ms, total, err := f.members.FindMembers(f.ctx, central.MemberFilter{Space: space, Query: query})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(ms) {
			t.Errorf("space %d: total %d for %d members", space, total, len(ms))
		}
		var out []int64
		for _, m := range ms {
			out = append(out, m.ID)
		}
		return out
	}
	for _, c := range []struct {
		space int64
		want  []int64
	}{
		{0, []int64{n.alice, n.bob, n.carl, n.dan, erin.ID, fay, gus}},
		// Every member but Erin was registered at A (the default); carl
		// and gus bought B's cards only: B's.
		{central.MainSpace, []int64{n.alice, n.bob, n.dan, fay}},
		{n.b.ID, []int64{n.bob, n.carl, erin.ID, fay, gus}},
		{n.b.ID + 1, []int64{n.bob}}, // a space added later: the network pass is valid there too
	} {
		if got := ids(c.space, ""); !slices.Equal(got, c.want) {
			t.Errorf("members of space %d: %v, want %v", c.space, got, c.want)
		}
	}
	// The members export's rule for one member (central.MemberSpaces, over
	// the admin's MemberPurchases) says what the filter says.
	c := &central.Space{Name: "Le Square"}
	if err := n.spaces.CreateSpace(f.ctx, c); err != nil {
		t.Fatal(err)
	}
	spaces, err := n.spaces.FindSpaces(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	places, err := n.spaces.ProductPlaces(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	bought, err := f.store.Admin.MemberPurchases(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bought) != 7 || len(bought[n.alice].Products) != 1 || bought[erin.ID].Registered != n.b.ID {
		t.Errorf("member purchases %+v", bought)
	}
	for _, sp := range spaces {
		var rule []int64
		for _, m := range ids(0, "") {
			var ps []central.ProductPlace
			for _, id := range bought[m].Products {
				ps = append(ps, places[id])
			}
			if slices.Contains(central.MemberSpaces(spaces, bought[m].Registered, ps), sp) {
				rule = append(rule, m)
			}
		}
		if want := ids(sp.ID, ""); !slices.Equal(rule, want) {
			t.Errorf("space %d: central.MemberSpaces finds %v, the filter %v", sp.ID, rule, want)
		}
	}
	if got := ids(n.b.ID, "Erin"); !slices.Equal(got, []int64{erin.ID}) {
		t.Errorf("Erin searched in B: %v", got)
	}
	// By id: another space's member is not found there.
	ms, _, err := f.members.FindMembers(f.ctx, central.MemberFilter{ID: &n.alice, Space: n.b.ID})
	if err != nil || len(ms) != 0 {
		t.Errorf("Alice read as a member of B: %d, %v", len(ms), err)
	}
}

// testAdminUserSpaces: an admin user's space is stored, changed, and read
// with her session; an unknown space is refused.
func testAdminUserSpaces(t *testing.T) {
	n := newNetwork(t)
	f := n.fixture
	a := f.store.Admin
	u := &central.AdminUser{Email: "hangar@example.org", Role: central.RoleDoor, Space: n.b.ID, PasswordHash: "x"}
	if err := a.CreateAdminUser(f.ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := a.FindAdminUserByID(f.ctx, u.ID)
	if err != nil || got.Space != n.b.ID || got.Network() {
		t.Fatalf("read %+v, %v; want space %d", got, err, n.b.ID)
	}
	net := &central.AdminUser{Email: "net@example.org", Role: central.RoleAdmin, PasswordHash: "x"}
	if err := a.CreateAdminUser(f.ctx, net); err != nil {
		t.Fatal(err)
	}
	if got, _ := a.FindAdminUserByEmail(f.ctx, "net@example.org"); got.Space != 0 || !got.Network() {
		t.Errorf("a user made without a space has space %d, want 0 (the network)", got.Space)
	}
	bad := &central.AdminUser{Email: "bad@example.org", Role: central.RoleDoor, Space: 999, PasswordHash: "x"}
	if err := a.CreateAdminUser(f.ctx, bad); central.ErrorCode(err) != central.ENOTFOUND {
		t.Errorf("unknown space: %v, want ENOTFOUND", err)
	}
	none := int64(0)
	if got, err := a.UpdateAdminUser(f.ctx, u.ID, central.AdminUserUpdate{Space: &none}); err != nil || got.Space != 0 {
		t.Errorf("update to the network: %+v, %v", got, err)
	}
	wrong := int64(999)
	if _, err := a.UpdateAdminUser(f.ctx, u.ID, central.AdminUserUpdate{Space: &wrong}); central.ErrorCode(err) != central.ENOTFOUND {
		t.Errorf("update to an unknown space: %v, want ENOTFOUND", err)
	}
	users, err := a.FindAdminUsers(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range users {
		if x.Space != 0 {
			t.Errorf("%s: space %d after the updates", x.Email, x.Space)
		}
	}
}

// testSaleRowsOfSpace: adminstore.SaleRowFilter.Space selects the sales
// of the products a space sells (its books), whoever bought them.
func testSaleRowsOfSpace(t *testing.T) {
	n := newNetwork(t) // alice: card of A; bob: the network pass, sold by A; carl: card of B
	f := n.fixture
	for _, c := range []struct {
		space int64
		want  []int64
	}{{0, []int64{n.alice, n.bob, n.carl}}, {central.MainSpace, []int64{n.alice, n.bob}}, {n.b.ID, []int64{n.carl}}} {
		rows, total, err := f.store.Admin.SaleRows(f.ctx, adminstore.SaleRowFilter{Space: c.space})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, r := range rows {
			got = append(got, r.Member)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) || total != len(c.want) {
			t.Errorf("sales of space %d: members %v (total %d), want %v", c.space, got, total, c.want)
		}
	}
}

// testStatsPlaces: the statistics count at a place (adminstore.Place):
// one space's visits (by their space key), entries (by its kiosks) and
// books (by its id: the sales of the products it sells, the entries left
// on its cards, wherever they are used), or the network's (the zero
// Place).
func testStatsPlaces(t *testing.T) {
	n := newNetwork(t)
	f := n.fixture
	n.push(n.kioskA, entry(1, n.alice, paris("2026-11-26 09:00")), entry(2, n.bob, paris("2026-11-26 09:10")))
	n.push(n.kioskB, entry(1, n.bob, paris("2026-11-26 14:00")), entry(2, n.carl, paris("2026-11-26 14:05")),
		entry(3, n.carl, paris("2026-11-25 10:00")))
	f.clock.Set(paris("2026-11-26 20:00"))
	a := f.store.Admin
	since, until := day("2026-11-01"), day("2026-11-30")
	network := adminstore.Place{}
	atA := adminstore.Place{Keys: []string{""}, Kiosks: []int64{n.kioskA.ID}, Space: central.MainSpace}
	atB := adminstore.Place{Keys: []string{n.b.Key}, Kiosks: []int64{n.kioskB.ID}, Space: n.b.ID}
	nowhere := adminstore.Place{Keys: []string{"no such space"}, Kiosks: []int64{}}
	for _, c := range []struct {
		name                  string
		at                    adminstore.Place
		visits, members, hour int
	}{{"network", network, 5, 3, 5}, {"A", atA, 2, 2, 2}, {"B", atB, 3, 2, 3}, {"nowhere", nowhere, 0, 0, 0}} {
		days, err := a.VisitDays(f.ctx, since, until, c.at)
		if err != nil {
			t.Fatal(err)
		}
		visits := 0
		for _, d := range days {
			visits += d.Count
		}
		months, err := a.MonthMembers(f.ctx, since, until, c.at)
		if err != nil {
			t.Fatal(err)
		}
		members := 0
		for _, m := range months {
			members += m.Count
		}
		hours, err := a.EntryHours(f.ctx, paris("2026-11-01 00:00"), paris("2026-11-27 00:00"), c.at)
		if err != nil {
			t.Fatal(err)
		}
		entries := 0
		for _, h := range hours {
			entries += h.Count
		}
		if _, err := a.MonthGuests(f.ctx, since, until, c.at); err != nil {
			t.Fatal(err)
		}
		if visits != c.visits || members != c.members || entries != c.hour {
			t.Errorf("%s: %d visits, %d members, %d entries; want %d, %d, %d", c.name, visits, members, entries, c.visits, c.members, c.hour)
		}
	}

	// Books: A sold alice's card and bob's network pass (used at both
	// spaces), B carl's card (5 entries, 2 visits: 3 left); each 100 €.
	loc, _ := time.LoadLocation("Europe/Paris")
	owed := map[string]adminstore.EntriesOwed{}
	for _, c := range []struct {
		name          string
		at            adminstore.Place
		cards, amount int64
	}{{"network", network, 3, 30000}, {"A", atA, 2, 20000}, {"B", atB, 1, 10000}, {"nowhere", nowhere, 0, 0}} {
		months, err := a.MonthSales(f.ctx, paris("2000-01-01 00:00"), paris("2100-01-01 00:00"), loc, c.at)
		if err != nil {
			t.Fatal(err)
		}
		var cards, amount int64
		for _, m := range months {
			cards, amount = cards+int64(m.Cards+m.Subscriptions), amount+m.Amount
		}
		if owed[c.name], err = a.EntriesOwed(f.ctx, day("2026-11-26"), c.at); err != nil {
			t.Fatal(err)
		}
		if cards != c.cards || amount != c.amount || owed[c.name].Cards != c.cards {
			t.Errorf("%s: %d sales of %d cents, %d cards owed; want %d, %d, %d", c.name, cards, amount, owed[c.name].Cards,
				c.cards, c.amount, c.cards)
		}
	}
	if owed["B"].Entries != 3 || owed["A"].Entries+owed["B"].Entries != owed["network"].Entries || owed["nowhere"].Entries != 0 {
		t.Errorf("entries owed %+v, want 3 at B, A's and B's the network's, none nowhere", owed)
	}
}
