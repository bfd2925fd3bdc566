// Package access holds Badgeuse's access rules as pure functions shared by
// the kiosk and central: Decide says whether a member may come in now, and
// Settle replays a member's visits against what she bought to derive her
// balances. No I/O, no clock: callers pass everything in.
//
// The rules, in order (see DESIGN.md):
//
//  1. an unknown or revoked badge is refused;
//  2. a suspended or archived member is refused;
//     (entitlements not valid at the door's space are set aside here: see
//     space.go; what they would have allowed makes a refusal not_valid_here);
//  3. an unlimited (staff) plan is accepted and consumes nothing;
//  4. when the space requires current dues (door.require_membership), a
//     member whose membership (adhésion) does not cover today is refused;
//  5. outside opening hours, refused;
//  6. a member already accepted today at this space is accepted, consuming nothing;
//  7. a subscription valid today (end date inclusive) is accepted, consuming nothing;
//  8. a pack (10-entry card, day pass) with entries left and not expired is
//     accepted and consumes one entry, from the oldest pack first;
//  9. otherwise refused: no entries left, or subscription expired.
//
// Signed codes (a badge on a phone, a guest pass) add, before rule 1, a
// code shown outside its validity (plus the kiosk's clock tolerance) is
// refused as expired; a guest pass then follows rules 1, 2 and 5 for its
// host and is accepted as a guest, taking one of the host's entries when
// the space says so. With anti-passback on, a badge accepted at this space
// less than the set time ago is refused as already inside (after rule 2).
//
// Events (event.go): a member registered to an event at the door's space
// is accepted for it during its hours (after rule 2 and anti-passback,
// before rule 3), and an event ticket is decided on its own.
//
// "Today" is the space's calendar day in its time zone (Europe/Paris by
// default), never the UTC day.
package access

import (
	"cmp"
	"slices"
	"time"
)

// Kind is the kind of an entitlement (what a product sells).
type Kind string

// Entitlement kinds. Their string values cross the wire: append only.
const (
	Pack         Kind = "pack"         // N entries (a 10-entry card; a day pass is a pack of 1)
	Subscription Kind = "subscription" // every day from Start to End inclusive
	Unlimited    Kind = "unlimited"    // staff, residents: always, from Start to End when set
	// Membership is the association's dues (adhésion) from Start to End: it
	// lets no one in by itself, but a space with Request.RequireMembership
	// refuses members without one valid today. A kiosk older than this
	// kind stores it and ignores it.
	Membership Kind = "membership"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	return k == Pack || k == Subscription || k == Unlimited || k == Membership
}

// Entitlement is something a member bought (or was given) that lets her in.
type Entitlement struct {
	ID    int64 // the sale that created it; packs are consumed oldest first
	Kind  Kind
	Start Day // first valid day; zero means valid from the beginning
	End   Day // last valid day, inclusive; zero means no end
	// Entries is, for a pack, the entries left (in Decide) or bought (in Settle).
	Entries int
	// Spaces are the spaces it is valid at (the product's); empty means
	// every space. See ValidAt.
	Spaces SpaceSet
}

// ValidOn reports whether day falls within [Start, End].
func (e Entitlement) ValidOn(day Day) bool {
	if !e.Start.IsZero() && day.Before(e.Start) {
		return false
	}
	if !e.End.IsZero() && day.After(e.End) {
		return false
	}
	return true
}

// BadgeStatus is what the local state says of a scanned badge.
type BadgeStatus int

// Badge statuses.
const (
	BadgeUnknown BadgeStatus = iota // no such badge hash
	BadgeActive
	BadgeRevoked
)

// MemberStatus is a member's standing in the association.
type MemberStatus string

// Member statuses. Their string values cross the wire: append only.
const (
	MemberActive    MemberStatus = "active"
	MemberSuspended MemberStatus = "suspended"
	MemberArchived  MemberStatus = "archived"
)

// Valid reports whether s is a known status.
func (s MemberStatus) Valid() bool {
	return s == MemberActive || s == MemberSuspended || s == MemberArchived
}

// Reason says why a scan was accepted or refused. The values cross the wire,
// are stored and printed: append only, never rename.
type Reason string

// Reasons for accepting.
const (
	OKUnlimited    Reason = "unlimited"
	OKAlreadyToday Reason = "already_today"
	OKSubscription Reason = "subscription"
	OKPack         Reason = "pack"
	OKGuest        Reason = "guest" // a guest pass, valid today at this space
)

// Reasons for refusing.
const (
	NotABadge           Reason = "not_a_badge"     // the QR code is not a Badgeuse badge
	MalformedBadge      Reason = "malformed_badge" // starts like a badge but damaged, or a newer badge format
	UnknownBadge        Reason = "unknown_badge"   // a badge, but no member has it
	RevokedBadge        Reason = "revoked_badge"   // reported lost or replaced
	MemberIsSuspended   Reason = "member_suspended"
	MemberIsArchived    Reason = "member_archived"
	Closed              Reason = "closed"          // outside opening hours
	NoEntriesLeft       Reason = "no_entries_left" // nothing valid today
	SubscriptionExpired Reason = "subscription_expired"
	StaleState          Reason = "stale_state"    // the kiosk's copy of the members is too old to trust (policy "refuse")
	ExpiredCode         Reason = "expired_code"   // a phone code outside its window, a guest pass outside its day
	AlreadyInside       Reason = "already_inside" // anti-passback: the badge was accepted here a moment ago
	// MembershipExpired: the space requires current dues and the member's
	// membership (adhésion) does not cover today.
	MembershipExpired Reason = "membership_expired"
	// NotValidHere: what she holds would let her in at another space of
	// the network, not at this door's.
	NotValidHere Reason = "not_valid_here"
)

// Accepts reports whether r is a reason for accepting.
func (r Reason) Accepts() bool {
	switch r {
	case OKUnlimited, OKAlreadyToday, OKSubscription, OKPack, OKGuest, OKEvent:
		return true
	}
	return false
}

// Request is everything Decide needs to know about one scan.
type Request struct {
	Badge  BadgeStatus
	Member MemberStatus
	// Entitlements held by the member; pack Entries are the entries left.
	Entitlements []Entitlement
	// LastVisit is the last day the member was accepted at this space
	// (zero if never, or unknown).
	LastVisit Day
	Now       time.Time      // the scan's time
	Location  *time.Location // the space's time zone; nil means Europe/Paris
	Hours     Hours          // opening hours; zero value means always open

	// Code is the validity of the signed code scanned (a phone badge's
	// window, a guest pass's day); zero for a printed badge.
	Code Window
	// Guest says the scan is a guest pass: Badge is the pass's (active
	// once its signature is verified), Member and Entitlements its host's.
	Guest bool
	// GuestConsumes says a guest takes one of the host's entries (a host
	// with an unlimited plan gives nothing; one with no entry left cannot
	// invite).
	GuestConsumes bool
	// Passback, when positive, turns anti-passback on: a badge accepted at
	// this space less than Passback before Now is refused. LastAccepted is
	// when this badge was last accepted at this space (zero: never, or
	// unknown).
	Passback     time.Duration
	LastAccepted time.Time
	// RequireMembership refuses members without a Membership entitlement
	// valid today (the space's door.require_membership); staff exempt.
	RequireMembership bool
	// Space is the door's space; entitlements not valid there are set
	// aside (see space.go). 0: the door does not know its space, nothing is
	// checked (one space, or an older central).
	Space int64
	// Events are the events the member is registered to (those at other
	// spaces or not running now are ignored), or, with Ticket, the event
	// of the ticket scanned.
	Events []Event
	// Ticket says the scan is an event ticket (event.go): Badge is the
	// ticket's (active once its signature is verified, revoked when its
	// registration was cancelled), Events its one event; no member.
	Ticket bool
}

// Window is when a signed code is valid: [From, Until) widened by
// Tolerance on both sides (a kiosk's clock is not exact).
type Window struct {
	From, Until time.Time
	Tolerance   time.Duration
}

// IsZero reports whether w is no window (a printed badge).
func (w Window) IsZero() bool { return w.From.IsZero() && w.Until.IsZero() }

// Holds reports whether t falls within the window and its tolerance.
func (w Window) Holds(t time.Time) bool {
	return !t.Before(w.From.Add(-w.Tolerance)) && t.Before(w.Until.Add(w.Tolerance))
}

// Decision is the outcome of Decide.
type Decision struct {
	Accept bool
	Reason Reason
	// Consume is the ID of the pack to take one entry from, 0 for none.
	Consume int64
}

// Paris is the default time zone of a space.
var Paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic("access: time zone data missing: " + err.Error())
	}
	return loc
}

// Decide applies the access rules to one scan. It is a pure function.
func Decide(r Request) Decision {
	here, setAside := validAt(r.Entitlements, r.Space)
	if !setAside {
		return decide(r)
	}
	all := r.Entitlements
	r.Entitlements = here
	d := decide(r)
	switch d.Reason {
	case NoEntriesLeft, SubscriptionExpired, MembershipExpired:
		r.Entitlements = all
		if decide(r).Accept {
			return Decision{Reason: NotValidHere}
		}
	}
	return d
}

func decide(r Request) Decision {
	loc := r.Location
	if loc == nil {
		loc = Paris
	}
	refuse := func(why Reason) Decision { return Decision{Reason: why} }
	if r.Ticket {
		return decideTicket(r)
	}
	if !r.Code.IsZero() && !r.Code.Holds(r.Now) {
		return refuse(ExpiredCode)
	}
	switch r.Badge {
	case BadgeUnknown:
		return refuse(UnknownBadge)
	case BadgeRevoked:
		return refuse(RevokedBadge)
	}
	switch r.Member {
	case MemberActive:
	case MemberSuspended:
		return refuse(MemberIsSuspended)
	default: // archived, or anything this version does not know: fail closed.
		return refuse(MemberIsArchived)
	}
	if r.Passback > 0 && !r.LastAccepted.IsZero() && !r.Now.Before(r.LastAccepted) && r.Now.Sub(r.LastAccepted) < r.Passback {
		return refuse(AlreadyInside)
	}
	today := DayOf(r.Now, loc)
	if r.Guest {
		return decideGuest(r, today, loc)
	}
	if e, ok := r.eventNow(); ok {
		return decideEvent(r, e, today)
	}
	for _, e := range r.Entitlements {
		if e.Kind == Unlimited && e.ValidOn(today) {
			return Decision{Accept: true, Reason: OKUnlimited}
		}
	}
	if r.RequireMembership && !MembershipValid(r.Entitlements, today) {
		return refuse(MembershipExpired)
	}
	if !r.Hours.Open(r.Now, loc) {
		return refuse(Closed)
	}
	if r.LastVisit == today {
		return Decision{Accept: true, Reason: OKAlreadyToday}
	}
	for _, e := range r.Entitlements {
		if e.Kind == Subscription && e.ValidOn(today) {
			return Decision{Accept: true, Reason: OKSubscription}
		}
	}
	if p, ok := oldestPack(r.Entitlements, today, func(e Entitlement) int { return e.Entries }, false); ok {
		return Decision{Accept: true, Reason: OKPack, Consume: p}
	}
	return refuse(refusal(r.Entitlements, today))
}

// decideGuest decides on a guest pass whose host is active: open hours,
// and an entry of the host's when guests consume one.
func decideGuest(r Request, today Day, loc *time.Location) Decision {
	if !r.Hours.Open(r.Now, loc) {
		return Decision{Reason: Closed}
	}
	if !r.GuestConsumes {
		return Decision{Accept: true, Reason: OKGuest}
	}
	for _, e := range r.Entitlements {
		if e.Kind == Unlimited && e.ValidOn(today) {
			return Decision{Accept: true, Reason: OKGuest}
		}
	}
	if p, ok := oldestPack(r.Entitlements, today, func(e Entitlement) int { return e.Entries }, false); ok {
		return Decision{Accept: true, Reason: OKGuest, Consume: p}
	}
	return Decision{Reason: NoEntriesLeft}
}

// oldestPack returns the ID of the oldest pack valid on day with left(e) > 0.
// Oldest means earliest Start, then lowest ID (the earlier sale).
// With later set, packs that start after day count too (paying a debt).
func oldestPack(ents []Entitlement, day Day, left func(Entitlement) int, later bool) (int64, bool) {
	var best *Entitlement
	for i := range ents {
		e := &ents[i]
		if e.Kind != Pack || left(*e) <= 0 || (!later && !e.ValidOn(day)) {
			continue
		}
		if best == nil || packOlder(*e, *best) {
			best = e
		}
	}
	if best == nil {
		return 0, false
	}
	return best.ID, true
}

func packOlder(a, b Entitlement) bool {
	if a.Start != b.Start {
		return a.Start.Before(b.Start)
	}
	return a.ID < b.ID
}

// refusal picks the reason a member with nothing valid today is refused:
// "subscription expired" when the latest entitlement she got is a
// subscription that has ended, "no entries left" otherwise.
func refusal(ents []Entitlement, today Day) Reason {
	var latest *Entitlement
	for i := range ents {
		e := &ents[i]
		if e.Kind == Unlimited || e.Kind == Membership {
			continue
		}
		if latest == nil || latest.Start.Before(e.Start) || (latest.Start == e.Start && latest.ID < e.ID) {
			latest = e
		}
	}
	if latest != nil && latest.Kind == Subscription && !latest.End.IsZero() && latest.End.Before(today) {
		return SubscriptionExpired
	}
	return NoEntriesLeft
}

// Balance is a member's position derived by Settle.
type Balance struct {
	// Left maps each pack's ID to its entries left (never negative).
	Left map[int64]int
	// Visits says, for each visit given to Settle in order, the pack it
	// consumed: 0 when covered (subscription, unlimited) and -1 when no pack
	// had an entry left (an overdraft still owed). A visit made with no entry
	// left is paid by the next pack bought, whose ID it then shows.
	Visits []int64
	// Overdraft counts visits no pack covered: entries used that were not
	// paid for, for the bureau to settle.
	Overdraft int
}

// EntriesLeft returns the entries left on the day, in packs not expired
// that day, minus the overdraft: negative when the member owes entries.
func (b Balance) EntriesLeft(ents []Entitlement, day Day) int {
	n := 0
	for _, e := range ents {
		if e.Kind == Pack && (e.End.IsZero() || !e.End.Before(day)) {
			n += b.Left[e.ID]
		}
	}
	return n - b.Overdraft
}

// Settle replays a member's paying visits against her entitlements, as
// central does to derive balances from the ledger: sales credit (pack
// Entries are the entries bought), visits debit. visits holds one day per
// (space, day) where the member was accepted at least once; the order does
// not matter, Settle sorts them. Each visit is covered by an unlimited plan or
// a subscription valid that day, or else consumes one entry from the oldest
// pack valid that day with entries left, or else counts as an overdraft.
func Settle(ents []Entitlement, visits []Day) Balance {
	vs := make([]Visit, len(visits))
	for i, d := range visits {
		vs[i] = Visit{Day: d}
	}
	return SettleAt(ents, vs)
}

// SettleAt is Settle for visits at known spaces (and guests' visits,
// Visit.Guest, taking their host's entries): a visit uses only the
// entitlements valid at its space (a pack sold for space A never pays a
// visit at space B, even an overdraft). One visit per (space, day): a
// network pass used at two spaces on one day is two visits, and a pack
// pays both (each space hosted her; the settlement between spaces counts
// each).
func SettleAt(ents []Entitlement, visits []Visit) Balance {
	b := Balance{Left: make(map[int64]int, len(ents)), Visits: make([]int64, len(visits))}
	for _, e := range ents {
		if e.Kind == Pack {
			b.Left[e.ID] = e.Entries
		}
	}
	order := make([]int, len(visits))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		a, c := visits[i].Day, visits[j].Day
		switch {
		case a.Before(c):
			return -1
		case c.Before(a):
			return 1
		}
		return cmp.Compare(i, j)
	})
	for _, i := range order {
		day := visits[i].Day
		here, _ := validAt(ents, visits[i].Space)
		if covered(here, day, visits[i].Guest) {
			continue
		}
		if id, ok := oldestPack(here, day, func(e Entitlement) int { return b.Left[e.ID] }, false); ok {
			b.Left[id]--
			b.Visits[i] = id
			continue
		}
		b.Visits[i] = -1
		b.Overdraft++
	}
	// A debt is paid by the next pack bought: each overdraft visit, in day
	// order, takes an entry from the oldest pack not expired on that day.
	for _, i := range order {
		if b.Visits[i] != -1 {
			continue
		}
		day := visits[i].Day
		here, _ := validAt(ents, visits[i].Space)
		id, ok := oldestPack(here, day, func(e Entitlement) int {
			if e.End.IsZero() || !e.End.Before(day) {
				return b.Left[e.ID]
			}
			return 0
		}, true)
		if !ok {
			continue // no later pack valid there has entries left: it stays owed.
		}
		b.Left[id]--
		b.Visits[i] = id
		b.Overdraft--
	}
	return b
}

// covered reports whether a visit on day needs no entry: an unlimited plan
// or a subscription valid that day; only an unlimited plan for a guest's
// visit (the host's subscription is hers alone, as decideGuest at the door).
func covered(ents []Entitlement, day Day, guest bool) bool {
	for _, e := range ents {
		if (e.Kind == Unlimited || e.Kind == Subscription && !guest) && e.ValidOn(day) {
			return true
		}
	}
	return false
}
