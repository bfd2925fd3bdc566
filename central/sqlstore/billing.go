package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.PaymentService = (*PaymentService)(nil)

// PaymentService implements central.PaymentService.
type PaymentService struct{ db *DB }

// NewPaymentService returns the payment service of db.
func NewPaymentService(db *DB) *PaymentService { return &PaymentService{db: db} }

const paymentColumns = `id, source, external_ref, order_ref, form, form_type, item_name, item_type, amount, date,
	payer_email, payer_name, payer_address, beneficiary_name, beneficiary_email, state, status, reason,
	COALESCE(member_id, 0), COALESCE(product_id, 0), COALESCE(sale_id, 0), new_member, created, updated,
	COALESCE(registration_id, 0), gift, space_id`

func scanPayment(sc scanner) (*central.Payment, error) {
	var p central.Payment
	err := sc.Scan(&p.ID, &p.Source, &p.ExternalRef, &p.Order, &p.Form, &p.FormType, &p.ItemName, &p.ItemType,
		&p.Amount, timeCol{&p.Date}, &p.PayerEmail, &p.PayerName, addressCol{&p.PayerAddress}, &p.BeneficiaryName, &p.BeneficiaryEmail,
		&p.State, &p.Status, &p.Reason, &p.Member, &p.Product, &p.Sale, &p.NewMember, timeCol{&p.Created},
		timeCol{&p.Updated}, &p.Registration, &p.Gift, &p.Space)
	if err != nil {
		return nil, fmt.Errorf("scan payment: %w", err)
	}
	return &p, nil
}

// FindPaymentByID implements central.PaymentService.
func (s *PaymentService) FindPaymentByID(ctx context.Context, id int64) (*central.Payment, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findPaymentByID(ctx, tx, id)
}

func findPaymentByID(ctx context.Context, tx *Tx, id int64) (*central.Payment, error) {
	ps, _, err := findPayments(ctx, tx, central.PaymentFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(ps) == 0 {
		return nil, central.Errorf(central.ENOTFOUND, "Payment %d not found.", id)
	}
	return ps[0], nil
}

// FindPayments implements central.PaymentService.
func (s *PaymentService) FindPayments(ctx context.Context, filter central.PaymentFilter) ([]*central.Payment, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	return findPayments(ctx, tx, filter)
}

func findPayments(ctx context.Context, tx *Tx, f central.PaymentFilter) ([]*central.Payment, int, error) {
	var w conds
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Source != nil {
		w.add("source = ?", *f.Source)
	}
	if f.ExternalRef != nil {
		w.add("external_ref = ?", *f.ExternalRef)
	}
	if f.Order != nil {
		w.add("order_ref = ?", *f.Order)
	}
	if f.Status != nil {
		w.add("status = ?", string(*f.Status))
	}
	return find(ctx, tx, listQuery{what: "payments", columns: paymentColumns, table: "payments",
		where: w, order: "id DESC", offset: f.Offset, limit: f.Limit}, scanPayment)
}

// RecordPaymentOrder implements central.PaymentService
// (central.RecordPaymentOrder in one transaction).
func (s *PaymentService) RecordPaymentOrder(ctx context.Context, o *central.PaymentOrder) ([]*central.Payment, error) {
	return inPaymentTx(ctx, s.db, func(tx central.PaymentTx) ([]*central.Payment, error) {
		return central.RecordPaymentOrder(ctx, tx, o)
	})
}

// AssignPayment implements central.PaymentService (central.AssignPayment).
func (s *PaymentService) AssignPayment(ctx context.Context, id, member, product int64) (*central.Payment, error) {
	return inPaymentTx(ctx, s.db, func(tx central.PaymentTx) (*central.Payment, error) {
		return central.AssignPayment(ctx, tx, id, member, product)
	})
}

// AssignPaymentToEvent implements central.PaymentService
// (central.AssignPaymentToEvent).
func (s *PaymentService) AssignPaymentToEvent(ctx context.Context, id, member int64) (*central.Payment, error) {
	return inPaymentTx(ctx, s.db, func(tx central.PaymentTx) (*central.Payment, error) {
		return central.AssignPaymentToEvent(ctx, tx, id, member)
	})
}

// IgnorePayment implements central.PaymentService (central.IgnorePayment).
func (s *PaymentService) IgnorePayment(ctx context.Context, id int64) (*central.Payment, error) {
	return inPaymentTx(ctx, s.db, func(tx central.PaymentTx) (*central.Payment, error) {
		return central.IgnorePayment(ctx, tx, id)
	})
}

// inPaymentTx runs a payments' use case in one write transaction,
// committed when it succeeds.
func inPaymentTx[T any](ctx context.Context, db *DB, fn func(central.PaymentTx) (T, error)) (T, error) {
	var zero T
	tx, err := db.begin(ctx)
	if err != nil {
		return zero, err
	}
	defer tx.Rollback()
	out, err := fn(ledgerTx{tx})
	if err != nil {
		return zero, err
	}
	return out, tx.Commit()
}

// PaymentByRef implements central.PaymentTx.
func (l ledgerTx) PaymentByRef(ctx context.Context, source, ref string) (*central.Payment, error) {
	return findPaymentByRef(ctx, l.tx, source, ref)
}

// FindPayment implements central.PaymentTx.
func (l ledgerTx) FindPayment(ctx context.Context, id int64) (*central.Payment, error) {
	return findPaymentByID(ctx, l.tx, id)
}

// SavePayment implements central.PaymentTx.
func (l ledgerTx) SavePayment(ctx context.Context, p *central.Payment) error {
	if p.ID == 0 {
		p.Created = l.tx.now
	}
	return savePayment(ctx, l.tx, p)
}

// PaymentMappings implements central.PaymentTx.
func (l ledgerTx) PaymentMappings(ctx context.Context, source string) ([]*central.PaymentMapping, error) {
	return findPaymentMappings(ctx, l.tx, source)
}

// MemberByEmail implements central.PaymentTx.
func (l ledgerTx) MemberByEmail(ctx context.Context, email string) (int64, error) {
	ms, _, err := findMembers(ctx, l.tx, central.MemberFilter{Email: &email})
	if err != nil || len(ms) > 0 {
		if err != nil {
			return 0, err
		}
		return ms[0].ID, nil
	}
	// An address a member claimed for her payments (AddPayerEmail).
	var id int64
	err = l.tx.QueryRowContext(ctx, `SELECT member_id FROM member_emails WHERE `+l.tx.db.dialect.EqualFold("email"), email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("member e-mails: %w", err)
	}
	return id, nil
}

// AddMemberEmail implements central.PaymentTx.
func (l ledgerTx) AddMemberEmail(ctx context.Context, member int64, email string) error {
	if _, err := l.tx.ExecContext(ctx, `INSERT INTO member_emails (email, member_id, created) VALUES (?, ?, ?)
		ON CONFLICT (`+l.tx.db.dialect.FoldKey("email")+`) DO NOTHING`, email, member, formatTime(l.tx.now)); err != nil {
		return fmt.Errorf("insert member e-mail: %w", err)
	}
	return nil
}

// UnmatchedPayments implements central.PaymentTx.
func (l ledgerTx) UnmatchedPayments(ctx context.Context) ([]*central.Payment, error) {
	status := central.PaymentUnmatched
	ps, _, err := findPayments(ctx, l.tx, central.PaymentFilter{Status: &status})
	return ps, err
}

// AddPayerEmail implements central.PaymentService (central.AddPayerEmail).
func (s *PaymentService) AddPayerEmail(ctx context.Context, member int64, email string) ([]*central.Payment, error) {
	return inPaymentTx(ctx, s.db, func(tx central.PaymentTx) ([]*central.Payment, error) {
		return central.AddPayerEmail(ctx, tx, member, email)
	})
}

// CreateMember implements central.PaymentTx.
func (l ledgerTx) CreateMember(ctx context.Context, m *central.Member) error {
	return createMember(ctx, l.tx, m)
}

// PaymentUnmatched implements central.PaymentTx.
func (l ledgerTx) PaymentUnmatched(ctx context.Context, p *central.Payment) error {
	return l.tx.react(ctx, central.UnmatchedPayment{Payment: p})
}

func findPaymentByRef(ctx context.Context, tx *Tx, source, ref string) (*central.Payment, error) {
	p, err := scanPayment(tx.QueryRowContext(ctx, `SELECT `+paymentColumns+` FROM payments
		WHERE source = ? AND external_ref = ?`, source, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return p, err
}

// savePayment inserts or updates a payment.
func savePayment(ctx context.Context, tx *Tx, p *central.Payment) error {
	p.Updated = tx.now
	nullID := func(id int64) any {
		if id == 0 {
			return nil
		}
		return id
	}
	args := []any{p.Order, p.Form, p.FormType, p.ItemName, p.ItemType, p.Amount, formatTime(p.Date),
		p.PayerEmail, p.PayerName, formatAddress(p.PayerAddress), p.BeneficiaryName, p.BeneficiaryEmail, string(p.State), string(p.Status), p.Reason,
		nullID(p.Member), nullID(p.Product), nullID(p.Sale), boolInt(p.NewMember), formatTime(p.Updated),
		nullID(p.Registration), boolInt(p.Gift), p.Space}
	if p.ID == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO payments (order_ref, form, form_type, item_name, item_type, amount,
			date, payer_email, payer_name, payer_address, beneficiary_name, beneficiary_email, state, status, reason,
			member_id, product_id, sale_id, new_member, updated, registration_id, gift, space_id, source, external_ref, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			append(args, p.Source, p.ExternalRef, formatTime(p.Created))...).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("insert payment: %w", err)
		}
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE payments SET order_ref = ?, form = ?, form_type = ?, item_name = ?,
		item_type = ?, amount = ?, date = ?, payer_email = ?, payer_name = ?, payer_address = ?, beneficiary_name = ?,
		beneficiary_email = ?, state = ?, status = ?, reason = ?, member_id = ?, product_id = ?, sale_id = ?,
		new_member = ?, updated = ?, registration_id = ?, gift = ?, space_id = ? WHERE id = ?`, append(args, p.ID)...)
	if err != nil {
		return fmt.Errorf("update payment: %w", err)
	}
	return nil
}

// FindPaymentMappings implements central.PaymentService.
func (s *PaymentService) FindPaymentMappings(ctx context.Context, source string) ([]*central.PaymentMapping, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return findPaymentMappings(ctx, tx, source)
}

func findPaymentMappings(ctx context.Context, tx *Tx, source string) ([]*central.PaymentMapping, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, source, form, item, product_id, created FROM payment_mappings
		WHERE ?1 = '' OR source = ?1 ORDER BY source, `+tx.db.dialect.Fold("form")+`, `+tx.db.dialect.Fold("item"), source)
	if err != nil {
		return nil, fmt.Errorf("find mappings: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.PaymentMapping, error) {
		var m central.PaymentMapping
		if err := sc.Scan(&m.ID, &m.Source, &m.Form, &m.Item, &m.Product, timeCol{&m.Created}); err != nil {
			return nil, fmt.Errorf("scan mapping: %w", err)
		}
		return &m, nil
	})
}

// SetPaymentMapping implements central.PaymentService.
func (s *PaymentService) SetPaymentMapping(ctx context.Context, m *central.PaymentMapping) error {
	if err := m.Validate(); err != nil {
		return err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := findProductByID(ctx, tx, m.Product); err != nil {
		return err
	}
	m.Created = tx.now
	err = tx.QueryRowContext(ctx, `INSERT INTO payment_mappings (source, form, item, product_id, created)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, `+tx.db.dialect.FoldKey("form")+`, `+tx.db.dialect.FoldKey("item")+`) DO UPDATE SET product_id = excluded.product_id
		RETURNING id, created`, m.Source, m.Form, m.Item, m.Product, formatTime(m.Created)).Scan(&m.ID, timeCol{&m.Created})
	if err != nil {
		return fmt.Errorf("set mapping: %w", err)
	}
	if err := tx.audit(ctx, "payment.map", fmt.Sprintf("mapping:%d", m.ID), map[string]any{
		"source": m.Source, "form": m.Form, "item": m.Item, "product": m.Product}); err != nil {
		return err
	}
	return tx.Commit()
}

// DeletePaymentMapping implements central.PaymentService.
func (s *PaymentService) DeletePaymentMapping(ctx context.Context, id int64) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `DELETE FROM payment_mappings WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete mapping: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return central.Errorf(central.ENOTFOUND, "Mapping %d not found.", id)
	}
	if err := tx.audit(ctx, "payment.unmap", fmt.Sprintf("mapping:%d", id), nil); err != nil {
		return err
	}
	return tx.Commit()
}

// formatAddress stores a payer's address as JSON ("" when empty).
func formatAddress(a central.Payer) string {
	if a == (central.Payer{}) {
		return ""
	}
	b, _ := json.Marshal(map[string]string{"company": a.Company, "address": a.Address, "zip": a.ZipCode,
		"city": a.City, "country": a.Country})
	return string(b)
}

// addressCol scans an address stored by formatAddress.
type addressCol struct{ a *central.Payer }

func (c addressCol) Scan(src any) error {
	*c.a = central.Payer{}
	s, err := columnText(src, "address")
	if err != nil || s == "" {
		return err
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return fmt.Errorf("address column: %w", err)
	}
	*c.a = central.Payer{Company: m["company"], Address: m["address"], ZipCode: m["zip"], City: m["city"], Country: m["country"]}
	return nil
}
