package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// BookingService implements central.BookingService. A booking is decided
// (central.Book) against the others in its write transaction (which holds
// the writer's lock): of two people booking one slot at once, the second
// sees the first's booking and gets ECONFLICT.
type BookingService struct{ db *DB }

// NewBookingService returns the booking service of db.
func NewBookingService(db *DB) *BookingService { return &BookingService{db: db} }

const resourceColumns = `id, name, space, opens, closes, slot, max_per_week, active, created`

func scanResource(sc scanner) (*central.Resource, error) {
	var r central.Resource
	var slot, week int64
	if err := sc.Scan(&r.ID, &r.Name, &r.Space, &r.Opens, &r.Closes, &slot, &week, &r.Active, timeCol{&r.Created}); err != nil {
		return nil, err
	}
	r.Slot, r.MaxPerWeek = time.Duration(slot)*time.Second, time.Duration(week)*time.Second
	return &r, nil
}

// CreateResource implements central.BookingService.
func (s *BookingService) CreateResource(ctx context.Context, r *central.Resource) error {
	if err := r.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r.Active = true
	if err := tx.QueryRowContext(ctx, `INSERT INTO resources (name, space, opens, closes, slot, max_per_week, active, created)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?) RETURNING id`, r.Name, r.Space, r.Opens, r.Closes, int64(r.Slot/time.Second),
		int64(r.MaxPerWeek/time.Second), formatTime(tx.now)).Scan(&r.ID); err != nil {
		return fmt.Errorf("create resource: %w", err)
	}
	r.Created = tx.now
	if err := tx.audit(ctx, "resource.create", fmt.Sprintf("resource:%d", r.ID), map[string]any{"name": r.Name}); err != nil {
		return err
	}
	return tx.Commit()
}

// SetResourcePlace implements central.BookingService.
func (s *BookingService) SetResourcePlace(ctx context.Context, id int64, place string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		var was string
		if err := tx.QueryRowContext(ctx, `SELECT space FROM resources WHERE id = ?`, id).Scan(&was); errors.Is(err, sql.ErrNoRows) {
			return central.Errorf(central.ENOTFOUND, "Resource %d not found.", id)
		} else if err != nil {
			return fmt.Errorf("find resource %d: %w", id, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE resources SET space = ? WHERE id = ?`, place, id); err != nil {
			return fmt.Errorf("set resource %d's space: %w", id, err)
		}
		return tx.audit(ctx, "resource.space", fmt.Sprintf("resource:%d", id), map[string]any{"space": place, "was": was})
	})
}

// UpdateResource implements central.BookingService (decided by
// central.UpdateResource).
func (s *BookingService) UpdateResource(ctx context.Context, r *central.Resource) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.UpdateResource(ctx, bookingTx{ledgerTx{tx}}, r) })
}

// SaveResource implements central.ResourceTx.
func (t bookingTx) SaveResource(ctx context.Context, r *central.Resource) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE resources SET name = ?, space = ?, opens = ?, closes = ?, slot = ?, max_per_week = ?
		WHERE id = ?`, r.Name, r.Space, r.Opens, r.Closes, int64(r.Slot/time.Second), int64(r.MaxPerWeek/time.Second), r.ID); err != nil {
		return fmt.Errorf("update resource %d: %w", r.ID, err)
	}
	return nil
}

// WithdrawResource implements central.BookingService (decided by
// central.WithdrawResource).
func (s *BookingService) WithdrawResource(ctx context.Context, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.WithdrawResource(ctx, bookingTx{ledgerTx{tx}}, id) })
}

// RestoreResource implements central.BookingService (decided by
// central.RestoreResource).
func (s *BookingService) RestoreResource(ctx context.Context, id int64) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.RestoreResource(ctx, bookingTx{ledgerTx{tx}}, id) })
}

// SetResourceActive implements central.ResourceActiveTx.
func (t bookingTx) SetResourceActive(ctx context.Context, id int64, active bool) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE resources SET active = ? WHERE id = ?`, boolInt(active), id); err != nil {
		return fmt.Errorf("set resource %d active: %w", id, err)
	}
	return nil
}

// FindResources implements central.BookingService.
func (s *BookingService) FindResources(ctx context.Context) ([]*central.Resource, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+resourceColumns+` FROM resources ORDER BY space, name, id LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("find resources: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.Resource, error) {
		r, err := scanResource(sc)
		if err != nil {
			return nil, fmt.Errorf("scan resource: %w", err)
		}
		return r, nil
	})
}

const bookingColumns = `b.id, b.resource_id, COALESCE(b.member_id, 0), b.blocked, b.note, b.start, b."end", b.created, b.cancelled`

func scanBooking(sc scanner) (*central.Booking, error) {
	var b central.Booking
	if err := sc.Scan(&b.ID, &b.Resource, &b.Member, &b.Blocked, &b.Note, timeCol{&b.Start}, timeCol{&b.End},
		timeCol{&b.Created}, timeCol{&b.Cancelled}); err != nil {
		return nil, err
	}
	return &b, nil
}

func findBookings(ctx context.Context, tx *Tx, f central.BookingFilter) ([]*central.Booking, error) {
	var w conds
	w.add("b.cancelled = ''")
	if f.Resource != nil {
		w.add("b.resource_id = ?", *f.Resource)
	}
	if f.Member != nil {
		w.add("b.member_id = ?", *f.Member)
	}
	if !f.Since.IsZero() {
		w.add(`b."end" > ?`, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		w.add("b.start < ?", formatTime(f.Until))
	}
	limit := central.MaxBookings
	if f.Limit > 0 && f.Limit < limit {
		limit = f.Limit
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+bookingColumns+` FROM bookings b WHERE `+w.sql()+
		` ORDER BY b.start, b.id LIMIT ?`, append(w.args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("find bookings: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.Booking, error) {
		b, err := scanBooking(sc)
		if err != nil {
			return nil, fmt.Errorf("scan booking: %w", err)
		}
		return b, nil
	})
}

// FindBookings implements central.BookingService.
func (s *BookingService) FindBookings(ctx context.Context, f central.BookingFilter) ([]*central.Booking, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findBookings(ctx, tx, f)
}

// FindBooking implements central.BookingService.
func (s *BookingService) FindBooking(ctx context.Context, id int64) (*central.Booking, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return bookingTx{ledgerTx{tx}}.FindBooking(ctx, id)
}

// Book implements central.BookingService: central.Book decides, in one
// write transaction, over the reads and writes below.
func (s *BookingService) Book(ctx context.Context, b *central.Booking) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.Book(ctx, bookingTx{ledgerTx{tx}}, b) })
}

// bookingTx is central.BookingTx: the ledger's reads (Now, Settings,
// Spaces, MemberExists, Audit) and the bookings'.
type bookingTx struct{ ledgerTx }

var (
	_ central.BookingTx        = bookingTx{}
	_ central.ResourceTx       = bookingTx{}
	_ central.BookingCancelTx  = bookingTx{}
	_ central.ResourceActiveTx = bookingTx{}
)

// FindResource implements central.BookingTx.
func (t bookingTx) FindResource(ctx context.Context, id int64) (*central.Resource, error) {
	r, err := scanResource(t.tx.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM resources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.ENOTFOUND, "Resource %d not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find resource: %w", err)
	}
	return r, nil
}

// Bookings implements central.BookingTx.
func (t bookingTx) Bookings(ctx context.Context, f central.BookingFilter) ([]*central.Booking, error) {
	return findBookings(ctx, t.tx, f)
}

// InsertBooking implements central.BookingTx.
func (t bookingTx) InsertBooking(ctx context.Context, b *central.Booking) error {
	var member any
	if b.Member != 0 {
		member = b.Member
	}
	// "end" is a keyword of PostgreSQL's: quoted (SQLite takes it too).
	if err := t.tx.QueryRowContext(ctx, `INSERT INTO bookings (resource_id, member_id, blocked, note, start, "end", created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, b.Resource, member, boolInt(b.Blocked), clip(200, b.Note), formatTime(b.Start),
		formatTime(b.End), formatTime(b.Created)).Scan(&b.ID); err != nil {
		return fmt.Errorf("book: %w", err)
	}
	return nil
}

// CancelBooking implements central.BookingService (decided by
// central.CancelBooking).
func (s *BookingService) CancelBooking(ctx context.Context, id, member int64) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.CancelBooking(ctx, bookingTx{ledgerTx{tx}}, id, member) })
}

// FindBooking implements central.BookingCancelTx.
func (t bookingTx) FindBooking(ctx context.Context, id int64) (*central.Booking, error) {
	b, err := scanBooking(t.tx.QueryRowContext(ctx, `SELECT `+bookingColumns+` FROM bookings b WHERE b.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.ENOTFOUND, "Booking %d not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find booking: %w", err)
	}
	return b, nil
}

// SetBookingCancelled implements central.BookingCancelTx.
func (t bookingTx) SetBookingCancelled(ctx context.Context, id int64) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE bookings SET cancelled = ? WHERE id = ?`, formatTime(t.tx.now), id); err != nil {
		return fmt.Errorf("cancel booking: %w", err)
	}
	return nil
}

// React implements central.BookingCancelTx.
func (t bookingTx) React(ctx context.Context, events ...central.Event) error {
	return t.tx.react(ctx, events...)
}
