package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// donate records a HelloAsso donation order as the billing worker does.
func (b *billingEnv) donate(order, email, first, last string, amount int64, when time.Time) {
	b.t.Helper()
	o := &central.PaymentOrder{Source: central.SourceHelloAsso, ID: order, Form: "faire-un-don", FormType: "Donation", Date: when,
		Payer: central.Payer{Email: email, FirstName: first, LastName: last, Address: "3 rue Victor Hugo", ZipCode: "69002",
			City: "Lyon", Country: "FR"},
		Items: []central.PaymentItem{{ID: order + "1", Type: "Donation", Gift: true, Amount: amount, State: central.PaymentPaid}}}
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
		Items: []central.PaymentItem{{ID: "9031", Type: "Donation", Gift: true, Amount: 1000, State: central.PaymentRefunded, Reversal: central.ReasonRefund}}}
	if _, err := b.payments.RecordPaymentOrder(b.ctx(), refund); err != nil {
		t.Fatal(err)
	}

	c := b.as(central.RoleReadOnly)
	resp, body := c.get("/donations?year=2026")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Dons 2026", "2 dons cette année\u00a0: 75,00", "Hugo Dubois", "Alice Martin", "Zoé Petit", "Remboursé",
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

// sentReceipts stands for centrald's tax receipt sender.
type sentReceipts struct {
	years  []int
	spaces []int64 // whose association's receipts were sent (0: the network's)
	err    error
}

func (s *sentReceipts) SendTaxReceipts(_ context.Context, space int64, year int) (int, int, error) {
	if s.err != nil {
		return 0, 0, s.err
	}
	s.years, s.spaces = append(s.years, year), append(s.spaces, space)
	return 2, 1, nil
}

// TestDonationReceiptsButton: the treasurer e-mails a year's tax receipts
// from the donations page after a confirmation (303 back to the year,
// saying some donors have no address); a reader sees no button and may
// not post; without the confirmation nothing is sent; the association's
// refusal is shown in French.
func TestDonationReceiptsButton(t *testing.T) {
	b, fake := newTaxReceiptsEnv(t)

	reader := b.as(central.RoleReadOnly)
	if _, body := reader.get("/donations?year=2026"); strings.Contains(body, `id="send-tax-receipts"`) {
		t.Error("a reader sees the button")
	}
	resp, _ := reader.post("/donations/receipts", url.Values{"year": {"2026"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusForbidden)

	c := b.as(central.RoleTreasurer)
	_, body := c.get("/donations?year=2026")
	mustContain(t, body, `id="send-tax-receipts"`, "Envoyer les reçus fiscaux 2026", "Envoyer par e-mail à chaque donateur son reçu fiscal 2026\u00a0?")
	resp, _ = c.post("/donations/receipts", url.Values{"year": {"2026"}})
	if resp.StatusCode == http.StatusSeeOther || len(fake.years) != 0 {
		t.Fatalf("sent without the confirmation: %d %v", resp.StatusCode, fake.years)
	}
	resp, _ = c.post("/donations/receipts", url.Values{"year": {"2026"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/donations?year=2026&done=tax_receipts_sent_some" || len(fake.years) != 1 || fake.years[0] != 2026 ||
		fake.spaces[0] != 0 {
		t.Fatalf("redirect %q, years %v, spaces %v", loc, fake.years, fake.spaces)
	}
	_, body = c.get("/donations?year=2026&done=tax_receipts_sent_some")
	mustContain(t, body, "certains donateurs n’ont pas d’adresse e-mail")
	fake.err = central.Errorf(central.EINVALID, "The association does not issue tax receipts (setting donations.tax_receipts).")
	_, body = c.post("/donations/receipts", url.Values{"year": {"2026"}, "confirm": {"1"}})
	mustContain(t, body, "L’association ne délivre pas de reçus fiscaux")
}

// TestSpaceDonations: a space that keeps its own books has its own
// donations. A user of that space sees, exports and receipts hers only,
// whatever space the query or the form names (the attack: naming the
// network's or another space's); a network user sees the network's and
// picks a space with its own books (a space without is not offered); a
// user of a space without books is told its gifts are the network's and
// cannot send receipts.
func TestSpaceDonations(t *testing.T) {
	b, fake := newTaxReceiptsEnv(t)
	spaces := sqlstore.NewSpaceService(b.db.DB)
	square, hangar := &central.Space{Name: "Le Square"}, &central.Space{Name: "Le Hangar"}
	for _, sp := range []*central.Space{square, hangar} {
		if err := spaces.CreateSpace(b.ctx(), sp); err != nil {
			t.Fatal(err)
		}
	}
	for k, v := range map[string]string{central.SettingAssociationName: "Association du Square", "helloasso.client_id": "square"} {
		if err := spaces.SetSpaceBooks(b.ctx(), square.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	when := time.Date(2026, 3, 14, 10, 0, 0, 0, paris)
	b.donate("901", "hugo@example.org", "Hugo", "Dubois", 5000, when)
	gift := func(order, email, first string, cents int64) {
		t.Helper()
		if _, err := b.payments.RecordPaymentOrder(b.ctx(), &central.PaymentOrder{Source: central.SourceHelloAsso, ID: order,
			Form: "don-square", FormType: "Donation", Date: when, Space: square.ID,
			Payer: central.Payer{Email: email, FirstName: first, LastName: "Petit", City: "Grenoble"},
			Items: []central.PaymentItem{{ID: order + "1", Type: "Donation", Gift: true, Amount: cents, State: central.PaymentPaid}}}); err != nil {
			t.Fatal(err)
		}
	}
	gift("902", "lea@example.org", "Léa", 3100)
	gift("903", "zoe@example.org", "Zoé", 1700)
	sq := fmtInt(square.ID)

	network := b.as(central.RoleTreasurer)
	_, body := network.get("/donations?year=2026")
	mustContain(t, body, "1 don cette année\u00a0: 50,00", "Hugo Dubois", `id="donations-space"`, `<option value="`+sq+`">Le Square</option>`)
	if strings.Contains(body, "Léa Petit") || strings.Contains(body, "Le Hangar") {
		t.Errorf("the network's page shows Le Square's gift or offers Le Hangar (no books):\n%s", body)
	}
	_, body = network.get("/donations?year=2026&space=" + sq)
	mustContain(t, body, "Dons 2026 · Le Square", "2 dons cette année\u00a0: 48,00", "Léa Petit", "Zoé Petit",
		`href="/donations.csv?year=2026&amp;space=`+sq+`"`, `name="space" value="`+sq+`"`, "Espaces &gt; Comptabilité propre, partie «\u00a0Reçus et factures\u00a0»")
	mustNotContain(t, body, "centrald donations receipts", "donations.tax_receipts")
	if strings.Contains(body, "Hugo Dubois") {
		t.Error("Le Square's page shows the network's gift")
	}
	_, body = network.get("/donations?year=2026&space=" + fmtInt(hangar.ID)) // no books: the network's
	mustContain(t, body, "Hugo Dubois")
	_, csv := network.get("/donations.csv?year=2026&space=" + sq)
	if !strings.Contains(csv, ";Léa Petit;") || strings.Contains(csv, "Hugo") || !strings.HasPrefix(csv, "\ufeffDate et heure;") {
		t.Errorf("Le Square's CSV:\n%s", csv)
	}
	resp, _ := network.post("/donations/receipts", url.Values{"year": {"2026"}, "confirm": {"1"}, "space": {sq}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/donations?year=2026&space="+sq+"&done=tax_receipts_sent_some" ||
		fmt.Sprint(fake.spaces) != fmt.Sprint([]int64{square.ID}) {
		t.Fatalf("the network's treasurer sends Le Square's: redirect %q, spaces %v", loc, fake.spaces)
	}

	// Le Square's treasurer: hers only, whatever she names.
	_, mine := b.spaceUser(central.RoleTreasurer, square.ID)
	for _, q := range []string{"", "&space=0", "&space=" + fmtInt(hangar.ID)} {
		_, body = mine.get("/donations?year=2026" + q)
		mustContain(t, body, "Dons 2026 · Le Square", "Léa Petit", `id="send-tax-receipts"`)
		if strings.Contains(body, "Hugo Dubois") || strings.Contains(body, `id="donations-space"`) {
			t.Errorf("Le Square's treasurer (%q) sees the network's gift or a space select", q)
		}
		_, csv = mine.get("/donations.csv?year=2026" + q)
		if strings.Contains(csv, "Hugo") || !strings.Contains(csv, ";Léa Petit;") {
			t.Errorf("Le Square's treasurer's CSV (%q):\n%s", q, csv)
		}
	}
	for _, named := range []string{"0", fmtInt(hangar.ID), ""} {
		fake.spaces = nil
		resp, _ = mine.post("/donations/receipts", url.Values{"year": {"2026"}, "confirm": {"1"}, "space": {named}})
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/donations?year=2026&done=tax_receipts_sent_some" ||
			fmt.Sprint(fake.spaces) != fmt.Sprint([]int64{square.ID}) {
			t.Errorf("Le Square's treasurer naming space %q sent %v (redirect %q), want Le Square's only", named, fake.spaces, loc)
		}
	}

	// Le Hangar keeps no books: its gifts are the network's.
	fake.spaces = nil
	_, theirs := b.spaceUser(central.RoleTreasurer, hangar.ID)
	_, body = theirs.get("/donations?year=2026")
	mustContain(t, body, `id="donations-no-books"`, "L’espace Le Hangar ne tient pas de comptes propres")
	if strings.Contains(body, "Hugo Dubois") || strings.Contains(body, "Léa Petit") || strings.Contains(body, `id="send-tax-receipts"`) {
		t.Errorf("Le Hangar's treasurer sees another association's gifts or the receipts button")
	}
	resp, body = theirs.post("/donations/receipts", url.Values{"year": {"2026"}, "confirm": {"1"}, "space": {"0"}})
	if resp.StatusCode == http.StatusSeeOther || len(fake.spaces) != 0 {
		t.Fatalf("Le Hangar's treasurer sent receipts: %d %v", resp.StatusCode, fake.spaces)
	}
	mustContain(t, body, "ne tient pas de comptes propres")
	_, door := b.spaceUser(central.RoleDoor, square.ID)
	resp, _ = door.post("/donations/receipts", url.Values{"year": {"2026"}, "confirm": {"1"}})
	mustStatus(t, resp, http.StatusForbidden)
}

// newTaxReceiptsEnv is a billing env whose admin sends tax receipts
// through fake, which records what it was asked.
func newTaxReceiptsEnv(t *testing.T) (*billingEnv, *sentReceipts) {
	t.Helper()
	b := newBillingEnv(t)
	fake := &sentReceipts{}
	cfg := b.cfg
	cfg.TaxReceipts = fake
	srv, err := admin.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.srv, b.ts = srv, httptest.NewServer(srv)
	t.Cleanup(b.ts.Close)
	return b, fake
}

// TestSpaceDonationsOnItsClock: the donations of a space with its own
// books and its own time zone (La Réunion, four hours ahead of Paris in
// winter) are counted and dated on its clock: a gift at 01:30 on
// 1 January there is in its next year's page and CSV, although Paris is
// still on 31 December.
func TestSpaceDonationsOnItsClock(t *testing.T) {
	b, _ := newTaxReceiptsEnv(t)
	spaces := sqlstore.NewSpaceService(b.db.DB)
	kaz := &central.Space{Name: "Le Kaz", Timezone: "Indian/Reunion"}
	if err := spaces.CreateSpace(b.ctx(), kaz); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{central.SettingAssociationName: "Association Le Kaz", "helloasso.client_id": "kaz"} {
		if err := spaces.SetSpaceBooks(b.ctx(), kaz.ID, k, v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.payments.RecordPaymentOrder(b.ctx(), &central.PaymentOrder{Source: central.SourceHelloAsso, ID: "960",
		Form: "don-kaz", FormType: "Donation", Date: time.Date(2026, 12, 31, 21, 30, 0, 0, time.UTC), Space: kaz.ID,
		Payer: central.Payer{Email: "noe@example.org", FirstName: "Noé", LastName: "Payet", City: "Saint-Denis"},
		Items: []central.PaymentItem{{ID: "9601", Type: "Donation", Gift: true, Amount: 2000, State: central.PaymentPaid}}}); err != nil {
		t.Fatal(err)
	}
	network := b.as(central.RoleTreasurer)
	k := fmtInt(kaz.ID)
	_, body := network.get("/donations?year=2027&space=" + k)
	mustContain(t, body, "Dons 2027 · Le Kaz", "Noé Payet", "01/01/2027")
	if _, body = network.get("/donations?year=2026&space=" + k); strings.Contains(body, "Noé Payet") {
		t.Error("Le Kaz's gift of 1 January (its clock) is on its 2026 page: counted on the network's clock")
	}
	if _, csv := network.get("/donations.csv?year=2027&space=" + k); !strings.Contains(csv, "01/01/2027 01:30:00;Noé Payet;") {
		t.Errorf("Le Kaz's 2027 CSV, want its gift at 01:30 on its clock:\n%s", csv)
	}
	_, mine := b.spaceUser(central.RoleTreasurer, kaz.ID)
	if _, body = mine.get("/donations?year=2027"); !strings.Contains(body, "Noé Payet") {
		t.Error("Le Kaz's treasurer does not see its gift of 1 January in 2027")
	}
}
