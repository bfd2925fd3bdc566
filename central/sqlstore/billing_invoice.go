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

// RecordInvoice implements central.InvoiceService.
func (s *InvoiceService) RecordInvoice(ctx context.Context, inv *central.Invoice) error {
	if inv.Provider == "" || inv.ID == "" || len(inv.ID) > 200 {
		return central.Errorf(central.EINVALID, "Invoice provider and id required.")
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	sale, err := findSaleByID(ctx, tx, inv.Sale)
	if err != nil {
		return err
	}
	if sale.InvoiceID != "" && sale.InvoiceID != inv.ID {
		return central.Errorf(central.ECONFLICT, "Sale %d already has invoice %s.", inv.Sale, sale.InvoiceID)
	}
	inv.Created, inv.Updated = tx.now, tx.now
	err = tx.QueryRowContext(ctx, `INSERT INTO invoices (sale_id, provider, invoice_id, number, url, status, created, updated)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (sale_id) DO UPDATE SET number = excluded.number, url = excluded.url, status = excluded.status,
			updated = excluded.updated
		WHERE invoices.invoice_id = excluded.invoice_id AND invoices.provider = excluded.provider
		RETURNING created`, inv.Sale, inv.Provider, inv.ID, inv.Number, inv.URL, inv.Status,
		formatTime(tx.now), formatTime(tx.now)).Scan(timeCol{&inv.Created})
	if errors.Is(err, sql.ErrNoRows) {
		return central.Errorf(central.ECONFLICT, "Sale %d already has another invoice.", inv.Sale)
	} else if tx.isUniqueViolation(err) {
		return central.Errorf(central.ECONFLICT, "Invoice %s is already recorded for another sale.", inv.ID)
	} else if err != nil {
		return fmt.Errorf("record invoice: %w", err)
	}
	if sale.InvoiceID == "" {
		if _, err := tx.ExecContext(ctx, `UPDATE sales SET invoice_id = ? WHERE id = ?`, inv.ID, inv.Sale); err != nil {
			return fmt.Errorf("set invoice: %w", err)
		}
		if err := tx.audit(ctx, "sale.invoice", saleObject(inv.Sale), map[string]any{
			"provider": inv.Provider, "invoice_id": inv.ID, "number": inv.Number}); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// FindInvoice implements central.InvoiceService.
func (s *InvoiceService) FindInvoice(ctx context.Context, sale int64) (*central.Invoice, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var inv central.Invoice
	err = tx.QueryRowContext(ctx, `SELECT sale_id, provider, invoice_id, number, url, status, created, updated
		FROM invoices WHERE sale_id = ?`, sale).Scan(&inv.Sale, &inv.Provider, &inv.ID, &inv.Number, &inv.URL,
		&inv.Status, timeCol{&inv.Created}, timeCol{&inv.Updated})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.ENOTFOUND, "Sale %d has no invoice.", sale)
	} else if err != nil {
		return nil, fmt.Errorf("find invoice: %w", err)
	}
	return &inv, nil
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
