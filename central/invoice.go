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
