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

// TestSpaceDonationReceiptsCommand: "centrald donations receipts --space"
// receipts the gifts to a space's own organisation in its association's
// name, from its own settings only (the network's issuing receipts and
// its details do not make up for the space's), numbered apart; the
// network's receipts stay its own gifts'; a donor of both gets both mails,
// each once; a space without books of its own is refused. On SQLite and
// on PostgreSQL.
func TestSpaceDonationReceiptsCommand(t *testing.T) { onEngines(t, testSpaceDonationReceiptsCommand) }

func testSpaceDonationReceiptsCommand(t *testing.T, c *cli) {
	if id := c.ok("space", "add", "--name", "Le Square"); id != "2" {
		t.Fatalf("space id %q", id)
	}
	c.ok("space", "add", "--name", "Le Hangar")
	c.ok("space", "set", "--space", "Le Square", "association.name", "Association du Square")
	c.ok("space", "set", "--space", "Le Square", "helloasso.client_id", "square")
	for k, v := range map[string]string{"donations.tax_receipts": "true", "association.address": "8 rue de la Paix, 75002 Paris",
		"association.object": "Fédérer des lieux", "association.rna": "W691234567", "smtp.host": "127.0.0.1", "smtp.from": "bureau@example.org"} {
		c.ok("settings", "set", k, v)
	}
	db, _ := c.store()
	ctx := central.NewContextWithActor(context.Background(), central.ActorSystem)
	when := time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)
	for _, g := range []struct {
		order, email, first string
		space               int64
		amount              int64
	}{{"100", "hugo@example.org", "Hugo", 0, 5000}, {"200", "hugo@example.org", "Hugo", 2, 3000}, {"300", "lea@example.org", "Léa", 2, 2000}} {
		o := &central.PaymentOrder{Source: central.SourceHelloAsso, ID: g.order, Form: "don", FormType: "Donation", Date: when, Space: g.space,
			Payer: central.Payer{Email: g.email, FirstName: g.first, LastName: "Dubois", Address: "1 rue du Lac", ZipCode: "69003", City: "Lyon"},
			Items: []central.PaymentItem{{ID: g.order + "1", Type: "Donation", Gift: true, Amount: g.amount, State: central.PaymentPaid}}}
		if _, err := sqlstore.NewPaymentService(db).RecordPaymentOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if list := c.ok("donations", "receipts", "--year", "2026"); list != "2026-1001\t50.00\tHugo Dubois\thugo@example.org" {
		t.Errorf("the network's receipts:\n%q", list)
	}
	if msg := c.fail("donations", "receipts", "--year", "2026", "--space", "Le Square"); !strings.Contains(msg, "Association du Square does not issue tax receipts") {
		t.Errorf("Le Square not issuing: %q", msg)
	}
	c.ok("space", "set", "--space", "2", "donations.tax_receipts", "true")
	if msg := c.fail("donations", "receipts", "--year", "2026", "--space", "2"); !strings.Contains(msg, "association.address, association.object, association.rna") {
		t.Errorf("Le Square's details missing: %q", msg)
	}
	for k, v := range map[string]string{"association.address": "5 rue du Square, 38000 Grenoble", "association.object": "Animer le Square",
		"association.rna": "W381234567"} {
		c.ok("space", "set", "--space", "Le Square", k, v)
	}
	out := t.TempDir()
	list := c.ok("donations", "receipts", "--year", "2026", "--space", "Le Square", "--out", out)
	lines := strings.Split(list, "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "2026-E2-2001\t30.00\tHugo Dubois\t") || !strings.HasPrefix(lines[1], "2026-E2-3001\t20.00\tLéa Dubois\t") {
		t.Fatalf("Le Square's receipts:\n%s", list)
	}
	if b, err := os.ReadFile(filepath.Join(out, "recu-fiscal-2026-E2-2001.pdf")); err != nil || !strings.HasPrefix(string(b), "%PDF-1.4") {
		t.Errorf("Le Square's PDF: %v", err)
	}
	c.ok("donations", "receipts", "--year", "2026", "--send")
	sent := c.ok("donations", "receipts", "--year", "2026", "--space", "Le Square", "--send")
	if strings.Count(sent, "e-mail queued") != 2 {
		t.Errorf("Le Square --send (Hugo's second receipt is another association's):\n%s", sent)
	}
	if again := c.ok("donations", "receipts", "--year", "2026", "--space", "2", "--send"); strings.Count(again, "already e-mailed") != 2 {
		t.Errorf("Le Square --send again:\n%s", again)
	}
	items, _, err := sqlstore.NewOutboxService(db).FindOutbox(ctx, central.OutboxFilter{TopicPrefix: email.Topic(email.KindTaxReceipt)})
	if err != nil || len(items) != 3 {
		t.Fatalf("outbox %d %v, want Hugo's two and Léa's", len(items), err)
	}
	issuers := map[int64]int{}
	for _, it := range items {
		_, p, err := email.ParsePayload(it.Topic, it.Payload)
		if err != nil {
			t.Fatal(err)
		}
		issuers[p.Issuer]++
		if p.Issuer == 2 && !strings.Contains(it.Key, ":space:2:") {
			t.Errorf("Le Square's mail key %q does not name it", it.Key)
		}
	}
	if issuers[0] != 1 || issuers[2] != 2 {
		t.Errorf("mails per association %v, want the network's 1 and Le Square's 2", issuers)
	}
	// The mail's attachment is Le Square's receipt, in its name.
	books := books(&database{Settings: sqlstore.NewSettingsService(db), Payment: sqlstore.NewPaymentService(db), Space: sqlstore.NewSpaceService(db)})
	r, err := taxReceiptPDFs{books}.TaxReceipt(ctx, 2, 2026, "e:hugo@example.org")
	if err != nil || r.Number != "2026-E2-2001" || r.Amount != 3000 {
		t.Errorf("Le Square's receipt for the mail %+v %v", r, err)
	}
	if msg := c.fail("donations", "receipts", "--year", "2026", "--space", "Le Hangar"); !strings.Contains(msg, "keeps no books of its own") {
		t.Errorf("Le Hangar: %q", msg)
	}
	if msg := c.fail("donations", "receipts", "--year", "2026", "--space", "Nowhere"); !strings.Contains(msg, "--space") {
		t.Errorf("an unknown space: %q", msg)
	}
}
