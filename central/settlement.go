package central

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Settlement between the spaces of a network (issue 14): a visit at a
// space (the host) paid by another space's pass (the seller's) is a visit
// the seller owes the host. SettleSpaces counts them per pair of spaces;
// the amount is a rate per visit the two spaces agree on in their
// convention (Convention, stored per host and seller), or one rate the
// caller gives for every pair (centrald settlement --rate).
//
// What paid a visit is what the ledger's Settle says (Visit.Charge): an
// entry of a pack (Visit.Sale), or a subscription or unlimited plan valid
// at the host that day (ChargeCovered: the ledger records no sale, so the
// covering sale is found again as access.SettleAt finds it, coveringSale).
// A visit owed by the member (overdraft) was paid by no space's pass: it
// counts for no one. A guest's visit that took one of her host's entries
// (Visit.Guest, guests.consumes_host_entry) is paid by the host's passes
// and counts as the host's own; one that took nothing counts for no one.

// Convention is the rate per visit two spaces agreed: what Seller pays
// Host for each visit Host receives of a pass Seller sold. Each direction
// has its own rate (a space may charge its neighbour less than it is
// charged).
type Convention struct {
	Host, Seller int64
	Rate         int64 // cents per visit
	Updated      time.Time
}

// MaxConventionRate bounds a rate per visit (cents): 1,000 €.
const MaxConventionRate = 1000_00

// Validate checks a convention's spaces and rate. It returns EINVALID.
func (c *Convention) Validate() error {
	switch {
	case c.Host <= 0 || c.Seller <= 0:
		return Errorf(EINVALID, "A convention needs two spaces.")
	case c.Host == c.Seller:
		return Errorf(EINVALID, "A convention is between two different spaces.")
	case c.Rate < 0 || c.Rate > MaxConventionRate:
		return Errorf(EINVALID, "A rate per visit is from 0 to 1000 euros.")
	}
	return nil
}

// SettlementLine is what one space (Seller) owes another (Host) for the
// visits the host received of the seller's passes.
type SettlementLine struct {
	Host, Seller int64
	Visits       int
	Rate         int64 // cents per visit
	Amount       int64 // cents: Visits × Rate
	// Agreed says the rate is the two spaces' convention or the one the
	// caller gave; false: none, the amount is 0 until they sign one.
	Agreed bool
}

// Rates gives the rate per visit (cents) Seller pays Host, and whether
// there is one.
type Rates func(host, seller int64) (rate int64, ok bool)

// FlatRate is one rate for every pair (centrald settlement --rate).
func FlatRate(cents int64) Rates {
	return func(int64, int64) (int64, bool) { return cents, true }
}

// ConventionRates reads the rates of the spaces' conventions.
func ConventionRates(cs []*Convention) Rates {
	m := make(map[[2]int64]int64, len(cs))
	for _, c := range cs {
		m[[2]int64{c.Host, c.Seller}] = c.Rate
	}
	return func(host, seller int64) (int64, bool) {
		r, ok := m[[2]int64{host, seller}]
		return r, ok
	}
}

// SettleSpaces counts the visits paid by a pass sold at another space
// than the visit's, per (host, seller), ordered by host then seller: an
// entry of a pack, or a subscription or unlimited plan that covered the
// visit (coveringSale). sales are the members' sales (refunded ones pay
// nothing); places says where each product is sold and valid (a product
// not in it is the main space's, valid there).
func SettleSpaces(spaces []*Space, visits []*Visit, sales []*Sale, places map[int64]ProductPlace, rates Rates) []SettlementLine {
	type pair struct{ host, seller int64 }
	byID := make(map[int64]*Sale, len(sales))
	byMember := map[int64][]*Sale{}
	for _, s := range sales {
		byID[s.ID] = s
		if s.Kind == access.Subscription || s.Kind == access.Unlimited {
			byMember[s.Member] = append(byMember[s.Member], s)
		}
	}
	count := map[pair]int{}
	for _, v := range visits {
		host := SpaceOfKey(spaces, v.Space)
		var paid *Sale
		switch v.Charge {
		case ChargePack:
			paid = byID[v.Sale]
		case ChargeCovered:
			paid = coveringSale(byMember[v.Member], v, host, places)
		}
		if paid == nil || paid.IsRefunded() {
			continue
		}
		if seller := sellingSpace(places, paid.Product); host != seller {
			count[pair{host, seller}]++
		}
	}
	lines := make([]SettlementLine, 0, len(count))
	for p, n := range count {
		rate, ok := rates(p.host, p.seller)
		lines = append(lines, SettlementLine{Host: p.host, Seller: p.seller, Visits: n, Rate: rate,
			Amount: int64(n) * rate, Agreed: ok})
	}
	slices.SortFunc(lines, func(a, b SettlementLine) int {
		if c := cmp.Compare(a.Host, b.Host); c != 0 {
			return c
		}
		return cmp.Compare(a.Seller, b.Seller)
	})
	return lines
}

// sellingSpace is the space that sold a product (the main space when
// places does not say).
func sellingSpace(places map[int64]ProductPlace, product int64) int64 {
	if p, ok := places[product]; ok && p.Space != 0 {
		return p.Space
	}
	return MainSpace
}

// coveringSale returns the subscription or unlimited plan among a
// member's (subs) that covered her visit at host, as access.SettleAt
// covers it: not refunded, valid that day and at host; for a guest's
// visit, an unlimited plan only. Her host's own pass first (a visit her
// own space's subscription covers is owed by no one), then the one that
// started first (then the first sold); nil when none.
func coveringSale(subs []*Sale, v *Visit, host int64, places map[int64]ProductPlace) *Sale {
	var found *Sale
	for _, s := range subs {
		if s.IsRefunded() || v.Guest != 0 && s.Kind != access.Unlimited {
			continue
		}
		e := s.Entitlement()
		p, ok := places[s.Product]
		if !ok {
			p = ProductPlace{Space: MainSpace}
		}
		if e.Spaces = p.Valid.ValidAt(p.Space); !e.ValidOn(v.Day) || !e.ValidAt(host) {
			continue
		}
		if sellingSpace(places, s.Product) == host {
			return s
		}
		if found == nil || e.Start.Before(found.Start) || e.Start == found.Start && s.ID < found.ID {
			found = s
		}
	}
	return found
}

// SettlementPair is the month of two spaces A and B (A's id below B's)
// seen from A: the visits A received of B's passes (B owes A OwedToA),
// the visits A sent to B, those B received of A's passes (A owes B
// OwedToB). The treasurers invoice both ways, or the difference.
type SettlementPair struct {
	A, B             int64
	Received, Sent   int   // visits at A of B's passes; at B of A's
	OwedToA, OwedToB int64 // cents
	// Unagreed says a direction with visits has no rate (no convention).
	Unagreed bool
}

// Net is what B owes A once both directions are set off (negative: A
// owes B).
func (p SettlementPair) Net() int64 { return p.OwedToA - p.OwedToB }

// PairSettlements folds the directed lines into one line per pair of
// spaces, ordered by A then B.
func PairSettlements(lines []SettlementLine) []SettlementPair {
	byPair := map[[2]int64]*SettlementPair{}
	var out []*SettlementPair
	for _, l := range lines {
		a, b := min(l.Host, l.Seller), max(l.Host, l.Seller)
		p := byPair[[2]int64{a, b}]
		if p == nil {
			p = &SettlementPair{A: a, B: b}
			byPair[[2]int64{a, b}] = p
			out = append(out, p)
		}
		if l.Host == a {
			p.Received, p.OwedToA = p.Received+l.Visits, p.OwedToA+l.Amount
		} else {
			p.Sent, p.OwedToB = p.Sent+l.Visits, p.OwedToB+l.Amount
		}
		p.Unagreed = p.Unagreed || !l.Agreed
	}
	slices.SortFunc(out, func(x, y *SettlementPair) int {
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
	pairs := make([]SettlementPair, len(out))
	for i, p := range out {
		pairs[i] = *p
	}
	return pairs
}

// Settlement is a month's settlement of the network: its directed lines
// and its pairs.
type Settlement struct {
	Month       string // YYYY-MM
	First, Last access.Day
	Spaces      []*Space
	Lines       []SettlementLine
	Pairs       []SettlementPair
}

// SpaceName returns the name of a space of the settlement.
func (s *Settlement) SpaceName(id int64) string {
	if sp := SpaceByID(s.Spaces, id); sp != nil {
		return sp.Name
	}
	return ""
}

// ParseMonth reads a month "YYYY-MM" and returns its first and last days.
// It returns EINVALID.
func ParseMonth(month string) (first, last access.Day, err error) {
	first, err = access.ParseDay(month + "-01")
	if err != nil || len(month) != 7 {
		return first, last, Errorf(EINVALID, "Invalid month %q (want YYYY-MM).", month)
	}
	last = access.Day{Year: first.Year, Month: first.Month + 1, Day: 1}.AddDays(-1) // AddDays normalizes month 13
	return first, last, nil
}

// SettlementSources are the services a settlement reads.
type SettlementSources struct {
	Spaces SpaceService
	Visits interface {
		FindVisits(ctx context.Context, filter VisitFilter) ([]*Visit, int, error)
	}
	Sales interface {
		FindSales(ctx context.Context, filter SaleFilter) ([]*Sale, int, error)
	}
}

// Settle makes the settlement of a month ("YYYY-MM") at the spaces'
// conventions, or at rate for every pair when rate is not nil. It returns
// EINVALID for a bad month.
func (src SettlementSources) Settle(ctx context.Context, month string, rate *int64) (*Settlement, error) {
	first, last, err := ParseMonth(month)
	if err != nil {
		return nil, err
	}
	spaces, err := src.Spaces.FindSpaces(ctx)
	if err != nil {
		return nil, err
	}
	visits, _, err := src.Visits.FindVisits(ctx, VisitFilter{Since: first, Until: last, Guests: true})
	if err != nil {
		return nil, err
	}
	sales, _, err := src.Sales.FindSales(ctx, SaleFilter{})
	if err != nil {
		return nil, err
	}
	places, err := src.Spaces.ProductPlaces(ctx)
	if err != nil {
		return nil, err
	}
	rates := Rates(nil)
	if rate != nil {
		rates = FlatRate(*rate)
	} else {
		cs, err := src.Spaces.Conventions(ctx)
		if err != nil {
			return nil, err
		}
		rates = ConventionRates(cs)
	}
	lines := SettleSpaces(spaces, visits, sales, places, rates)
	return &Settlement{Month: month, First: first, Last: last, Spaces: spaces, Lines: lines,
		Pairs: PairSettlements(lines)}, nil
}
