package admin

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/badgeuse/badgeuse/central"
)

// The donations (GET /donations?year=, /donations.csv?year=): the gifts
// paid on HelloAsso (central/donation.go), recorded apart from sales,
// with the totals of every year and the list of a year's, kept or
// refunded, for the treasurer; the CSV opens in French Excel as the other
// exports do.

// TaxReceipts e-mails donors their tax receipts of a year (centrald:
// central/billing makes them, the outbox sends them).
type TaxReceipts interface {
	// SendTaxReceipts queues the mail of each donor's receipt of a year,
	// once per donor and year, ever; it returns how many it queued now and
	// how many donors have no address (their receipts are printed).
	// Returns EINVALID when the association does not issue tax receipts,
	// its details are missing or e-mail is not set up.
	SendTaxReceipts(ctx context.Context, year int) (queued, noAddress int, err error)
}

type donationsData struct {
	Year   int
	Prev   int
	Next   int
	Totals []central.DonationYear
	Rows   []*central.Payment // the year's, newest first
	Sum    int64              // the year's kept
	Count  int
	CSV    string
	// Receipts: the button that e-mails the year's tax receipts.
	Receipts bool
}

// allDonations returns every donation of the association of space (0:
// the network's; central.DonationsOf), kept or refunded, newest first.
func (s *Server) allDonations(ctx context.Context, space int64) ([]*central.Payment, error) {
	var out []*central.Payment
	for _, st := range []central.PaymentStatus{central.PaymentIgnored, central.PaymentReversed} {
		ps, _, err := s.cfg.Payments.FindPayments(ctx, central.PaymentFilter{Status: &st})
		if err != nil {
			return nil, err
		}
		out = append(out, central.DonationsOf(ps, space)...)
	}
	slices.SortStableFunc(out, func(a, b *central.Payment) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return out, nil
}

// donationsOf returns the year's donations (in the space's time zone).
func donationsOf(all []*central.Payment, year int, p *page) []*central.Payment {
	var out []*central.Payment
	for _, d := range all {
		if d.Date.In(p.loc).Year() == year {
			out = append(out, d)
		}
	}
	return out
}

// donationList shows the donations of a year and the totals per year
// (GET /donations).
func (s *Server) donationList(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Payments == nil {
		s.fail(w, r, http.StatusNotFound, "billing.off")
		return
	}
	d := &donationsData{}
	p := s.newPage(r, "donations.title", d)
	d.Year = s.registerYear(r, p)
	d.Prev, d.Next = d.Year-1, d.Year+1
	d.CSV = "/donations.csv?year=" + strconv.Itoa(d.Year)
	d.Receipts = s.cfg.TaxReceipts != nil
	all, err := s.allDonations(r.Context(), 0)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Totals = central.DonationTotals(all, p.loc)
	d.Rows = donationsOf(all, d.Year, p)
	for _, row := range d.Rows {
		if row.DonationKept() {
			d.Sum += row.Amount
			d.Count++
		}
	}
	s.render(w, r, "donations", p)
}

// donationCSV exports a year's donations (GET /donations.csv?year=).
func (s *Server) donationCSV(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Payments == nil {
		s.fail(w, r, http.StatusNotFound, "billing.off")
		return
	}
	p := s.newPage(r, "", nil)
	year := s.registerYear(r, p)
	all, err := s.allDonations(r.Context(), 0)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "donations-"+strconv.Itoa(year))
	cw.header("time", "donor", "email", "address", "zip", "city", "country", "amount_eur", "form", "source", "status", "member_id", "external_ref")
	for _, d := range donationsOf(all, year, p) {
		member := ""
		if d.Member != 0 {
			member = i64(d.Member)
		}
		status := "kept"
		if !d.DonationKept() {
			status = "refunded"
		}
		cw.row(cw.time(d.Date), d.PayerName, d.PayerEmail, d.PayerAddress.Address, d.PayerAddress.ZipCode, d.PayerAddress.City,
			d.PayerAddress.Country, cw.money(d.Amount), d.Form, d.Source, cw.word("donation.", status), member, d.ExternalRef)
	}
	cw.flush(s)
}

// donationReceipts e-mails the donors of a year their tax receipts (POST
// /donations/receipts: year, confirm=1), once per donor and year.
func (s *Server) donationReceipts(w http.ResponseWriter, r *http.Request) {
	if s.cfg.TaxReceipts == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	year, err := strconv.Atoi(r.PostFormValue("year"))
	if err != nil || year < 2000 || year > 2200 || r.PostFormValue("confirm") != "1" {
		s.failErr(w, r, central.Errorf(central.EINVALID, "Confirm the year of the tax receipts."))
		return
	}
	queued, noAddress, err := s.cfg.TaxReceipts.SendTaxReceipts(r.Context(), year)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.log.Info("admin: tax receipts e-mailed", "year", year, "queued", queued, "no_address", noAddress)
	done := "tax_receipts_sent"
	if noAddress > 0 {
		done = "tax_receipts_sent_some"
	}
	redirect(w, r, "/donations?year="+strconv.Itoa(year), done)
}
