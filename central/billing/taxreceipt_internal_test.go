package billing

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

func TestEurosInWords(t *testing.T) {
	for cents, want := range map[int64]string{
		0:          "zéro euro",
		1:          "un centime",
		45:         "quarante-cinq centimes",
		100:        "un euro",
		101:        "un euro et un centime",
		2000:       "vingt euros",
		2100:       "vingt et un euros",
		7100:       "soixante et onze euros",
		7200:       "soixante-douze euros",
		8000:       "quatre-vingts euros",
		8100:       "quatre-vingt-un euros",
		9100:       "quatre-vingt-onze euros",
		9900:       "quatre-vingt-dix-neuf euros",
		10000:      "cent euros",
		20000:      "deux cents euros",
		20100:      "deux cent un euros",
		100000:     "mille euros",
		123450:     "mille deux cent trente-quatre euros et cinquante centimes",
		200000:     "deux mille euros",
		8000000:    "quatre-vingt mille euros",
		20000000:   "deux cent mille euros",
		20050000:   "deux cent mille cinq cents euros",
		100000000:  "un million d’euros",
		250000000:  "deux millions cinq cent mille euros",
		300000000:  "trois millions d’euros",
		1700:       "dix-sept euros",
		99:         "quatre-vingt-dix-neuf centimes",
		1234567899: "douze millions trois cent quarante-cinq mille six cent soixante-dix-huit euros et quatre-vingt-dix-neuf centimes",
	} {
		if got := EurosInWords(cents); got != want {
			t.Errorf("EurosInWords(%d) = %q, want %q", cents, got, want)
		}
	}
}

func donation(ref, email, name string, amount int64, when time.Time, status central.PaymentStatus) *central.Payment {
	return &central.Payment{Source: central.SourceHelloAsso, ExternalRef: ref, FormType: "Donation", ItemType: "Donation", Gift: true,
		Amount: amount, Date: when, PayerEmail: email, PayerName: name, State: central.PaymentPaid, Status: status,
		Reason: central.ReasonDonation, PayerAddress: central.Payer{Address: "3 rue Victor Hugo", ZipCode: "69002", City: "Lyon"}}
}

// TestTaxReceipts: one receipt per donor and year, of her donations kept
// that year in the space's time zone (a refunded one and another year's
// left out), numbered by the year and her first gift, by donor name.
func TestTaxReceipts(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(s string) time.Time { tm, _ := time.ParseInLocation("2006-01-02 15:04", s, paris); return tm }
	refunded := donation("905", "zoe@example.org", "Zoé Petit", 1000, at("2026-05-01 10:00"), central.PaymentReversed)
	refunded.Reason = central.ReasonRefund
	ps := []*central.Payment{
		donation("903", "hugo@example.org", "Hugo Dubois", 3000, at("2026-11-02 10:00"), central.PaymentIgnored),
		donation("901", "HUGO@example.org", "Hugo Dubois", 5000, at("2026-01-01 00:30"), central.PaymentIgnored),
		donation("900", "hugo@example.org", "Hugo Dubois", 7000, at("2025-12-31 23:30"), central.PaymentIgnored),
		donation("902", "alice@example.org", "Alice Martin", 2500, at("2026-06-15 09:00"), central.PaymentIgnored),
		refunded,
		{Source: central.SourceHelloAsso, ExternalRef: "906", ItemType: "Product", Amount: 12000, Date: at("2026-03-01 10:00"),
			PayerEmail: "alice@example.org", State: central.PaymentPaid, Status: central.PaymentCredited},
	}
	iss := Issuer{Name: "Mon Coworking", Address: "8 rue de la Paix, 75002 Paris", Object: "Animer un lieu de travail partagé",
		RNA: "W691234567", Articles: []string{"200", "238 bis"}}
	rs := TaxReceipts(ps, 2026, paris, iss, at("2027-01-10 09:00"))
	if len(rs) != 2 {
		t.Fatalf("%d receipts, want Alice's and Hugo's: %+v", len(rs), rs)
	}
	alice, hugo := rs[0], rs[1]
	if alice.Donor.Name != "Alice Martin" || alice.Number != "2026-902" || alice.Total != 2500 || len(alice.Gifts) != 1 {
		t.Errorf("Alice's receipt %+v", alice)
	}
	if hugo.Number != "2026-901" || hugo.Total != 8000 || len(hugo.Gifts) != 2 || hugo.Donor.Address != "3 rue Victor Hugo, 69002 Lyon" ||
		!hugo.Gifts[0].Date.Equal(at("2026-01-01 00:30")) {
		t.Errorf("Hugo's receipt %+v", hugo)
	}
	if rs := TaxReceipts(ps, 2025, paris, iss, time.Now()); len(rs) != 1 || rs[0].Total != 7000 {
		t.Errorf("2025: %+v", rs)
	}

	// The PDF, read back by a real reader when poppler-utils is there.
	text, out := receiptText(t, hugo, "tax-receipt.pdf")
	for _, want := range []string{"Reçu au titre des dons à certains organismes d’intérêt général", "CERFA n° 11580", "N° 2026-901",
		"Mon Coworking", "8 rue de la Paix, 75002 Paris", "Animer un lieu de travail partagé", "W691234567",
		"Hugo Dubois", "3 rue Victor Hugo, 69002 Lyon", "pour l’année 2026", "80,00 €", "quatre-vingts euros",
		"01/01/2026", "02/11/2026", "50,00 €", "30,00 €", "Carte bancaire, prélèvement ou virement (HelloAsso)",
		"Déclaration de don manuel", "Numéraire", "article 200, à l’article 238 bis du code général des impôts",
		"Fait le 10/01/2027"} {
		if !strings.Contains(text, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, out)
		}
	}
}

// receiptText returns the text of a receipt's PDF as a real reader reads
// it (words joined by one space) and as it printed it; the test is
// skipped without poppler-utils. KEEP keeps the PDF as name.
func receiptText(t *testing.T, r *TaxReceipt, name string) (text string, out []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WritePDF(&buf); err != nil {
		t.Fatal(err)
	}
	if keep != "" {
		os.WriteFile(filepath.Join(keep, name), buf.Bytes(), 0o644)
	}
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(bin, "-layout", path, "-").CombinedOutput()
	if err != nil || strings.Contains(string(out), "Syntax Error") {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " "), out
}

// TestSpaceTaxReceipts: a space's association (Issuer.Space) receipts the
// gifts to its own organisation only, never the network's, and numbers
// them apart: the same donor's first gift of the year gives two numbers,
// one per association. Its PDF names its association.
func TestSpaceTaxReceipts(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(s string) time.Time { tm, _ := time.ParseInLocation("2006-01-02 15:04", s, paris); return tm }
	ofSpace := func(p *central.Payment, space int64) *central.Payment { p.Space = space; return p }
	ps := []*central.Payment{
		donation("901", "hugo@example.org", "Hugo Dubois", 5000, at("2026-02-01 10:00"), central.PaymentIgnored),
		ofSpace(donation("902", "hugo@example.org", "Hugo Dubois", 3000, at("2026-01-15 10:00"), central.PaymentIgnored), 3),
		ofSpace(donation("903", "hugo@example.org", "Hugo Dubois", 1000, at("2026-03-15 10:00"), central.PaymentIgnored), 3),
		ofSpace(donation("904", "zoe@example.org", "Zoé Petit", 4000, at("2026-04-15 10:00"), central.PaymentIgnored), 4),
	}
	network := Issuer{Name: "Réseau des Tiers-Lieux", Address: "1 place Bellecour, 69002 Lyon", Object: "Fédérer des lieux",
		RNA: "W691111111", Articles: []string{"200"}}
	square := Issuer{Name: "Association du Square", Address: "5 rue du Square, 38000 Grenoble", Object: "Animer le Square",
		RNA: "W381234567", Articles: []string{"200", "238 bis"}, Space: 3}
	rs := TaxReceipts(ps, 2026, paris, network, at("2027-01-10 09:00"))
	if len(rs) != 1 || rs[0].Number != "2026-901" || rs[0].Total != 5000 {
		t.Fatalf("the network's receipts %+v, want Hugo's of its own gift only", rs)
	}
	rs = TaxReceipts(ps, 2026, paris, square, at("2027-01-10 09:00"))
	if len(rs) != 1 || rs[0].Number != "2026-E3-902" || rs[0].Total != 4000 || len(rs[0].Gifts) != 2 || rs[0].Issuer.Name != square.Name {
		t.Fatalf("the Square's receipts %+v, want Hugo's of its two gifts, numbered apart", rs)
	}
	text, out := receiptText(t, rs[0], "space-tax-receipt.pdf")
	for _, want := range []string{"N° 2026-E3-902", "Association du Square", "5 rue du Square, 38000 Grenoble", "Animer le Square",
		"W381234567", "Hugo Dubois", "40,00 €", "quarante euros", "Fait le 10/01/2027, pour Association du Square",
		"Association du Square — reçu fiscal 2026-E3-902"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Square's receipt lacks %q:\n%s", want, out)
		}
	}
	for _, never := range []string{"Réseau des Tiers-Lieux", "W691111111", "2026-901"} {
		if strings.Contains(text, never) {
			t.Errorf("the Square's receipt shows the network's %q:\n%s", never, out)
		}
	}
}

func TestTaxSettings(t *testing.T) {
	for in, want := range map[string]string{"": "", "w691234567": "W691234567", "123 456 789": "123456789",
		"w2a1001234": "W2A1001234", "W2B 200 0547": "W2B2000547", "W9R2001234": "W9R2001234", "W974001234": "W974001234"} {
		if got, err := validateRNA(in); err != nil || got != want {
			t.Errorf("validateRNA(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"W12345678", "12345678901234", "X123456789", "W2A10012345", "WA21001234", "W2AB001234", "W2A10012AB", "12345678A"} {
		if _, err := validateRNA(bad); err == nil {
			t.Errorf("validateRNA(%q) accepted", bad)
		}
	}
	if got, err := validateArticles(" 200 ,238  bis"); err != nil || got != "200, 238 bis" {
		t.Errorf("validateArticles: %q %v", got, err)
	}
	for _, bad := range []string{"", "201", "200, 200"} {
		if _, err := validateArticles(bad); err == nil {
			t.Errorf("validateArticles(%q) accepted", bad)
		}
	}
	set := central.Settings{SettingTaxReceipts: "true", SettingAssociationAddress: "8 rue de la Paix"}
	if _, ok, missing := TaxReceiptsAllowed(set); !ok || strings.Join(missing, " ") != "association.object association.rna" {
		t.Errorf("allowed %v, missing %v", ok, missing)
	}
}
