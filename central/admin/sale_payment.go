package admin

import (
	"net/http"
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
	s.render(w, r, "sales_unpaid", s.newPage(r, "unpaid.title", d))
}

// salePaid records the payment of an unpaid sale (POST /sales/{id}/paid);
// back=member goes back to the member's page.
func (s *Server) salePaid(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	p, ok := paidByForm(r)
	if !ok {
		s.fail(w, r, http.StatusBadRequest, "unpaid.error.day")
		return
	}
	sale, err := s.cfg.Ledger.PaySale(r.Context(), id, p)
	if err != nil {
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
}

// salesDeposit lists the cash and cheques received on a day, for the bank
// deposit slip: date, payer, bank, number, amount; printable
// (GET /sales/deposit?day=YYYY-MM-DD, today by default).
func (s *Server) salesDeposit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	day, err := access.ParseDay(r.URL.Query().Get("day"))
	if err != nil || day.IsZero() {
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
		}
	}
	s.render(w, r, "sales_deposit", s.newPage(r, "deposit.title", d))
}

// paidForm is what the "paid-form" partial needs: the page, the sale,
// where to go back ("member" or the unpaid list) and the default day.
type paidForm struct {
	*page
	ID    int64
	Back  string
	Today string
}

// PaidForm returns the data of the form recording a sale's payment.
func (p *page) PaidForm(id int64, back string) paidForm {
	return paidForm{page: p, ID: id, Back: back, Today: access.DayOf(p.s.now(), p.loc).String()}
}

// Paid translates a payment method.
func (p *page) Paid(m central.PaymentMethod) string { return p.T("paid." + string(m)) }

// HandMethods are the methods the bureau records by hand (HelloAsso's
// come by themselves), for forms.
func (p *page) HandMethods() []central.PaymentMethod {
	return []central.PaymentMethod{central.PaidCash, central.PaidCheque, central.PaidTransfer, central.PaidCard, central.PaidOther}
}
