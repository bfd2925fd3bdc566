package billing

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestSettlementPDF: a pair's statement names the month and the spaces,
// one line per direction with its visits, rate and amount, and the
// balance once both ways are set off; a direction without a convention
// says so.
func TestSettlementPDF(t *testing.T) {
	spaces := []*central.Space{{ID: 1, Name: "La Ruche"}, {ID: 2, Name: "La Cantine"}}
	lines := []central.SettlementLine{{Host: 1, Seller: 2, Visits: 1, Rate: 250, Amount: 250, Agreed: true},
		{Host: 2, Seller: 1, Visits: 3, Rate: 350, Amount: 1050, Agreed: true}}
	st := &central.Settlement{Month: "2026-11", First: access.Day{Year: 2026, Month: 11, Day: 1},
		Last: access.Day{Year: 2026, Month: 11, Day: 30}, Spaces: spaces, Lines: lines, Pairs: central.PairSettlements(lines)}
	var buf bytes.Buffer
	if err := WriteSettlementPDF(&buf, st, st.Pairs[0], "Réseau des tiers-lieux", time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	pdf := buf.String()
	if !strings.HasPrefix(pdf, "%PDF-1.4") || !strings.HasSuffix(pdf, "%%EOF\n") {
		t.Fatal("not a PDF")
	}
	for _, want := range []string{"Mois\u00a0: novembre 2026", "La Ruche et La Cantine", "À La Ruche, pass de La Cantine",
		"À La Cantine, pass de La Ruche", "2,50 €", "3,50 €", "10,50 €",
	} {
		if enc := pdfString(strings.ReplaceAll(want, " €", "\u00a0€")); !strings.Contains(pdf, enc) {
			t.Errorf("the statement lacks %q (%s)", want, enc)
		}
	}
	// The balance's line is clipped as the receipts' are (spaces made plain).
	if enc := pdfString("Solde\u00a0: La Ruche doit 8,00 € à La Cantine."); !strings.Contains(pdf, enc) {
		t.Errorf("the statement lacks the balance %s", enc)
	}
	if strings.Contains(pdf, pdfString("sans convention")) {
		t.Error("a direction with a convention said to have none")
	}

	// Without a convention one way: said, and nothing owed that way.
	lines[0].Agreed, lines[0].Rate, lines[0].Amount = false, 0, 0
	st.Pairs = central.PairSettlements(lines)
	buf.Reset()
	if err := WriteSettlementPDF(&buf, st, st.Pairs[0], "Réseau", time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sans convention", "Solde\u00a0: La Ruche doit 10,50"} {
		if !strings.Contains(buf.String(), strings.Trim(pdfString(want), "()")) {
			t.Errorf("without a convention, the statement lacks %q", want)
		}
	}
}
