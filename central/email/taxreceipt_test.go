package email_test

import (
	"context"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
)

// taxReceipts stands for central/billing's tax receipts.
type taxReceipts struct{}

func (taxReceipts) TaxReceipt(_ context.Context, year int, donor string) (*email.Receipt, error) {
	if donor != "e:hugo@example.org" || year != 2026 {
		return nil, central.Errorf(central.ENOTFOUND, "No tax receipt of %d for this donor.", year)
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
