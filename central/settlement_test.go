package central_test

import (
	"slices"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestSettleSpaces: a visit at a space paid by a pack sold by another is
// owed by the seller to the host, per pair; visits paid at their own
// space or owed (overdraft) are not. (What paid a visit, case by case:
// TestSettleSpacesPaidBy.)
func TestSettleSpaces(t *testing.T) {
	spaces := []*central.Space{{ID: 1, Key: ""}, {ID: 2, Key: "La Cantine"}, {ID: 3, Key: "Le Square"}}
	places := map[int64]central.ProductPlace{10: {Space: 1, Valid: central.ProductSpaces{All: true}}, 20: {Space: 2}, 30: {Space: 3, Valid: central.ProductSpaces{All: true}}}
	sales := []*central.Sale{{ID: 100, Product: 10, Kind: access.Pack}, {ID: 200, Product: 20, Kind: access.Pack},
		{ID: 300, Product: 30, Kind: access.Pack}}
	v := func(space string, charge string, sale int64) *central.Visit {
		return &central.Visit{Space: space, Charge: charge, Sale: sale}
	}
	visits := []*central.Visit{
		v("La Cantine", central.ChargePack, 100), v("La Cantine", central.ChargePack, 100), // 2 owed by 1 to 2
		v("", central.ChargePack, 100),             // at its own space
		v("Le Square", central.ChargePack, 100),    // 1 owed by 1 to 3
		v("", central.ChargePack, 300),             // 1 owed by 3 to 1
		v("La Cantine", central.ChargePack, 200),   // its own space
		v("La Cantine", central.ChargeCovered, 0),  // covered, but she holds no subscription: nothing
		v("Le Square", central.ChargeOverdraft, 0), // owed by the member, no pass
		v("Annexe libre", central.ChargePack, 300), // a free-text kiosk space is the main one's
	}
	got := central.SettleSpaces(spaces, visits, sales, places, central.FlatRate(350))
	want := []central.SettlementLine{{Host: 1, Seller: 3, Visits: 2, Rate: 350, Amount: 700, Agreed: true},
		{Host: 2, Seller: 1, Visits: 2, Rate: 350, Amount: 700, Agreed: true}, {Host: 3, Seller: 1, Visits: 1, Rate: 350, Amount: 350, Agreed: true}}
	sameLines(t, got, want)

	// At the spaces' conventions: each direction its own rate; a pair
	// without one owes nothing yet and says so.
	rates := central.ConventionRates([]*central.Convention{{Host: 1, Seller: 3, Rate: 200}, {Host: 3, Seller: 1, Rate: 450},
		{Host: 2, Seller: 3, Rate: 999}})
	got = central.SettleSpaces(spaces, visits, sales, places, rates)
	want = []central.SettlementLine{{Host: 1, Seller: 3, Visits: 2, Rate: 200, Amount: 400, Agreed: true},
		{Host: 2, Seller: 1, Visits: 2}, {Host: 3, Seller: 1, Visits: 1, Rate: 450, Amount: 450, Agreed: true}}
	sameLines(t, got, want)

	// Per pair, seen from the lower id: 1 and 3 owe each other both ways.
	pairs := central.PairSettlements(got)
	wantPairs := []central.SettlementPair{{A: 1, B: 2, Sent: 2, Unagreed: true},
		{A: 1, B: 3, Received: 2, Sent: 1, OwedToA: 400, OwedToB: 450}}
	if !slices.Equal(pairs, wantPairs) {
		t.Fatalf("pairs %+v, want %+v", pairs, wantPairs)
	}
	if pairs[1].Net() != -50 {
		t.Errorf("net of 1 and 3 = %d, want -50 (1 owes 3 fifty cents)", pairs[1].Net())
	}
}

// TestSettleSpacesPaidBy: what paid one visit of Zoé (member 7) at a
// space decides who owes it, at the convention's rate per visit: a pack
// of another space (its entry), a subscription or an unlimited plan of
// another space that covered it (the ledger records no sale for those:
// the covering one is found again), not her host's own product, nor a
// refunded sale, nor nothing (an overdraft: she owes it, no space does).
func TestSettleSpacesPaidBy(t *testing.T) {
	spaces := []*central.Space{{ID: 1, Key: ""}, {ID: 2, Key: "La Cantine"}, {ID: 3, Key: "Le Square"}}
	all := central.ProductSpaces{All: true}
	places := map[int64]central.ProductPlace{
		10: {Space: 1, Valid: all},                                              // network card of 1
		11: {Space: 1, Valid: all},                                              // network subscription of 1
		12: {Space: 3, Valid: all},                                              // network unlimited plan of 3
		13: {Space: 2},                                                          // subscription of 2, valid there only
		14: {Space: 3, Valid: central.ProductSpaces{List: access.Spaces(1, 3)}}, // subscription of 3, valid at 1 and 3
	}
	nov := func(d int) access.Day { return access.Day{Year: 2026, Month: 11, Day: d} }
	const zoe = 7
	sale := func(id, product int64, kind access.Kind, start, end access.Day) *central.Sale {
		return &central.Sale{ID: id, Member: zoe, Product: product, Kind: kind, Start: start, End: end}
	}
	card := sale(100, 10, access.Pack, nov(1), access.Day{})
	sub := sale(110, 11, access.Subscription, nov(1), nov(30))
	unlimited := sale(120, 12, access.Unlimited, nov(1), access.Day{})
	local := sale(130, 13, access.Subscription, nov(1), nov(30))
	later := sale(111, 11, access.Subscription, nov(10), nov(30)) // a second one, started later
	refunded := sale(112, 11, access.Subscription, nov(1), nov(30))
	refunded.Refunded = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	refundedCard := sale(101, 10, access.Pack, nov(1), access.Day{})
	refundedCard.Refunded = refunded.Refunded
	elsewhere := sale(140, 14, access.Subscription, nov(1), nov(30))
	october := sale(113, 11, access.Subscription, nov(1).AddDays(-31), nov(1).AddDays(-1))

	type owes struct{ host, seller int64 }
	for _, c := range []struct {
		name   string
		at     string // the visit's space key
		day    int
		charge string
		sale   int64 // the pack that paid it
		guest  int64
		sales  []*central.Sale
		want   []owes
	}{
		{"pack of 1 at 2", "La Cantine", 5, central.ChargePack, 100, 0, []*central.Sale{card}, []owes{{2, 1}}},
		{"pack of 1 at 1", "", 5, central.ChargePack, 100, 0, []*central.Sale{card}, nil},
		{"refunded pack", "La Cantine", 5, central.ChargePack, 101, 0, []*central.Sale{refundedCard}, nil},
		{"subscription of 1 at 2", "La Cantine", 5, central.ChargeCovered, 0, 0, []*central.Sale{sub}, []owes{{2, 1}}},
		{"subscription of 1 at 3", "Le Square", 5, central.ChargeCovered, 0, 0, []*central.Sale{sub}, []owes{{3, 1}}},
		{"subscription of 1 at 1", "", 5, central.ChargeCovered, 0, 0, []*central.Sale{sub}, nil},
		{"unlimited of 3 at 1", "", 5, central.ChargeCovered, 0, 0, []*central.Sale{unlimited}, []owes{{1, 3}}},
		{"unlimited of 3 at 3", "Le Square", 5, central.ChargeCovered, 0, 0, []*central.Sale{unlimited}, nil},
		{"unlimited of 3 for a guest at 2", "La Cantine", 5, central.ChargeCovered, 0, 9, []*central.Sale{unlimited}, []owes{{2, 3}}},
		{"pack of 1 for a guest at 2 (her host's entry)", "La Cantine", 5, central.ChargePack, 100, 9, []*central.Sale{card}, []owes{{2, 1}}},
		{"pack of 1 for a guest at 1", "", 5, central.ChargePack, 100, 9, []*central.Sale{card}, nil},
		{"guest owed by her host", "La Cantine", 5, central.ChargeOverdraft, 0, 9, []*central.Sale{card}, nil},
		{"subscription of 1 for a guest (hers only)", "La Cantine", 5, central.ChargeCovered, 0, 9, []*central.Sale{sub}, nil},
		{"her own space's subscription first", "La Cantine", 5, central.ChargeCovered, 0, 0, []*central.Sale{sub, local}, nil},
		{"own space's, in any order", "La Cantine", 5, central.ChargeCovered, 0, 0, []*central.Sale{local, unlimited}, nil},
		{"the one started first", "La Cantine", 15, central.ChargeCovered, 0, 0, []*central.Sale{later, unlimited}, []owes{{2, 3}}},
		{"the one started first, by id", "La Cantine", 15, central.ChargeCovered, 0, 0, []*central.Sale{later, sub}, []owes{{2, 1}}},
		{"refunded subscription", "La Cantine", 5, central.ChargeCovered, 0, 0, []*central.Sale{refunded}, nil},
		{"refunded, another covers", "La Cantine", 5, central.ChargeCovered, 0, 0, []*central.Sale{refunded, unlimited}, []owes{{2, 3}}},
		{"subscription not valid at the host", "La Cantine", 5, central.ChargeCovered, 0, 0, []*central.Sale{elsewhere}, nil},
		{"subscription of 3 valid at 1", "", 5, central.ChargeCovered, 0, 0, []*central.Sale{elsewhere}, []owes{{1, 3}}},
		{"subscription ended", "La Cantine", 5, central.ChargeCovered, 0, 0, []*central.Sale{october}, nil},
		{"subscription not started", "La Cantine", 5, central.ChargeCovered, 0, 0, []*central.Sale{later}, nil},
		{"overdraft", "La Cantine", 5, central.ChargeOverdraft, 0, 0, []*central.Sale{sub, card}, nil},
		{"another member's subscription", "La Cantine", 5, central.ChargeCovered, 0, 0,
			[]*central.Sale{{ID: 150, Member: 8, Product: 11, Kind: access.Subscription, Start: nov(1), End: nov(30)}}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := &central.Visit{Member: zoe, Space: c.at, Day: nov(c.day), Charge: c.charge, Sale: c.sale, Guest: c.guest}
			rates := central.ConventionRates([]*central.Convention{{Host: 1, Seller: 3, Rate: 200}, {Host: 2, Seller: 1, Rate: 350},
				{Host: 2, Seller: 3, Rate: 400}, {Host: 3, Seller: 1, Rate: 450}})
			got := central.SettleSpaces(spaces, []*central.Visit{v}, c.sales, places, rates)
			var want []central.SettlementLine
			for _, o := range c.want {
				rate, _ := rates(o.host, o.seller)
				want = append(want, central.SettlementLine{Host: o.host, Seller: o.seller, Visits: 1, Rate: rate, Amount: rate, Agreed: true})
			}
			if len(got) != len(want) || len(want) > 0 && !slices.Equal(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func sameLines(t *testing.T, got, want []central.SettlementLine) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

// TestConventionValidate: two different spaces, a rate from 0 to 1,000 €.
func TestConventionValidate(t *testing.T) {
	for _, c := range []struct {
		c  central.Convention
		ok bool
	}{
		{central.Convention{Host: 1, Seller: 2, Rate: 350}, true},
		{central.Convention{Host: 1, Seller: 2, Rate: 0}, true},
		{central.Convention{Host: 1, Seller: 2, Rate: central.MaxConventionRate}, true},
		{central.Convention{Host: 1, Seller: 2, Rate: central.MaxConventionRate + 1}, false},
		{central.Convention{Host: 1, Seller: 2, Rate: -1}, false},
		{central.Convention{Host: 2, Seller: 2, Rate: 100}, false},
		{central.Convention{Host: 0, Seller: 2, Rate: 100}, false},
	} {
		err := c.c.Validate()
		if (err == nil) != c.ok || err != nil && central.ErrorCode(err) != central.EINVALID {
			t.Errorf("%+v: %v", c.c, err)
		}
	}
}

// TestParseMonth: a month's first and last days; anything but YYYY-MM is
// refused.
func TestParseMonth(t *testing.T) {
	first, last, err := central.ParseMonth("2028-02")
	if err != nil || first.String() != "2028-02-01" || last.String() != "2028-02-29" {
		t.Fatalf("2028-02: %v %v %v", first, last, err)
	}
	if _, last, _ := central.ParseMonth("2026-12"); last.String() != "2026-12-31" {
		t.Fatalf("2026-12 ends %v", last)
	}
	for _, bad := range []string{"2026-13", "2026-1", "202601", "", "2026-01-01"} {
		if _, _, err := central.ParseMonth(bad); central.ErrorCode(err) != central.EINVALID {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
