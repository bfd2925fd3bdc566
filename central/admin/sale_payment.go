package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Payments by hand: how a sale was paid (the sell form's "paid"), the
// sales members still owe (GET /sales/unpaid) with the treasurer's "paid"
// form (POST /sales/{id}/paid), and a day's cash and cheques for the bank
// deposit slip (GET /sales/deposit?day=YYYY-MM-DD).

// paidByForm reads a payment's fields from a form: paid (the method), day
// (YYYY-MM-DD, empty: today), bank, cheque (its number) and payer.
func paidByForm(r *http.Request) (central.PaidBy, bool) {
	p := central.PaidBy{Method: central.PaymentMethod(r.PostFormValue("paid")), Bank: r.PostFormValue("bank"),
		Number: r.PostFormValue("cheque"), Payer: r.PostFormValue("payer")}
	day, err := access.ParseDay(strings.TrimSpace(r.PostFormValue("day")))
	if err != nil {
		return p, false
	}
	p.Day = day
	return p, true
}

type unpaidData struct {
	Sales []*adminstore.SaleRow
	Sum   int64
	Today string // the form's default day
}

// salesUnpaid lists the sales not paid yet, oldest first, with what
// members owe in all (GET /sales/unpaid).
func (s *Server) salesUnpaid(w http.ResponseWriter, r *http.Request) {
	s.renderUnpaid(w, r, http.StatusOK, nil)
}

// renderUnpaid writes the list of the sales not paid yet; typed, when
// set, is a "paid" form refused, shown again as typed with its mistake.
func (s *Server) renderUnpaid(w http.ResponseWriter, r *http.Request, status int, typed *paidTyped) {
	ctx := r.Context()
	rows, _, err := s.cfg.Store.SaleRows(ctx, adminstore.SaleRowFilter{Unpaid: true, Space: requestScope(r).MemberSpace(), Limit: 1000})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := unpaidData{Today: access.DayOf(s.now(), requestScope(r).clock(settings)).String()}
	for i := len(rows) - 1; i >= 0; i-- { // oldest first: the longest owed on top
		d.Sales = append(d.Sales, rows[i])
		d.Sum += rows[i].Amount
	}
	p := s.newPage(r, "unpaid.title", d)
	p.paid = typed
	if typed != nil && !slices.ContainsFunc(d.Sales, func(row *adminstore.SaleRow) bool { return row.ID == typed.ID }) {
		p.Error = typed.Error // its form is not in the list (paid or refunded meanwhile): on top
	}
	s.renderStatus(w, r, status, "sales_unpaid", p)
}

// salePaid records the payment of an unpaid sale (POST /sales/{id}/paid);
// back=member goes back to the member's page. A day unreadable or to
// come (or another mistake in the form) answers 400 with the list of the
// sales to collect, this sale's form as typed, the mistake next to it
// (as the other forms of the bureau that are refused); its back= is
// kept, so that once corrected it goes where it would have.
func (s *Server) salePaid(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	typed := &paidTyped{ID: id, Back: r.PostFormValue("back"), Paid: r.PostFormValue("paid"),
		Day: strings.TrimSpace(r.PostFormValue("day")), Bank: r.PostFormValue("bank"),
		Cheque: r.PostFormValue("cheque"), Payer: r.PostFormValue("payer")}
	if typed.Back != "member" {
		typed.Back = ""
	}
	refuse := func(field, text string) {
		typed.Field, typed.Error = field, text
		s.renderUnpaid(w, r, http.StatusBadRequest, typed)
	}
	lang := requestLang(r)
	p, ok := paidByForm(r)
	if !ok {
		refuse("day", translate(lang, "unpaid.error.day"))
		return
	}
	if !p.Day.IsZero() {
		settings, err := s.cfg.Settings.Settings(r.Context())
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		if today := access.DayOf(s.now(), requestScope(r).clock(settings)); p.Day.After(today) {
			in := &page{Lang: lang}
			refuse("day", translate(lang, "unpaid.error.future", in.Day(p.Day), in.Day(today)))
			return
		}
	}
	sale, err := s.cfg.Ledger.PaySale(r.Context(), id, p)
	if err != nil {
		if central.ErrorCode(err) == central.EINVALID {
			refuse("", domainMessage(lang, err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	if r.PostFormValue("back") == "member" && sale.Member != 0 {
		redirect(w, r, "/members/"+strconv.FormatInt(sale.Member, 10), "sale_paid")
		return
	}
	redirect(w, r, "/sales/unpaid", "sale_paid")
}

type depositData struct {
	Day     string // YYYY-MM-DD
	Date    access.Day
	Cash    []*adminstore.SaleRow
	Cheques []*adminstore.SaleRow
	CashSum int64
	// ChequeSum is the slip's total (bordereau de remise de chèques).
	ChequeSum int64
	// Incomplete counts the cheques recorded without their bank or number
	// (IncompleteCheque), each with a form to complete it.
	Incomplete int
}

// IncompleteCheque reports whether a cheque of the slip lacks its bank or
// its number: a blank cell on the slip the bank gets.
func (d depositData) IncompleteCheque(row *adminstore.SaleRow) bool {
	return row.PaidBy.Bank == "" || row.PaidBy.Number == ""
}

// salesDeposit lists the cash and cheques received on a day, for the bank
// deposit slip: date, payer, bank, number, amount; printable
// (GET /sales/deposit?day=YYYY-MM-DD, today by default).
func (s *Server) salesDeposit(w http.ResponseWriter, r *http.Request) {
	day, _ := access.ParseDay(r.URL.Query().Get("day"))
	s.renderDeposit(w, r, day, http.StatusOK, "")
}

// renderDeposit writes the deposit slip of day (zero: today); mistake,
// when set, is a cheque's completion refused, shown on top.
func (s *Server) renderDeposit(w http.ResponseWriter, r *http.Request, day access.Day, status int, mistake string) {
	ctx := r.Context()
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if day.IsZero() {
		day = access.DayOf(s.now(), requestScope(r).clock(settings))
	}
	rows, _, err := s.cfg.Store.SaleRows(ctx, adminstore.SaleRowFilter{PaidOn: &day, Space: requestScope(r).MemberSpace(), Limit: 1000})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := depositData{Day: day.String(), Date: day}
	for i := len(rows) - 1; i >= 0; i-- {
		row := rows[i]
		if row.PaidBy.Payer == "" {
			row.PaidBy.Payer = row.MemberName
		}
		switch row.PaidBy.Method {
		case central.PaidCash:
			d.Cash, d.CashSum = append(d.Cash, row), d.CashSum+row.Amount
		case central.PaidCheque:
			d.Cheques, d.ChequeSum = append(d.Cheques, row), d.ChequeSum+row.Amount
			if d.IncompleteCheque(row) {
				d.Incomplete++
			}
		}
	}
	p := s.newPage(r, "deposit.title", d)
	p.Error = mistake
	s.renderStatus(w, r, status, "sales_deposit", p)
}

// saleCheque completes a cheque recorded without its bank or number
// (POST /sales/{id}/cheque: bank, cheque), from the deposit slip, and goes
// back to the slip of the day it was paid. A mistake (too long, not a
// cheque) answers 400 with the slip and the mistake on top.
func (s *Server) saleCheque(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	sale, err := s.cfg.Ledger.CompleteCheque(r.Context(), id, r.PostFormValue("bank"), r.PostFormValue("cheque"))
	if err != nil {
		if central.ErrorCode(err) == central.EINVALID {
			day, _ := access.ParseDay(r.PostFormValue("day"))
			s.renderDeposit(w, r, day, http.StatusBadRequest, domainMessage(requestLang(r), err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/sales/deposit?day="+sale.PaidBy.Day.String(), "cheque_completed")
}

// paidForm is what the "paid-form" partial needs: the page, the sale,
// where to go back ("member" or the unpaid list) and the default day.
type paidForm struct {
	*page
	ID    int64
	Back  string
	Today string
	// Typed is the form as typed when it was refused, with its mistake;
	// nil otherwise.
	Typed *paidTyped
}

// paidTyped is a "paid" form refused: what was typed and why.
type paidTyped struct {
	ID                                   int64
	Back, Paid, Day, Bank, Cheque, Payer string
	Field                                string // "day", or "" for the whole form
	Error                                string // translated
}

// PaidForm returns the data of the form recording a sale's payment.
func (p *page) PaidForm(id int64, back string) paidForm {
	f := paidForm{page: p, ID: id, Back: back, Today: access.DayOf(p.s.now(), p.loc).String()}
	if p.paid != nil && p.paid.ID == id {
		f.Typed, f.Back = p.paid, p.paid.Back
	}
	return f
}

// Method is the form's method: as typed after a mistake, the first one
// (cash) at first.
func (f paidForm) Method() string {
	if f.Typed != nil {
		return f.Typed.Paid
	}
	return string(central.PaidCash)
}

// DayValue is the form's day: as typed after a mistake, today at first.
func (f paidForm) DayValue() string {
	if f.Typed != nil {
		return f.Typed.Day
	}
	return f.Today
}

// Paid translates a payment method.
func (p *page) Paid(m central.PaymentMethod) string { return p.T("paid." + string(m)) }

// HandMethods are the methods the bureau records by hand (HelloAsso's
// come by themselves), for forms.
func (p *page) HandMethods() []central.PaymentMethod {
	return []central.PaymentMethod{central.PaidCash, central.PaidCheque, central.PaidTransfer, central.PaidCard, central.PaidOther}
}
