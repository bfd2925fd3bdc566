package central

import (
	"cmp"
	"context"
	"slices"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Balance is a member's position on a day, derived from the ledger.
type Balance struct {
	Member int64
	Day    access.Day
	// EntriesLeft counts the entries left in packs valid on Day or later,
	// minus the overdraft: negative when she owes entries.
	EntriesLeft int
	// Overdraft counts visits that no pack paid (made offline with the last
	// entry already used elsewhere, or after a refund): the bureau settles
	// them; the next pack bought pays them first.
	Overdraft int
	// SubscriptionUntil is the last day of her latest subscription that
	// ends on Day or later; zero when none.
	SubscriptionUntil access.Day
	// Unlimited says she holds an unlimited plan valid on Day.
	Unlimited bool
	// MembershipUntil is the last day of her latest dues (adhésion) that
	// end on Day or later; zero when none. Dues renewed early follow each
	// other without a gap, so she is "à jour de cotisation" on Day when
	// MembershipValid is set.
	MembershipUntil access.Day
	// MembershipValid says her dues cover Day.
	MembershipValid bool
	// Entitlements lists what is valid on Day or later, packs with Entries
	// set to the entries left (what a kiosk needs), plus the member's
	// latest subscription when it has ended and nothing newer was bought
	// (so that the door says "subscription expired").
	Entitlements []access.Entitlement
}

// NewBalance sums up a member's sales on day. The sales' Left must be
// derived already (Settle); refunded sales count for nothing.
func NewBalance(member int64, sales []*Sale, overdraft int, day access.Day) Balance {
	b := Balance{Member: member, Day: day, Overdraft: overdraft}
	var ents []access.Entitlement
	left := map[int64]int{}
	for _, s := range sales {
		if s.IsRefunded() {
			continue
		}
		e := s.Entitlement()
		if e.Kind == access.Pack {
			e.Entries = s.Left
			left[s.ID] = s.Left
		}
		ents = append(ents, e)
		if !e.End.IsZero() && e.End.Before(day) {
			continue // expired: not sent, not counted
		}
		switch e.Kind {
		case access.Pack:
			if e.Entries <= 0 {
				continue
			}
		case access.Subscription:
			if b.SubscriptionUntil.Before(e.End) {
				b.SubscriptionUntil = e.End
			}
		case access.Unlimited:
			if e.ValidOn(day) {
				b.Unlimited = true
			}
		case access.Membership:
			if b.MembershipUntil.Before(e.End) {
				b.MembershipUntil = e.End
			}
			if e.ValidOn(day) {
				b.MembershipValid = true
			}
		}
		b.Entitlements = append(b.Entitlements, e)
	}
	// A kiosk tells "subscription expired" from "no entries left" by the
	// latest thing the member got: send that subscription even once ended.
	if last := latestEntitlement(ents); last != nil && last.Kind == access.Subscription && last.End.Before(day) {
		b.Entitlements = append(b.Entitlements, *last)
	}
	b.EntriesLeft = access.Balance{Left: left, Overdraft: overdraft}.EntriesLeft(ents, day)
	return b
}

// latestEntitlement returns the entitlement started last (then the later
// sale), unlimited plans and dues aside, as access.Decide ranks them for its refusal
// reason; nil when none.
func latestEntitlement(ents []access.Entitlement) *access.Entitlement {
	var last *access.Entitlement
	for i := range ents {
		e := &ents[i]
		if e.Kind == access.Unlimited || e.Kind == access.Membership {
			continue
		}
		if last == nil || last.Start.Before(e.Start) || (last.Start == e.Start && last.ID < e.ID) {
			last = e
		}
	}
	return last
}

// Charges of a visit: what paid for it.
const (
	ChargeCovered   = "covered"   // a subscription or unlimited plan valid that day
	ChargePack      = "pack"      // one entry of a pack (Visit.Sale)
	ChargeOverdraft = "overdraft" // nothing: owed
)

// ChargeConsumes reports whether a visit charged so used an entry: paid by
// a pack, or owed (overdraft). Its entry is then the one that consumed
// (Entry.Consumed).
func ChargeConsumes(charge string) bool { return charge == ChargePack || charge == ChargeOverdraft }

// Settle replays a member's visits (her guests' that take her entries
// too: Visit.Guest) against her sales with access.SettleAt:
// it sets each non-refunded pack's Left and each visit's Charge and Sale,
// and returns the overdraft. Refunded sales get Left 0 and pay nothing.
func Settle(sales []*Sale, visits []*Visit) (overdraft int) {
	var ents []access.Entitlement
	for _, s := range sales {
		s.Left = 0
		if !s.IsRefunded() {
			ents = append(ents, s.Entitlement())
		}
	}
	// Visits in a stable order (day, then space, then her own before her
	// guests', by pass) so that equal inputs give equal outputs whatever
	// order the store read them in.
	vs := slices.Clone(visits)
	slices.SortStableFunc(vs, func(a, b *Visit) int {
		if c := cmp.Compare(a.Day.String(), b.Day.String()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Space, b.Space); c != 0 {
			return c
		}
		return cmp.Compare(a.Guest, b.Guest)
	})
	days := make([]access.Visit, len(vs))
	for i, v := range vs {
		days[i] = access.Visit{Day: v.Day, Space: v.SpaceID, Guest: v.Guest != 0}
	}
	b := access.SettleAt(ents, days)
	for _, s := range sales {
		if !s.IsRefunded() && s.Kind == access.Pack {
			s.Left = b.Left[s.ID]
		}
	}
	for i, v := range vs {
		switch id := b.Visits[i]; {
		case id == 0:
			v.Charge, v.Sale = ChargeCovered, 0
		case id < 0:
			v.Charge, v.Sale = ChargeOverdraft, 0
		default:
			v.Charge, v.Sale = ChargePack, id
		}
	}
	return b.Overdraft
}

// BalanceView is what a member's balance needs of a store, inside one
// read transaction.
type BalanceView interface {
	// Today is the transaction's day in the space's time zone.
	Today(ctx context.Context) (access.Day, error)
	// MemberOverdraft returns her cached overdraft (see SettleMember), or
	// ENOTFOUND.
	MemberOverdraft(ctx context.Context, member int64) (int, error)
	MemberSales(ctx context.Context, member int64) ([]*Sale, error)
}

// MemberBalance returns a member's balance on day (zero: today) from her
// sales and overdraft, with her entitlements valid that day or later.
// Returns ENOTFOUND if the member does not exist.
func MemberBalance(ctx context.Context, v BalanceView, member int64, day access.Day) (*Balance, error) {
	if day.IsZero() {
		var err error
		if day, err = v.Today(ctx); err != nil {
			return nil, err
		}
	}
	overdraft, err := v.MemberOverdraft(ctx, member)
	if err != nil {
		return nil, err
	}
	sales, err := v.MemberSales(ctx, member)
	if err != nil {
		return nil, err
	}
	b := NewBalance(member, sales, overdraft, day)
	return &b, nil
}
