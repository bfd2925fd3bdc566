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
// event_payments (central.EventPaymentTx: one form sells one event is the
// domain's rule), and what a payment of that form does, inside the
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
	return s.inEventPaymentTx(ctx, func(tx central.EventPaymentTx) error { return central.SetEventPayment(ctx, tx, p) })
}

// RemoveEventPayment implements central.EventPaymentService.
func (s *CalendarService) RemoveEventPayment(ctx context.Context, event int64) error {
	return s.inEventPaymentTx(ctx, func(tx central.EventPaymentTx) error { return central.RemoveEventPayment(ctx, tx, event) })
}

// inEventPaymentTx runs an event payment's use case in one write
// transaction, committed when it succeeds.
func (s *CalendarService) inEventPaymentTx(ctx context.Context, fn func(central.EventPaymentTx) error) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(ledgerTx{tx}); err != nil {
		return err
	}
	return tx.Commit()
}

// EventExists implements central.EventPaymentTx.
func (l ledgerTx) EventExists(ctx context.Context, id int64) (bool, error) {
	var n int
	if err := l.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM calendar_events WHERE id = ?`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("find event: %w", err)
	}
	return n > 0, nil
}

// PutEventPayment implements central.EventPaymentTx.
func (l ledgerTx) PutEventPayment(ctx context.Context, p *central.EventPayment) error {
	if _, err := l.tx.ExecContext(ctx, `DELETE FROM event_payments WHERE event_id = ?`, p.Event); err != nil {
		return fmt.Errorf("event payment: %w", err)
	}
	if _, err := l.tx.ExecContext(ctx, `INSERT INTO event_payments (event_id, source, form, url, price, created)
		VALUES (?, ?, ?, ?, ?, ?)`, p.Event, p.Source, p.Form, p.URL, p.Price, formatTime(l.tx.now)); err != nil {
		return fmt.Errorf("event payment: %w", err)
	}
	p.Created = l.tx.now
	return nil
}

// DeleteEventPayment implements central.EventPaymentTx.
func (l ledgerTx) DeleteEventPayment(ctx context.Context, event int64) (bool, error) {
	res, err := l.tx.ExecContext(ctx, `DELETE FROM event_payments WHERE event_id = ?`, event)
	if err != nil {
		return false, fmt.Errorf("event payment: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
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

// EventPaymentByForm implements central.PaymentTx and
// central.EventPaymentTx.
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

// RegisterPaid implements central.PaymentTx: central.Register, paid
// (which looks for the registration held before inserting: on PostgreSQL a
// unique violation would abort the payments' transaction).
func (l ledgerTx) RegisterPaid(ctx context.Context, r *central.Registration) error {
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
