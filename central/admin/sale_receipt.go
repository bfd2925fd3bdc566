package admin

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// saleReceipt downloads the receipt of a sale as a PDF (GET
// /sales/{id}/receipt.pdf).
func (s *Server) saleReceipt(w http.ResponseWriter, r *http.Request) {
	if !s.billingEnabled(w, r) {
		return
	}
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	var buf bytes.Buffer
	if err := s.cfg.Billing.WriteReceipt(r.Context(), &buf, id); err != nil {
		s.failErr(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="recu-%06d.pdf"`, id))
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
