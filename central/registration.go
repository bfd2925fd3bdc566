package central

import (
	"context"
	"time"
)

// The rules of registrations (calendar.go), decided over RegistrationTx:
// who may register and when, one registration per person, the waiting
// list confirmed in the order it was joined, what cannot be cancelled or
// marked attended, and what each change tells the kiosks. A store
// implements RegistrationTx's reads and writes only.

// RegistrationTx is what deciding registrations reads and writes of a
// store, inside its write transaction: the places counted cannot change
// before the decision is committed, so the capacity holds however many
// people register at once.
type RegistrationTx interface {
	// Now is the transaction's time.
	Now() time.Time
	// FindEvent returns an event with its counts, or ENOTFOUND.
	FindEvent(ctx context.Context, id int64) (*CalendarEvent, error)
	// Spaces returns every space, by id (an event's place names one).
	Spaces(ctx context.Context) ([]*Space, error)
	// InsertEvent stores a new event (its Created given) and sets its ID.
	InsertEvent(ctx context.Context, e *CalendarEvent) error
	// SaveEvent writes an event's fields (not its counts).
	SaveEvent(ctx context.Context, e *CalendarEvent) error
	// FindMember returns a member, or ENOTFOUND.
	FindMember(ctx context.Context, id int64) (*Member, error)
	// FindRegistration returns a registration of the event, or ENOTFOUND.
	FindRegistration(ctx context.Context, event, id int64) (*Registration, error)
	// HeldRegistration returns the id of a registration of the event not
	// cancelled of member (when not 0) or of the e-mail (when not "",
	// whatever its case); 0 when none.
	HeldRegistration(ctx context.Context, event, member int64, email string) (int64, error)
	// InsertRegistration stores r (its Status, Created and Updated given)
	// and sets its ID.
	InsertRegistration(ctx context.Context, r *Registration) error
	// SetRegistrationStatus changes a registration's status, updated at
	// Now.
	SetRegistrationStatus(ctx context.Context, id int64, st RegistrationStatus) error
	// Waitlist returns the first n waitlisted registrations of an event,
	// in the order they were made.
	Waitlist(ctx context.Context, event int64, n int) ([]*Registration, error)
	// RegistrationsIn returns an event's registrations of the statuses, in
	// the order they were made (MaxEventRegistrations at most).
	RegistrationsIn(ctx context.Context, event int64, st ...RegistrationStatus) ([]*Registration, error)
	// EventChanged gives the event the next sync version: its space's
	// kiosks receive it again at their next pull.
	EventChanged(ctx context.Context, event int64) error
	// BumpMember gives the member the next sync version (the kiosks
	// receive her again).
	BumpMember(ctx context.Context, member int64) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
	// React enqueues the Reactions to events, in the transaction.
	React(ctx context.Context, events ...Event) error
}

// Register decides a registration and adds it through tx, as
// CalendarService.Register says: while the event takes registrations
// (paid: whatever the deadline, the money is taken), a member's with her
// name and e-mail, anyone's (a name and an e-mail) for a public event
// only, once per member and per e-mail (ECONFLICT, r.ID the one held),
// confirmed while places are left (Admit), else waitlisted at the end of
// the list. A confirmed place changes the event and the member for the
// kiosks.
func Register(ctx context.Context, tx RegistrationTx, r *Registration, paid bool) error {
	if r.Member == 0 && !paid {
		if err := r.ValidateGuest(); err != nil {
			return err
		}
	}
	e, err := tx.FindEvent(ctx, r.Event)
	if err != nil {
		return err
	}
	now := tx.Now()
	if !paid && !e.Open(now) {
		return Errorf(EINVALID, "Registrations for this event are closed.")
	}
	if r.Member != 0 {
		m, err := tx.FindMember(ctx, r.Member)
		if err != nil {
			return err
		}
		r.Name, r.Email = m.Name, m.Email
	} else if !e.Public {
		return Errorf(EINVALID, "This event is for members only.")
	}
	held, err := tx.HeldRegistration(ctx, e.ID, r.Member, r.Email)
	if err != nil {
		return err
	}
	if held != 0 {
		r.ID = held
		return Errorf(ECONFLICT, "Already registered for this event.")
	}
	r.Status = Admit(e.Confirmed, e.Capacity)
	r.Created, r.Updated = now, now
	if err := tx.InsertRegistration(ctx, r); err != nil {
		return err
	}
	if r.Status == RegistrationWaitlisted {
		r.Position = e.Waitlisted + 1
	}
	if r.Status == RegistrationConfirmed { // a waitlisted one changes nothing at the door
		if err := placeChanged(ctx, tx, e.ID, r.Member); err != nil {
			return err
		}
	}
	e.Confirmed += b2i(r.Status == RegistrationConfirmed)
	e.Waitlisted += b2i(r.Status == RegistrationWaitlisted)
	if err := tx.Audit(ctx, "event.register", eventObject(e.ID), map[string]any{"registration": r.ID,
		"member": r.Member, "status": r.Status}); err != nil {
		return err
	}
	return tx.React(ctx, RegistrationMade{Event: e, Registration: r})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// placeChanged records that a place of the event was taken or freed by
// member (0: someone who is not a member): the event changed for its
// kiosks, and so did the member (in a network, a kiosk holds the members
// registered to its space's events even without a pass valid there).
func placeChanged(ctx context.Context, tx RegistrationTx, event, member int64) error {
	if err := tx.EventChanged(ctx, event); err != nil {
		return err
	}
	if member == 0 {
		return nil
	}
	return tx.BumpMember(ctx, member)
}

// CancelRegistration cancels a registration of the event through tx, as
// CalendarService.CancelRegistration says: twice is no error, an attended
// one cannot be (EINVALID), and a place freed goes to the waiting list's
// first (returned; nil if none).
func CancelRegistration(ctx context.Context, tx RegistrationTx, event, id int64) (*Registration, error) {
	r, err := tx.FindRegistration(ctx, event, id)
	if err != nil {
		return nil, err
	}
	switch r.Status {
	case RegistrationCancelled:
		return nil, nil
	case RegistrationAttended:
		return nil, Errorf(EINVALID, "She came: an attended registration cannot be cancelled.")
	}
	if err := tx.SetRegistrationStatus(ctx, id, RegistrationCancelled); err != nil {
		return nil, err
	}
	if r.Status == RegistrationConfirmed { // she leaves the door's list, or her ticket is revoked
		if err := placeChanged(ctx, tx, event, r.Member); err != nil {
			return nil, err
		}
	}
	if err := tx.Audit(ctx, "event.cancel", eventObject(event), map[string]any{"registration": id, "was": r.Status}); err != nil {
		return nil, err
	}
	if r.Status != RegistrationConfirmed {
		return nil, nil
	}
	e, err := tx.FindEvent(ctx, event)
	if err != nil {
		return nil, err
	}
	promoted, err := promote(ctx, tx, e, 1)
	if err != nil || len(promoted) == 0 {
		return nil, err
	}
	return promoted[0], nil
}

// promote confirms up to n waitlisted registrations of e, first come
// first served, into the places free (none when the event is over
// capacity, which a capacity the bureau lowered may make it) while the
// event is not over. e's counts follow.
func promote(ctx context.Context, tx RegistrationTx, e *CalendarEvent, n int) ([]*Registration, error) {
	n = min(n, e.Capacity-e.Confirmed, e.Waitlisted)
	if n <= 0 || !tx.Now().Before(e.End) {
		return nil, nil
	}
	waiting, err := tx.Waitlist(ctx, e.ID, n)
	if err != nil {
		return nil, err
	}
	for _, p := range waiting {
		if err := tx.SetRegistrationStatus(ctx, p.ID, RegistrationConfirmed); err != nil {
			return nil, err
		}
		p.Status, p.Updated = RegistrationConfirmed, tx.Now()
		if p.Member != 0 { // the event changed already (the place freed, or the capacity)
			if err := tx.BumpMember(ctx, p.Member); err != nil {
				return nil, err
			}
		}
		e.Confirmed++
		e.Waitlisted--
		if err := tx.Audit(ctx, "event.promote", eventObject(e.ID), map[string]any{"registration": p.ID}); err != nil {
			return nil, err
		}
		if err := tx.React(ctx, RegistrationPromoted{Event: e, Registration: p}); err != nil {
			return nil, err
		}
	}
	return waiting, nil
}

// CreateEvent validates and adds an event through tx, as
// CalendarService.CreateEvent says; its space's kiosks receive it at
// their next pull.
func CreateEvent(ctx context.Context, tx RegistrationTx, e *CalendarEvent) error {
	if err := e.Validate(); err != nil {
		return err
	}
	e.Created = tx.Now()
	if err := tx.InsertEvent(ctx, e); err != nil {
		return err
	}
	if err := tx.EventChanged(ctx, e.ID); err != nil {
		return err
	}
	return tx.Audit(ctx, "event.create", eventObject(e.ID), map[string]any{"title": e.Title,
		"start": e.Start.UTC().Format(auditTime), "capacity": e.Capacity, "public": e.Public, "consumes": e.Consumes})
}

// UpdateEvent changes an event through tx, as CalendarService.UpdateEvent
// says: as CheckEventChange allows, its hours changed make the next
// Revision, its kiosks get it again, new places go to the waiting list
// first come first served (returned), and, while the event is not over,
// the people holding or waiting for a place are told it moved
// (EventMoved).
func UpdateEvent(ctx context.Context, tx RegistrationTx, e *CalendarEvent) ([]*Registration, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	old, err := tx.FindEvent(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	spaces, err := tx.Spaces(ctx)
	if err != nil {
		return nil, err
	}
	if err := CheckEventChange(old, e, spaces); err != nil {
		return nil, err
	}
	moved := TimesChanged(old, e)
	e.Public, e.Created, e.Revision = old.Public, old.Created, old.Revision
	if moved {
		e.Revision++
	}
	if err := tx.SaveEvent(ctx, e); err != nil {
		return nil, err
	}
	// Its kiosks get its new hours and setting at their next pull.
	if err := tx.EventChanged(ctx, e.ID); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "event.update", eventObject(e.ID), map[string]any{"title": e.Title,
		"start": e.Start.UTC().Format(auditTime), "end": e.End.UTC().Format(auditTime), "capacity": e.Capacity,
		"places_before": old.Capacity, "consumes": e.Consumes, "revision": e.Revision}); err != nil {
		return nil, err
	}
	e.Confirmed, e.Waitlisted = old.Confirmed, old.Waitlisted
	promoted, err := promote(ctx, tx, e, e.Waitlisted)
	if err != nil {
		return nil, err
	}
	if moved && tx.Now().Before(e.End) {
		told, err := tx.RegistrationsIn(ctx, e.ID, RegistrationConfirmed, RegistrationWaitlisted)
		if err != nil {
			return nil, err
		}
		if err := tx.React(ctx, EventMoved{Event: e, Registrations: told}); err != nil {
			return nil, err
		}
	}
	return promoted, nil
}

// MarkAttended records through tx that a confirmed registration came, as
// CalendarService.MarkAttended says: twice is no error, and only a
// confirmed registration comes (EINVALID).
func MarkAttended(ctx context.Context, tx RegistrationTx, event, id int64) error {
	r, err := tx.FindRegistration(ctx, event, id)
	if err != nil {
		return err
	}
	switch r.Status {
	case RegistrationAttended:
		return nil
	case RegistrationConfirmed:
	default:
		return Errorf(EINVALID, "Only a confirmed registration can be marked as attended (this one is %s).", r.Status)
	}
	if err := tx.SetRegistrationStatus(ctx, id, RegistrationAttended); err != nil {
		return err
	}
	return tx.Audit(ctx, "event.attended", eventObject(event), map[string]any{"registration": id})
}

// NumberWaitlist sets the waiting-list positions of an event's
// registrations given in the order they were made (1 is next).
func NumberWaitlist(rs []*Registration) {
	pos := 0
	for _, r := range rs {
		if r.Status == RegistrationWaitlisted {
			pos++
			r.Position = pos
		}
	}
}
