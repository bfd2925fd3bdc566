package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// saleCreate sells a product to a member (POST /members/{id}/sales,
// product=ID, amount= optional, in euros: empty means the product's price).
func (s *Server) saleCreate(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	pid, err := strconv.ParseInt(r.PostFormValue("product"), 10, 64)
	if err != nil || pid <= 0 {
		s.fail(w, r, http.StatusBadRequest, "sale.error.product")
		return
	}
	n := central.NewSale{Member: id, Product: pid, Source: central.SourceAdmin}
	if a := strings.TrimSpace(r.PostFormValue("amount")); a != "" {
		money, err := central.ParseMoney(a)
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, "sale.error.amount")
			return
		}
		cents := int64(money)
		n.Amount = &cents
	}
	if _, err := s.cfg.Ledger.CreateSale(r.Context(), n); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/members/"+strconv.FormatInt(id, 10), "sale_created")
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
	if r.PostFormValue("back") == "member" && sale.Member != 0 {
		redirect(w, r, "/members/"+strconv.FormatInt(sale.Member, 10), "sale_refunded")
		return
	}
	redirect(w, r, "/sales", "sale_refunded")
}
