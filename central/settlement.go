package central

import (
	"cmp"
	"slices"
)

// Settlement between the spaces of a network (issue 14): a visit at a
// space (the host) paid by an entry of a pack sold by another space (the
// seller) is a visit the seller owes the host. SettleSpaces counts them
// per pair of spaces; the amount is a rate per visit the two spaces agree
// on (their convention), given by the caller.
//
// Only visits paid by a pack count: a visit covered by a subscription or
// an unlimited plan records no sale (Visit.Sale is 0), so which space sold
// what covered it is not known yet.

// SettlementLine is what one space (Seller) owes another (Host) for the
// visits the host received of the seller's passes.
type SettlementLine struct {
	Host, Seller int64
	Visits       int
	Amount       int64 // cents: Visits × the rate
}

// SettleSpaces counts the visits paid by a pack sold at another space
// than the visit's, per (host, seller), ordered by host then seller.
// saleProduct maps a sale's id to its product; places says where each
// product is sold (a product not in it is the main space's).
func SettleSpaces(spaces []*Space, visits []*Visit, saleProduct map[int64]int64, places map[int64]ProductPlace, rate int64) []SettlementLine {
	type pair struct{ host, seller int64 }
	count := map[pair]int{}
	for _, v := range visits {
		if v.Charge != ChargePack || v.Sale == 0 {
			continue
		}
		seller := MainSpace
		if p, ok := places[saleProduct[v.Sale]]; ok && p.Space != 0 {
			seller = p.Space
		}
		host := SpaceOfKey(spaces, v.Space)
		if host != seller {
			count[pair{host, seller}]++
		}
	}
	lines := make([]SettlementLine, 0, len(count))
	for p, n := range count {
		lines = append(lines, SettlementLine{Host: p.host, Seller: p.seller, Visits: n, Amount: int64(n) * rate})
	}
	slices.SortFunc(lines, func(a, b SettlementLine) int {
		if c := cmp.Compare(a.Host, b.Host); c != 0 {
			return c
		}
		return cmp.Compare(a.Seller, b.Seller)
	})
	return lines
}
