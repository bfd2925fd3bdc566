package billing_test

import (
	"context"
	"errors"
	"github.com/badgeuse/badgeuse/shared/clocktest"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
	"github.com/badgeuse/badgeuse/central/billing/pennylane"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// clientTimeout is the Pennylane client's timeout in these tests: long
// enough for a loaded machine, short enough for the tests.
const clientTimeout = time.Second

// world is central (real SQLite) with its webhook and billing worker,
// between a fake HelloAsso and a fake Pennylane.
type world struct {
	t        *testing.T
	ctx      context.Context
	clock    *clocktest.Clock
	db       *sqlite.DB
	ha       *helloassotest.Server
	pl       *pennylanetest.Server
	hook     *httptest.Server
	worker   *billing.Worker
	invoices *flakyInvoices
	members  *sqlstore.MemberService
	ledger   *sqlstore.LedgerService
	payments *sqlstore.PaymentService
	settings *sqlstore.SettingsService
	card     int64
	alice    int64
}

// flakyInvoices fails RecordInvoice while failRecords > 0: centrald dying
// between Pennylane's answer and the commit of the invoice id.
type flakyInvoices struct {
	*sqlstore.InvoiceService
	failRecords atomic.Int32
}

func (f *flakyInvoices) RecordInvoice(ctx context.Context, inv *central.Invoice) error {
	if f.failRecords.Add(-1) >= 0 {
		return errors.New("crash before the invoice was recorded")
	}
	return f.InvoiceService.RecordInvoice(ctx, inv)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, ctx: central.NewContextWithActor(context.Background(), central.ActorSystem),
		clock: clocktest.New(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC))}
	w.db = sqlite.NewDB(t.TempDir())
	w.db.Reactions = []central.Reaction{slack.React, billing.React} // as centrald registers them
	w.db.Now = w.clock.Now
	if err := w.db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.db.Close() })
	w.ha, w.pl = helloassotest.NewServer(t), pennylanetest.NewServer(t)
	w.members, w.ledger = sqlstore.NewMemberService(w.db.DB), sqlstore.NewLedgerService(w.db.DB)
	w.payments, w.settings = sqlstore.NewPaymentService(w.db.DB), sqlstore.NewSettingsService(w.db.DB)
	w.invoices = &flakyInvoices{InvoiceService: sqlstore.NewInvoiceService(w.db.DB)}
	for k, v := range map[string]string{
		billing.SettingHelloAssoAPIURL:       w.ha.APIURL(),
		billing.SettingHelloAssoClientID:     w.ha.ClientID,
		billing.SettingHelloAssoClientSecret: w.ha.ClientSecret,
		billing.SettingPennylaneAPIURL:       w.pl.APIURL(),
		billing.SettingPennylaneToken:        w.pl.Token,
		central.SettingAssociationName:       "Mon Coworking",
	} {
		w.set(k, v)
	}
	outbox := sqlstore.NewOutboxService(w.db.DB)
	w.worker = &billing.Worker{Outbox: outbox, Settings: w.settings, Payments: w.payments, Ledger: w.ledger,
		Members: w.members, Products: sqlstore.NewProductService(w.db.DB), Invoices: w.invoices, Now: w.clock.Now,
		NewOrderAPI: func(h billing.HelloAssoConfig) billing.OrderAPI {
			return helloasso.NewClient(h.APIURL, h.ClientID, h.ClientSecret)
		},
		NewInvoiceAPI: func(p billing.PennylaneConfig) billing.InvoiceAPI {
			iv := pennylane.NewInvoicer(p.APIURL, p.Token)
			iv.Client.HTTPClient = &http.Client{Timeout: clientTimeout}
			return iv
		}}
	mux := http.NewServeMux()
	mux.Handle("POST "+billing.WebhookPath, &helloasso.Webhook{Settings: w.settings, Orders: outbox, Kick: w.worker.Kick, Now: w.clock.Now})
	w.hook = httptest.NewServer(mux)
	t.Cleanup(w.hook.Close)

	p := &central.Product{Name: "Carte 10 entrées", Kind: access.Pack, Entries: 10, Days: 365, Price: 12000}
	if err := sqlstore.NewProductService(w.db.DB).CreateProduct(w.ctx, p); err != nil {
		t.Fatal(err)
	}
	w.card = p.ID
	if err := w.payments.SetPaymentMapping(w.ctx, &central.PaymentMapping{Form: "carte-10", Item: "Carte 10 entrées", Product: p.ID}); err != nil {
		t.Fatal(err)
	}
	m := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := w.members.CreateMember(w.ctx, m); err != nil {
		t.Fatal(err)
	}
	w.alice = m.ID
	return w
}

func (w *world) set(k, v string) {
	w.t.Helper()
	if err := w.settings.SetSetting(w.ctx, k, v); err != nil {
		w.t.Fatal(err)
	}
}

// notify sends a notification about an order as HelloAsso would.
func (w *world) notify(event string, order int64) {
	w.t.Helper()
	status, err := w.ha.Notify(w.hook.URL+billing.WebhookPath, event, order)
	if err != nil || status != http.StatusOK {
		w.t.Fatalf("notify %s %d: status %d, %v", event, order, status, err)
	}
}

// run lets the worker handle what is due now.
func (w *world) run() {
	w.t.Helper()
	if _, err := w.worker.RunOnce(w.ctx); err != nil {
		w.t.Fatal(err)
	}
}

// later moves time past any retry delay and runs the worker.
func (w *world) later() {
	w.t.Helper()
	w.clock.Add(7 * time.Hour)
	w.run()
}

func (w *world) sales() []*central.Sale {
	w.t.Helper()
	ss, _, err := w.ledger.FindSales(w.ctx, central.SaleFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	return ss
}

func (w *world) entriesLeft(member int64) int {
	w.t.Helper()
	b, err := w.ledger.MemberBalance(w.ctx, member, access.Day{})
	if err != nil {
		w.t.Fatal(err)
	}
	return b.EntriesLeft
}

func (w *world) putCardOrder(id int64) {
	w.ha.PutOrder(helloassotest.NewOrder(id, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin"))
}

// wantOneInvoice checks that Pennylane holds exactly one invoice per sale
// and that each sale records its own.
func (w *world) wantOneInvoice() []map[string]any {
	w.t.Helper()
	invs := w.pl.Invoices()
	sales := w.sales()
	if len(invs) != len(sales) {
		w.t.Fatalf("%d invoices in Pennylane for %d sales", len(invs), len(sales))
	}
	for _, s := range sales {
		n := 0
		for _, inv := range invs {
			if inv["external_reference"] == billing.ExternalRef(s.ID) {
				n++
				if id := strconv.FormatFloat(inv["id"].(float64), 'f', -1, 64); s.InvoiceID != id {
					w.t.Fatalf("sale %d records invoice %q, Pennylane has %s", s.ID, s.InvoiceID, id)
				}
			}
		}
		if n != 1 {
			w.t.Fatalf("sale %d has %d invoices", s.ID, n)
		}
	}
	return invs
}

func TestHelloAssoOrderToInvoice(t *testing.T) {
	w := newWorld(t)
	// Alice has a badge and the door's kiosk knows her, without entries.
	kiosks := sqlstore.NewKioskService(w.db.DB)
	k := &central.Kiosk{Name: "Porte"}
	token, err := kiosks.CreateKiosk(w.ctx, k)
	if err != nil {
		t.Fatal(err)
	}
	if k, _, err = kiosks.Enroll(w.ctx, token, "test"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sqlstore.NewBadgeService(w.db.DB).IssueBadge(w.ctx, w.alice, false); err != nil {
		t.Fatal(err)
	}
	sync := sqlstore.NewSyncService(w.db.DB)
	first, err := sync.Pull(w.ctx, central.PullRequest{Kiosk: k.ID})
	if err != nil {
		t.Fatal(err)
	}

	w.putCardOrder(777)
	w.notify("Order", 777)
	w.run()

	if got := w.entriesLeft(w.alice); got != 10 {
		t.Fatalf("Alice has %d entries, want 10", got)
	}
	sales := w.sales()
	if len(sales) != 1 || sales[0].Amount != 12000 || sales[0].Source != central.SourceHelloAsso || sales[0].Member != w.alice {
		t.Fatalf("sales %+v", sales)
	}
	invs := w.wantOneInvoice()
	inv := invs[0]
	if inv["amount"] != "120.00" || inv["tax"] != "0.00" || inv["special_mention"] != billing.DefaultLegalMention || inv["draft"] != true {
		t.Fatalf("invoice %+v", inv)
	}
	lines := w.pl.InvoiceLines(int64(inv["id"].(float64)))
	if len(lines) != 1 || lines[0]["vat_rate"] != "exempt" || lines[0]["raw_currency_unit_price"] != "120.00" || lines[0]["label"] != "Carte 10 entrées" {
		t.Fatalf("lines %+v", lines)
	}
	customers := w.pl.Customers()
	if len(customers) != 1 || customers[0]["external_reference"] != "badgeuse:alice@example.org" ||
		customers[0]["billing_address"].(map[string]any)["country_alpha2"] != "FR" {
		t.Fatalf("customers %+v", customers)
	}

	// The kiosk's next pull brings her 10 entries.
	next, err := sync.Pull(w.ctx, central.PullRequest{Kiosk: k.ID, Cursor: first.Cursor})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, m := range next.Members {
		if m.ID != w.alice {
			continue
		}
		found = true
		if len(m.Entitlements) != 1 || m.Entitlements[0].Kind != access.Pack || m.Entitlements[0].Entries != 10 {
			t.Fatalf("pulled entitlements %+v, want a pack of 10", m.Entitlements)
		}
	}
	if !found {
		t.Fatalf("the pull after the payment does not bring Alice: %+v", next.Members)
	}

	t.Run("DuplicatesAndOtherNotifications", func(t *testing.T) {
		w.notify("Order", 777)   // the same bytes: one outbox message
		w.notify("Payment", 777) // the payment of the same order
		w.run()
		w.later()
		if got := w.entriesLeft(w.alice); got != 10 || len(w.sales()) != 1 {
			t.Fatalf("%d entries, %d sales after duplicates", got, len(w.sales()))
		}
		w.wantOneInvoice()
	})

	t.Run("Refund", func(t *testing.T) {
		before := w.ha.Notification("Order", 777) // a stale copy, replayed after the refund
		w.ha.SetPaymentsState(777, "Refunded")
		w.notify("Payment", 777)
		w.run()
		// The order was read less than helloasso.OrderEvery ago: it is
		// read again when that is over, not before.
		if got := w.entriesLeft(w.alice); got != 10 {
			t.Fatalf("%d entries: the order was read again within a minute", got)
		}
		w.clock.Add(helloasso.OrderEvery)
		w.run()
		if got := w.entriesLeft(w.alice); got != 0 {
			t.Fatalf("%d entries after the refund", got)
		}
		s := w.sales()[0]
		if !s.IsRefunded() {
			t.Fatalf("sale not refunded: %+v", s)
		}
		status, err := helloassotest.Send(w.hook.URL+billing.WebhookPath, before, "", nil)
		if err != nil || status != http.StatusOK {
			t.Fatal(status, err)
		}
		w.run()
		if got := w.entriesLeft(w.alice); got != 0 || len(w.sales()) != 1 {
			t.Fatalf("replayed paid order: %d entries, %d sales", got, len(w.sales()))
		}
		audit, _, err := sqlstore.NewAuditService(w.db.DB).FindAuditEvents(w.ctx, central.AuditFilter{Action: "sale.refund"})
		if err != nil || len(audit) != 1 {
			t.Fatalf("refund audit %v %v", audit, err)
		}
	})
}

func TestOutOfOrderNotifications(t *testing.T) {
	w := newWorld(t)
	w.putCardOrder(778)
	// The payment's notification arrives first, then the order's, then
	// both again: the order is read back each time, credited once.
	w.notify("Payment", 778)
	w.notify("Order", 778)
	w.run()
	w.notify("Order", 778)
	w.notify("Payment", 778)
	w.run()
	if got := w.entriesLeft(w.alice); got != 10 || len(w.sales()) != 1 {
		t.Fatalf("%d entries, %d sales", got, len(w.sales()))
	}
	w.wantOneInvoice()
}

func TestForgedNotifications(t *testing.T) {
	t.Run("BadSignature", func(t *testing.T) {
		w := newWorld(t)
		w.set(billing.SettingHelloAssoSignatureKey, "the-real-key")
		w.putCardOrder(779)
		body := w.ha.Notification("Order", 779)
		for _, sig := range []string{"", helloasso.Sign("a-guessed-key", body), "00"} {
			status, err := helloassotest.Send(w.hook.URL+billing.WebhookPath, body, sig, nil)
			if err != nil || status != http.StatusUnauthorized {
				t.Fatalf("status %d, %v; want 401", status, err)
			}
		}
		w.run()
		if n := len(w.sales()); n != 0 {
			t.Fatalf("%d sales from forged notifications", n)
		}
		// HelloAsso's own, signed with the key, credits.
		w.ha.SignatureKey = "the-real-key"
		w.notify("Order", 779)
		w.run()
		if got := w.entriesLeft(w.alice); got != 10 {
			t.Fatalf("%d entries after the signed notification", got)
		}
	})
	t.Run("UnknownOrder", func(t *testing.T) {
		w := newWorld(t)
		// A well-formed notification for an order HelloAsso does not
		// have, or whose body lies about what was paid: only the API's
		// answer counts.
		forged := helloassotest.NewOrder(31337, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin")
		w.ha.PutOrder(forged)
		body := w.ha.Notification("Order", 31337)
		w.ha = helloassotest.NewServer(t) // the real HelloAsso never had it
		w.set(billing.SettingHelloAssoAPIURL, w.ha.APIURL())
		status, err := helloassotest.Send(w.hook.URL+billing.WebhookPath, body, "", nil)
		if err != nil || status != http.StatusOK {
			t.Fatal(status, err)
		}
		w.run()
		w.later()
		if n := len(w.sales()); n != 0 {
			t.Fatalf("%d sales from an unknown order", n)
		}
		if st := w.ha.Stats(); st.OrderGets != 1 {
			t.Fatalf("order read %d times, want once (not retried)", st.OrderGets)
		}
	})
}

func TestHelloAssoDownThenBack(t *testing.T) {
	w := newWorld(t)
	w.putCardOrder(780)
	w.ha.FailOrders(2)
	w.notify("Order", 780)
	w.run()
	if n := len(w.sales()); n != 0 {
		t.Fatalf("%d sales while HelloAsso is down", n)
	}
	w.later()
	w.later()
	if got := w.entriesLeft(w.alice); got != 10 {
		t.Fatalf("%d entries once HelloAsso is back", got)
	}
	w.wantOneInvoice()
}

func TestPennylaneFailures(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failures []pennylanetest.Failure
		crashes  int32 // records that fail after Pennylane made the invoice
		// noRefFilter: the external_reference filter of GET
		// /customer_invoices finds nothing, as users have seen.
		noRefFilter bool
	}{
		{"DownThenBack", []pennylanetest.Failure{pennylanetest.Down, pennylanetest.Down}, 0, false},
		{"AnswerLost", []pennylanetest.Failure{pennylanetest.CreateThen502}, 0, false},
		{"SlowBeyondTimeout", []pennylanetest.Failure{pennylanetest.CreateThenHang}, 0, false},
		{"CrashBeforeRecord", nil, 1, false},
		{"Everything", []pennylanetest.Failure{pennylanetest.Down, pennylanetest.CreateThenHang}, 1, false},
		{"AnswerLostNoRefFilter", []pennylanetest.Failure{pennylanetest.CreateThen502}, 0, true},
		{"SlowBeyondTimeoutNoRefFilter", []pennylanetest.Failure{pennylanetest.CreateThenHang}, 0, true},
		{"CrashBeforeRecordNoRefFilter", nil, 1, true},
		{"EverythingNoRefFilter", []pennylanetest.Failure{pennylanetest.Down, pennylanetest.CreateThenHang}, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.pl.NoExternalReferenceFilter = tc.noRefFilter
			w.pl.Hang = clientTimeout + 500*time.Millisecond // the client gives up before
			w.pl.Fail(tc.failures...)
			w.invoices.failRecords.Store(tc.crashes)
			w.putCardOrder(781)
			w.notify("Order", 781)
			w.run()
			if got := w.entriesLeft(w.alice); got != 10 {
				t.Fatalf("%d entries: the credit must not wait for the invoice", got)
			}
			if s := w.sales()[0]; s.InvoiceID != "" {
				t.Fatalf("invoice %s recorded at the first attempt despite the failure", s.InvoiceID)
			}
			made := 0 // what Pennylane made without centrald knowing
			if len(tc.failures) > 0 && tc.failures[0] != pennylanetest.Down || len(tc.failures) == 0 && tc.crashes > 0 {
				made = 1
			}
			if tc.failures != nil && tc.failures[0] == pennylanetest.CreateThenHang {
				time.Sleep(w.pl.Hang)
			}
			if n := len(w.pl.Invoices()); n != made {
				t.Fatalf("%d invoices after the first attempt, want %d", n, made)
			}
			for i := 0; i < 5; i++ {
				w.later()
			}
			time.Sleep(w.pl.Hang) // let a hung request finish
			w.later()
			w.wantOneInvoice()
		})
	}
}

func TestAdminAndCLISalesAreInvoiced(t *testing.T) {
	w := newWorld(t)
	w.set(billing.SettingVATRate, "FR_200")
	w.set(billing.SettingPennylaneFinalize, "true")
	s, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceAdmin})
	if err != nil {
		t.Fatal(err)
	}
	w.run()
	inv := w.wantOneInvoice()[0]
	if inv["amount"] != "120.00" || inv["currency_amount_before_tax"] != "100.00" || inv["tax"] != "20.00" ||
		inv["draft"] != false || inv["invoice_number"] == "" || inv["special_mention"] != nil {
		t.Fatalf("invoice %+v", inv)
	}
	got, err := w.invoices.FindInvoice(w.ctx, s.ID)
	if err != nil || got.Number != inv["invoice_number"] || got.URL == "" {
		t.Fatalf("recorded %+v, %v", got, err)
	}
	// A second sale to the same member reuses her Pennylane customer.
	if _, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceCLI}); err != nil {
		t.Fatal(err)
	}
	w.run()
	w.wantOneInvoice()
	if n := len(w.pl.Customers()); n != 1 {
		t.Fatalf("%d customers, want 1", n)
	}
	// The admin's "make the invoice" button on an invoiced sale: refused.
	if _, err := w.worker.RequestInvoice(w.ctx, s.ID); central.ErrorCode(err) != central.ECONFLICT {
		t.Fatalf("request for an invoiced sale: %v", err)
	}
	w.wantOneInvoice()
}

func TestRequestInvoice(t *testing.T) {
	w := newWorld(t)
	token := w.pl.Token
	w.set(billing.SettingPennylaneToken, "") // a sale made before Pennylane was set up
	s, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.worker.RequestInvoice(w.ctx, s.ID); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("request without Pennylane: %v", err)
	}
	w.set(billing.SettingPennylaneToken, token)
	w.run()
	if n := len(w.pl.Invoices()); n != 0 {
		t.Fatalf("%d invoices before the request", n)
	}
	if due, err := w.worker.RequestInvoice(w.ctx, s.ID); err != nil || !due {
		t.Fatalf("request: %v, %v", due, err)
	}
	// Asked again while a worker may hold it (Pennylane down, retried
	// within the lease): not made due twice.
	w.pl.Fail(pennylanetest.Down)
	w.run()
	if due, err := w.worker.RequestInvoice(w.ctx, s.ID); err != nil || due {
		t.Fatalf("second request while retrying soon: %v, %v", due, err)
	}
	w.later()
	w.wantOneInvoice()
	if _, err := w.worker.RequestInvoice(w.ctx, 999); central.ErrorCode(err) != central.ENOTFOUND {
		t.Fatalf("request for no sale: %v", err)
	}
}

func TestUnmatchedAssigned(t *testing.T) {
	w := newWorld(t)
	w.ha.PutOrder(helloassotest.NewOrder(782, "carte-10", "Carte 10 entrées", 12000, "bob.perso@example.org", "Bob", "Durand"))
	w.notify("Order", 782)
	w.run()
	unmatched := central.PaymentUnmatched
	ps, _, err := w.payments.FindPayments(w.ctx, central.PaymentFilter{Status: &unmatched})
	if err != nil || len(ps) != 1 || ps[0].Reason != central.ReasonNoMember || ps[0].PayerName != "Bob Durand" {
		t.Fatalf("unmatched %+v, %v", ps, err)
	}
	bob := &central.Member{Name: "Bob Durand", Email: "bob@example.org"}
	if err := w.members.CreateMember(w.ctx, bob); err != nil {
		t.Fatal(err)
	}
	if _, err := w.payments.AssignPayment(w.ctx, ps[0].ID, bob.ID, w.card); err != nil {
		t.Fatal(err)
	}
	w.run()
	if got := w.entriesLeft(bob.ID); got != 10 {
		t.Fatalf("Bob has %d entries", got)
	}
	w.wantOneInvoice()
	// Invoiced to who paid, as HelloAsso knows him.
	if c := w.pl.Customers(); len(c) != 1 || c[0]["external_reference"] != "badgeuse:bob.perso@example.org" {
		t.Fatalf("customers %+v", c)
	}
}

func TestSettingsWithoutRestart(t *testing.T) {
	w := newWorld(t)
	w.set(billing.SettingHelloAssoClientSecret, "wrong")
	w.putCardOrder(783)
	w.notify("Order", 783)
	w.run()
	if n := len(w.sales()); n != 0 {
		t.Fatalf("%d sales with a wrong secret", n)
	}
	w.set(billing.SettingHelloAssoClientSecret, w.ha.ClientSecret)
	w.later()
	if got := w.entriesLeft(w.alice); got != 10 {
		t.Fatalf("%d entries once the secret is fixed", got)
	}
}

func TestServeWakesOnKick(t *testing.T) {
	w := newWorld(t)
	w.worker.PollInterval = time.Hour
	ctx, cancel := context.WithCancel(w.ctx)
	done := make(chan error, 1)
	go func() { done <- w.worker.Serve(ctx) }()
	w.putCardOrder(784)
	w.notify("Order", 784)
	deadline := time.Now().Add(10 * time.Second)
	for w.entriesLeft(w.alice) != 10 {
		if time.Now().After(deadline) {
			t.Fatal("the worker did not wake up on the notification")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// An item's amount at HelloAsso leaves out the options bought with it:
// the sale and its invoice count them.
func TestOrderOptions(t *testing.T) {
	w := newWorld(t)
	o := helloassotest.NewOrder(782, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin")
	o = helloassotest.AddOption(o, "Badge physique", 500)
	o = helloassotest.AddOption(o, "Casier", 250)
	w.ha.PutOrder(o)
	w.notify("Order", 782)
	w.run()
	sales := w.sales()
	if len(sales) != 1 || sales[0].Amount != 12750 {
		t.Fatalf("sales %+v, want one of 12750 cents", sales)
	}
	inv := w.wantOneInvoice()[0]
	lines := w.pl.InvoiceLines(int64(inv["id"].(float64)))
	if inv["amount"] != "127.50" || len(lines) != 1 || lines[0]["raw_currency_unit_price"] != "127.50" {
		t.Fatalf("invoice %+v, lines %+v", inv, lines)
	}
	ps, _, err := w.payments.FindPayments(w.ctx, central.PaymentFilter{})
	if err != nil || len(ps) != 1 || ps[0].Amount != 12750 {
		t.Fatalf("payments %+v %v", ps, err)
	}
}

// countOrderMessages returns the outbox messages that read HelloAsso
// orders back: all of them, and those finished as failed.
func (w *world) countOrderMessages() (all, failed int) {
	w.t.Helper()
	box := sqlstore.NewOutboxService(w.db.DB)
	_, all, err := box.FindOutbox(w.ctx, central.OutboxFilter{TopicPrefix: central.TopicPaymentOrder, Limit: 1})
	if err != nil {
		w.t.Fatal(err)
	}
	_, failed, err = box.FindOutbox(w.ctx, central.OutboxFilter{TopicPrefix: central.TopicPaymentOrder,
		State: central.OutcomeFailed, Limit: 1})
	if err != nil {
		w.t.Fatal(err)
	}
	return all, failed
}

// drain runs the worker until nothing is due.
func (w *world) drain() {
	w.t.Helper()
	for {
		n, err := w.worker.RunOnce(w.ctx)
		if err != nil {
			w.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// flood posts count forged Order notifications to url, from the address
// from(i) (X-Forwarded-For; "" for none) about the order order(i), in
// parallel, and returns how many got each status.
func flood(t *testing.T, url string, count int, order func(i int) int64, from func(i int) string) map[int]int {
	t.Helper()
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				body := []byte(`{"eventType":"Order","data":{"id":` + strconv.FormatInt(order(i), 10) +
					`,"formSlug":"carte-10","items":[{"id":1,"amount":12000,"state":"Processed"}]}}`)
				var headers map[string]string
				if a := from(i); a != "" {
					headers = map[string]string{"X-Forwarded-For": a}
				}
				status, err := helloassotest.Send(url, body, "", headers)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				statuses[status]++
				mu.Unlock()
			}
		}()
	}
	for i := range count {
		next <- i
	}
	close(next)
	wg.Wait()
	return statuses
}

// The attack of issue 10 (item 6): 3,000 forged, unsigned Order
// notifications made 3,051 outbox rows and 3,052 calls to HelloAsso's
// API. Now rows and calls are bounded, HelloAsso's own notifications
// still pass, and every refused order is recorded as such.
func TestWebhookFlood(t *testing.T) {
	const attack = 3000
	hookURL := func(w *world, trustProxy bool) string {
		mux := http.NewServeMux()
		mux.Handle("POST "+billing.WebhookPath, &helloasso.Webhook{Settings: w.settings, Orders: sqlstore.NewOutboxService(w.db.DB),
			Kick: w.worker.Kick, Now: w.clock.Now, TrustProxy: trustProxy})
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		return srv.URL + billing.WebhookPath
	}
	// checkDropped runs the worker until nothing is due and checks that
	// the order messages made calls to HelloAsso (one each, but a 401
	// that a new token does not cure) and were dropped as failed, and
	// that later retries call nothing more.
	checkDropped := func(t *testing.T, w *world, rows, calls int) {
		t.Helper()
		w.drain()
		gets := w.ha.Stats().OrderGets
		if gets != calls {
			t.Fatalf("%d calls to HelloAsso for %d orders, want %d", gets, rows, calls)
		}
		if all, failed := w.countOrderMessages(); all != rows || failed != rows {
			t.Fatalf("%d order messages, %d dropped as failed; want %d and %d", all, failed, rows, rows)
		}
		w.later()
		if again := w.ha.Stats().OrderGets; again != gets {
			t.Fatalf("dropped orders read again: %d calls, then %d", gets, again)
		}
		if n := len(w.sales()); n != 0 {
			t.Fatalf("%d sales from forged notifications", n)
		}
	}

	t.Run("OneAddressManyOrders", func(t *testing.T) {
		w := newWorld(t)
		url := hookURL(w, true)
		start := time.Now()
		got := flood(t, url, attack, func(i int) int64 { return int64(100000 + i) }, func(int) string { return "203.0.113.7" })
		t.Logf("%d notifications from one address in %v: %v", attack, time.Since(start), got)
		// The clock of the webhook stands still: the burst alone passes.
		if got[http.StatusOK] != helloasso.SourceBurst || got[http.StatusTooManyRequests] != attack-helloasso.SourceBurst {
			t.Fatalf("statuses %v, want %d × 200 and the rest 429", got, helloasso.SourceBurst)
		}
		if all, _ := w.countOrderMessages(); all != helloasso.SourceBurst {
			t.Fatalf("%d order messages, want %d", all, helloasso.SourceBurst)
		}
		// HelloAsso's own notification, from its address, still passes
		// and credits Alice.
		w.putCardOrder(783)
		status, err := helloassotest.Send(url, w.ha.Notification("Order", 783), "",
			map[string]string{"X-Forwarded-For": "51.138.206.200"})
		if err != nil || status != http.StatusOK {
			t.Fatalf("HelloAsso's notification: %d %v", status, err)
		}
		w.drain()
		if got := w.entriesLeft(w.alice); got != 10 {
			t.Fatalf("Alice has %d entries after HelloAsso's notification during the flood", got)
		}
		if gets := w.ha.Stats().OrderGets; gets != helloasso.SourceBurst+1 {
			t.Fatalf("%d calls to HelloAsso, want %d", gets, helloasso.SourceBurst+1)
		}
		// Once its bucket refills, the address is heard again, at the
		// sustained rate.
		w.clock.Add(helloasso.SourceEvery * 3)
		got = flood(t, url, 10, func(i int) int64 { return int64(200000 + i) }, func(int) string { return "203.0.113.7" })
		if got[http.StatusOK] != 3 {
			t.Fatalf("after %v: statuses %v, want 3 × 200", helloasso.SourceEvery*3, got)
		}
	})

	t.Run("ManyAddressesOneOrder", func(t *testing.T) {
		w := newWorld(t)
		url := hookURL(w, true)
		got := flood(t, url, attack, func(int) int64 { return 31337 }, func(i int) string {
			return "198.51." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250)
		})
		if got[http.StatusOK] != attack {
			t.Fatalf("statuses %v, want all 200", got)
		}
		if all, _ := w.countOrderMessages(); all != 1 {
			t.Fatalf("%d order messages for one order, want 1", all)
		}
		checkDropped(t, w, 1, 1)
		// Notified again a minute later: read again, once.
		w.clock.Add(helloasso.OrderEvery)
		flood(t, url, 100, func(int) int64 { return 31337 }, func(i int) string { return "192.0.2." + strconv.Itoa(i) })
		w.drain()
		w.drain()
		if gets := w.ha.Stats().OrderGets; gets != 2 {
			t.Fatalf("%d calls to HelloAsso for one order notified in two minutes, want 2", gets)
		}
	})

	t.Run("ManyAddressesManyOrders", func(t *testing.T) {
		w := newWorld(t)
		url := hookURL(w, true)
		got := flood(t, url, attack, func(i int) int64 { return int64(300000 + i) }, func(i int) string {
			return "2001:db8:" + strconv.FormatInt(int64(i), 16) + "::1"
		})
		t.Logf("%d notifications from %d addresses: %v", attack, attack, got)
		if got[http.StatusOK] != helloasso.MaxWaitingOrders || got[http.StatusServiceUnavailable] != attack-helloasso.MaxWaitingOrders {
			t.Fatalf("statuses %v, want %d × 200 and the rest 503", got, helloasso.MaxWaitingOrders)
		}
		checkDropped(t, w, helloasso.MaxWaitingOrders, helloasso.MaxWaitingOrders)
	})

	t.Run("AnyRefusal", func(t *testing.T) {
		// HelloAsso documents 401 and 403 for GET /v5/orders/{id},
		// answers 400 for an id out of int32's range and 404 for an
		// unknown one: each is dropped at the first answer.
		w := newWorld(t)
		w.putCardOrder(784)
		w.putCardOrder(785)
		w.ha.RefuseOrder(784, http.StatusForbidden)
		w.ha.RefuseOrder(785, http.StatusUnauthorized)
		for _, id := range []int64{784, 785, 786, 1 << 40} {
			status, err := helloassotest.Send(w.hook.URL+billing.WebhookPath,
				[]byte(`{"eventType":"Order","data":{"id":`+strconv.FormatInt(id, 10)+`}}`), "", nil)
			if err != nil || status != http.StatusOK {
				t.Fatalf("order %d: %d %v", id, status, err)
			}
		}
		checkDropped(t, w, 4, 5) // the 401 is asked again with a new token
		items, _, err := sqlstore.NewOutboxService(w.db.DB).FindOutbox(w.ctx, central.OutboxFilter{
			TopicPrefix: central.TopicPaymentOrder, State: central.OutcomeFailed})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if !strings.Contains(it.Error, "dropped") || !strings.Contains(it.Error, "HTTP 4") {
				t.Errorf("message %s: note %q does not say HelloAsso's refusal", it.Key, it.Error)
			}
		}
	})
}

// Refunds and chargebacks never leave a card credited: the sale's credit
// is reversed in full, by a refund that the books show as a line of its
// own, and the payment says why.
func TestRefundsAndChargebacks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(ha *helloassotest.Server, order int64)
		reason string
	}{
		{"Refunded", func(ha *helloassotest.Server, o int64) { ha.SetPaymentsState(o, "Refunded") }, central.ReasonRefund},
		{"Refunding", func(ha *helloassotest.Server, o int64) { ha.SetPaymentsState(o, "Refunding") }, central.ReasonRefunding},
		{"Contested", func(ha *helloassotest.Server, o int64) { ha.SetPaymentsState(o, "Contested") }, central.ReasonContested},
		{"PartialRefund", func(ha *helloassotest.Server, o int64) { ha.RefundPart(o, 3000) }, central.ReasonPartialRefund},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.putCardOrder(790)
			w.notify("Order", 790)
			w.run()
			if got := w.entriesLeft(w.alice); got != 10 {
				t.Fatalf("%d entries after the payment", got)
			}
			w.clock.Add(24 * time.Hour)
			tc.change(w.ha, 790)
			w.notify("Payment", 790)
			w.run()
			if got := w.entriesLeft(w.alice); got != 0 {
				t.Fatalf("%d entries left after %s", got, tc.name)
			}
			sales := w.sales()
			if len(sales) != 1 || !sales[0].IsRefunded() {
				t.Fatalf("sales %+v: want the one sale refunded", sales)
			}
			ps, _, err := w.payments.FindPayments(w.ctx, central.PaymentFilter{})
			if err != nil || len(ps) != 1 || ps[0].Status != central.PaymentReversed || ps[0].Reason != tc.reason {
				t.Fatalf("payments %+v %v: want refunded, reason %s", ps, err, tc.reason)
			}
			// The books: the sale's line as it was, then its reversal,
			// dated the day of the refund.
			var csv strings.Builder
			books := &billing.Books{Settings: w.settings, Ledger: w.ledger, Members: w.members,
				Products: sqlstore.NewProductService(w.db.DB), Payments: w.payments}
			if err := books.WriteSalesCSV(w.ctx, &csv, time.Time{}, time.Time{}); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
			if len(lines) != 3 || !strings.Contains(lines[1], ";2026-11-20;") || !strings.Contains(lines[1], ";120,00;") ||
				!strings.Contains(lines[2], ";2026-11-21;") || !strings.Contains(lines[2], ";remboursement;-1;-120,00;") {
				t.Fatalf("export:\n%s", csv.String())
			}
			// Notified again, HelloAsso's later states change nothing
			// more: the credit is not given back twice nor restored.
			w.ha.SetPaymentsState(790, "Authorized")
			w.clock.Add(helloasso.OrderEvery)
			w.notify("Payment", 790)
			w.run()
			if got := w.entriesLeft(w.alice); got != 0 || len(w.sales()) != 1 {
				t.Fatalf("%d entries, %d sales after a later notification", got, len(w.sales()))
			}
		})
	}
}

// TestUnpaidAndCancelledSalesInvoices: a sale recorded « Pas encore payé »
// was invoiced in Pennylane as « Payé le … », and one cancelled (refunded
// while unpaid, « Annuler la vente ») before its invoice was made was
// invoiced all the same, for a sale that never happened. Now an unpaid
// sale's invoice says « À régler. », a cancelled sale without an invoice
// gets none (its message is done, nothing made; asking for it is
// refused), and the cancel of an invoiced one sends nothing (Badgeuse
// makes no credit note: the invoice stays as it was).
func TestUnpaidAndCancelledSalesInvoices(t *testing.T) {
	w := newWorld(t)
	unpaid := central.PaidBy{Method: central.Unpaid}
	invoiced, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceAdmin, PaidBy: unpaid})
	if err != nil {
		t.Fatal(err)
	}
	w.run()
	invs := w.wantOneInvoice()
	if text := invs[0]["pdf_invoice_free_text"]; text != "À régler." {
		t.Errorf("an unpaid sale's invoice says %q", text)
	}
	// Cancelled after its invoice: nothing more is sent.
	if _, err := w.ledger.RefundSale(w.ctx, invoiced.ID); err != nil {
		t.Fatal(err)
	}
	w.later()
	if n := len(w.pl.Invoices()); n != 1 {
		t.Fatalf("%d invoices after the cancel, want 1", n)
	}
	// Cancelled before its invoice (Pennylane down): none is made.
	w.pl.Fail(pennylanetest.Down)
	never, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceAdmin, PaidBy: unpaid})
	if err != nil {
		t.Fatal(err)
	}
	w.run()
	if _, err := w.ledger.RefundSale(w.ctx, never.ID); err != nil {
		t.Fatal(err)
	}
	w.later()
	w.later()
	if n := len(w.pl.Invoices()); n != 1 {
		t.Fatalf("%d invoices: the cancelled sale was invoiced", n)
	}
	if _, err := w.worker.RequestInvoice(w.ctx, never.ID); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("invoice asked for a cancelled sale: %v", err)
	}
	if all, failed := w.countInvoiceMessages(); all != 2 || failed != 0 {
		t.Fatalf("invoice messages: %d, %d failed (the cancelled sale's is done, not failed nor retried)", all, failed)
	}
	// A sale paid by hand after it was recorded says the day it was paid.
	later, err := w.ledger.CreateSale(w.ctx, central.NewSale{Member: w.alice, Product: w.card, Source: central.SourceAdmin, PaidBy: unpaid})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Add(48 * time.Hour)
	if _, err := w.ledger.PaySale(w.ctx, later.ID, central.PaidBy{Method: central.PaidCheque, Day: access.Day{Year: 2026, Month: 11, Day: 22}}); err != nil {
		t.Fatal(err)
	}
	w.run()
	for _, inv := range w.pl.Invoices() {
		if inv["external_reference"] == billing.ExternalRef(later.ID) && inv["pdf_invoice_free_text"] != "Payé le 22/11/2026." {
			t.Errorf("a sale paid the day after: %q", inv["pdf_invoice_free_text"])
		}
	}
}

// countInvoiceMessages counts the invoice messages, and those failed.
func (w *world) countInvoiceMessages() (all, failed int) {
	w.t.Helper()
	box := sqlstore.NewOutboxService(w.db.DB)
	_, all, err := box.FindOutbox(w.ctx, central.OutboxFilter{TopicPrefix: billing.TopicInvoice, Limit: 1})
	if err != nil {
		w.t.Fatal(err)
	}
	_, failed, err = box.FindOutbox(w.ctx, central.OutboxFilter{TopicPrefix: billing.TopicInvoice,
		State: central.OutcomeFailed, Limit: 1})
	if err != nil {
		w.t.Fatal(err)
	}
	return all, failed
}
