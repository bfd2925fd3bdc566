package central_test

import (
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
	got := central.SettleSpaces(spaces, visits, saleProduct, places, 350)
	want := []central.SettlementLine{{Host: 1, Seller: 3, Visits: 2, Amount: 700}, {Host: 2, Seller: 1, Visits: 2, Amount: 700},
		{Host: 3, Seller: 1, Visits: 1, Amount: 350}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
