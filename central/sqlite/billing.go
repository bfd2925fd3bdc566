package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

var _ central.PaymentService = (*PaymentService)(nil)

// PaymentService implements central.PaymentService.
type PaymentService struct{ db *DB }

// NewPaymentService returns the payment service of db.
func NewPaymentService(db *DB) *PaymentService { return &PaymentService{db: db} }

const paymentColumns = `id, source, external_ref, order_ref, form, form_type, item_name, item_type, amount, date,
	payer_email, payer_name, payer_address, beneficiary_name, beneficiary_email, state, status, reason,
	COALESCE(member_id, 0), COALESCE(product_id, 0), COALESCE(sale_id, 0), new_member, created, updated`

func scanPayment(sc scanner) (*central.Payment, error) {
	var p central.Payment
	err := sc.Scan(&p.ID, &p.Source, &p.ExternalRef, &p.Order, &p.Form, &p.FormType, &p.ItemName, &p.ItemType,
		&p.Amount, timeCol{&p.Date}, &p.PayerEmail, &p.PayerName, addressCol{&p.PayerAddress}, &p.BeneficiaryName, &p.BeneficiaryEmail,
		&p.State, &p.Status, &p.Reason, &p.Member, &p.Product, &p.Sale, &p.NewMember, timeCol{&p.Created},
		timeCol{&p.Updated})
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

// RecordPaymentOrder implements central.PaymentService.
func (s *PaymentService) RecordPaymentOrder(ctx context.Context, o *central.PaymentOrder) ([]*central.Payment, error) {
	if o.Source == "" || o.ID == "" {
		return nil, central.Errorf(central.EINVALID, "Payment order without source or id.")
	}
	for _, it := range o.Items {
		if it.ID == "" || it.Amount < 0 {
			return nil, central.Errorf(central.EINVALID, "Order %s: item without id or with a negative amount.", o.ID)
		}
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	mappings, err := findPaymentMappings(ctx, tx, o.Source)
	if err != nil {
		return nil, err
	}
	var out []*central.Payment
	for _, it := range o.Items {
		p, err := recordPaymentItem(ctx, tx, o, it, mappings)
		if err != nil {
			return nil, fmt.Errorf("order %s item %s: %w", o.ID, it.ID, err)
		}
		out = append(out, p)
	}
	return out, tx.Commit()
}

// recordPaymentItem stores an order item and acts on it (central.PlanPayment).
func recordPaymentItem(ctx context.Context, tx *Tx, o *central.PaymentOrder, it central.PaymentItem,
	mappings []*central.PaymentMapping) (*central.Payment, error) {
	p, err := findPaymentByRef(ctx, tx, o.Source, it.ID)
	if err != nil {
		return nil, err
	}
	var status central.PaymentStatus
	if p == nil {
		p = &central.Payment{Source: o.Source, ExternalRef: it.ID, Created: tx.now}
	} else {
		status = p.Status
	}
	// What the provider says now; personal data only while the payment
	// may still need it (matching, assigning).
	p.Order, p.Form, p.FormType, p.Date = o.ID, o.Form, o.FormType, o.Date
	p.ItemName, p.ItemType, p.Amount, p.State = it.Name, it.Type, it.Amount, it.State
	if p.ID == 0 || p.PayerEmail != "" || p.PayerName != "" {
		p.PayerEmail, p.PayerName = o.Payer.Email, o.Payer.Name()
		p.PayerAddress = central.Payer{Company: o.Payer.Company, Address: o.Payer.Address, ZipCode: o.Payer.ZipCode,
			City: o.Payer.City, Country: o.Payer.Country}
		p.BeneficiaryName, p.BeneficiaryEmail = it.BeneficiaryName(), it.Email
	}
	step := central.PlanPayment(status, it.State)
	switch step {
	case central.StepWait:
		p.Status = central.PaymentWaiting
	case central.StepCredit:
		if err := creditPayment(ctx, tx, p, o, it, mappings); err != nil {
			return nil, err
		}
	case central.StepRefund:
		if p.Sale != 0 {
			sale, err := findSaleByID(ctx, tx, p.Sale)
			if err != nil {
				return nil, err
			}
			if !sale.IsRefunded() {
				if _, err := refundSale(ctx, tx, p.Sale); err != nil {
					return nil, err
				}
			}
		}
		p.Status, p.Reason = central.PaymentReversed, it.Reversal
	case central.StepDrop:
		p.Status, p.Reason = central.PaymentReversed, it.Reversal
	case central.StepKeep:
		if p.Status == central.PaymentReversed && it.Reversal != "" {
			p.Reason = it.Reversal // a refund under way that is done, say
		}
	}
	if err := savePayment(ctx, tx, p); err != nil {
		return nil, err
	}
	if p.Status != status && p.Status == central.PaymentUnmatched {
		// The bureau hears of it (Slack), once per payment.
		if err := tx.react(ctx, central.UnmatchedPayment{Payment: p}); err != nil {
			return nil, err
		}
	}
	if p.Status != status {
		if err := tx.audit(ctx, "payment."+string(p.Status), paymentObject(p.ID), map[string]any{
			"source": p.Source, "order": p.Order, "item": p.ExternalRef, "amount": p.Amount,
			"reason": p.Reason, "member": p.Member, "product": p.Product, "sale": p.Sale}); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// creditPayment matches a paid item to a product and a member and makes
// its sale; when it cannot, the payment is left unmatched with the reason.
// The member is looked up even without a product, as a hint for the bureau;
// she is created (when the order allows it: CreateMembers) only for a
// mapped product.
func creditPayment(ctx context.Context, tx *Tx, p *central.Payment, o *central.PaymentOrder, it central.PaymentItem,
	mappings []*central.PaymentMapping) error {
	p.Status, p.Reason, p.Member, p.Product = central.PaymentUnmatched, "", 0, 0
	product, ok := central.MatchProduct(mappings, o.Source, o.Form, it.Name)
	email, reason := it.MemberEmail(o.Payer)
	if email != "" {
		ms, _, err := findMembers(ctx, tx, central.MemberFilter{Email: &email})
		if err != nil {
			return err
		}
		if len(ms) > 0 {
			p.Member = ms[0].ID
		}
	}
	switch {
	case !ok:
		p.Reason = central.ReasonNoProduct
		return nil
	case email == "":
		p.Reason = reason
		return nil
	}
	prod, err := findProductByID(ctx, tx, product)
	if central.ErrorCode(err) == central.ENOTFOUND || (err == nil && !prod.Active) {
		p.Reason = central.ReasonInactive
		return nil
	} else if err != nil {
		return err
	}
	p.Product = prod.ID
	if p.Member == 0 {
		if !o.CreateMembers || o.Source != central.SourceHelloAsso {
			p.Reason = central.ReasonNoMember
			return nil
		}
		name := it.MemberName(o.Payer)
		if name == "" {
			name, _, _ = strings.Cut(email, "@")
		}
		m := &central.Member{Name: name, Email: email, Status: access.MemberSuspended}
		if err := createMember(ctx, tx, m); central.ErrorCode(err) == central.EINVALID || central.ErrorCode(err) == central.ECONFLICT {
			p.Reason = central.ReasonNoMember
			return nil
		} else if err != nil {
			return err
		}
		p.Member, p.NewMember = m.ID, true
	}
	return makePaymentSale(ctx, tx, p)
}

// makePaymentSale makes the sale of a payment matched to p.Member and
// p.Product, or links the sale already made for it.
func makePaymentSale(ctx context.Context, tx *Tx, p *central.Payment) error {
	amount := p.Amount
	sale, err := createSale(ctx, tx, central.NewSale{Member: p.Member, Product: p.Product, Amount: &amount,
		Source: p.Source, ExternalRef: p.ExternalRef})
	if central.ErrorCode(err) == central.ECONFLICT {
		ss, _, ferr := findSales(ctx, tx, central.SaleFilter{Source: &p.Source, ExternalRef: &p.ExternalRef})
		if ferr != nil || len(ss) == 0 {
			return errors.Join(err, ferr)
		}
		sale, err = ss[0], nil
	}
	if err != nil {
		return err
	}
	p.Sale, p.Status, p.Reason = sale.ID, central.PaymentCredited, ""
	return nil
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
		nullID(p.Member), nullID(p.Product), nullID(p.Sale), boolInt(p.NewMember), formatTime(p.Updated)}
	if p.ID == 0 {
		err := tx.QueryRowContext(ctx, `INSERT INTO payments (order_ref, form, form_type, item_name, item_type, amount,
			date, payer_email, payer_name, payer_address, beneficiary_name, beneficiary_email, state, status, reason,
			member_id, product_id, sale_id, new_member, updated, source, external_ref, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			append(args, p.Source, p.ExternalRef, formatTime(p.Created))...).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("insert payment: %w", err)
		}
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE payments SET order_ref = ?, form = ?, form_type = ?, item_name = ?,
		item_type = ?, amount = ?, date = ?, payer_email = ?, payer_name = ?, payer_address = ?, beneficiary_name = ?,
		beneficiary_email = ?, state = ?, status = ?, reason = ?, member_id = ?, product_id = ?, sale_id = ?,
		new_member = ?, updated = ? WHERE id = ?`, append(args, p.ID)...)
	if err != nil {
		return fmt.Errorf("update payment: %w", err)
	}
	return nil
}

// AssignPayment implements central.PaymentService.
func (s *PaymentService) AssignPayment(ctx context.Context, id, member, product int64) (*central.Payment, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := findPaymentByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if p.Status != central.PaymentUnmatched {
		return nil, central.Errorf(central.ECONFLICT, "Payment %d is %s, not unmatched.", id, p.Status)
	}
	if ok, err := memberExists(ctx, tx, member); err != nil {
		return nil, err
	} else if !ok {
		return nil, central.Errorf(central.ENOTFOUND, "Member %d not found.", member)
	}
	p.Member, p.Product = member, product
	if err := makePaymentSale(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := savePayment(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, "payment.assign", paymentObject(p.ID), map[string]any{
		"member": member, "product": product, "sale": p.Sale, "amount": p.Amount}); err != nil {
		return nil, err
	}
	return p, tx.Commit()
}

// IgnorePayment implements central.PaymentService.
func (s *PaymentService) IgnorePayment(ctx context.Context, id int64) (*central.Payment, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p, err := findPaymentByID(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	switch p.Status {
	case central.PaymentIgnored:
		return p, nil
	case central.PaymentUnmatched, central.PaymentWaiting:
	default:
		return nil, central.Errorf(central.ECONFLICT, "Payment %d is %s: it cannot be set aside.", id, p.Status)
	}
	p.Status = central.PaymentIgnored
	if err := savePayment(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, "payment.ignore", paymentObject(p.ID), map[string]any{"amount": p.Amount}); err != nil {
		return nil, err
	}
	return p, tx.Commit()
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
		WHERE ?1 = '' OR source = ?1 ORDER BY source, form, item`, source)
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
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, form, item) DO UPDATE SET product_id = excluded.product_id
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

func paymentObject(id int64) string { return fmt.Sprintf("payment:%d", id) }
