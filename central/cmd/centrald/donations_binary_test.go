package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// TestSpaceDonationReceiptsBinary runs the real centrald as scripts do:
// "donations receipts" prints the network's receipts exactly as before
// (its own gifts only), "--space NAME" a space's, numbered apart, in its
// association's name, with their PDFs; a space without books of its own
// is refused with a clear error and exit code 2.
func TestSpaceDonationReceiptsBinary(t *testing.T) {
	bin := bintest.Build(t, ".")
	data := t.TempDir()
	centrald := binaryRunner(t, bin, data)
	must := func(args ...string) string {
		t.Helper()
		out, errOut, code := centrald(args...)
		if code != 0 {
			t.Fatalf("centrald %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	if out := must("space", "add", "--name", "Le Square"); out != "2\n" {
		t.Fatalf("space add: %q", out)
	}
	must("space", "add", "--name", "Le Hangar")
	for _, kv := range [][2]string{{"association.name", "Association du Square"}, {"helloasso.client_id", "square"},
		{"donations.tax_receipts", "true"}, {"association.address", "5 rue du Square, 38000 Grenoble"},
		{"association.object", "Animer le Square"}, {"association.rna", "W381234567"}} {
		must("space", "set", "--space", "Le Square", kv[0], kv[1])
	}
	for _, kv := range [][2]string{{"donations.tax_receipts", "true"}, {"association.address", "8 rue de la Paix, 75002 Paris"},
		{"association.object", "Fédérer des lieux"}, {"association.rna", "W691234567"}} {
		must("settings", "set", kv[0], kv[1])
	}

	// The gifts, as the billing worker records them (the store's use case).
	db := sqlite.NewDB(data)
	db.Reactions = reactions()
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	ctx := central.NewContextWithActor(context.Background(), central.ActorSystem)
	for _, g := range []struct {
		order, email, first string
		space, cents        int64
	}{{"100", "hugo@example.org", "Hugo", 0, 5000}, {"200", "hugo@example.org", "Hugo", 2, 3000}, {"300", "lea@example.org", "Léa", 2, 2000}} {
		o := &central.PaymentOrder{Source: central.SourceHelloAsso, ID: g.order, Form: "don", FormType: "Donation", Space: g.space,
			Date:  time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC),
			Payer: central.Payer{Email: g.email, FirstName: g.first, LastName: "Dubois", Address: "1 rue du Lac", City: "Lyon"},
			Items: []central.PaymentItem{{ID: g.order + "1", Type: "Donation", Gift: true, Amount: g.cents, State: central.PaymentPaid}}}
		if _, err := sqlstore.NewPaymentService(db.DB).RecordPaymentOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	out, errOut, code := centrald("donations", "receipts", "--year", "2026")
	if out != "2026-1001\t50.00\tHugo Dubois\thugo@example.org\t\n" || errOut != "1 tax receipt(s) for 2026\n" || code != 0 {
		t.Errorf("the network's receipts: %q %q exit %d", out, errOut, code)
	}
	pdfs := t.TempDir()
	out, errOut, code = centrald("donations", "receipts", "--year", "2026", "--space", "Le Square", "--out", pdfs)
	want := "2026-E2-2001\t30.00\tHugo Dubois\thugo@example.org\t" + filepath.Join(pdfs, "recu-fiscal-2026-E2-2001.pdf") + "\n" +
		"2026-E2-3001\t20.00\tLéa Dubois\tlea@example.org\t" + filepath.Join(pdfs, "recu-fiscal-2026-E2-3001.pdf") + "\n"
	if out != want || errOut != "2 tax receipt(s) for 2026\n" || code != 0 {
		t.Errorf("Le Square's receipts:\n%q\nwant\n%q\n%q exit %d", out, want, errOut, code)
	}
	if b, err := os.ReadFile(filepath.Join(pdfs, "recu-fiscal-2026-E2-2001.pdf")); err != nil || !strings.HasPrefix(string(b), "%PDF-1.4") {
		t.Errorf("Le Square's PDF: %v", err)
	}
	out, errOut, code = centrald("donations", "receipts", "--year", "2026", "--space", "Le Hangar")
	if out != "" || !strings.Contains(errOut, `space "Le Hangar" keeps no books of its own: its gifts are the network's donations`) || code != 2 {
		t.Errorf("Le Hangar: %q %q exit %d, want refused with exit 2", out, errOut, code)
	}
}
