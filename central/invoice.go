package central

import (
	"context"
	"time"
)

// Invoice is the invoice made for a sale in the accounting tool
// (Pennylane). The sale's InvoiceID is the invoice's ID.
type Invoice struct {
	Sale     int64
	Provider string // "pennylane"
	ID       string // the invoice's id at the provider
	// Number is the invoice's legal number, "" while it is a draft.
	Number string
	// URL is the link to the invoice's PDF, when the provider gives one.
	URL     string
	Status  string // the provider's status: "draft", "upcoming", "paid"...
	Created time.Time
	Updated time.Time
}

// Validate checks what every invoice needs: its provider and its id there
// (200 characters at most).
func (inv *Invoice) Validate() error {
	if inv.Provider == "" || inv.ID == "" || len(inv.ID) > 200 {
		return Errorf(EINVALID, "Invoice provider and id required.")
	}
	return nil
}

// InvoiceTx is what recording an invoice needs of a store, inside its
// write transaction (see ledger.go).
type InvoiceTx interface {
	// Now is the transaction's time.
	Now() time.Time
	// FindSale returns ENOTFOUND for an unknown sale.
	FindSale(ctx context.Context, id int64) (*Sale, error)
	// SaleInvoice returns the invoice stored for a sale, nil if none.
	SaleInvoice(ctx context.Context, sale int64) (*Invoice, error)
	// InvoiceHeld reports whether the provider's invoice id is stored, for
	// any sale.
	InvoiceHeld(ctx context.Context, provider, id string) (bool, error)
	// SaveInvoice stores inv as the invoice of inv.Sale, replacing the
	// one stored for that sale if any (all its fields, as given).
	SaveInvoice(ctx context.Context, inv *Invoice) error
	SetSaleInvoice(ctx context.Context, id int64, invoiceID string) error
	// Audit records a change made by ctx's actor; details hold no secret.
	Audit(ctx context.Context, action, object string, details any) error
}

// RecordInvoice records in tx the invoice made for a sale: one invoice per
// sale, and an invoice for one sale only. The same invoice (provider and
// id) recorded again is its later state at the provider: its number, URL
// and status replace the stored ones, Created stays the first record's.
// The sale's InvoiceID is set, and audited, the first time only. Sets
// inv.Created and inv.Updated. Returns EINVALID, ENOTFOUND (no such sale)
// and ECONFLICT (the sale has another invoice, or the invoice another
// sale).
func RecordInvoice(ctx context.Context, tx InvoiceTx, inv *Invoice) error {
	if err := inv.Validate(); err != nil {
		return err
	}
	sale, err := tx.FindSale(ctx, inv.Sale)
	if err != nil {
		return err
	}
	if sale.InvoiceID != "" && sale.InvoiceID != inv.ID {
		return Errorf(ECONFLICT, "Sale %d already has invoice %s.", inv.Sale, sale.InvoiceID)
	}
	old, err := tx.SaleInvoice(ctx, inv.Sale)
	if err != nil {
		return err
	}
	switch {
	case old != nil && (old.Provider != inv.Provider || old.ID != inv.ID):
		return Errorf(ECONFLICT, "Sale %d already has another invoice.", inv.Sale)
	case old != nil:
		inv.Created = old.Created
	default:
		if held, err := tx.InvoiceHeld(ctx, inv.Provider, inv.ID); err != nil {
			return err
		} else if held {
			return Errorf(ECONFLICT, "Invoice %s is already recorded for another sale.", inv.ID)
		}
		inv.Created = tx.Now()
	}
	inv.Updated = tx.Now()
	if err := tx.SaveInvoice(ctx, inv); err != nil {
		return err
	}
	if sale.InvoiceID != "" {
		return nil
	}
	if err := tx.SetSaleInvoice(ctx, inv.Sale, inv.ID); err != nil {
		return err
	}
	return tx.Audit(ctx, "sale.invoice", saleObject(inv.Sale), map[string]any{
		"provider": inv.Provider, "invoice_id": inv.ID, "number": inv.Number})
}

// InvoiceService stores the invoices made for sales, and the customers
// made for members at the accounting tool.
type InvoiceService interface {
	// RecordInvoice stores (or updates) a sale's invoice and sets the
	// sale's InvoiceID, in one transaction. Returns ENOTFOUND (no such
	// sale) and ECONFLICT (the sale has another invoice).
	RecordInvoice(ctx context.Context, inv *Invoice) error

	// FindInvoice returns a sale's invoice. Returns ENOTFOUND.
	FindInvoice(ctx context.Context, sale int64) (*Invoice, error)

	// BillingCustomer returns the provider's customer id remembered for
	// a key ("" when none).
	BillingCustomer(ctx context.Context, provider, key string) (string, error)

	// SetBillingCustomer remembers the provider's customer id of a key.
	SetBillingCustomer(ctx context.Context, provider, key, id string) error
}
