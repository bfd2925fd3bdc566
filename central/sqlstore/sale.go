package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

var _ central.LedgerService = (*LedgerService)(nil)

// LedgerService implements central.LedgerService.
type LedgerService struct{ db *DB }

// NewLedgerService returns the ledger service of db.
func NewLedgerService(db *DB) *LedgerService { return &LedgerService{db: db} }

const saleColumns = `id, COALESCE(member_id, 0), product_id, kind, entries, amount, source, external_ref, created,
	start_day, end_day, refunded, invoice_id, entries_left, paid_method, paid_day, cheque_bank, cheque_number, payer`

func scanSale(sc scanner) (*central.Sale, error) {
	var s central.Sale
	err := sc.Scan(&s.ID, &s.Member, &s.Product, &s.Kind, &s.Entries, &s.Amount, &s.Source, &s.ExternalRef,
		timeCol{&s.Created}, dayCol{&s.Start}, dayCol{&s.End}, timeCol{&s.Refunded}, &s.InvoiceID, &s.Left,
		&s.PaidBy.Method, dayCol{&s.PaidBy.Day}, &s.PaidBy.Bank, &s.PaidBy.Number, &s.PaidBy.Payer)
	if err != nil {
		return nil, fmt.Errorf("scan sale: %w", err)
	}
	return &s, nil
}

// FindSaleByID implements central.LedgerService.
func (s *LedgerService) FindSaleByID(ctx context.Context, id int64) (*central.Sale, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.Sale, error) { return findSaleByID(ctx, tx, id) })
}

func findSaleByID(ctx context.Context, tx *Tx, id int64) (*central.Sale, error) {
	ss, _, err := findSales(ctx, tx, central.SaleFilter{ID: &id})
	if err != nil {
		return nil, err
	} else if len(ss) == 0 {
		return nil, central.Errorf(central.ENOTFOUND, "Sale %d not found.", id)
	}
	return ss[0], nil
}

// FindSales implements central.LedgerService.
func (s *LedgerService) FindSales(ctx context.Context, filter central.SaleFilter) ([]*central.Sale, int, error) {
	return viewPage(ctx, s.db, func(tx *Tx) ([]*central.Sale, int, error) { return findSales(ctx, tx, filter) })
}

func findSales(ctx context.Context, tx *Tx, f central.SaleFilter) ([]*central.Sale, int, error) {
	var w conds
	if f.ID != nil {
		w.add("id = ?", *f.ID)
	}
	if f.Member != nil {
		w.add("member_id = ?", *f.Member)
	}
	if f.Source != nil {
		w.add("source = ?", *f.Source)
	}
	if f.ExternalRef != nil {
		w.add("external_ref = ?", *f.ExternalRef)
	}
	if f.NoInvoice {
		w.add("invoice_id = ''")
	}
	if f.Unpaid {
		w.add("paid_method = 'unpaid' AND refunded = ''")
	}
	if f.PaidOn != nil {
		w.add("paid_day = ?", f.PaidOn.String())
	}
	if f.Deposited {
		w.add("paid_method IN ('cash', 'cheque')")
	}
	return find(ctx, tx, listQuery{what: "sales", columns: saleColumns, table: "sales",
		where: w, order: "id", offset: f.Offset, limit: f.Limit}, scanSale)
}

// CreateSale implements central.LedgerService.
func (s *LedgerService) CreateSale(ctx context.Context, n central.NewSale) (*central.Sale, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	return updated(ctx, s.db, func(tx *Tx) (*central.Sale, error) {
		sale, err := createSale(ctx, tx, n)
		if err != nil {
			return nil, err
		}
		return sale, nil
	})
}

// createSale records a sale in tx (central.RecordSale), with the outbox
// messages it causes.
func createSale(ctx context.Context, tx *Tx, n central.NewSale) (*central.Sale, error) {
	return central.RecordSale(ctx, ledgerTx{tx}, n)
}

// RefundSale implements central.LedgerService.
func (s *LedgerService) RefundSale(ctx context.Context, id int64) (*central.Sale, error) {
	return updated(ctx, s.db, func(tx *Tx) (*central.Sale, error) { return refundSale(ctx, tx, id) })
}

// refundSale refunds a sale in tx (central.RefundSale).
func refundSale(ctx context.Context, tx *Tx, id int64) (*central.Sale, error) {
	return central.RefundSale(ctx, ledgerTx{tx}, id)
}

// Today implements central.SaleTx.
func (l ledgerTx) Today(ctx context.Context) (access.Day, error) {
	day, _, err := l.tx.today(ctx)
	return day, err
}

// MemberExists implements central.SaleTx.
func (l ledgerTx) MemberExists(ctx context.Context, member int64) (bool, error) {
	return memberExists(ctx, l.tx, member)
}

// FindProduct implements central.SaleTx.
func (l ledgerTx) FindProduct(ctx context.Context, id int64) (*central.Product, error) {
	return findProductByID(ctx, l.tx, id)
}

// SaleOfPayment implements central.SaleTx.
func (l ledgerTx) SaleOfPayment(ctx context.Context, source, externalRef string) (int64, bool, error) {
	var id int64
	err := l.tx.QueryRowContext(ctx, `SELECT id FROM sales WHERE source = ? AND external_ref = ?`, source, externalRef).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("sale of payment %s: %w", externalRef, err)
	}
	return id, true, nil
}

// SubscriptionEnd implements central.SaleTx.
func (l ledgerTx) SubscriptionEnd(ctx context.Context, member int64) (access.Day, error) {
	var end access.Day
	if err := l.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(end_day), '') FROM sales
		WHERE member_id = ? AND kind = 'subscription' AND refunded = ''`, member).Scan(dayCol{&end}); err != nil {
		return end, fmt.Errorf("current subscription: %w", err)
	}
	return end, nil
}

// MembershipEnd implements central.SaleTx.
func (l ledgerTx) MembershipEnd(ctx context.Context, member int64) (access.Day, error) {
	var end access.Day
	if err := l.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(end_day), '') FROM sales
		WHERE member_id = ? AND kind = 'membership' AND refunded = ''`, member).Scan(dayCol{&end}); err != nil {
		return end, fmt.Errorf("current membership: %w", err)
	}
	return end, nil
}

// InsertSale implements central.SaleTx.
func (l ledgerTx) InsertSale(ctx context.Context, s *central.Sale) error {
	s.Created = l.tx.now
	p := s.PaidBy
	err := l.tx.QueryRowContext(ctx, `INSERT INTO sales (member_id, product_id, kind, entries, amount, source, external_ref,
		created, start_day, end_day, paid_method, paid_day, cheque_bank, cheque_number, payer)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		s.Member, s.Product, string(s.Kind), s.Entries, s.Amount, s.Source, s.ExternalRef,
		formatTime(s.Created), s.Start.String(), s.End.String(),
		string(p.Method), p.Day.String(), p.Bank, p.Number, p.Payer).Scan(&s.ID)
	if l.tx.isUniqueViolation(err) {
		return central.Errorf(central.ECONFLICT, "Payment %s from %s is already recorded.", s.ExternalRef, s.Source)
	} else if err != nil {
		return fmt.Errorf("insert sale: %w", err)
	}
	return nil
}

// FindSale implements central.SaleTx.
func (l ledgerTx) FindSale(ctx context.Context, id int64) (*central.Sale, error) {
	return findSaleByID(ctx, l.tx, id)
}

// SetSaleRefunded implements central.SaleTx.
func (l ledgerTx) SetSaleRefunded(ctx context.Context, id int64) error {
	if _, err := l.tx.ExecContext(ctx, `UPDATE sales SET refunded = ?, entries_left = 0 WHERE id = ?`, formatTime(l.tx.now), id); err != nil {
		return fmt.Errorf("refund sale: %w", err)
	}
	return nil
}

// BumpMember implements central.SaleTx.
func (l ledgerTx) BumpMember(ctx context.Context, member int64) error { return l.tx.bump(ctx, member) }

// Audit implements central.SaleTx.
func (l ledgerTx) Audit(ctx context.Context, action, object string, details any) error {
	return l.tx.audit(ctx, action, object, details)
}

// SaleRecorded implements central.SaleTx: the messages a new sale causes
// (the reactions to central.SaleMade: its invoice) are inserted in its
// transaction, so the invoice request exists if and only if the sale does.
// They see the settings of the space that sold it (its own books).
func (l ledgerTx) SaleRecorded(ctx context.Context, s *central.Sale) error {
	return l.reactToSale(ctx, s, central.SaleMade{Sale: s})
}

// PaymentRecorded implements central.SalePaymentTx: the reactions to
// central.SalePaid (its receipt's mail), in the payment's transaction.
func (l ledgerTx) PaymentRecorded(ctx context.Context, s *central.Sale) error {
	return l.reactToSale(ctx, s, central.SalePaid{Sale: s})
}

// reactToSale inserts the reactions to ev, an event of sale s, seeing the
// settings of the space that sold it.
func (l ledgerTx) reactToSale(ctx context.Context, s *central.Sale, ev central.Event) error {
	if len(l.tx.db.Reactions) == 0 {
		return nil
	}
	var space int64
	if err := l.tx.QueryRowContext(ctx, `SELECT space_id FROM products WHERE id = ?`, s.Product).Scan(&space); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("sale's space: %w", err)
	}
	return l.tx.reactAt(ctx, space, ev)
}

// SetSaleInvoice implements central.LedgerService (central.SetInvoice in
// one transaction).
func (s *LedgerService) SetSaleInvoice(ctx context.Context, id int64, invoiceID string) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.SetInvoice(ctx, ledgerTx{tx}, id, invoiceID) })
}

// SetSaleInvoice implements central.SaleTx.
func (l ledgerTx) SetSaleInvoice(ctx context.Context, id int64, invoiceID string) error {
	if _, err := l.tx.ExecContext(ctx, `UPDATE sales SET invoice_id = ? WHERE id = ?`, invoiceID, id); err != nil {
		return fmt.Errorf("set invoice: %w", err)
	}
	return nil
}

// PaySale implements central.LedgerService (central.PaySale in one
// transaction).
func (s *LedgerService) PaySale(ctx context.Context, id int64, p central.PaidBy) (*central.Sale, error) {
	return updated(ctx, s.db, func(tx *Tx) (*central.Sale, error) { return central.PaySale(ctx, ledgerTx{tx}, id, p) })
}

// CompleteCheque implements central.LedgerService.
func (s *LedgerService) CompleteCheque(ctx context.Context, id int64, bank, number string) (*central.Sale, error) {
	return updated(ctx, s.db, func(tx *Tx) (*central.Sale, error) {
		return central.CompleteCheque(ctx, ledgerTx{tx}, id, bank, number)
	})
}

// SetSalePayment implements central.SalePaymentTx.
func (l ledgerTx) SetSalePayment(ctx context.Context, id int64, p central.PaidBy) error {
	if _, err := l.tx.ExecContext(ctx, `UPDATE sales SET paid_method = ?, paid_day = ?, cheque_bank = ?,
		cheque_number = ?, payer = ? WHERE id = ?`, string(p.Method), p.Day.String(), p.Bank, p.Number, p.Payer, id); err != nil {
		return fmt.Errorf("sale payment: %w", err)
	}
	return nil
}

// MemberBalance implements central.LedgerService (central.MemberBalance in
// one read transaction).
func (s *LedgerService) MemberBalance(ctx context.Context, member int64, day access.Day) (*central.Balance, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.Balance, error) {
		return central.MemberBalance(ctx, ledgerTx{tx}, member, day)
	})
}

// MemberOverdraft implements central.BalanceView.
func (l ledgerTx) MemberOverdraft(ctx context.Context, member int64) (int, error) {
	var overdraft int
	err := l.tx.QueryRowContext(ctx, `SELECT overdraft FROM members WHERE id = ?`, member).Scan(&overdraft)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, central.Errorf(central.ENOTFOUND, "Member %d not found.", member)
	} else if err != nil {
		return 0, fmt.Errorf("balance: %w", err)
	}
	return overdraft, nil
}

// MemberSales implements central.SettleTx.
func (l ledgerTx) MemberSales(ctx context.Context, member int64) ([]*central.Sale, error) {
	sales, _, err := findSales(ctx, l.tx, central.SaleFilter{Member: &member})
	return sales, err
}

// MemberVisits implements central.SettleTx.
func (l ledgerTx) MemberVisits(ctx context.Context, member int64) ([]*central.Visit, error) {
	rows, err := l.tx.QueryContext(ctx, `SELECT id, space, day, charge, COALESCE(sale_id, 0) FROM visits WHERE member_id = ?`, member)
	if err != nil {
		return nil, fmt.Errorf("settle: visits: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.Visit, error) {
		v := &central.Visit{Member: member}
		if err := sc.Scan(&v.ID, &v.Space, dayCol{&v.Day}, &v.Charge, &v.Sale); err != nil {
			return nil, fmt.Errorf("settle: scan visit: %w", err)
		}
		return v, nil
	})
}

// SetSaleLeft implements central.SettleTx.
func (l ledgerTx) SetSaleLeft(ctx context.Context, sale int64, left int) error {
	if _, err := l.tx.ExecContext(ctx, `UPDATE sales SET entries_left = ? WHERE id = ?`, left, sale); err != nil {
		return fmt.Errorf("settle: sale: %w", err)
	}
	return nil
}

// SetVisitCharge implements central.SettleTx.
func (l ledgerTx) SetVisitCharge(ctx context.Context, visit int64, charge string, sale int64) error {
	var saleID any
	if sale != 0 {
		saleID = sale
	}
	if _, err := l.tx.ExecContext(ctx, `UPDATE visits SET charge = ?, sale_id = ? WHERE id = ?`, charge, saleID, visit); err != nil {
		return fmt.Errorf("settle: visit: %w", err)
	}
	return nil
}

// SetOverdraft implements central.SettleTx.
func (l ledgerTx) SetOverdraft(ctx context.Context, member int64, overdraft int, version int64) error {
	var err error
	if version != 0 {
		_, err = l.tx.ExecContext(ctx, `UPDATE members SET overdraft = ?, version = ?, updated = ? WHERE id = ?`,
			overdraft, version, formatTime(l.tx.now), member)
	} else {
		_, err = l.tx.ExecContext(ctx, `UPDATE members SET overdraft = ? WHERE id = ?`, overdraft, member)
	}
	if err != nil {
		return fmt.Errorf("settle: member: %w", err)
	}
	return nil
}
