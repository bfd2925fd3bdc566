package central

import (
	"cmp"
	"slices"
	"time"
)

// Donations (issue 11): a gift to the association paid through the
// payment provider (on HelloAsso, a donation form or the donation offered
// at the checkout of any form: see its adapter), is recorded as a donation, not a sale: it credits
// no one, waits for no one, and is listed apart for the treasurer (with
// totals per year and the donors' tax receipts). It is stored as a
// payment set aside (PaymentIgnored) with the reason ReasonDonation; a
// refund makes it PaymentReversed like any payment, and it then counts
// for nothing.
//
// Each association has its own donations (issue 14): a gift to the
// network's organisation is the network's (Payment.Space 0), a gift to the
// own organisation of a space that keeps its own books (Space.Books) is
// that space's (Payment.Space), with its own totals and its own tax
// receipts in its association's name (central/billing). Neither ever
// counts among the other's.

// ReasonDonation is the Reason of a payment recorded as a donation.
const ReasonDonation = "donation"

// IsDonation reports whether a payment is a donation: kept (recorded as
// one), or refunded. Whether an item is a gift at all (PaymentItem.Gift,
// kept as Payment.Gift) is the provider's adapter's decision, read from
// the provider's form and item types. A gift the bureau set aside by
// hand before donations were recorded apart is not a donation (its
// reason is not ReasonDonation) unless it was refunded.
func (p *Payment) IsDonation() bool {
	return p.Reason == ReasonDonation || p.Status == PaymentReversed && p.Gift
}

// DonationKept reports whether a payment is a donation the association
// keeps: paid and not refunded.
func (p *Payment) DonationKept() bool {
	return p.Status == PaymentIgnored && p.Reason == ReasonDonation && p.State == PaymentPaid
}

// DonationYear sums up a year's donations kept.
type DonationYear struct {
	Year   int
	Count  int   // donations
	Donors int   // different donors (by address, else by name)
	Amount int64 // cents
}

// DonationTotals sums up the donations kept among ps per calendar year
// of their date in loc, latest year first.
func DonationTotals(ps []*Payment, loc *time.Location) []DonationYear {
	years := map[int]*DonationYear{}
	donors := map[int]map[string]bool{}
	for _, p := range ps {
		if !p.DonationKept() {
			continue
		}
		y := p.Date.In(loc).Year()
		if years[y] == nil {
			years[y], donors[y] = &DonationYear{Year: y}, map[string]bool{}
		}
		years[y].Count++
		years[y].Amount += p.Amount
		donors[y][p.DonorKey()] = true
	}
	var out []DonationYear
	for y, t := range years {
		t.Donors = len(donors[y])
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b DonationYear) int { return cmp.Compare(b.Year, a.Year) })
	return out
}

// DonorKey tells donors apart: the payer's address (case folded), else
// her name folded, else the payment (an anonymous one).
func (p *Payment) DonorKey() string {
	switch {
	case p.PayerEmail != "":
		return "e:" + foldName(p.PayerEmail)
	case p.PayerName != "":
		return "n:" + foldName(p.PayerName)
	}
	return "p:" + p.Source + ":" + p.ExternalRef
}

// DonationsOf returns the donations (IsDonation: kept or refunded) among
// ps that are the association's of space: the network's for 0, else the
// space's own (Payment.Space).
func DonationsOf(ps []*Payment, space int64) []*Payment {
	var out []*Payment
	for _, p := range ps {
		if p.IsDonation() && p.Space == space {
			out = append(out, p)
		}
	}
	return out
}

// OwnsBooks reports whether the space keeps books of its own (any group
// of Space.Books): it is a separate association, whose gifts are its own
// donations, not the network's (DonationsOf).
func (s *Space) OwnsBooks() bool {
	return s.OwnBooks(BooksAssociation) || s.OwnBooks(BooksPennylane) || s.OwnBooks(BooksHelloAsso)
}
