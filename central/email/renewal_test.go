package email_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// clock is the store's time, moved by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(s string) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// TestRenewalReminders: with the real store, the reminders of a
// calendar-year adhésion paid on 1 November 2026 (the cut-off: it covers
// 2027 too) are queued on 1 December 2027 and 31 December 2027 only, once
// each however often the job runs; they go out in the member's language
// with the unsubscribe link and the membership product's HelloAsso form;
// a member who renewed early, one without an address and an archived one
// get none.
func TestRenewalReminders(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	var c clock
	c.Set("2026-11-01T10:00:00+01:00")
	f.db.Now = c.Now
	f.worker.Handler.Prefs = &prefs{lang: "en"}
	products, ledger := sqlstore.NewProductService(f.db.DB), sqlstore.NewLedgerService(f.db.DB)
	pack := &central.Product{Name: "Carte 10", Kind: access.Pack, Entries: 10, Price: 8000, Active: true}
	dues := &central.Product{Name: "Adhésion", Kind: access.Membership, Price: 1500, Active: true}
	for _, p := range []*central.Product{pack, dues} {
		if err := products.CreateProduct(f.ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	f.settings.SetSetting(f.ctx, central.SettingJoinForms,
		"1=https://www.helloasso.com/associations/la-ruche/boutiques/carte 2=https://www.helloasso.com/associations/la-ruche/adhesions/2027")
	sell := func(member, product int64) {
		t.Helper()
		if _, err := ledger.CreateSale(f.ctx, central.NewSale{Member: member, Product: product, Source: central.SourceCLI}); err != nil {
			t.Fatal(err)
		}
	}
	alice := f.member("Alice Martin", "alice@example.org")
	early := f.member("Bob Durand", "bob@example.org")
	noAddr := f.member("Chloé Petit", "")
	archived := f.member("Dan Roux", "dan@example.org")
	for _, m := range []int64{alice, early, noAddr, archived} {
		sell(m, dues.ID)
	}
	sell(alice, pack.ID)
	gone := access.MemberArchived
	if _, err := f.members.UpdateMember(f.ctx, archived, central.MemberUpdate{Status: &gone}); err != nil {
		t.Fatal(err)
	}
	job := &email.Renewals{Members: f.members, Ledger: ledger, Products: products, Outbox: f.outbox, Settings: f.settings}
	run := func(at string, want int) {
		t.Helper()
		c.Set(at)
		n, err := job.Run(f.ctx)
		if err != nil || n != want {
			t.Fatalf("at %s: queued %d (%v), want %d", at, n, err, want)
		}
	}
	run("2026-12-01T10:00:00+01:00", 0) // 2026 is not the end: the cut-off made it 2027
	run("2027-11-30T23:59:00+01:00", 0) // 31 days left
	c.Set("2027-11-15T10:00:00+01:00")
	sell(early, dues.ID) // Bob renews early: his dues now end on 31 December 2028
	run("2027-12-01T00:01:00+01:00", 1)
	run("2027-12-01T23:00:00+01:00", 0) // the same day again
	run("2027-12-05T10:00:00+01:00", 0) // caught up days later: already sent
	run("2027-12-31T08:00:00+01:00", 1) // the last day
	run("2027-12-31T22:59:00Z", 0)      // 23:59 in Paris, once
	run("2028-01-01T00:00:00+01:00", 0) // ended: nothing more
	before := "email.renewal:" + email.RenewalKey(alice, access.MustDay("2027-12-31"), central.RenewalBefore)
	last := "email.renewal:" + email.RenewalKey(alice, access.MustDay("2027-12-31"), central.RenewalLast)
	f.run(func() bool { return f.finished(before)() && f.finished(last)() })
	msgs := f.srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d mails, want 2", len(msgs))
	}
	for i, m := range msgs {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		if m.To[0] != "alice@example.org" || !strings.HasPrefix(p.Text, "Hello Alice") {
			t.Errorf("mail %d to %v: %q", i, m.To, p.Text)
		}
		form := "https://www.helloasso.com/associations/la-ruche/adhesions/2027"
		if !strings.Contains(p.Text, form) || !strings.Contains(p.HTML, form) {
			t.Errorf("mail %d lacks the membership form: %s", i, p.Text)
		}
		if unsub := "https://badges.example.org/u/tok-"; !strings.Contains(p.Text, unsub) ||
			!strings.Contains(p.Header.Get("List-Unsubscribe"), unsub) {
			t.Errorf("mail %d lacks the unsubscribe link: %q", i, p.Header.Get("List-Unsubscribe"))
		}
	}
	subjects := []string{}
	for _, m := range msgs {
		p, _ := m.Parse()
		subjects = append(subjects, p.Subject)
	}
	if !strings.Contains(subjects[0], "December 31, 2027") && !strings.Contains(subjects[0], "31 December 2027") ||
		!strings.Contains(strings.ToLower(subjects[1]), "today") {
		t.Errorf("subjects %q", subjects)
	}
}

// TestRenewalsWithoutEmail: nothing is queued while e-mail is not set up.
func TestRenewalsWithoutEmail(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	f.settings.SetSetting(f.ctx, email.SettingHost, "")
	var c clock
	c.Set("2026-12-31T10:00:00+01:00")
	f.db.Now = c.Now
	products, ledger := sqlstore.NewProductService(f.db.DB), sqlstore.NewLedgerService(f.db.DB)
	dues := &central.Product{Name: "Adhésion 1 jour", Kind: access.Membership, Days: 1, Price: 100, Active: true}
	if err := products.CreateProduct(f.ctx, dues); err != nil {
		t.Fatal(err)
	}
	alice := f.member("Alice Martin", "alice@example.org")
	if _, err := ledger.CreateSale(f.ctx, central.NewSale{Member: alice, Product: dues.ID, Source: central.SourceCLI}); err != nil {
		t.Fatal(err)
	}
	job := &email.Renewals{Members: f.members, Ledger: ledger, Products: products, Outbox: f.outbox, Settings: f.settings}
	if n, err := job.Run(f.ctx); n != 0 || err != nil {
		t.Fatalf("queued %d (%v) without e-mail", n, err)
	}
	f.settings.SetSetting(f.ctx, email.SettingHost, "127.0.0.1")
	if n, err := job.Run(f.ctx); n != 1 || err != nil {
		t.Fatalf("queued %d (%v) on the last day with e-mail, want 1", n, err)
	}
}
