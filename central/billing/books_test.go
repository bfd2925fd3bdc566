package billing_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

func (w *world) books() *billing.Books {
	return &billing.Books{Settings: w.settings, Ledger: w.ledger, Members: w.members,
		Products: sqlstore.NewProductService(w.db.DB), Payments: w.payments, Invoices: w.invoices}
}

func TestReceipt(t *testing.T) {
	w := newWorld(t)
	w.set(billing.SettingAssociationSIRET, "12345678900012")
	w.putCardOrder(790)
	w.notify("Order", 790)
	w.run()
	s := w.sales()[0]
	r, err := w.books().Receipt(w.ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Number != "R-000001" || r.Total != 12000 || r.PaidWith != "HelloAsso" || r.Buyer.Name != "Alice Martin" ||
		r.Buyer.Address != "3 rue Victor Hugo, 69002 Lyon" || r.Seller.Name != "Mon Coworking" || r.Seller.SIRET != "12345678900012" ||
		len(r.Lines) != 1 || r.Lines[0].Label != "Carte 10 entrées" || r.Invoice != "" || !r.Refunded.IsZero() {
		t.Fatalf("receipt %+v", r)
	}
	var pdf bytes.Buffer
	if err := r.WritePDF(&pdf); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-1.4")) {
		t.Fatalf("pdf: %v", err)
	}
	_, err = w.books().Receipt(w.ctx, 999)
	if central.ErrorCode(err) != central.ENOTFOUND {
		t.Fatalf("receipt of no sale: %v", err)
	}
}

func TestSalesCSV(t *testing.T) {
	w := newWorld(t)
	w.set(billing.SettingVATRate, "FR_200")
	s, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceCLI})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Add(48 * time.Hour)
	if _, err := w.ledger.RefundSale(w.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.books().WriteSalesCSV(w.ctx, &buf, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	text, ok := strings.CutPrefix(buf.String(), "\ufeff")
	if !ok {
		t.Fatal("no BOM")
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		billing.CSVHeader,
		{"1", "2026-11-20", "1", "Alice Martin", "Carte 10 entrées", "pack", "1", "120,00", "100,00", "20,00", "FR_200", "cli", "", ""},
		{"1", "2026-11-22", "1", "Alice Martin", "Carte 10 entrées", "remboursement", "-1", "-120,00", "-100,00", "-20,00", "FR_200", "cli", "", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], ";") != strings.Join(want[i], ";") {
			t.Errorf("row %d:\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
	// A period that holds the refund only.
	buf.Reset()
	from := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	if err := w.books().WriteSalesCSV(w.ctx, &buf, from, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 || !strings.Contains(buf.String(), "remboursement") {
		t.Fatalf("period export:\n%s", buf.String())
	}
}

// TestSalesCSVCancelled: a sale cancelled while not paid (« Annuler la
// vente ») was followed in the accountant's export by a « remboursement »
// line, for money that never came in nor went back; it is an
// « annulation » line now (the same negative amounts: the sale is undone),
// a paid sale's refund still « remboursement ».
func TestSalesCSVCancelled(t *testing.T) {
	w := newWorld(t)
	s, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceAdmin,
		PaidBy: central.PaidBy{Method: central.Unpaid}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.ledger.RefundSale(w.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.books().WriteSalesCSV(w.ctx, &buf, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if text := buf.String(); !strings.Contains(text, ";Carte 10 entrées;annulation;-1;-120,00;") || strings.Contains(text, "remboursement") {
		t.Fatalf("export:\n%s", text)
	}
}
