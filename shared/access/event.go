package access

import "time"

// Events at the door (issue 15). A member registered to an event at the
// door's space is let in for it during its hours, even without a pass and
// outside the space's opening hours: the registration is what lets her in
// (a public event lets in people who are not members at all, with an
// event ticket). Whether her entry for the event consumes an entry is the
// event's setting (Consumes): off, she comes for free; on, the event day
// costs what any day costs her (nothing with a subscription or already
// in today, else one entry of her oldest pack; refused with none left).
//
// Someone who is not a member shows an event ticket (a signed code,
// shared/badge KindEvent): valid at its event's space during its hours,
// refused as not_valid_here at another space (whatever the day), as
// expired_code at its space outside its hours, as revoked_badge once her
// registration was cancelled (when the kiosk knows it).
//
// Both are let in from EventEarly before the start to the end.

// OKEvent accepts a member registered to an event running now at this
// space, or an event ticket.
const OKEvent Reason = "event"

// EventEarly is how long before an event's start its registered members
// and tickets are let in (to settle, to help set up).
const EventEarly = 30 * time.Minute

// Event is an event at a space with its hours, as the door knows it.
type Event struct {
	ID         int64
	Space      int64 // the event's space; 0: the door's
	Start, End time.Time
	// Consumes says a member's entry for the event costs her a day like
	// any other (see above); a ticket consumes nothing.
	Consumes bool
}

// Holds reports whether t is within the event's hours, from EventEarly
// before its start.
func (e Event) Holds(t time.Time) bool {
	return !t.Before(e.Start.Add(-EventEarly)) && t.Before(e.End)
}

// at reports whether the event is at space (0: a door that does not know
// its space checks nothing).
func (e Event) at(space int64) bool { return space == 0 || e.Space == 0 || e.Space == space }

// eventNow returns the first of r.Events at the door's space running at
// r.Now.
func (r *Request) eventNow() (Event, bool) {
	for _, e := range r.Events {
		if e.at(r.Space) && e.Holds(r.Now) {
			return e, true
		}
	}
	return Event{}, false
}

// decideTicket decides on an event ticket whose signature was verified:
// r.Events holds its one event.
func decideTicket(r Request) Decision {
	if len(r.Events) != 1 {
		return Decision{Reason: MalformedBadge}
	}
	e := r.Events[0]
	switch {
	case !e.at(r.Space):
		return Decision{Reason: NotValidHere}
	case !e.Holds(r.Now):
		return Decision{Reason: ExpiredCode}
	case r.Badge == BadgeRevoked:
		return Decision{Reason: RevokedBadge}
	case r.Badge != BadgeActive:
		return Decision{Reason: UnknownBadge}
	case r.Passback > 0 && !r.LastAccepted.IsZero() && !r.Now.Before(r.LastAccepted) && r.Now.Sub(r.LastAccepted) < r.Passback:
		return Decision{Reason: AlreadyInside}
	}
	return Decision{Accept: true, Reason: OKEvent}
}

// decideEvent decides on a member registered to e, running now: the
// event's hours replace the space's opening hours, and its registration
// its dues.
func decideEvent(r Request, e Event, today Day) Decision {
	if !e.Consumes {
		return Decision{Accept: true, Reason: OKEvent}
	}
	for _, en := range r.Entitlements {
		if (en.Kind == Unlimited || en.Kind == Subscription) && en.ValidOn(today) {
			return Decision{Accept: true, Reason: OKEvent}
		}
	}
	if r.LastVisit == today {
		return Decision{Accept: true, Reason: OKEvent}
	}
	if p, ok := oldestPack(r.Entitlements, today, func(e Entitlement) int { return e.Entries }, false); ok {
		return Decision{Accept: true, Reason: OKEvent, Consume: p}
	}
	return Decision{Reason: refusal(r.Entitlements, today)}
}
