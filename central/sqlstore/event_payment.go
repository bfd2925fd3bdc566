package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// Paid events (central/event_payment.go): an event's payment form in
// event_payments, and what a payment of that form does, inside the
// payments' transaction (ledgerTx, central.PaymentTx).

const eventPaymentColumns = `event_id, source, form, url, price, created`

func scanEventPayment(sc scanner) (*central.EventPayment, error) {
	var p central.EventPayment
	if err := sc.Scan(&p.Event, &p.Source, &p.Form, &p.URL, &p.Price, timeCol{&p.Created}); err != nil {
		return nil, err
	}
	return &p, nil
}

// SetEventPayment implements central.EventPaymentService.
func (s *CalendarService) SetEventPayment(ctx context.Context, p *central.EventPayment) error {
	p.Form = strings.ToLower(strings.TrimSpace(p.Form))
	if p.Source == "" {
		p.Source = central.SourceHelloAsso
	}
	if p.Form == "" || p.Price < 0 {
		return central.Errorf(central.EINVALID, "Want the address of the event's HelloAsso form (https://www.helloasso.com/associations/.../evenements/...).")
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findEvent(ctx, tx, p.Event); err != nil {
		return err
	}
	var other int64
	err = tx.QueryRowContext(ctx, `SELECT event_id FROM event_payments WHERE source = ? AND form = ? AND event_id <> ?`,
		p.Source, p.Form, p.Event).Scan(&other)
	switch {
	case err == nil:
		return central.Errorf(central.ECONFLICT, "This HelloAsso form already sells event %d.", other)
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("event payment: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_payments WHERE event_id = ?`, p.Event); err != nil {
		return fmt.Errorf("event payment: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO event_payments (event_id, source, form, url, price, created)
		VALUES (?, ?, ?, ?, ?, ?)`, p.Event, p.Source, p.Form, p.URL, p.Price, formatTime(tx.now)); err != nil {
		return fmt.Errorf("event payment: %w", err)
	}
	p.Created = tx.now
	if err := tx.audit(ctx, "event.payment", eventObject(p.Event), map[string]any{"source": p.Source, "form": p.Form,
		"price": p.Price}); err != nil {
		return err
	}
	return tx.Commit()
}

// RemoveEventPayment implements central.EventPaymentService.
func (s *CalendarService) RemoveEventPayment(ctx context.Context, event int64) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM event_payments WHERE event_id = ?`, event)
	if err != nil {
		return fmt.Errorf("event payment: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if err := tx.audit(ctx, "event.free", eventObject(event), map[string]any{}); err != nil {
		return err
	}
	return tx.Commit()
}

// EventPayments implements central.EventPaymentService.
func (s *CalendarService) EventPayments(ctx context.Context) (map[int64]*central.EventPayment, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+eventPaymentColumns+` FROM event_payments ORDER BY event_id LIMIT ?`, maxEvents*10)
	if err != nil {
		return nil, fmt.Errorf("event payments: %w", err)
	}
	out := map[int64]*central.EventPayment{}
	err = eachRow(rows, func(sc scanner) error {
		p, err := scanEventPayment(sc)
		if err != nil {
			return fmt.Errorf("scan event payment: %w", err)
		}
		out[p.Event] = p
		return nil
	})
	return out, err
}

// PaidRegistrations implements central.EventPaymentService.
func (s *CalendarService) PaidRegistrations(ctx context.Context, event int64) (map[int64]bool, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT p.registration_id FROM payments p
		JOIN registrations r ON r.id = p.registration_id
		WHERE r.event_id = ? AND p.status = 'credited' LIMIT ?`, event, central.MaxEventRegistrations)
	if err != nil {
		return nil, fmt.Errorf("paid registrations: %w", err)
	}
	out := map[int64]bool{}
	err = eachRow(rows, func(sc scanner) error {
		var id int64
		if err := sc.Scan(&id); err != nil {
			return fmt.Errorf("scan paid registration: %w", err)
		}
		out[id] = true
		return nil
	})
	return out, err
}

// EventPaymentByForm implements central.PaymentTx.
func (l ledgerTx) EventPaymentByForm(ctx context.Context, source, form string) (*central.EventPayment, error) {
	p, err := scanEventPayment(l.tx.QueryRowContext(ctx, `SELECT `+eventPaymentColumns+` FROM event_payments
		WHERE source = ? AND form = ?`, source, strings.ToLower(strings.TrimSpace(form))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("event payment: %w", err)
	}
	return p, nil
}

// RegisterPaid implements central.PaymentTx. The registration held
// already is looked for before inserting: on PostgreSQL a unique
// violation would abort the payments' transaction.
func (l ledgerTx) RegisterPaid(ctx context.Context, r *central.Registration) error {
	email := r.Email
	if r.Member != 0 {
		m, err := findMemberByID(ctx, l.tx, r.Member)
		if err != nil {
			return err
		}
		email = m.Email
	}
	var held int64
	err := l.tx.QueryRowContext(ctx, `SELECT id FROM registrations WHERE event_id = ? AND status <> 'cancelled'
		AND ((member_id IS NOT NULL AND member_id = ?) OR (email <> '' AND LOWER(email) = LOWER(?))) ORDER BY id LIMIT 1`,
		r.Event, r.Member, email).Scan(&held)
	switch {
	case err == nil:
		r.ID = held
		return central.Errorf(central.ECONFLICT, "Already registered for this event.")
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("registration held: %w", err)
	}
	return register(ctx, l.tx, r, true)
}

// CancelPaidRegistration implements central.PaymentTx.
func (l ledgerTx) CancelPaidRegistration(ctx context.Context, id int64) error {
	var event int64
	if err := l.tx.QueryRowContext(ctx, `SELECT event_id FROM registrations WHERE id = ?`, id).Scan(&event); errors.Is(err, sql.ErrNoRows) {
		return nil // erased with its event
	} else if err != nil {
		return fmt.Errorf("find registration: %w", err)
	}
	_, err := cancelRegistration(ctx, l.tx, event, id)
	return err
}
