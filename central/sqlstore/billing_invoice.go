package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.InvoiceService = (*InvoiceService)(nil)

// InvoiceService implements central.InvoiceService.
type InvoiceService struct{ db *DB }

// NewInvoiceService returns the invoice service of db.
func NewInvoiceService(db *DB) *InvoiceService { return &InvoiceService{db: db} }

// RecordInvoice implements central.InvoiceService (central.RecordInvoice
// in one transaction).
func (s *InvoiceService) RecordInvoice(ctx context.Context, inv *central.Invoice) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.RecordInvoice(ctx, ledgerTx{tx}, inv) })
}

// FindInvoice implements central.InvoiceService.
func (s *InvoiceService) FindInvoice(ctx context.Context, sale int64) (*central.Invoice, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	inv, err := ledgerTx{tx}.SaleInvoice(ctx, sale)
	if err != nil {
		return nil, err
	} else if inv == nil {
		return nil, central.Errorf(central.ENOTFOUND, "Sale %d has no invoice.", sale)
	}
	return inv, nil
}

// SaleInvoice implements central.InvoiceTx.
func (l ledgerTx) SaleInvoice(ctx context.Context, sale int64) (*central.Invoice, error) {
	var inv central.Invoice
	err := l.tx.QueryRowContext(ctx, `SELECT sale_id, provider, invoice_id, number, url, status, created, updated
		FROM invoices WHERE sale_id = ?`, sale).Scan(&inv.Sale, &inv.Provider, &inv.ID, &inv.Number, &inv.URL,
		&inv.Status, timeCol{&inv.Created}, timeCol{&inv.Updated})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("find invoice: %w", err)
	}
	return &inv, nil
}

// InvoiceHeld implements central.InvoiceTx.
func (l ledgerTx) InvoiceHeld(ctx context.Context, provider, id string) (bool, error) {
	var held bool
	err := l.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM invoices WHERE provider = ? AND invoice_id = ?)`,
		provider, id).Scan(&held)
	if err != nil {
		return false, fmt.Errorf("invoice held: %w", err)
	}
	return held, nil
}

// SaveInvoice implements central.InvoiceTx: an upsert by sale.
func (l ledgerTx) SaveInvoice(ctx context.Context, inv *central.Invoice) error {
	if _, err := l.tx.ExecContext(ctx, `INSERT INTO invoices (sale_id, provider, invoice_id, number, url, status, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sale_id) DO UPDATE SET provider = excluded.provider, invoice_id = excluded.invoice_id,
			number = excluded.number, url = excluded.url, status = excluded.status, created = excluded.created,
			updated = excluded.updated`, inv.Sale, inv.Provider, inv.ID, inv.Number, inv.URL, inv.Status,
		formatTime(inv.Created), formatTime(inv.Updated)); err != nil {
		return fmt.Errorf("save invoice: %w", err)
	}
	return nil
}

// BillingCustomer implements central.InvoiceService.
func (s *InvoiceService) BillingCustomer(ctx context.Context, provider, key string) (string, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var id string
	err = tx.QueryRowContext(ctx, `SELECT customer_id FROM billing_customers WHERE provider = ? AND key = ?`,
		provider, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("billing customer: %w", err)
	}
	return id, nil
}

// SetBillingCustomer implements central.InvoiceService.
func (s *InvoiceService) SetBillingCustomer(ctx context.Context, provider, key, id string) error {
	if provider == "" || key == "" || id == "" {
		return central.Errorf(central.EINVALID, "Billing customer provider, key and id required.")
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO billing_customers (provider, key, customer_id, created)
		VALUES (?, ?, ?, ?) ON CONFLICT (provider, key) DO UPDATE SET customer_id = excluded.customer_id`,
		provider, key, id, formatTime(tx.now)); err != nil {
		return fmt.Errorf("set billing customer: %w", err)
	}
	return tx.Commit()
}
