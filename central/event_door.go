package central

import (
	"context"
	"crypto/ed25519"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/shared/badge"
)

// Events at the door (issue 15; the rules are shared/access event.go).
//
// The kiosks of an event's space receive, in their pulls, what they need
// to decide offline: the event's id, hours and Consumes, the ids of the
// members registered (confirmed, or attended already) and the
// registrations whose tickets were cancelled (KioskEvent). An event changes
// for the kiosks when it is created and when a registration is made or
// cancelled: it then takes the next sync version, so that an incremental
// pull sends only the events changed since its cursor, each whole (a few
// bytes a registration). A snapshot sends every event not over.
//
// Someone registered who is not a member gets an event ticket (a signed
// code of the guest passes' family, shared/badge KindEvent): it holds the
// event's hours and space, so that a kiosk that never heard of her
// registration lets her in. Members get no ticket: their badge is theirs,
// and their registration travels with the event.
//
// When an entry accepted with the reason "event" reaches central, the
// registration it was for (the member's, or the ticket's by its hash)
// becomes attended, once; a replayed push changes nothing. A member's entry
// for an event that consumes is a visit like any other (Settle charges
// it); for one that does not, no visit.

// KioskEvent is an event as its space's kiosks receive it.
type KioskEvent struct {
	ID         int64
	Start, End time.Time
	Consumes   bool
	// Members are the members registered (confirmed or attended).
	Members []int64
	// Revoked are the registrations of people who are not members that
	// were cancelled: their tickets are refused.
	Revoked []int64
}

// KioskEventData is an event read for a pull, with its space as the event
// names it (resolved by EventSpace).
type KioskEventData struct {
	KioskEvent
	Space string
}

// MaxKioskEvents bounds the events one pull reads.
const MaxKioskEvents = 2000

// EventSpace returns the id of the space an event is at: its Space names
// a space by key (what kiosks carry) or by name (case aside); "" is the
// main space. 0 when it names no space of the network (a place without
// kiosks): no kiosk lets anyone in for it, and it has no tickets.
func EventSpace(spaces []*Space, name string) int64 {
	name = strings.TrimSpace(name)
	if name == "" {
		return MainSpace
	}
	for _, s := range spaces {
		if s.Key == name && s.Key != "" {
			return s.ID
		}
	}
	for _, s := range spaces {
		if strings.EqualFold(s.Name, name) {
			return s.ID
		}
	}
	return 0
}

// TicketFor reports whether the registration r gets an event ticket: she
// is not a member and holds a place.
func TicketFor(r *Registration) bool {
	return r.Member == 0 && (r.Status == RegistrationConfirmed || r.Status == RegistrationAttended)
}

// EventTicketText returns the text (the QR code's) of the ticket of
// registration r for event e at the space with id space, signed with key.
// It returns EINVALID for an event at no space of the network or that no
// ticket can hold.
func EventTicketText(key ed25519.PrivateKey, e *CalendarEvent, r *Registration, space int64) (string, error) {
	if space == 0 {
		return "", Errorf(EINVALID, "This event is at no space of the network: it has no tickets.")
	}
	c, err := badge.EventTicket(uint32(r.ID), e.Start, e.End, space)
	if err != nil || int64(uint32(r.ID)) != r.ID {
		return "", Errorf(EINVALID, "This event cannot have tickets.")
	}
	return badge.SignCode(key, c, "").Text(), nil
}

// EventAttendance is what recording attendance needs, in the push
// transaction.
type EventAttendance interface {
	// RunningEvents returns the events whose hours, from EventEarly before
	// their start, hold t.
	RunningEvents(ctx context.Context, t time.Time) ([]*CalendarEvent, error)
	// HeldRegistrations returns the registrations of event holding a place
	// (confirmed or attended).
	HeldRegistrations(ctx context.Context, event int64) ([]*Registration, error)
	// SetAttended makes a confirmed registration attended (audited);
	// an attended one is left as it is.
	SetAttended(ctx context.Context, event, registration int64) error
}

// attendEvent records the attendance an accepted entry with the reason
// "event" shows, at the kiosk's space: the registration of the entry's
// member (or of the ticket whose hash the entry carries) to an event of
// that space running at the entry's time. It reports whether that event
// consumes (the member's entry is then a visit) and whether a registration
// was found.
func attendEvent(ctx context.Context, tx EventAttendance, e *Entry, space int64, spaces []*Space) (consumes, found bool, err error) {
	events, err := tx.RunningEvents(ctx, e.Time)
	if err != nil {
		return false, false, err
	}
	for _, ev := range events {
		if EventSpace(spaces, ev.Space) != space {
			continue
		}
		rs, err := tx.HeldRegistrations(ctx, ev.ID)
		if err != nil {
			return false, false, err
		}
		for _, r := range rs {
			mine := e.Member != 0 && r.Member == e.Member
			if e.Member == 0 && r.Member == 0 && badge.TicketHash(uint32(r.ID)) == e.Badge {
				mine = true
			}
			if !mine {
				continue
			}
			if r.Status == RegistrationConfirmed {
				if err := tx.SetAttended(ctx, ev.ID, r.ID); err != nil {
					return false, false, err
				}
			}
			return ev.Consumes, true, nil
		}
	}
	return false, false, nil
}

// TicketText returns the ticket (its QR code's text) of registration id
// of event, signed with key. Returns ENOTFOUND, and EINVALID for a
// registration that has no ticket (a member's, or one holding no place).
func TicketText(ctx context.Context, cal CalendarService, sp SpaceService, key ed25519.PrivateKey, event, id int64) (string, error) {
	e, err := cal.FindEvent(ctx, event)
	if err != nil {
		return "", err
	}
	rs, err := cal.Registrations(ctx, event)
	if err != nil {
		return "", err
	}
	for _, r := range rs {
		if r.ID != id {
			continue
		}
		if !TicketFor(r) {
			return "", Errorf(EINVALID, "Only someone registered who is not a member and holds a place has an event ticket.")
		}
		spaces, err := sp.FindSpaces(ctx)
		if err != nil {
			return "", err
		}
		return EventTicketText(key, e, r, EventSpace(spaces, e.Space))
	}
	return "", Errorf(ENOTFOUND, "Registration %d not found.", id)
}
