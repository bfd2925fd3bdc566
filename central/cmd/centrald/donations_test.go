package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestDonationReceiptsCommand: "centrald donations receipts" refuses
// until the association says it issues tax receipts and gives its
// details; then lists one receipt per donor, writes their PDFs, and with
// e-mail set up queues each donor's mail once, however often it runs. On
// SQLite and on PostgreSQL (issue 13).
func TestDonationReceiptsCommand(t *testing.T) { onEngines(t, testDonationReceiptsCommand) }

func testDonationReceiptsCommand(t *testing.T, c *cli) {
	c.ok("member", "add", "--name", "Hugo Dubois") // the store exists
	db, _ := c.store()
	ctx := central.NewContextWithActor(context.Background(), central.ActorSystem)
	paris, _ := time.LoadLocation("Europe/Paris")
	for i, d := range []struct {
		email, first, last string
		amount             int64
		when               time.Time
	}{
		{"hugo@example.org", "Hugo", "Dubois", 5000, time.Date(2026, 3, 14, 10, 0, 0, 0, paris)},
		{"hugo@example.org", "Hugo", "Dubois", 3000, time.Date(2026, 11, 2, 10, 0, 0, 0, paris)},
		{"", "Anne", "Onyme", 1000, time.Date(2026, 6, 1, 10, 0, 0, 0, paris)},
		{"old@example.org", "Old", "Year", 9900, time.Date(2025, 6, 1, 10, 0, 0, 0, paris)},
	} {
		ref := string(rune('1'+i)) + "00"
		o := &central.PaymentOrder{Source: central.SourceHelloAsso, ID: ref, Form: "don", FormType: "Donation", Date: d.when,
			Payer: central.Payer{Email: d.email, FirstName: d.first, LastName: d.last, Address: "1 rue du Lac", ZipCode: "69003", City: "Lyon"},
			Items: []central.PaymentItem{{ID: ref + "1", Type: "Donation", Gift: true, Amount: d.amount, State: central.PaymentPaid}}}
		if _, err := sqlstore.NewPaymentService(db).RecordPaymentOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if msg := c.fail("donations", "receipts", "--year", "2026"); !strings.Contains(msg, "donations.tax_receipts") {
		t.Errorf("not allowed: %q", msg)
	}
	c.ok("settings", "set", "donations.tax_receipts", "true")
	if msg := c.fail("donations", "receipts", "--year", "2026"); !strings.Contains(msg, "association.address, association.object, association.rna") {
		t.Errorf("details missing: %q", msg)
	}
	for k, v := range map[string]string{"association.address": "8 rue de la Paix, 75002 Paris",
		"association.object": "Animer un lieu de travail partagé", "association.rna": "W691234567"} {
		c.ok("settings", "set", k, v)
	}
	out := t.TempDir()
	list := c.ok("donations", "receipts", "--year", "2026", "--out", out)
	lines := strings.Split(list, "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "2026-3001\t10.00\tAnne Onyme\t\t") ||
		!strings.HasPrefix(lines[1], "2026-1001\t80.00\tHugo Dubois\thugo@example.org\t") {
		t.Fatalf("receipts:\n%s", list)
	}
	for _, n := range []string{"2026-1001", "2026-3001"} {
		if b, err := os.ReadFile(filepath.Join(out, "recu-fiscal-"+n+".pdf")); err != nil || !strings.HasPrefix(string(b), "%PDF-1.4") {
			t.Errorf("PDF %s: %v", n, err)
		}
	}
	if msg := c.fail("donations", "receipts", "--year", "2026", "--send"); !strings.Contains(msg, "smtp.host") {
		t.Errorf("--send without e-mail: %q", msg)
	}
	c.ok("settings", "set", "smtp.host", "127.0.0.1")
	c.ok("settings", "set", "smtp.from", "bureau@example.org")
	sent := c.ok("donations", "receipts", "--year", "2026", "--send")
	if !strings.Contains(sent, "Hugo Dubois\thugo@example.org\te-mail queued") || !strings.Contains(sent, "Anne Onyme\t\tno e-mail address") {
		t.Errorf("--send:\n%s", sent)
	}
	if again := c.ok("donations", "receipts", "--year", "2026", "--send"); !strings.Contains(again, "hugo@example.org\talready e-mailed") {
		t.Errorf("--send again:\n%s", again)
	}
	items, _, err := sqlstore.NewOutboxService(db).FindOutbox(ctx, central.OutboxFilter{TopicPrefix: email.Topic(email.KindTaxReceipt)})
	if err != nil || len(items) != 1 {
		t.Fatalf("outbox %+v %v", items, err)
	}
	_, p, err := email.ParsePayload(items[0].Topic, items[0].Payload)
	if err != nil || p.Email != "hugo@example.org" || p.Year != 2026 || p.Name != "Hugo Dubois" {
		t.Errorf("payload %+v %v", p, err)
	}
	// The mail's attachment is made when it is sent: the handler's.
	r, err := taxReceiptPDFs{books(&database{Settings: sqlstore.NewSettingsService(db), Payment: sqlstore.NewPaymentService(db)})}.TaxReceipt(ctx, 0, 2026, p.Donor)
	if err != nil || r.Number != "2026-1001" || r.Amount != 8000 || !strings.HasPrefix(string(r.PDF), "%PDF") {
		t.Errorf("the mail's receipt %+v %v", r, err)
	}
}
