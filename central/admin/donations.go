package admin

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// The donations (GET /donations?year=, /donations.csv?year=): the gifts
// paid on HelloAsso (central/donation.go), recorded apart from sales,
// with the totals of every year and the list of a year's, kept or
// refunded, for the treasurer; the CSV opens in French Excel as the other
// exports do.
//
// Each association has its own (issue 14, central.DonationsOf): a user of
// one space sees, exports and receipts her space's donations only (the
// gifts to its own organisation, when it keeps its own books), whatever
// space the query or the form names; a network user sees the network's,
// or those of a space with its own books she picks (?space=ID, the form's
// space).

// TaxReceipts e-mails donors their tax receipts of a year (centrald:
// central/billing makes them, the outbox sends them).
type TaxReceipts interface {
	// SendTaxReceipts queues the mail of each donor's receipt of a year
	// of the association of space (0: the network's; else a space that
	// keeps its own books), once per donor, year and association, ever; it
	// returns how many it queued now and how many donors have no address
	// (their receipts are printed). Returns EINVALID when the association
	// does not issue tax receipts, its details are missing, the space
	// keeps no books of its own or e-mail is not set up; ENOTFOUND for an
	// unknown space.
	SendTaxReceipts(ctx context.Context, space int64, year int) (queued, noAddress int, err error)
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
	// Space is the space whose association's donations these are (nil:
	// the network's); Spaces the spaces with books of their own a network
	// user may pick (none for a user of a space); NoBooks says the user's
	// space keeps no books of its own (its gifts are the network's); Query
	// keeps a network user's pick in the page's links ("&space=ID").
	Space   *central.Space
	Spaces  []*central.Space
	NoBooks bool
	Query   string
}

// donationSpace returns the space whose association's donations the
// request is about (nil: the network's) and what the page offers: a
// user of a space gets her space, whatever pick names; a network user
// gets the space with its own books pick names (the query's or the
// form's space), else the network.
func (s *Server) donationSpace(r *http.Request, pick string) (*donationsData, error) {
	d := &donationsData{}
	if sc := requestScope(r); !sc.Network() {
		d.Space, d.NoBooks = sc.Space, !sc.Space.OwnsBooks()
		return d, nil
	}
	if s.cfg.Spaces == nil {
		return d, nil
	}
	spaces, err := s.cfg.Spaces.FindSpaces(r.Context())
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(pick, 10, 64)
	for _, sp := range spaces {
		if !sp.OwnsBooks() {
			continue
		}
		d.Spaces = append(d.Spaces, sp)
		if sp.ID == id {
			d.Space, d.Query = sp, "&space="+strconv.FormatInt(sp.ID, 10)
		}
	}
	return d, nil
}

// ID is the space of the donations (central.Payment.Space; 0: the
// network's).
func (d *donationsData) ID() int64 {
	if d.Space == nil {
		return 0
	}
	return d.Space.ID
}

// clock is the time zone of the donations' association: a space with its
// own books counts its gifts on its own clock (central.Space.Location),
// the network on the network's.
func (d *donationsData) clock(p *page) *time.Location {
	if d.Space != nil && d.Space.OwnsBooks() {
		return d.Space.Location(p.set)
	}
	return p.loc
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
	d, err := s.donationSpace(r, r.URL.Query().Get("space"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "donations.title", d)
	p.loc = d.clock(p) // the year, the totals and the gifts' dates
	d.Year = s.registerYear(r, p)
	d.Prev, d.Next = d.Year-1, d.Year+1
	d.CSV = "/donations.csv?year=" + strconv.Itoa(d.Year) + d.Query
	d.Receipts = s.cfg.TaxReceipts != nil && !d.NoBooks
	all, err := s.allDonations(r.Context(), d.ID())
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
	d, err := s.donationSpace(r, r.URL.Query().Get("space"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "", nil)
	p.loc = d.clock(p)
	year := s.registerYear(r, p)
	all, err := s.allDonations(r.Context(), d.ID())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	name := "donations-" + strconv.Itoa(year)
	if d.Space != nil {
		name += "-space-" + strconv.FormatInt(d.Space.ID, 10)
	}
	cw := s.newExport(w, r, name)
	if cw.people {
		cw.loc = p.loc // the gifts' times on their association's clock
	}
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
// /donations/receipts: year, confirm=1, and a network user's space), once
// per donor, year and association: a user of a space sends her space's
// only, whatever space the form names.
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
	d, err := s.donationSpace(r, r.PostFormValue("space"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.NoBooks {
		s.failErr(w, r, central.Errorf(central.EINVALID, "The space %s keeps no books of its own: its gifts are the network's donations.", d.Space.Name))
		return
	}
	queued, noAddress, err := s.cfg.TaxReceipts.SendTaxReceipts(r.Context(), d.ID(), year)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.log.Info("admin: tax receipts e-mailed", "year", year, "space", d.ID(), "queued", queued, "no_address", noAddress)
	done := "tax_receipts_sent"
	if noAddress > 0 {
		done = "tax_receipts_sent_some"
	}
	redirect(w, r, "/donations?year="+strconv.Itoa(year)+d.Query, done)
}
