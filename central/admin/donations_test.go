package admin_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// donate records a HelloAsso donation order as the billing worker does.
func (b *billingEnv) donate(order, email, first, last string, amount int64, when time.Time) {
	b.t.Helper()
	o := &central.PaymentOrder{Source: central.SourceHelloAsso, ID: order, Form: "faire-un-don", FormType: "Donation", Date: when,
		Payer: central.Payer{Email: email, FirstName: first, LastName: last, Address: "3 rue Victor Hugo", ZipCode: "69002",
			City: "Lyon", Country: "FR"},
		Items: []central.PaymentItem{{ID: order + "1", Type: "Donation", Amount: amount, State: central.PaymentPaid}}}
	if _, err := b.payments.RecordPaymentOrder(b.ctx(), o); err != nil {
		b.t.Fatal(err)
	}
}

// TestDonationsPage: the treasurer's donations page lists a year's
// donations and the totals per year (a refunded one does not count); the
// CSV opens in French Excel (byte order mark, semicolons, French headers,
// decimal commas) and is raw with ?format=raw; donations are not on the
// payments to assign.
func TestDonationsPage(t *testing.T) {
	b := newBillingEnv(t)
	paris, _ := time.LoadLocation("Europe/Paris")
	b.donate("901", "hugo@example.org", "Hugo", "Dubois", 5000, time.Date(2026, 3, 14, 10, 0, 0, 0, paris))
	b.donate("902", "alice@example.org", "Alice", "Martin", 2500, time.Date(2026, 11, 20, 10, 0, 0, 0, paris))
	b.donate("903", "zoe@example.org", "Zoé", "Petit", 1000, time.Date(2026, 11, 21, 10, 0, 0, 0, paris))
	// 31 December 23:30 in Paris is 2025 there, 22:30 UTC.
	b.donate("904", "hugo@example.org", "Hugo", "Dubois", 3000, time.Date(2025, 12, 31, 23, 30, 0, 0, paris))
	refund := &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "903", Form: "faire-un-don", FormType: "Donation",
		Date: time.Date(2026, 11, 21, 10, 0, 0, 0, paris), Payer: central.Payer{Email: "zoe@example.org", FirstName: "Zoé", LastName: "Petit"},
		Items: []central.PaymentItem{{ID: "9031", Type: "Donation", Amount: 1000, State: central.PaymentRefunded, Reversal: central.ReasonRefund}}}
	if _, err := b.payments.RecordPaymentOrder(b.ctx(), refund); err != nil {
		t.Fatal(err)
	}

	c := b.as(central.RoleReadOnly)
	resp, body := c.get("/donations?year=2026")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Dons 2026", "2 don(s) cette année : 75,00", "Hugo Dubois", "Alice Martin", "Zoé Petit", "Remboursé",
		`<a href="/donations?year=2025">2025</a>`, "30,00")
	if !strings.Contains(body, `href="/members/`+itoa(b.alice)+`">Alice Martin`) {
		t.Error("Alice's donation does not link to her")
	}
	_, body = c.get("/payments")
	if n := strings.Count(body, `id="payment-`); n != 1 { // Alice's card, paid with another address
		t.Errorf("%d payments to assign, want 1: a donation waits there", n)
	}

	resp, body = c.get("/donations.csv?year=2026")
	mustStatus(t, resp, http.StatusOK)
	if !strings.HasPrefix(body, "\ufeffDate et heure;Donateur;") {
		t.Fatalf("CSV header %q", strings.SplitN(body, "\n", 2)[0])
	}
	mustContain(t, body, ";Hugo Dubois;hugo@example.org;3 rue Victor Hugo;69002;Lyon;FR;50,00;faire-un-don;helloasso;Reçu;",
		"14/03/2026 10:00:00", ";Zoé Petit;", ";Remboursé;")
	if strings.Contains(body, "30,00") {
		t.Error("the 2025 donation is in 2026's CSV")
	}
	_, raw := c.get("/donations.csv?year=2025&format=raw")
	if !strings.HasPrefix(raw, "time,donor,email,") || !strings.Contains(raw, "2025-12-31T22:30:00Z,Hugo Dubois,") || !strings.Contains(raw, ",30.00,") {
		t.Errorf("raw CSV:\n%s", raw)
	}
	b.as(central.RoleDoor).get("/donations") // door staff: refused (the route table checks every role)
}
