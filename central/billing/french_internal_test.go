package billing

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// TestPDFFrenchPunctuation: the PDFs are in French, and every text they
// draw has a no-break space (WinAnsi \240) before « : », « ; », « ? », « ! »
// and inside « guillemets », as the pages and the mails: the receipt (a
// cheque's payer, its date), the tax receipt and the settlement between
// spaces.
func TestPDFFrenchPunctuation(t *testing.T) {
	cheque := sample(0)
	cheque.PaidWith = ""
	cheque.Payment = central.PaidBy{Method: central.PaidCheque, Day: access.Day{Year: 2026, Month: 11, Day: 21},
		Bank: "Crédit Mutuel", Number: "1234567", Payer: "Jean Dupré"}
	paris, _ := time.LoadLocation("Europe/Paris")
	gift := donation("901", "hugo@example.org", "Hugo Dubois", 5000, time.Date(2026, 2, 1, 10, 0, 0, 0, paris), central.PaymentIgnored)
	tax := TaxReceipts([]*central.Payment{gift}, 2026, paris, Issuer{Name: "Mon Coworking", Address: "8 rue de la Paix, 75002 Paris",
		Object: "Animer un lieu", RNA: "W691234567", Articles: []string{"200"}}, time.Date(2027, 1, 10, 9, 0, 0, 0, paris))[0]
	spaces := []*central.Space{{ID: 1, Name: "La Ruche"}, {ID: 2, Name: "La Cantine"}}
	lines := []central.SettlementLine{{Host: 2, Seller: 1, Visits: 3, Rate: 350, Amount: 1050, Agreed: true},
		{Host: 1, Seller: 2, Visits: 1}}
	st := &central.Settlement{Month: "2026-11", First: access.Day{Year: 2026, Month: 11, Day: 1},
		Last: access.Day{Year: 2026, Month: 11, Day: 30}, Spaces: spaces, Lines: lines, Pairs: central.PairSettlements(lines)}

	var receipt, taxPDF, settlement bytes.Buffer
	if err := cheque.WritePDF(&receipt); err != nil {
		t.Fatal(err)
	}
	if err := tax.WritePDF(&taxPDF); err != nil {
		t.Fatal(err)
	}
	if err := WriteSettlementPDF(&settlement, st, st.Pairs[0], "Réseau", time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	shown := regexp.MustCompile(`\(((?:\\.|[^\\)])*)\) Tj`)
	for _, c := range []struct {
		name string
		pdf  string
		want []string
	}{
		{"receipt", receipt.String(), []string{"Date\u00a0: 20/11/2026", "Carte 10 entrées «\u00a0coworking\u00a0»",
			"Payé par chèque le 21/11/2026 (Crédit Mutuel, n° 1234567, payeur\u00a0: Jean Dupré)."}},
		{"tax receipt", taxPDF.String(), []string{"d’impôt, pour l’année 2026, la somme de\u00a0:",
			"Somme en toutes lettres\u00a0: cinquante euros", "Signature\u00a0: le trésorier ou la trésorière"}},
		{"settlement", settlement.String(), []string{"Mois\u00a0: novembre 2026", "Solde\u00a0: La Ruche doit 10,50 € à La Cantine.",
			"Des visites n’ont pas de tarif\u00a0: ces deux espaces n’ont pas de convention dans ce sens."}},
	} {
		texts := shown.FindAllStringSubmatch(c.pdf, -1)
		if len(texts) < 10 {
			t.Fatalf("%s: %d texts found", c.name, len(texts))
		}
		for _, m := range texts {
			// In the PDF's strings « and » are \253 and \273, a no-break space \240.
			for _, bad := range []string{" :", " ;", " ?", " !", `\253 `, ` \273`} {
				if strings.Contains(m[1], bad) {
					t.Errorf("%s: an ordinary space in %s", c.name, m[0])
				}
			}
		}
		for _, w := range c.want {
			if !strings.Contains(c.pdf, pdfString(w)) {
				t.Errorf("%s lacks %q (%s)", c.name, w, pdfString(w))
			}
		}
	}
}
