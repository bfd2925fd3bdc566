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

// ReceiptLink names the link to a sale's document: « Reçu », or
// « À régler » for a sale not paid yet (billing.Receipt titles it so).
func (p *page) ReceiptLink(sale *adminstore.SaleRow) string {
	if sale.PaidBy.Method == central.Unpaid {
		return p.T("sale.receipt_due")
	}
	return p.T("sale.receipt")
}

// saleReceipt downloads the receipt of a sale as a PDF (GET
// /sales/{id}/receipt.pdf): recu-000042.pdf, or a-regler-000042.pdf for
// a sale not paid yet.
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
	name := "recu" // a receipt; a sale not paid yet is no receipt but what is to pay
	if sale.PaidBy.Method == central.Unpaid {
		name = "a-regler"
	}
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
