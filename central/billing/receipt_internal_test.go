package billing

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

var keep = os.Getenv("RECEIPT_KEEP") // a folder to keep the PDFs in, to look at them

func sample(rate int64) *Receipt {
	r := &Receipt{
		Number: ReceiptNumber(42),
		Date:   time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC),
		Seller: Seller{Name: "Mon Coworking (association loi 1901)", Address: "8 rue de la Paix, 75002 Paris",
			SIRET: "12345678900012", VATCode: "exempt", LegalMention: DefaultLegalMention},
		Buyer:    Party{Name: "Éloïse Dupré", Email: "eloise@example.org", Address: "3 rue Victor Hugo, 69002 Lyon"},
		Lines:    []Line{{Label: "Carte 10 entrées « coworking »", Quantity: 1, Amount: 123450}},
		Total:    123450,
		Net:      123450,
		PaidWith: "HelloAsso",
	}
	if rate > 0 {
		r.Seller.VATCode, r.Seller.VATRate = "FR_200", rate
		r.Net, r.VAT = SplitVAT(r.Total, rate)
	}
	return r
}

func render(t *testing.T, r *Receipt, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	if keep != "" {
		os.WriteFile(filepath.Join(keep, name+".pdf"), buf.Bytes(), 0o644)
	}
	return buf.Bytes()
}

// TestPDFStructure checks what readers rely on: the header, every xref
// offset pointing at its object, startxref pointing at the xref table, the
// stream length, the standard fonts in WinAnsiEncoding.
func TestPDFStructure(t *testing.T) {
	pdf := render(t, sample(0), "structure")
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(pdf, []byte("%%EOF\n")) {
		t.Fatal("no PDF header or trailer")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[xref:], []byte("xref\n0 8\n")) {
		t.Fatalf("startxref %d does not point at the xref table of 8 entries", xref)
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n \n`).FindAllSubmatch(pdf[xref:], -1)
	if len(entries) != 7 {
		t.Fatalf("%d xref entries, want 7", len(entries))
	}
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if want := strconv.Itoa(i+1) + " 0 obj\n"; !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Fatalf("xref entry %d (offset %d) does not point at %q", i+1, off, want)
		}
	}
	sm := regexp.MustCompile(`<< /Length (\d+) >>\nstream\n`).FindSubmatchIndex(pdf)
	if sm == nil {
		t.Fatal("no content stream")
	}
	n, _ := strconv.Atoi(string(pdf[sm[2]:sm[3]]))
	if !bytes.HasPrefix(pdf[sm[1]+n:], []byte("endstream")) {
		t.Fatal("stream /Length is wrong")
	}
	for _, want := range []string{"/BaseFont /Helvetica /Encoding /WinAnsiEncoding", "/BaseFont /Helvetica-Bold",
		`(RE\307U)`, `(Total)`, `1\240234,50\240\200`} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}

func TestPDFString(t *testing.T) {
	for in, want := range map[string]string{
		"abc":           "(abc)",
		"a(b)c\\":       `(a\(b\)c\\)`,
		"é€œ«»":         `(\351\200\234\253\273)`,
		"日本\x00\n":      "(??  )",
		"art. 261-7-1°": `(art. 261-7-1\260)`,
	} {
		if got := pdfString(in); got != want {
			t.Errorf("pdfString(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestPDFText reads the receipts back with pdftotext (poppler-utils),
// when it is installed: a real reader finds the French text and amounts.
func TestPDFText(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	for name, tc := range map[string]struct {
		r      *Receipt
		want   []string
		absent []string // what it must not say
	}{
		"Exempt": {sample(0), []string{"REÇU", "Reçu de", "N° R-000042", "Date : 20/11/2026", "Éloïse Dupré", "SIRET 12345678900012",
			"Carte 10 entrées « coworking »", "1 234,50 €", "Payé via HelloAsso.", "TVA non applicable, art. 261-7-1° du CGI",
			"reçu R-000042"}, []string{"À RÉGLER"}},
		"VAT": {sample(2000), []string{"Total HT", "1 028,75 €", "TVA 20 %", "205,75 €", "Total TTC", "1 234,50 €"}, nil},
		"Refunded": {func() *Receipt {
			r := sample(0)
			r.Refunded, r.Invoice = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), "F-2026-0007"
			return r
		}(), []string{"REÇU", "REMBOURSÉ le 25/11/2026.", "Facture n° F-2026-0007."}, nil},
		// A sale recorded "not paid yet" says so: its receipt is no proof
		// of a payment (it said "Payé."). Nor is it titled « REÇU » (money
		// received), nor names its buyer « Reçu de »: it is what she
		// has to pay, « À RÉGLER ».
		"Unpaid": {func() *Receipt {
			r := sample(0)
			r.PaidWith, r.Payment = "", central.PaidBy{Method: central.Unpaid}
			return r
		}(), []string{"À RÉGLER", "Au nom de", "Pas encore payé.", "N° R-000042", "à régler R-000042"}, []string{"REÇU", "Reçu", "reçu"}},
		// A sale cancelled while not paid (« Annuler la vente ») said
		// « REMBOURSÉ le … » under « Pas encore payé. »: no money moved,
		// nothing is due. It says cancelled.
		"Cancelled": {func() *Receipt {
			r := sample(0)
			r.PaidWith, r.Payment = "", central.PaidBy{Method: central.Unpaid}
			r.Refunded = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
			return r
		}(), []string{"ANNULÉE\n", "Au nom de", "Non payée.", "ANNULÉE le 25/11/2026.", "vente annulée R-000042"},
			[]string{"REMBOURSÉ", "REÇU", "Reçu", "À RÉGLER", "Pas encore payé"}},
		// A payment by hand says how and on which day the money came.
		"Cheque": {func() *Receipt {
			r := sample(0)
			r.PaidWith = ""
			r.Payment = central.PaidBy{Method: central.PaidCheque, Day: access.Day{Year: 2026, Month: 11, Day: 21},
				Bank: "Crédit Mutuel", Number: "1234567", Payer: "Jean Dupré"}
			return r
		}(), []string{"Payé par chèque le 21/11/2026 (Crédit Mutuel, n° 1234567, payeur : Jean Dupré)."}, nil},
		"Cash": {func() *Receipt {
			r := sample(0)
			r.PaidWith, r.Payment = "", central.PaidBy{Method: central.PaidCash, Day: access.Day{Year: 2026, Month: 11, Day: 20}}
			return r
		}(), []string{"REÇU", "Payé en espèces le 20/11/2026."}, []string{"À RÉGLER"}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "r.pdf")
			if err := os.WriteFile(path, render(t, tc.r, name), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "-layout", path, "-").CombinedOutput()
			if err != nil {
				t.Fatalf("pdftotext: %v\n%s", err, out)
			}
			text := strings.ReplaceAll(string(out), "\u00a0", " ")
			if strings.Contains(text, "Syntax Error") {
				t.Fatalf("pdftotext reports errors:\n%s", out)
			}
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("text lacks %q:\n%s", want, text)
				}
			}
			for _, no := range tc.absent {
				if strings.Contains(text, no) {
					t.Errorf("text says %q:\n%s", no, text)
				}
			}
		})
	}
}
