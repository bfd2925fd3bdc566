package central

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Events with a capacity (issue 15): workshops, talks, parties the bureau
// announces, with a number of places and registration until a deadline.
// They are called calendar events here: Event is the domain's name for
// what happened to the books (event.go).
//
// Admission is decided in the store's write transaction, one registration
// after another: a registration is confirmed while fewer than Capacity are
// confirmed, waitlisted after; cancelling a confirmed place confirms the
// oldest waitlisted registration in the same transaction. So the capacity
// holds whatever the number of people registering at once.

// RegistrationStatus is where a registration stands. The values are stored
// and printed by `centrald event registrations --json`: a contract.
type RegistrationStatus string

// Registration statuses.
const (
	RegistrationConfirmed  RegistrationStatus = "confirmed"
	RegistrationWaitlisted RegistrationStatus = "waitlisted"
	RegistrationCancelled  RegistrationStatus = "cancelled"
	RegistrationAttended   RegistrationStatus = "attended"
)

// Bounds of an event.
const (
	MaxEventTitle       = 200
	MaxEventDescription = 4000
	MaxEventCapacity    = 10000
	MaxEventLength      = 14 * 24 * time.Hour
	MaxEventSpace       = 100
)

// CalendarEvent is an event members (and, when Public, anyone) register
// for.
type CalendarEvent struct {
	ID          int64
	Title       string
	Description string
	Space       string // "" is the main space
	Start, End  time.Time
	Capacity    int
	// Public events take registrations from non-members too (name and
	// e-mail); others are for members only.
	Public bool
	// Deadline closes registrations; zero: at Start.
	Deadline time.Time
	// Consumes says a member's entry at the door for the event costs her
	// a day like any other (shared/access event.go); off by default.
	Consumes bool
	Created  time.Time
	// Revision counts the changes of its hours (UpdateEvent): the mail
	// saying it moved is sent once per revision.
	Revision int

	// Filled by reads.
	Confirmed  int // confirmed and attended
	Waitlisted int
}

// Validate checks and normalizes the event. It returns EINVALID.
func (e *CalendarEvent) Validate() error {
	e.Title = strings.Join(strings.Fields(e.Title), " ")
	e.Description = strings.TrimSpace(e.Description)
	e.Space = strings.TrimSpace(e.Space)
	switch {
	case e.Title == "":
		return Errorf(EINVALID, "Event title required.")
	case utf8.RuneCountInString(e.Title) > MaxEventTitle:
		return Errorf(EINVALID, "Event title too long (%d characters at most).", MaxEventTitle)
	case utf8.RuneCountInString(e.Description) > MaxEventDescription:
		return Errorf(EINVALID, "Event description too long (%d characters at most).", MaxEventDescription)
	case len(e.Space) > MaxEventSpace:
		return Errorf(EINVALID, "Space name too long (%d characters at most).", MaxEventSpace)
	case e.Start.IsZero() || e.End.IsZero():
		return Errorf(EINVALID, "An event needs a start and an end.")
	case !e.End.After(e.Start):
		return Errorf(EINVALID, "An event ends after it starts.")
	case e.End.Sub(e.Start) > MaxEventLength:
		return Errorf(EINVALID, "An event lasts 14 days at most.")
	case e.Capacity < 1 || e.Capacity > MaxEventCapacity:
		return Errorf(EINVALID, "Capacity must be between 1 and %d places.", MaxEventCapacity)
	case !e.Deadline.IsZero() && e.Deadline.After(e.End):
		return Errorf(EINVALID, "Registrations must close before the event ends.")
	}
	e.Start, e.End = e.Start.UTC(), e.End.UTC()
	if !e.Deadline.IsZero() {
		e.Deadline = e.Deadline.UTC()
	}
	return nil
}

// PlaceLocation returns the time zone of an event's or a resource's place
// (CalendarEvent.Space, Resource.Space, resolved by EventSpace): its
// space's own (Space.Timezone), else the network's setting space.timezone,
// which is also the zone of a place that names no space of the network.
// An event's or a booking's times are entered, shown, mailed and checked on
// that clock; they are stored and sent to the kiosks as instants, so a door
// compares them with its own clock whatever its zone.
func PlaceLocation(spaces []*Space, place string, set Settings) *time.Location {
	return SpaceByID(spaces, EventSpace(spaces, place)).Location(set)
}

// PortalSpaces returns the spaces whose events and resources a member's
// portal shows her (issue 14): those where a pass she holds is valid (a
// sale not refunded that ends today or later, of a product valid there;
// valid is each product's spaces, ProductSpaces.ValidAt), what the doors
// of the network let her in by. A member who holds no pass at all (new,
// or whose passes all ended) is shown every space: she belongs to none
// yet and may go to any, the one she will buy at included; a network of
// one space shows her everything.
func PortalSpaces(spaces []*Space, sales []*Sale, valid map[int64]access.SpaceSet, today access.Day) map[int64]bool {
	out := map[int64]bool{}
	for _, s := range sales {
		if s.IsRefunded() || !s.End.IsZero() && s.End.Before(today) {
			continue
		}
		set, ok := valid[s.Product]
		for _, sp := range spaces {
			if !ok || set.Has(sp.ID) { // a product without a place: valid everywhere, as the door reads it
				out[sp.ID] = true
			}
		}
	}
	if len(out) == 0 {
		for _, sp := range spaces {
			out[sp.ID] = true
		}
	}
	return out
}

// ShownAt reports whether an event's or a resource's place is among the
// spaces a portal shows (PortalSpaces). A place that names no space of
// the network is the network's: shown to everyone.
func ShownAt(shown map[int64]bool, spaces []*Space, place string) bool {
	id := EventSpace(spaces, place)
	return id == 0 || shown[id]
}

// CheckEventChange decides whether the bureau may change event old into
// e (UpdateEvent; e validated): the capacity may not go below the places
// confirmed (cancel registrations first), and the space may not change
// once someone is registered (the kiosks of the first space hold the
// registrations); but an event at a place that names no space of spaces
// (stored as given by an older `centrald event add --space`: no door held
// it) moves to a real space, its registrations with it. It returns
// ECONFLICT.
func CheckEventChange(old, e *CalendarEvent, spaces []*Space) error {
	if e.Capacity < old.Confirmed {
		return Errorf(ECONFLICT, "%d places are confirmed: the capacity cannot be lower (cancel registrations first).", old.Confirmed)
	}
	if e.Space != old.Space && old.Confirmed+old.Waitlisted > 0 && EventSpace(spaces, old.Space) != 0 {
		return Errorf(ECONFLICT, "People are registered: the event's space cannot change.")
	}
	return nil
}

// TimesChanged reports whether an event's hours changed (its registered
// people are told).
func TimesChanged(old, e *CalendarEvent) bool {
	return !old.Start.Equal(e.Start) || !old.End.Equal(e.End)
}

// Closes returns when registrations close: the deadline, else the start.
func (e *CalendarEvent) Closes() time.Time {
	if e.Deadline.IsZero() {
		return e.Start
	}
	return e.Deadline
}

// Open reports whether the event takes registrations at now.
func (e *CalendarEvent) Open(now time.Time) bool { return now.Before(e.Closes()) }

// PlacesLeft is how many confirmed places are still free.
func (e *CalendarEvent) PlacesLeft() int { return max(e.Capacity-e.Confirmed, 0) }

// Admit decides the status of a new registration for an event with
// capacity places of which confirmed are taken.
func Admit(confirmed, capacity int) RegistrationStatus {
	if confirmed < capacity {
		return RegistrationConfirmed
	}
	return RegistrationWaitlisted
}

// Registration is a person registered for an event: a member (Member set,
// her name and e-mail copied when she registers) or, for a public event,
// anyone with a name and an e-mail.
type Registration struct {
	ID      int64
	Event   int64
	Member  int64 // 0: not a member
	Name    string
	Email   string
	Status  RegistrationStatus
	Created time.Time
	Updated time.Time
	// Position is her place on the waiting list (1 is next), filled by
	// reads of waitlisted registrations.
	Position int
	// Lang is the language of the page she registered on ("fr", "en"),
	// for the mail her registration causes at once. It is not stored:
	// a member's mails follow her own choice, and a later mail to someone
	// who is not a member (her promotion from the waiting list) is in
	// French.
	Lang string
}

// Active reports whether the registration holds or waits for a place.
func (r *Registration) Active() bool { return r.Status != RegistrationCancelled }

// ValidateGuest checks the name and e-mail of a registration from someone
// who is not a member. It returns EINVALID.
func (r *Registration) ValidateGuest() error {
	r.Name = strings.Join(strings.Fields(r.Name), " ")
	r.Email = strings.TrimSpace(r.Email)
	if r.Name == "" {
		return Errorf(EINVALID, "Name required to register.")
	}
	if len(r.Name) > 200 {
		return Errorf(EINVALID, "Member name too long (200 characters at most).")
	}
	if r.Email == "" {
		return Errorf(EINVALID, "E-mail address required to register.")
	}
	return ValidateEmail(r.Email)
}

// RegistrationMade: someone registered for an event (confirmed or
// waitlisted). RegistrationPromoted: a place freed up and a waitlisted
// registration is now confirmed (she is told by e-mail once an adapter
// reacts to it).
type (
	RegistrationMade struct {
		Event        *CalendarEvent
		Registration *Registration
	}
	RegistrationPromoted struct {
		Event        *CalendarEvent
		Registration *Registration
	}
)

// EventMoved: the bureau changed an event's hours (its Revision is the
// change's); Registrations are those holding or waiting for a place, who
// are told.
type EventMoved struct {
	Event         *CalendarEvent
	Registrations []*Registration
}

func (RegistrationMade) event()     {}
func (RegistrationPromoted) event() {}
func (EventMoved) event()           {}

// EventFilter selects events. Zero fields select everything.
type EventFilter struct {
	EndsAfter time.Time // End > EndsAfter: upcoming and running events
	Public    *bool
	Limit     int
}

// MaxEventRegistrations bounds the registrations read for one event (a
// waiting list included).
const MaxEventRegistrations = 5 * MaxEventCapacity

// CalendarService keeps events and registrations. Changes are audited
// with the actor of the context.
type CalendarService interface {
	// CreateEvent validates and adds an event, setting its ID and Created.
	CreateEvent(ctx context.Context, e *CalendarEvent) error
	// UpdateEvent changes an event's title, description, space, hours,
	// capacity, deadline and Consumes (e.ID names it; Public and Created
	// are kept), as CheckEventChange allows. A capacity raised confirms
	// the oldest waitlisted registrations into the new places (returned),
	// as a cancellation does; hours changed make the next Revision and an
	// EventMoved. The event changes for its kiosks (their next pull).
	// Returns EINVALID, ECONFLICT, ENOTFOUND.
	UpdateEvent(ctx context.Context, e *CalendarEvent) (promoted []*Registration, err error)
	// FindEvent returns an event with its counts, or ENOTFOUND.
	FindEvent(ctx context.Context, id int64) (*CalendarEvent, error)
	// Places returns the events' then the resources' places other than
	// the main space's "", by id (UnknownPlaces finds those that name no
	// space: centrald doctor).
	Places(ctx context.Context) ([]Placed, error)
	// FindEvents returns events by start, with their counts.
	FindEvents(ctx context.Context, f EventFilter) ([]*CalendarEvent, error)
	// Register adds a registration and sets its ID and Status (confirmed
	// while places are left, else waitlisted). For a member (r.Member),
	// her name and e-mail are copied; otherwise the event must be public
	// and r.Name and r.Email are required. Returns EINVALID when
	// registrations are closed, ECONFLICT when the member or e-mail is
	// already registered, ENOTFOUND.
	Register(ctx context.Context, r *Registration) error
	// CancelRegistration cancels a registration of the event and, if it
	// held a place, confirms the oldest waitlisted one, which it returns
	// (nil if none). Cancelling twice is not an error.
	CancelRegistration(ctx context.Context, event, id int64) (promoted *Registration, err error)
	// Registrations returns an event's registrations in the order they
	// were made, with the waitlisted ones' positions.
	Registrations(ctx context.Context, event int64) ([]*Registration, error)
	// MemberRegistrations returns a member's active registrations by
	// event id (the member portal's agenda).
	MemberRegistrations(ctx context.Context, member int64) (map[int64]*Registration, error)
	// MarkAttended records that a confirmed registration came; returns
	// EINVALID for a registration that is not confirmed.
	MarkAttended(ctx context.Context, event, id int64) error
}

// Placed is an event's or, Resource true, a resource's place
// (CalendarEvent.Space, Resource.Space).
type Placed struct {
	Resource bool
	ID       int64
	Place    string
}

// UnknownPlaces returns the rows whose place names no space of spaces
// (EventSpace 0): stored as given by a `centrald event add --space` older
// than ResolvePlace ("1"), shown to the whole network and held by no
// door. No migration can tell which space was meant: the bureau's lists
// flag them, and a network user moves them (an event's edit form, a
// room's `centrald room space`).
func UnknownPlaces(spaces []*Space, rows []Placed) []Placed {
	var out []Placed
	for _, r := range rows {
		if strings.TrimSpace(r.Place) != "" && EventSpace(spaces, r.Place) == 0 {
			out = append(out, r)
		}
	}
	return out
}
