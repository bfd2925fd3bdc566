package central

import (
	"context"
	"time"
)

// The invoices between spaces (issue 14): a host space with its own
// Pennylane company invoices the seller space for a month's visits once
// the month is over (central/billing makes them). A kiosk offline across
// the month's end syncs its entries days later: the month then counts more
// visits than were invoiced, and the treasurer invoices the complement,
// the visits more at the convention's rate, as an invoice of its own.
// What each invoice asked is kept (SettlementInvoiceStore): the figures
// invoiced are the ones the treasurer confirmed on the page, never the
// ones the month counts when the worker runs. Fewer visits than invoiced
// (an entry corrected) is shown, not invoiced: a credit note is the
// treasurer's, by hand.

// SettlementInvoice is an invoice a host space asked of a seller space
// for a month's visits: the month's first (Seq 1) or a complement (Seq 2,
// 3...), each its own outbox message and Pennylane invoice.
type SettlementInvoice struct {
	Month        string // YYYY-MM
	Host, Seller int64
	Seq          int
	// Visits, Rate and Amount are what it invoices (a complement: the
	// visits more than the invoices before). Known is false for one
	// asked before they were kept, until the worker makes it.
	Visits       int
	Rate, Amount int64 // cents
	Known        bool
	Asked        time.Time
	Made         time.Time // made or found at Pennylane; zero until then
}

// SettlementInvoiceStore keeps the invoices asked between spaces (central/
// sqlstore implements it).
type SettlementInvoiceStore interface {
	// SettlementInvoices returns a month's invoices ordered by host,
	// seller, then Seq.
	SettlementInvoices(ctx context.Context, month string) ([]*SettlementInvoice, error)
	// AskSettlementInvoice stores inv (Asked is set to now) and msg, the
	// outbox message that makes it, in one transaction. It returns false
	// and stores nothing when an invoice of the same month, host, seller
	// and Seq is stored (asked at the same time elsewhere). Returns
	// EINVALID, ENOTFOUND (a space).
	AskSettlementInvoice(ctx context.Context, inv *SettlementInvoice, msg OutboxMessage) (bool, error)
	// SettlementInvoiceMade records that an invoice was made or found at
	// Pennylane now, and its figures when they were not known (inv's).
	// Returns ENOTFOUND.
	SettlementInvoiceMade(ctx context.Context, inv *SettlementInvoice) error
}

// Invoiced is what a direction's invoices of a month asked.
type Invoiced struct {
	Invoices []*SettlementInvoice // by Seq
	Visits   int                  // of those whose figures are known
	Amount   int64
	// Unknown says an invoice was asked before its figures were kept:
	// what it invoiced is in Pennylane only, so no complement is offered.
	Unknown bool
}

// InvoicedFor returns what the invoices of a month (SettlementInvoices)
// asked from host to seller.
func InvoicedFor(invs []*SettlementInvoice, host, seller int64) Invoiced {
	var d Invoiced
	for _, inv := range invs {
		if inv.Host != host || inv.Seller != seller {
			continue
		}
		d.Invoices = append(d.Invoices, inv)
		if !inv.Known {
			d.Unknown = true
			continue
		}
		d.Visits += inv.Visits
		d.Amount += inv.Amount
	}
	return d
}

// NextSeq is the Seq of the direction's next invoice.
func (d Invoiced) NextSeq() int { return len(d.Invoices) + 1 }

// Complement is the invoice left to ask of a direction: the visits the
// month counts (l) more than those invoiced (d), at l's rate; nil when
// there are none more (fewer is the treasurer's credit note), no rate was
// agreed, or an invoice's figures are unknown.
func (d Invoiced) Complement(l SettlementLine) *SettlementInvoice {
	more := l.Visits - d.Visits
	if d.Unknown || !l.Agreed || more <= 0 || l.Rate <= 0 {
		return nil
	}
	return &SettlementInvoice{Host: l.Host, Seller: l.Seller, Seq: d.NextSeq(), Visits: more, Rate: l.Rate,
		Amount: int64(more) * l.Rate, Known: true}
}

// Validate checks an invoice before it is stored. It returns EINVALID.
func (inv *SettlementInvoice) Validate() error {
	if _, _, err := ParseMonth(inv.Month); err != nil {
		return err
	}
	switch {
	case inv.Host <= 0 || inv.Seller <= 0 || inv.Host == inv.Seller:
		return Errorf(EINVALID, "A convention is between two different spaces.")
	case inv.Seq < 1 || inv.Known && (inv.Visits <= 0 || inv.Rate < 0 || inv.Rate > MaxConventionRate || inv.Amount != int64(inv.Visits)*inv.Rate):
		return Errorf(EINVALID, "Nothing is owed to invoice this month (no visits at a convention's rate).")
	}
	return nil
}
