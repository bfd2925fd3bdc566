package admin

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// saleCreate sells a product to a member (POST /members/{id}/sales,
// product=ID, amount= optional, in euros: empty means the product's price;
// paid= how: cash, cheque (bank=, cheque=), transfer, card, other (also
// when empty) or unpaid; payer= who paid when not the member).
// A sale is money: without confirm=1 the form's values go, checked, to
// the confirmation page (303 to GET /members/{id}/sales/confirm), which
// says in words what will happen and posts them again with confirm=1.
func (s *Server) saleCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	// A mistake goes back to the member's page, the typed values kept (how
	// it was paid and the cheque's details too) and
	// the message next to the field (never a dead end).
	back := func(problem string) {
		q := url.Values{"sell_error": {problem}}
		for _, k := range []string{"product", "amount", "paid", "bank", "cheque", "payer"} {
			if v := r.PostFormValue(k); v != "" && len(v) <= 100 {
				q.Set(k, v)
			}
		}
		http.Redirect(w, r, "/members/"+strconv.FormatInt(id, 10)+"?"+q.Encode()+"#sell", http.StatusSeeOther)
	}
	pid, err := strconv.ParseInt(r.PostFormValue("product"), 10, 64)
	if err != nil || pid <= 0 {
		back("product")
		return
	}
	n := central.NewSale{Member: id, Product: pid, Source: central.SourceAdmin}
	if n.PaidBy, ok = paidByForm(r); !ok || n.PaidBy.Method == central.PaidHelloAsso ||
		(n.PaidBy.Method != "" && !n.PaidBy.Method.Valid()) {
		back("paid")
		return
	}
	n.PaidBy.Day = access.Day{} // a sale is paid the day it is recorded, or owed
	if a := strings.TrimSpace(r.PostFormValue("amount")); a != "" {
		money, err := central.ParseMoney(a)
		if err != nil {
			if _, signed := central.ParseSignedMoney(a); signed == nil {
				back("amount_negative") // readable, but below zero
				return
			}
			back("amount")
			return
		}
		cents := int64(money)
		n.Amount = &cents
	}
	if r.PostFormValue("confirm") != "1" {
		q := url.Values{}
		for k, vs := range r.PostForm {
			if k != "csrf" && k != "confirm" {
				q[k] = vs
			}
		}
		http.Redirect(w, r, "/members/"+strconv.FormatInt(id, 10)+"/sales/confirm?"+q.Encode(), http.StatusSeeOther)
		return
	}
	// The confirmation's token: the same form sent twice records one sale.
	member := "/members/" + strconv.FormatInt(id, 10)
	s.actOnce(w, r, member, "sale_once", func() string {
		if _, err := s.cfg.Ledger.CreateSale(r.Context(), n); err != nil {
			s.failErr(w, r, err)
			return ""
		}
		redirect(w, r, member, "sale_created")
		return member
	})
}

type saleConfirmData struct {
	Member  *central.Member
	Product *central.Product
	Amount  int64       // cents
	Fields  [][2]string // the form's values, posted again with confirm=1
	// PaidBy is how it is paid, said before it is recorded: the form's
	// "Payé par" starts on "Autre / non précisé", easily left as is.
	PaidBy central.PaidBy
}

// saleConfirm asks before a sale (GET /members/{id}/sales/confirm?product=&amount=...).
func (s *Server) saleConfirm(w http.ResponseWriter, r *http.Request) {
	m, ok := s.memberOf(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	pid, err := strconv.ParseInt(q.Get("product"), 10, 64)
	if err != nil || pid <= 0 {
		s.fail(w, r, http.StatusBadRequest, "sale.error.product")
		return
	}
	d := saleConfirmData{Member: m}
	if d.Product, err = s.cfg.Products.FindProductByID(r.Context(), pid); err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Amount = d.Product.Price
	d.PaidBy = central.PaidBy{Method: central.PaymentMethod(q.Get("paid")), Bank: strings.TrimSpace(q.Get("bank")),
		Number: strings.TrimSpace(q.Get("cheque")), Payer: strings.TrimSpace(q.Get("payer"))}
	if d.PaidBy.Method == "" {
		d.PaidBy.Method = central.PaidOther // as the sale records it
	} else if !d.PaidBy.Method.Valid() {
		s.fail(w, r, http.StatusBadRequest, "error.bad_request")
		return
	}
	if a := strings.TrimSpace(q.Get("amount")); a != "" {
		money, err := central.ParseMoney(a)
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, "sale.error.amount")
			return
		}
		d.Amount = int64(money)
	}
	for k, vs := range q {
		for _, v := range vs {
			if len(d.Fields) < 20 && k != "once" {
				d.Fields = append(d.Fields, [2]string{k, v})
			}
		}
	}
	sort.Slice(d.Fields, func(i, j int) bool { return d.Fields[i][0] < d.Fields[j][0] })
	once, err := s.newOnce()
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Fields = append(d.Fields, [2]string{"once", once})
	s.render(w, r, "sale_confirm", s.newPage(r, "sale.confirm_title", d))
}

// saleRefund refunds a sale (POST /sales/{id}/refund); back=member goes
// back to the member's page.
func (s *Server) saleRefund(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	sale, err := s.cfg.Ledger.RefundSale(r.Context(), id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	done := "sale_refunded"
	if sale.PaidBy.Method == central.Unpaid { // nothing was paid: nothing to give back
		done = "sale_cancelled"
	}
	if sale.InvoiceID != "" { // Badgeuse sends no credit note: the bureau makes it
		done += "_invoiced"
	}
	if r.PostFormValue("back") == "member" && sale.Member != 0 {
		redirect(w, r, "/members/"+strconv.FormatInt(sale.Member, 10), done)
		return
	}
	redirect(w, r, "/sales", done)
}
