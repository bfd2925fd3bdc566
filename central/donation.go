package central

import (
	"cmp"
	"slices"
	"time"
)

// Donations (issue 11): a gift to the association paid on HelloAsso, on a
// donation form or as the donation HelloAsso offers to add at the
// checkout of any form, is recorded as a donation, not a sale: it credits
// no one, waits for no one, and is listed apart for the treasurer (with
// totals per year and the donors' tax receipts). It is stored as a
// payment set aside (PaymentIgnored) with the reason ReasonDonation; a
// refund makes it PaymentReversed like any payment, and it then counts
// for nothing.

// ReasonDonation is the Reason of a payment recorded as a donation.
const ReasonDonation = "donation"

// HelloAsso's donation item types (Enums.TierType) and form type.
const (
	helloAssoDonation        = "Donation"
	helloAssoMonthlyDonation = "MonthlyDonation"
	helloAssoOfflineDonation = "OfflineDonation"
)

func donationType(itemType string) bool {
	switch itemType {
	case helloAssoDonation, helloAssoMonthlyDonation, helloAssoOfflineDonation:
		return true
	}
	return false
}

// Donation reports whether an item of an order of formType is a gift: an
// item of a donation form, or a donation item of any form.
func (it PaymentItem) Donation(formType string) bool {
	return formType == helloAssoDonation || donationType(it.Type)
}

// IsDonation reports whether a payment is a donation: kept (recorded as
// one), or refunded. A donation item the bureau set aside by hand before
// donations were recorded apart is not one (its reason is not
// ReasonDonation).
func (p *Payment) IsDonation() bool {
	return p.Reason == ReasonDonation ||
		p.Status == PaymentReversed && (p.FormType == helloAssoDonation || donationType(p.ItemType))
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
