package admin

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// saleDocument says what a sale's document is, as billing.Receipt
// titles it: its file name's start and the message key of its link.
// A receipt (« Reçu », recu-…) for a sale paid; what is to pay
// (« À régler », a-regler-…) for a sale not paid yet; « Annulée »
// (annulee-…) for a sale cancelled before it was paid.
func saleDocument(sale *central.Sale) (file, label string) {
	switch {
	case sale.IsCancelled(): // nothing paid, nothing due
		return "annulee", "sale.receipt_cancelled"
	case sale.PaidBy.Method == central.Unpaid: // no receipt: money not received
		return "a-regler", "sale.receipt_due"
	}
	return "recu", "sale.receipt"
}

// ReceiptLink names the link to a sale's document: « Reçu », « À régler »
// or « Annulée » (saleDocument).
func (p *page) ReceiptLink(sale *adminstore.SaleRow) string {
	_, label := saleDocument(&sale.Sale)
	return p.T(label)
}

// saleReceipt downloads the document of a sale as a PDF (GET
// /sales/{id}/receipt.pdf): recu-000042.pdf, a-regler-000042.pdf for a
// sale not paid yet, annulee-000042.pdf for one cancelled before it was
// paid.
func (s *Server) saleReceipt(w http.ResponseWriter, r *http.Request) {
	if !s.billingEnabled(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	sale, err := s.cfg.Ledger.FindSaleByID(r.Context(), id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	name, _ := saleDocument(sale)
	var buf bytes.Buffer
	if err := s.cfg.Billing.WriteReceipt(r.Context(), &buf, id); err != nil {
		s.failErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%06d.pdf"`, name, id))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// saleInvoice has a sale's Pennylane invoice made now, by the billing
// worker, which never makes two (POST /sales/{id}/invoice).
func (s *Server) saleInvoice(w http.ResponseWriter, r *http.Request) {
	s.billingAction(w, r, func(ctx context.Context, id int64) error {
		_, err := s.cfg.Billing.RequestInvoice(ctx, id)
		return err
	}, "/sales", "invoice_requested")
}
