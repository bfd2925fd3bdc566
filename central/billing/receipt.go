package billing

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Receipt is what the receipt of a sale shows; WritePDF writes it as a
// one-page PDF, numbered, with the association's name, address, SIRET
// and VAT mention (for associations without Pennylane, or before its
// invoice exists).
type Receipt struct {
	Number string // "R-000042"
	Date   time.Time
	Seller Seller
	Buyer  Party
	Lines  []Line
	// Total is what was paid, taxes included (cents); Net and VAT split
	// it when VAT applies (Seller.VATRate > 0).
	Total    int64
	Net, VAT int64
	// PaidWith says what it was paid through ("HelloAsso"), "" when
	// Payment says how it was paid.
	PaidWith string
	// Payment is how and when the sale was paid (by hand: cash, cheque…),
	// or that it is not paid yet; a zero Payment says "Payé.".
	Payment  central.PaidBy
	Refunded time.Time // zero unless refunded (cancelled, when not paid)
	// Invoice is the accounting tool's invoice number, when there is one.
	Invoice string
}

// Party is the buyer.
type Party struct {
	Name    string
	Email   string
	Address string // one line
}

// Line is a line of the receipt.
type Line struct {
	Label    string
	Quantity int
	Amount   int64 // the line's total, taxes included, cents
}

// ReceiptNumber returns the receipt number of a sale: its id, which is
// unique, never reused and follows the order of sales.
func ReceiptNumber(sale int64) string { return fmt.Sprintf("R-%06d", sale) }

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// paymentWords are the words of a payment method after « Payé ».
var paymentWords = map[central.PaymentMethod]string{
	central.PaidCash: "en espèces", central.PaidCheque: "par chèque", central.PaidTransfer: "par virement",
	central.PaidCard: "par carte bancaire", central.PaidHelloAsso: "via HelloAsso",
}

// paidSentence says how and when the sale was paid, or that it is not paid
// yet: « Payé par chèque le 21/11/2026 (Crédit Mutuel, n° 1234567). ».
func (r *Receipt) paidSentence() string {
	if r.PaidWith != "" {
		return "Payé via " + r.PaidWith + "."
	}
	p := r.Payment
	if p.Method == central.Unpaid {
		if !r.Refunded.IsZero() {
			return "Non payée." // cancelled: it never will be
		}
		return "Pas encore payé."
	}
	s := "Payé"
	if w := paymentWords[p.Method]; w != "" {
		s += " " + w
	}
	if !p.Day.IsZero() {
		s += fmt.Sprintf(" le %02d/%02d/%04d", p.Day.Day, int(p.Day.Month), p.Day.Year)
	}
	var details []string
	if p.Bank != "" {
		details = append(details, p.Bank)
	}
	if p.Number != "" {
		details = append(details, "n° "+p.Number)
	}
	if p.Payer != "" {
		details = append(details, "payeur : "+p.Payer)
	}
	if len(details) > 0 {
		s += " (" + strings.Join(details, ", ") + ")"
	}
	return s + "."
}

// unpaid reports whether the sale was not paid (by hand) when the
// document was made: it is then no receipt of money, but what the buyer
// has to pay.
func (r *Receipt) unpaid() bool { return r.PaidWith == "" && r.Payment.Method == central.Unpaid }

// receiptWords are the words a document uses of itself.
type receiptWords struct {
	title string // at the top: « REÇU »
	buyer string // the label of the buyer: « Reçu de »
	foot  string // at the foot, before the number: « reçu »
	doc   string // the PDF's title, before the number: « Reçu »
}

// cancelled reports whether the sale was refunded while not paid (the
// bureau's « Annuler la vente »): no money moved either way.
func (r *Receipt) cancelled() bool { return r.unpaid() && !r.Refunded.IsZero() }

// words returns the words of the document: a receipt for a sale paid; a
// sale not paid yet is no receipt (money not received) but what is to
// pay, « À RÉGLER »; a sale cancelled before it was paid, « ANNULÉE ».
func (r *Receipt) words() receiptWords {
	if r.cancelled() { // nothing paid, nothing due
		return receiptWords{title: "ANNULÉE", buyer: "Au nom de", foot: "vente annulée", doc: "Vente annulée"}
	}
	if r.unpaid() {
		return receiptWords{title: "À RÉGLER", buyer: "Au nom de", foot: "à régler", doc: "À régler"}
	}
	return receiptWords{title: "REÇU", buyer: "Reçu de", foot: "reçu", doc: "Reçu"}
}

// WritePDF writes the receipt as a one-page A4 PDF, in French: titled
// « REÇU » when the sale was paid, « À RÉGLER » when it is not yet.
func (r *Receipt) WritePDF(w io.Writer) error {
	words := r.words()
	p := &pdfPage{}
	const left, right = 56.0, pageWidth - 56.0
	y := pageHeight - 72.0

	// Seller, top left; receipt number and date, top right.
	p.text(bold, 15, left, y, clip(r.Seller.Name, 45))
	p.textRight(bold, 20, right, y, words.title)
	y -= 18
	if r.Seller.Address != "" {
		p.text(regular, 9.5, left, y, clip(r.Seller.Address, 70))
	}
	p.text(regular, 10, right-150, y, "N° "+r.Number)
	y -= 13
	if r.Seller.SIRET != "" {
		p.text(regular, 9.5, left, y, "SIRET "+r.Seller.SIRET)
	}
	p.text(regular, 10, right-150, y, "Date : "+r.Date.Format("02/01/2006"))

	// Buyer.
	y -= 48
	p.text(bold, 10, left, y, words.buyer)
	y -= 14
	p.text(regular, 10, left, y, clip(r.Buyer.Name, 80))
	for _, s := range []string{r.Buyer.Address, r.Buyer.Email} {
		if s != "" {
			y -= 13
			p.text(regular, 10, left, y, clip(s, 80))
		}
	}

	// Lines.
	y -= 40
	amountHeader := "Montant"
	if r.Seller.VATRate > 0 {
		amountHeader = "Montant TTC"
	}
	p.text(bold, 10, left, y, "Désignation")
	p.textRight(bold, 10, right-110, y, "Qté")
	p.text(bold, 10, right-80, y, amountHeader)
	y -= 7
	p.line(left, y, right, y, 0.6)
	for _, l := range r.Lines {
		y -= 17
		p.text(regular, 10, left, y, clip(l.Label, 60))
		p.textRight(regular, 10, right-110, y, fmt.Sprint(l.Quantity))
		p.textRight(regular, 10, right, y, central.Money(l.Amount).French())
	}
	y -= 9
	p.line(left, y, right, y, 0.6)

	// Totals.
	total := func(label string, amount int64, font string) {
		y -= 17
		p.textRight(font, 10, right-110, y, label)
		p.textRight(font, 10, right, y, central.Money(amount).French())
	}
	if r.Seller.VATRate > 0 {
		total("Total HT", r.Net, regular)
		total(fmt.Sprintf("TVA %s %%", strings.TrimSuffix(strings.TrimSuffix(
			fmt.Sprintf("%d,%02d", r.Seller.VATRate/100, r.Seller.VATRate%100), "0"), ",0")), r.VAT, regular)
		total("Total TTC", r.Total, bold)
	} else {
		total("Total", r.Total, bold)
	}

	// Payment, refund, invoice.
	y -= 40
	p.text(regular, 10, left, y, clip(r.paidSentence(), 110))
	if !r.Refunded.IsZero() {
		y -= 16
		undone := "REMBOURSÉ le " // money went back
		if r.cancelled() {
			undone = "ANNULÉE le " // none came in
		}
		p.text(bold, 11, left, y, undone+r.Refunded.Format("02/01/2006")+".")
	}
	if r.Invoice != "" {
		y -= 14
		p.text(regular, 10, left, y, "Facture n° "+clip(r.Invoice, 40)+".")
	}

	// Legal mention, at the foot of the page.
	if r.Seller.VATRate == 0 && r.Seller.LegalMention != "" {
		p.text(regular, 9, left, 72, clip(r.Seller.LegalMention, 110))
	}
	p.line(left, 64, right, 64, 0.3)
	p.text(regular, 8, left, 52, clip(r.Seller.Name+" — "+words.foot+" "+r.Number, 110))
	return writePDF(w, p, words.doc+" "+r.Number, r.Date)
}
