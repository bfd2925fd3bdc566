package billing_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var errDatabase = errors.New("database unavailable")

// brokenMembers fails to read members, as a database that does not answer.
type brokenMembers struct{ central.MemberService }

func (brokenMembers) FindMemberByID(context.Context, int64) (*central.Member, error) {
	return nil, errDatabase
}

// brokenInvoices fails to read invoices.
type brokenInvoices struct{ central.InvoiceService }

func (brokenInvoices) FindInvoice(context.Context, int64) (*central.Invoice, error) {
	return nil, errDatabase
}

// TestBooksReportReadErrors: the export and the receipts fail when the
// database fails, instead of leaving out a member's name or an invoice
// number; only an erased member or an invoice not recorded is left out.
func TestBooksReportReadErrors(t *testing.T) {
	w := newWorld(t)
	s, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceCLI})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.ledger.SetSaleInvoice(w.ctx, s.ID, "inv-1"); err != nil {
		t.Fatal(err)
	}
	// An invoice id without its invoice row: the receipt has no number.
	if r, err := w.books().Receipt(w.ctx, s.ID); err != nil || r.Invoice != "" {
		t.Fatalf("receipt without a recorded invoice: %+v, %v", r, err)
	}

	b := w.books()
	b.Members = brokenMembers{b.Members}
	if err := b.WriteSalesCSV(w.ctx, io.Discard, time.Time{}, time.Time{}); !errors.Is(err, errDatabase) {
		t.Errorf("export with members unreadable: %v, want the error", err)
	}
	b = w.books()
	b.Invoices = brokenInvoices{b.Invoices}
	if _, err := b.Receipt(w.ctx, s.ID); !errors.Is(err, errDatabase) {
		t.Errorf("receipt with invoices unreadable: %v, want the error", err)
	}
}
