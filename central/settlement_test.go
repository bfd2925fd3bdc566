package central_test

import (
	"slices"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestSettleSpaces: a visit at a space paid by a pack sold by another is
// owed by the seller to the host, per pair; visits paid at their own
// space, covered by a subscription (no sale) or owed (overdraft) are not.
func TestSettleSpaces(t *testing.T) {
	spaces := []*central.Space{{ID: 1, Key: ""}, {ID: 2, Key: "La Cantine"}, {ID: 3, Key: "Le Square"}}
	places := map[int64]central.ProductPlace{10: {Space: 1, Valid: central.ProductSpaces{All: true}}, 20: {Space: 2}, 30: {Space: 3, Valid: central.ProductSpaces{All: true}}}
	saleProduct := map[int64]int64{100: 10, 200: 20, 300: 30}
	v := func(space string, charge string, sale int64) *central.Visit {
		return &central.Visit{Space: space, Charge: charge, Sale: sale}
	}
	visits := []*central.Visit{
		v("La Cantine", central.ChargePack, 100), v("La Cantine", central.ChargePack, 100), // 2 owed by 1 to 2
		v("", central.ChargePack, 100),             // at its own space
		v("Le Square", central.ChargePack, 100),    // 1 owed by 1 to 3
		v("", central.ChargePack, 300),             // 1 owed by 3 to 1
		v("La Cantine", central.ChargePack, 200),   // its own space
		v("La Cantine", central.ChargeCovered, 0),  // a subscription: not known
		v("Le Square", central.ChargeOverdraft, 0), // owed by the member, no pass
		v("Annexe libre", central.ChargePack, 300), // a free-text kiosk space is the main one's
	}
	got := central.SettleSpaces(spaces, visits, saleProduct, places, central.FlatRate(350))
	want := []central.SettlementLine{{Host: 1, Seller: 3, Visits: 2, Rate: 350, Amount: 700, Agreed: true},
		{Host: 2, Seller: 1, Visits: 2, Rate: 350, Amount: 700, Agreed: true}, {Host: 3, Seller: 1, Visits: 1, Rate: 350, Amount: 350, Agreed: true}}
	sameLines(t, got, want)

	// At the spaces' conventions: each direction its own rate; a pair
	// without one owes nothing yet and says so.
	rates := central.ConventionRates([]*central.Convention{{Host: 1, Seller: 3, Rate: 200}, {Host: 3, Seller: 1, Rate: 450},
		{Host: 2, Seller: 3, Rate: 999}})
	got = central.SettleSpaces(spaces, visits, saleProduct, places, rates)
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
