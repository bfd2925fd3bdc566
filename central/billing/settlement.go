package billing

import (
	"fmt"
	"io"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// The settlement between two spaces of a network (issue 14), as a one-page
// PDF a treasurer attaches to the invoice one space sends the other: for
// a month, the visits each received of passes the other sold, the rate
// of their convention, what each owes and the balance. Drawn with the
// receipts' writer (pdf.go).

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
	"octobre", "novembre", "décembre"}

// WriteSettlementPDF writes the month's settlement of the pair of spaces
// (st.Pairs' A and B) for the association (its name heads the page).
func WriteSettlementPDF(w io.Writer, st *central.Settlement, pair central.SettlementPair, association string, created time.Time) error {
	p := &pdfPage{}
	const left, right = 56.0, pageWidth - 56.0
	y := pageHeight - 72.0
	month := fmt.Sprintf("%s %d", frenchMonths[st.First.Month-1], st.First.Year)
	a, b := st.SpaceName(pair.A), st.SpaceName(pair.B)

	p.text(bold, 15, left, y, clip(association, 45))
	p.textRight(bold, 16, right, y, "RELEVÉ ENTRE ESPACES")
	y -= 18
	p.textRight(regular, 10, right, y, "Mois : "+month)
	y -= 13
	p.textRight(regular, 10, right, y, "Établi le "+created.Format("02/01/2006"))

	y -= 40
	p.text(bold, 11, left, y, clip(a+" et "+b, 80))
	y -= 15
	p.text(regular, 9.5, left, y, "Visites reçues par un espace avec un pass vendu par l’autre, au tarif par visite de leur convention.")

	// One line per direction: the host, the visits, the rate, the amount.
	y -= 34
	p.text(bold, 10, left, y, "Visites")
	p.textRight(bold, 10, right-190, y, "Nombre")
	p.textRight(bold, 10, right-95, y, "Tarif")
	p.textRight(bold, 10, right, y, "Montant")
	y -= 7
	p.line(left, y, right, y, 0.6)
	for _, dir := range []struct{ host, seller int64 }{{pair.A, pair.B}, {pair.B, pair.A}} {
		var line central.SettlementLine
		for _, l := range st.Lines {
			if l.Host == dir.host && l.Seller == dir.seller {
				line = l
			}
		}
		y -= 17
		p.text(regular, 10, left, y, clip("À "+st.SpaceName(dir.host)+", pass de "+st.SpaceName(dir.seller), 48))
		p.textRight(regular, 10, right-190, y, fmt.Sprint(line.Visits))
		rate := central.Money(line.Rate).French()
		switch {
		case line.Visits == 0:
			rate = "-"
		case !line.Agreed:
			rate = "sans convention"
		}
		p.textRight(regular, 10, right-95, y, rate)
		p.textRight(regular, 10, right, y, central.Money(line.Amount).French())
		y -= 13
		p.text(regular, 8.5, left+10, y, clip(st.SpaceName(dir.seller)+" doit à "+st.SpaceName(dir.host), 70))
	}
	y -= 9
	p.line(left, y, right, y, 0.6)

	y -= 22
	net := pair.Net()
	switch {
	case net > 0:
		p.text(bold, 11, left, y, clip("Solde : "+b+" doit "+central.Money(net).French()+" à "+a+".", 90))
	case net < 0:
		p.text(bold, 11, left, y, clip("Solde : "+a+" doit "+central.Money(-net).French()+" à "+b+".", 90))
	default:
		p.text(bold, 11, left, y, "Solde : aucun montant dû.")
	}
	if pair.Unagreed {
		y -= 16
		p.text(regular, 9.5, left, y, "Des visites n’ont pas de tarif : ces deux espaces n’ont pas de convention dans ce sens.")
	}

	p.line(left, 64, right, 64, 0.3)
	p.text(regular, 8, left, 52, clip(association+" — relevé entre espaces, "+month, 110))
	return writePDF(w, p, "Relevé entre espaces "+a+" et "+b+", "+month, created)
}

// SettlementPDFs draws settlements for the web admin (admin.SettlementPDFs).
type SettlementPDFs struct{}

// WriteSettlementPDF implements admin.SettlementPDFs with
// WriteSettlementPDF.
func (SettlementPDFs) WriteSettlementPDF(w io.Writer, st *central.Settlement, pair central.SettlementPair, association string, created time.Time) error {
	return WriteSettlementPDF(w, st, pair, association, created)
}
