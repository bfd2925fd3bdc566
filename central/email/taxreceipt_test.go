package email_test

import (
	"context"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// taxReceipts stands for central/billing's tax receipts.
type taxReceipts struct{}

// Hugo gave to the network (space 0) and to space 2's association.
func (taxReceipts) TaxReceipt(_ context.Context, space int64, year int, donor string) (*email.Receipt, error) {
	switch {
	case donor != "e:hugo@example.org" || year != 2026 || space != 0 && space != 2:
		return nil, central.Errorf(central.ENOTFOUND, "No tax receipt of %d for this donor.", year)
	case space == 2:
		return &email.Receipt{Number: "2026-E2-9021", Amount: 3000, PDF: []byte("%PDF-square")}, nil
	}
	return &email.Receipt{Number: "2026-9011", Amount: 8000, PDF: pdf}, nil
}

// TestTaxReceiptMail: a donor, member or not, receives her tax receipt of
// a year at the address she gave, its PDF attached, once however often it
// is queued; a receipt that no longer exists is skipped, not sent.
func TestTaxReceiptMail(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	f.worker.Handler.TaxReceipts = taxReceipts{}
	msg, err := email.TaxReceiptMessage(2026, "e:hugo@example.org", "hugo@example.org", "Hugo Dubois")
	if err != nil {
		t.Fatal(err)
	}
	gone, err := email.TaxReceiptMessage(2026, "e:zoe@example.org", "zoe@example.org", "Zoé Petit")
	if err != nil {
		t.Fatal(err)
	}
	f.enqueue(msg)
	f.enqueue(msg)
	f.enqueue(gone)
	f.run(func() bool { return f.finished(msg.Key)() && f.finished(gone.Key)() })
	if it := f.item(gone.Key); it.Outcome != central.OutcomeSkipped || !strings.Contains(it.Error, "no tax receipt") {
		t.Errorf("Zoé's: %q %q, want skipped", it.Outcome, it.Error)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "hugo@example.org" {
		t.Fatalf("%d mails, want Hugo's", len(msgs))
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Votre reçu fiscal 2026 — La Ruche" || !strings.HasPrefix(p.Text, "Bonjour Hugo,") ||
		!strings.Contains(p.Text, "n° 2026-9011") || !strings.Contains(p.Text, "80,00\u00a0€") {
		t.Errorf("mail %q\n%s", p.Subject, p.Text)
	}
	if len(p.Attachments) != 1 || p.Attachments[0].Name != "recu-fiscal-2026-9011.pdf" || string(p.Attachments[0].Data) != string(pdf) {
		t.Errorf("attachments %+v", p.Attachments)
	}
	if strings.Contains(p.Header.Get("List-Unsubscribe"), "http") {
		t.Error("a tax receipt is transactional: no unsubscribe link")
	}
	if _, err := email.TaxReceiptMessage(1999, "e:x", "x@example.org", "X"); err == nil {
		t.Error("a tax receipt of 1999 accepted")
	}
}

// TestSpaceTaxReceiptMail: a donor who gave to the network and to a
// space's own association gets both receipts (two keys), each once
// however often it is queued, each from its association (From, subject)
// with its own PDF; the space's never names the network's association.
func TestSpaceTaxReceiptMail(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	spaces := sqlstore.NewSpaceService(f.db.DB)
	square := &central.Space{Name: "Le Square"}
	if err := spaces.CreateSpace(f.ctx, square); err != nil {
		t.Fatal(err)
	}
	if square.ID != 2 {
		t.Fatalf("space %d, want 2", square.ID)
	}
	if err := spaces.SetSpaceBooks(f.ctx, square.ID, central.SettingAssociationName, "Association du Square"); err != nil {
		t.Fatal(err)
	}
	f.worker.Handler.Spaces, f.worker.Handler.TaxReceipts = spaces, taxReceipts{}
	network, err := email.TaxReceiptMessage(2026, "e:hugo@example.org", "hugo@example.org", "Hugo Dubois")
	if err != nil {
		t.Fatal(err)
	}
	ofSquare, err := email.SpaceTaxReceiptMessage(square.ID, 2026, "e:hugo@example.org", "hugo@example.org", "Hugo Dubois")
	if err != nil {
		t.Fatal(err)
	}
	if same, _ := email.SpaceTaxReceiptMessage(0, 2026, "e:hugo@example.org", "hugo@example.org", "Hugo Dubois"); same.Key != network.Key {
		t.Errorf("the network's key %q differs from TaxReceiptMessage's %q", same.Key, network.Key)
	}
	if ofSquare.Key == network.Key {
		t.Fatalf("one key %q for two associations' receipts", network.Key)
	}
	f.enqueue(network)
	f.enqueue(ofSquare)
	f.enqueue(ofSquare)
	f.run(func() bool { return f.finished(network.Key)() && f.finished(ofSquare.Key)() })
	msgs := f.srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d mails, want Hugo's two receipts", len(msgs))
	}
	for _, m := range msgs {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		from := p.Header.Get("From")
		if len(p.Attachments) != 1 {
			t.Fatalf("attachments %+v", p.Attachments)
		}
		switch p.Attachments[0].Name {
		case "recu-fiscal-2026-E2-9021.pdf":
			if p.Subject != "Votre reçu fiscal 2026 — Association du Square" || !strings.Contains(from, "Association du Square") ||
				!strings.Contains(p.Text, "n° 2026-E2-9021") || strings.Contains(from+p.Text+p.Subject, "La Ruche") {
				t.Errorf("Le Square's receipt mail from %q, %q\n%s", from, p.Subject, p.Text)
			}
		case "recu-fiscal-2026-9011.pdf":
			if p.Subject != "Votre reçu fiscal 2026 — La Ruche" || strings.Contains(from+p.Text, "Square") {
				t.Errorf("the network's receipt mail from %q, %q\n%s", from, p.Subject, p.Text)
			}
		default:
			t.Errorf("attachment %q", p.Attachments[0].Name)
		}
	}
	if _, err := email.SpaceTaxReceiptMessage(-1, 2026, "e:x", "x@example.org", "X"); err == nil {
		t.Error("a tax receipt of space -1 accepted")
	}
}
