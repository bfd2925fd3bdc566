package central

import (
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Event is a fact of the domain that may cause side effects (a Slack post,
// an invoice, an e-mail). The domain says what happened; the adapters'
// Reactions, registered when centrald is wired (central/cmd/centrald), say
// what it causes. Every side effect is enqueued that one way.
type Event interface{ event() }

// Reaction returns the outbox messages an event causes, for the settings
// of the moment (nil: none). It is a pure function: the store calls it
// inside the transaction of the change that made the event and inserts
// what it returns, so that a message exists if and only if its cause does.
// Keys derive from the event (an entry's id, a sale's id), so that a
// replayed change adds nothing.
type Reaction func(ev Event, set Settings) []OutboxMessage

// Arrival is a new visit: the first accepted entry of a member at a space on
// a day, as the ingest path (SyncService.Push) sees it. Reactions see late
// arrivals too (a kiosk offline for days): they decide from Entry.Time
// whether a post is still worth it.
type Arrival struct {
	Member *Member
	Entry  *Entry
	Kiosk  *Kiosk
	Visit  *Visit
}

// LowBalance: a visit used one of her entries and her cards now hold
// Left of them, one of LowBalances.
type LowBalance struct {
	Arrival
	Left int
}

// Overdraft: a kiosk deciding offline let a member in on a card that was
// in fact used up; Entries are owed.
type Overdraft struct {
	Arrival
	Entries int
}

// SaleMade: a sale was recorded (its invoice is made from it).
type SaleMade struct{ Sale *Sale }

// SalePaid: a sale recorded as not paid yet was paid (PaySale); Sale is
// the paid sale (its receipt is mailed then).
type SalePaid struct{ Sale *Sale }

// UnmatchedPayment: a paid payment matches no member or no product; the
// bureau assigns it.
type UnmatchedPayment struct{ Payment *Payment }

// KioskSilent: a kiosk has not been heard from since LastSeen (one event
// per silence).
type KioskSilent struct {
	Kiosk    *Kiosk
	LastSeen time.Time
	Location *time.Location // the space's time zone, to say when
}

// RevokedBadgeRepeated: a revoked badge was refused Count times on Day,
// last at the kiosk named Kiosk. Member is nil when the badge is no
// member's.
type RevokedBadgeRepeated struct {
	Hash   string
	Member *Member
	Kiosk  string
	Count  int
	Day    access.Day
}

func (Arrival) event()              {}
func (LowBalance) event()           {}
func (Overdraft) event()            {}
func (SaleMade) event()             {}
func (SalePaid) event()             {}
func (UnmatchedPayment) event()     {}
func (KioskSilent) event()          {}
func (RevokedBadgeRepeated) event() {}

// LowBalances are the entries left on her cards that make a LowBalance.
var LowBalances = []int{2, 1, 0}

// ArrivalEvents returns the events of an arrival: the Arrival itself, a
// LowBalance when the visit used one of her entries and her cards now hold
// 2, 1 or 0 of them, and an Overdraft when the kiosk let her in on a card
// that was in fact used up (a kiosk deciding offline). Refused entries make
// no visit, so no arrival.
//
// The visit's charge is not settled yet when this runs, so "used one of her
// entries" is read from her balance after the visit: neither an unlimited
// plan nor a subscription covers the visit's day.
func ArrivalEvents(a Arrival) []Event {
	m, e, v := a.Member, a.Entry, a.Visit
	if m == nil || e == nil || v == nil || e.ID == "" {
		return nil
	}
	evs := []Event{a}
	b := m.Balance
	covered := b.Unlimited || (!b.SubscriptionUntil.IsZero() && !b.SubscriptionUntil.Before(v.Day))
	if !covered && b.Overdraft == 0 {
		for _, n := range LowBalances {
			if b.EntriesLeft == n {
				evs = append(evs, LowBalance{Arrival: a, Left: n})
				break
			}
		}
	}
	if e.Reason == access.OKPack && b.Overdraft > 0 {
		evs = append(evs, Overdraft{Arrival: a, Entries: b.Overdraft})
	}
	return evs
}
