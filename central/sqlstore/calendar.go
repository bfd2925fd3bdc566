package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// CalendarService implements central.CalendarService: events with a
// capacity and their registrations. Every registration and cancellation
// runs in one write transaction (which holds the writer's lock): the count of confirmed
// places it reads cannot change before it commits, so the capacity holds
// under any number of registrations at once.
type CalendarService struct{ db *DB }

// NewCalendarService returns the calendar service of db.
func NewCalendarService(db *DB) *CalendarService { return &CalendarService{db: db} }

// eventColumns reads an event with its counts (by the index
// registrations_event).
const eventColumns = `e.id, e.title, e.description, e.space, e.start, e."end", e.capacity, e.public, e.deadline, e.consumes, e.created, e.revision,
	(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status IN ('confirmed', 'attended')),
	(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waitlisted')`

func scanEvent(sc scanner) (*central.CalendarEvent, error) {
	var e central.CalendarEvent
	if err := sc.Scan(&e.ID, &e.Title, &e.Description, &e.Space, timeCol{&e.Start}, timeCol{&e.End}, &e.Capacity, &e.Public,
		timeCol{&e.Deadline}, &e.Consumes, timeCol{&e.Created}, &e.Revision, &e.Confirmed, &e.Waitlisted); err != nil {
		return nil, err
	}
	return &e, nil
}

func eventObject(id int64) string { return fmt.Sprintf("event:%d", id) }

// CreateEvent implements central.CalendarService (decided by
// central.CreateEvent).
func (s *CalendarService) CreateEvent(ctx context.Context, e *central.CalendarEvent) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.CreateEvent(ctx, registrationTx{ledgerTx{tx}}, e) })
}

// FindEvent implements central.CalendarService.
func (s *CalendarService) FindEvent(ctx context.Context, id int64) (*central.CalendarEvent, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findEvent(ctx, tx, id)
}

func findEvent(ctx context.Context, tx *Tx, id int64) (*central.CalendarEvent, error) {
	e, err := scanEvent(tx.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM calendar_events e WHERE e.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.ENOTFOUND, "Event %d not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find event: %w", err)
	}
	return e, nil
}

// maxEvents bounds a list of events.
const maxEvents = 500

// placesQuery reads the places of the events, then the resources, that
// are not the main space's ("").
const placesQuery = `SELECT 0, id, space FROM calendar_events WHERE space <> ''
		UNION ALL SELECT 1, id, space FROM resources WHERE space <> '' ORDER BY 1, 2`

// Places implements central.CalendarService.
func (s *CalendarService) Places(ctx context.Context) ([]central.Placed, error) {
	rows, err := s.db.db.QueryContext(ctx, placesQuery)
	return scanPlaces(rows, err)
}

// scanPlaces reads placesQuery's rows.
func scanPlaces(rows *sql.Rows, err error) ([]central.Placed, error) {
	if err != nil {
		return nil, fmt.Errorf("find places: %w", err)
	}
	return collect(rows, func(sc scanner) (central.Placed, error) {
		var p central.Placed
		var resource int
		err := sc.Scan(&resource, &p.ID, &p.Place)
		p.Resource = resource != 0
		return p, err
	})
}

// FindEvents implements central.CalendarService.
func (s *CalendarService) FindEvents(ctx context.Context, f central.EventFilter) ([]*central.CalendarEvent, error) {
	var w conds
	if !f.EndsAfter.IsZero() {
		w.add(`e."end" > ?`, formatTime(f.EndsAfter))
	}
	if f.Public != nil {
		w.add("e.public = ?", boolInt(*f.Public))
	}
	limit := f.Limit
	if limit <= 0 || limit > maxEvents {
		limit = maxEvents
	}
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+eventColumns+` FROM calendar_events e WHERE `+w.sql()+
		` ORDER BY e.start, e.id LIMIT ?`, append(w.args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.CalendarEvent, error) {
		e, err := scanEvent(sc)
		if err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		return e, nil
	})
}

const registrationColumns = `r.id, r.event_id, COALESCE(r.member_id, 0), r.name, r.email, r.status, r.created, r.updated`

func scanRegistration(sc scanner) (*central.Registration, error) {
	var r central.Registration
	if err := sc.Scan(&r.ID, &r.Event, &r.Member, &r.Name, &r.Email, &r.Status, timeCol{&r.Created}, timeCol{&r.Updated}); err != nil {
		return nil, err
	}
	return &r, nil
}

// Register implements central.CalendarService: central.Register
// decides, in one write transaction, over the reads and writes of
// registrationTx.
func (s *CalendarService) Register(ctx context.Context, r *central.Registration) error {
	return s.db.update(ctx, func(tx *Tx) error { return register(ctx, tx, r, false) })
}

// register admits a registration in tx (central.Register); paid registers
// whatever the deadline (a paid event's payment: the money is taken).
func register(ctx context.Context, tx *Tx, r *central.Registration, paid bool) error {
	return central.Register(ctx, registrationTx{ledgerTx{tx}}, r, paid)
}

// CancelRegistration implements central.CalendarService (decided by
// central.CancelRegistration).
func (s *CalendarService) CancelRegistration(ctx context.Context, event, id int64) (*central.Registration, error) {
	return updated(ctx, s.db, func(tx *Tx) (*central.Registration, error) { return cancelRegistration(ctx, tx, event, id) })
}

// cancelRegistration cancels a registration in tx and promotes the first
// waitlisted one into its place (central.CancelRegistration).
func cancelRegistration(ctx context.Context, tx *Tx, event, id int64) (*central.Registration, error) {
	return central.CancelRegistration(ctx, registrationTx{ledgerTx{tx}}, event, id)
}

// UpdateEvent implements central.CalendarService (decided by
// central.UpdateEvent).
func (s *CalendarService) UpdateEvent(ctx context.Context, e *central.CalendarEvent) ([]*central.Registration, error) {
	return updated(ctx, s.db, func(tx *Tx) ([]*central.Registration, error) {
		return central.UpdateEvent(ctx, registrationTx{ledgerTx{tx}}, e)
	})
}

// MarkAttended implements central.CalendarService (decided by
// central.MarkAttended).
func (s *CalendarService) MarkAttended(ctx context.Context, event, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.MarkAttended(ctx, registrationTx{ledgerTx{tx}}, event, id) })
}

// registrationTx is central.RegistrationTx: the ledger's reads (Now,
// FindMember, BumpMember, Audit) and the calendar's.
type registrationTx struct{ ledgerTx }

var _ central.RegistrationTx = registrationTx{}

// FindEvent implements central.RegistrationTx.
func (t registrationTx) FindEvent(ctx context.Context, id int64) (*central.CalendarEvent, error) {
	return findEvent(ctx, t.tx, id)
}

// InsertEvent implements central.RegistrationTx.
func (t registrationTx) InsertEvent(ctx context.Context, e *central.CalendarEvent) error {
	// "end" is a keyword of PostgreSQL's: quoted (SQLite takes it too).
	if err := t.tx.QueryRowContext(ctx, `INSERT INTO calendar_events (title, description, space, start, "end", capacity, public,
		deadline, consumes, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.Title, e.Description, e.Space, formatTime(e.Start),
		formatTime(e.End), e.Capacity, boolInt(e.Public), formatTime(e.Deadline), boolInt(e.Consumes), formatTime(e.Created)).Scan(&e.ID); err != nil {
		return fmt.Errorf("create event: %w", err)
	}
	return nil
}

// SaveEvent implements central.RegistrationTx.
func (t registrationTx) SaveEvent(ctx context.Context, e *central.CalendarEvent) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE calendar_events SET title = ?, description = ?, space = ?, start = ?, "end" = ?,
		capacity = ?, deadline = ?, consumes = ?, revision = ? WHERE id = ?`, e.Title, e.Description, e.Space, formatTime(e.Start),
		formatTime(e.End), e.Capacity, formatTime(e.Deadline), boolInt(e.Consumes), e.Revision, e.ID); err != nil {
		return fmt.Errorf("update event: %w", err)
	}
	return nil
}

// FindRegistration implements central.RegistrationTx.
func (t registrationTx) FindRegistration(ctx context.Context, event, id int64) (*central.Registration, error) {
	r, err := scanRegistration(t.tx.QueryRowContext(ctx, `SELECT `+registrationColumns+` FROM registrations r
		WHERE r.id = ? AND r.event_id = ?`, id, event))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.ENOTFOUND, "Registration %d not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find registration: %w", err)
	}
	return r, nil
}

// HeldRegistration implements central.RegistrationTx, by the indexes
// registrations_event_member and registrations_event_email.
func (t registrationTx) HeldRegistration(ctx context.Context, event, member int64, email string) (int64, error) {
	var held int64
	err := t.tx.QueryRowContext(ctx, `SELECT id FROM registrations WHERE event_id = ? AND status <> 'cancelled'
		AND ((member_id IS NOT NULL AND member_id = ?) OR (email <> '' AND LOWER(email) = LOWER(?))) ORDER BY id LIMIT 1`,
		event, member, email).Scan(&held)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("registration held: %w", err)
	}
	return held, nil
}

// InsertRegistration implements central.RegistrationTx. The unique
// indexes (one registration not cancelled per member and per e-mail)
// hold what central.Register checked before: a conflict is ECONFLICT.
func (t registrationTx) InsertRegistration(ctx context.Context, r *central.Registration) error {
	var member any
	if r.Member != 0 {
		member = r.Member
	}
	err := t.tx.QueryRowContext(ctx, `INSERT INTO registrations (event_id, member_id, name, email, status, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.Event, member, r.Name, r.Email, r.Status, formatTime(r.Created),
		formatTime(r.Updated)).Scan(&r.ID)
	if t.tx.isUniqueViolation(err) {
		return central.Errorf(central.ECONFLICT, "Already registered for this event.")
	} else if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	return nil
}

// SetRegistrationStatus implements central.RegistrationTx.
func (t registrationTx) SetRegistrationStatus(ctx context.Context, id int64, st central.RegistrationStatus) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE registrations SET status = ?, updated = ? WHERE id = ?`,
		st, formatTime(t.tx.now), id); err != nil {
		return fmt.Errorf("registration %s: %w", st, err)
	}
	return nil
}

// Waitlist implements central.RegistrationTx (ids grow: their order is
// the order the registrations were made).
func (t registrationTx) Waitlist(ctx context.Context, event int64, n int) ([]*central.Registration, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+registrationColumns+` FROM registrations r
		WHERE r.event_id = ? AND r.status = 'waitlisted' ORDER BY r.id LIMIT ?`, event, n)
	if err != nil {
		return nil, fmt.Errorf("waitlist: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.Registration, error) {
		r, err := scanRegistration(sc)
		if err != nil {
			return nil, fmt.Errorf("waitlist: %w", err)
		}
		return r, nil
	})
}

// RegistrationsIn implements central.RegistrationTx.
func (t registrationTx) RegistrationsIn(ctx context.Context, event int64, st ...central.RegistrationStatus) ([]*central.Registration, error) {
	if len(st) == 0 {
		return nil, nil
	}
	args := []any{event}
	for _, s := range st {
		args = append(args, s)
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+registrationColumns+` FROM registrations r WHERE r.event_id = ?
		AND r.status IN (?`+strings.Repeat(", ?", len(st)-1)+`) ORDER BY r.id LIMIT ?`,
		append(args, central.MaxEventRegistrations)...)
	if err != nil {
		return nil, fmt.Errorf("registrations: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.Registration, error) {
		r, err := scanRegistration(sc)
		if err != nil {
			return nil, fmt.Errorf("registrations: %w", err)
		}
		return r, nil
	})
}

// EventChanged implements central.RegistrationTx.
func (t registrationTx) EventChanged(ctx context.Context, event int64) error {
	return eventChanged(ctx, t.tx, event)
}

// React implements central.RegistrationTx.
func (t registrationTx) React(ctx context.Context, events ...central.Event) error {
	return t.tx.react(ctx, events...)
}

// Registrations implements central.CalendarService.
func (s *CalendarService) Registrations(ctx context.Context, event int64) ([]*central.Registration, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if _, err := findEvent(ctx, tx, event); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+registrationColumns+` FROM registrations r WHERE r.event_id = ?
		ORDER BY r.id LIMIT ?`, event, central.MaxEventRegistrations)
	if err != nil {
		return nil, fmt.Errorf("registrations: %w", err)
	}
	rs, err := collect(rows, func(sc scanner) (*central.Registration, error) {
		r, err := scanRegistration(sc)
		if err != nil {
			return nil, fmt.Errorf("scan registration: %w", err)
		}
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	central.NumberWaitlist(rs)
	return rs, nil
}

// MemberRegistrations implements central.CalendarService.
func (s *CalendarService) MemberRegistrations(ctx context.Context, member int64) (map[int64]*central.Registration, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+registrationColumns+`,
		CASE WHEN r.status = 'waitlisted' THEN (SELECT COUNT(*) FROM registrations w
			WHERE w.event_id = r.event_id AND w.status = 'waitlisted' AND w.id <= r.id) ELSE 0 END
		FROM registrations r WHERE r.member_id = ? AND r.status <> 'cancelled' ORDER BY r.id DESC LIMIT ?`, member, maxEvents)
	if err != nil {
		return nil, fmt.Errorf("member registrations: %w", err)
	}
	out := map[int64]*central.Registration{}
	err = eachRow(rows, func(sc scanner) error {
		var r central.Registration
		if err := sc.Scan(&r.ID, &r.Event, &r.Member, &r.Name, &r.Email, &r.Status, timeCol{&r.Created}, timeCol{&r.Updated},
			&r.Position); err != nil {
			return fmt.Errorf("scan registration: %w", err)
		}
		out[r.Event] = &r
		return nil
	})
	return out, err
}

// eventChanged gives the event the next sync version: its space's kiosks
// receive it again at their next pull (created; a place taken or freed,
// which a promotion from the waiting list follows in the same
// transaction).
func eventChanged(ctx context.Context, tx *Tx, event int64) error {
	var v int64
	if err := tx.QueryRowContext(ctx, `UPDATE counter SET version = version + 1 WHERE id = 1 RETURNING version`).Scan(&v); err != nil {
		return fmt.Errorf("event version: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE calendar_events SET version = ? WHERE id = ?`, v, event); err != nil {
		return fmt.Errorf("event version: %w", err)
	}
	return nil
}

// RunningEvents implements central.EventAttendance.
func (l ledgerTx) RunningEvents(ctx context.Context, t time.Time) ([]*central.CalendarEvent, error) {
	rows, err := l.tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM calendar_events e
		WHERE e."end" > ? AND e.start <= ? ORDER BY e.start, e.id LIMIT ?`,
		formatTime(t), formatTime(t.Add(access.EventEarly)), maxEvents)
	if err != nil {
		return nil, fmt.Errorf("running events: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.CalendarEvent, error) {
		e, err := scanEvent(sc)
		if err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		return e, nil
	})
}

// HeldRegistrations implements central.EventAttendance.
func (l ledgerTx) HeldRegistrations(ctx context.Context, event int64) ([]*central.Registration, error) {
	rows, err := l.tx.QueryContext(ctx, `SELECT `+registrationColumns+` FROM registrations r
		WHERE r.event_id = ? AND r.status IN ('confirmed', 'attended') ORDER BY r.id LIMIT ?`, event, central.MaxEventRegistrations)
	if err != nil {
		return nil, fmt.Errorf("held registrations: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.Registration, error) {
		r, err := scanRegistration(sc)
		if err != nil {
			return nil, fmt.Errorf("scan registration: %w", err)
		}
		return r, nil
	})
}

// SetAttended implements central.EventAttendance.
func (l ledgerTx) SetAttended(ctx context.Context, event, registration int64) error {
	res, err := l.tx.ExecContext(ctx, `UPDATE registrations SET status = 'attended', updated = ?
		WHERE id = ? AND event_id = ? AND status = 'confirmed'`, formatTime(l.tx.now), registration, event)
	if err != nil {
		return fmt.Errorf("attended: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return l.tx.audit(ctx, "event.attended", eventObject(event), map[string]any{"registration": registration, "at_door": true})
}

// KioskEvents implements central.LedgerView: the events not over, then
// the registered members and cancelled tickets of all of them in one
// more read (not two per event: each is a round trip to a database
// server, and a network's pulls read every space's events).
func (l ledgerTx) KioskEvents(ctx context.Context, after, upTo int64) ([]central.KioskEventData, error) {
	rows, err := l.tx.QueryContext(ctx, `SELECT id, space, start, "end", consumes FROM calendar_events
		WHERE version > ? AND version <= ? AND "end" > ? ORDER BY id LIMIT ?`, after, upTo, formatTime(l.tx.now), central.MaxKioskEvents)
	if err != nil {
		return nil, fmt.Errorf("kiosk events: %w", err)
	}
	out, err := collect(rows, func(sc scanner) (central.KioskEventData, error) {
		var e central.KioskEventData
		if err := sc.Scan(&e.ID, &e.Space, timeCol{&e.Start}, timeCol{&e.End}, &e.Consumes); err != nil {
			return e, fmt.Errorf("scan kiosk event: %w", err)
		}
		return e, nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]int64, len(out))
	byID := make(map[int64]*central.KioskEventData, len(out))
	for i := range out {
		ids[i], byID[out[i].ID] = out[i].ID, &out[i]
	}
	// A member's registration (held) by member id; a ticket's (member_id
	// NULL, cancelled) by registration id.
	rows, err = l.tx.QueryContext(ctx, `SELECT event_id, COALESCE(member_id, 0), id FROM registrations
		WHERE `+l.tx.db.dialect.InIDs("event_id", "?1")+`
		AND ((member_id IS NOT NULL AND status IN ('confirmed', 'attended')) OR (member_id IS NULL AND status = 'cancelled'))
		ORDER BY event_id, COALESCE(member_id, 0), id`, idList(ids))
	if err != nil {
		return nil, fmt.Errorf("kiosk events' registrations: %w", err)
	}
	err = eachRow(rows, func(sc scanner) error {
		var event, member, id int64
		if err := sc.Scan(&event, &member, &id); err != nil {
			return fmt.Errorf("scan kiosk event registration: %w", err)
		}
		e := byID[event]
		if member != 0 {
			e.Members = append(e.Members, member)
		} else {
			e.Revoked = append(e.Revoked, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
