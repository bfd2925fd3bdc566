package email_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// fixture is a real store (SQLite in a temporary folder), a test SMTP
// server and a worker pointed at it.
type fixture struct {
	t        *testing.T
	ctx      context.Context
	srv      *smtptest.Server
	db       *sqlite.DB
	members  *sqlstore.MemberService
	outbox   *sqlstore.OutboxService
	settings *settings
	receipts *receipts
	worker   *email.Worker
	logs     syncBuffer
}

// syncBuffer is the worker's log, written by its loops.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// settings is a SettingsService over a map: the smtp.* keys are declared
// by this package and joined to the table by centrald.
type settings struct {
	mu  sync.Mutex
	set central.Settings
}

func (s *settings) Settings(context.Context) (central.Settings, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := central.Settings{}
	for k, v := range s.set {
		out[k] = v
	}
	return out, nil
}

func (s *settings) SetSetting(_ context.Context, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set[key] = value
	return nil
}

// receipts stands for central/billing's receipts.
type receipts struct{ calls int }

func (r *receipts) Receipt(_ context.Context, sale int64) (*email.Receipt, error) {
	r.calls++
	if sale == 404 {
		return nil, central.Errorf(central.ENOTFOUND, "Sale not found.")
	}
	return &email.Receipt{Number: "R-" + strconv.FormatInt(sale, 10), Product: "Carte 10 entrées", Amount: 8000, PDF: pdf}, nil
}

func newFixture(t *testing.T, opts smtptest.Options) *fixture {
	t.Helper()
	db := sqlite.NewDB(t.TempDir())
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := smtptest.Start(t, opts)
	tlsMode := map[string]string{"": email.TLSNone, "starttls": email.TLSStartTLS, "tls": email.TLSImplicit}[opts.TLS]
	f := &fixture{t: t, ctx: central.NewContextWithActor(context.Background(), central.ActorCLI), srv: srv, db: db,
		members: sqlstore.NewMemberService(db.DB), outbox: sqlstore.NewOutboxService(db.DB), receipts: &receipts{},
		settings: &settings{set: central.Settings{
			email.SettingHost: srv.Host, email.SettingPort: strconv.Itoa(srv.Port), email.SettingFrom: from,
			email.SettingTLS: tlsMode, central.SettingSpaceName: "La Ruche",
			email.SettingUsername: opts.Username, email.SettingPassword: opts.Password,
		}}}
	f.worker = &email.Worker{Outbox: f.outbox, Settings: f.settings, Poll: 10 * time.Millisecond,
		Logger:     slog.New(slog.NewTextHandler(&f.logs, nil)),
		BackoffMin: 20 * time.Millisecond, BackoffMax: 50 * time.Millisecond,
		Handler: &email.Handler{Members: f.members, Receipts: f.receipts, TLSConfig: srv.ClientTLS, Timeout: 10 * time.Second}}
	return f
}

func (f *fixture) member(name, addr string) int64 {
	f.t.Helper()
	m := &central.Member{Name: name, Email: addr}
	if err := f.members.CreateMember(f.ctx, m); err != nil {
		f.t.Fatal(err)
	}
	return m.ID
}

func (f *fixture) enqueue(msg central.OutboxMessage) {
	f.t.Helper()
	if _, err := f.outbox.EnqueueOutbox(f.ctx, msg); err != nil {
		f.t.Fatal(err)
	}
}

// run serves the outbox until cond holds (or 10 s pass).
func (f *fixture) run(cond func() bool) {
	f.t.Helper()
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan error)
	go func() { done <- f.worker.Serve(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		f.t.Errorf("Serve: %v", err)
	}
}

// item returns the outbox message of a key.
func (f *fixture) item(key string) *central.OutboxItem {
	f.t.Helper()
	items, _, err := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{TopicPrefix: email.TopicPrefix})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, it := range items {
		if it.Key == key {
			return it
		}
	}
	f.t.Fatalf("no outbox message %s", key)
	return nil
}

func (f *fixture) finished(key string) func() bool {
	return func() bool { return !f.item(key).Done.IsZero() }
}

func TestReceiptMailDeliveredOnce(t *testing.T) {
	f := newFixture(t, smtptest.Options{TLS: "starttls", Username: "bureau", Password: "s3cret"})
	alice := f.member("Alice Martin", "alice@example.org")
	msg := email.ReceiptMessage(42, alice, "")
	f.enqueue(msg)
	f.enqueue(msg) // the same sale again: dropped by its key
	f.run(f.finished(msg.Key))
	it := f.item(msg.Key)
	if it.Outcome != central.OutcomeSent {
		t.Fatalf("outcome %q %q, want sent", it.Outcome, it.Error)
	}
	if logs := f.logs.String(); !strings.Contains(logs, "email: sent") || !strings.Contains(logs, "queued") {
		t.Errorf("the log lacks the server's answer:\n%s", logs)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d mails, want 1", len(msgs))
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Votre reçu R-42 — La Ruche" || !strings.Contains(p.Text, "Carte 10 entrées, 80,00\u00a0€") {
		t.Errorf("subject %q, text %q", p.Subject, p.Text)
	}
	if got, want := p.Header.Get("Message-ID"), "<"+email.MessageID(msg.Key, from)+">"; got != want {
		t.Errorf("Message-ID %s, want %s (from the outbox key)", got, want)
	}
	if len(p.Attachments) != 1 || p.Attachments[0].Name != "R-42.pdf" || string(p.Attachments[0].Data) != string(pdf) {
		t.Errorf("attachments %+v, want the receipt's PDF", p.Attachments)
	}
}

func Test421ThenAcceptedDeliveredOnce(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	f.srv.Script(smtptest.Reply{Stage: "mail", Code: 421, Enhanced: [3]int{4, 7, 0}, Text: "Too busy, try later"})
	msg := email.ReceiptMessage(7, alice, "en")
	f.enqueue(msg)
	f.run(f.finished(msg.Key))
	it := f.item(msg.Key)
	if it.Outcome != central.OutcomeSent || it.Attempts != 2 {
		t.Errorf("outcome %q after %d attempts, want sent at the 2nd", it.Outcome, it.Attempts)
	}
	if n, a := len(f.srv.Messages()), f.srv.Attempts(); n != 1 || a != 2 {
		t.Errorf("%d mails after %d attempts, want 1 after 2", n, a)
	}
	p, _ := f.srv.Messages()[0].Parse()
	if p.Subject != "Your receipt R-7 — La Ruche" {
		t.Errorf("subject %q: want English", p.Subject)
	}
}

func Test550GivenUpWithServerText(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	f.srv.Script(smtptest.Reply{Stage: "rcpt", Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "No such user here"})
	msg := email.ReceiptMessage(8, alice, "")
	f.enqueue(msg)
	f.run(f.finished(msg.Key))
	it := f.item(msg.Key)
	if it.Outcome != central.OutcomeFailed || !strings.Contains(it.Error, "550") || !strings.Contains(it.Error, "No such user here") {
		t.Errorf("outcome %q %q, want failed with the server's 550", it.Outcome, it.Error)
	}
	if a := f.srv.Attempts(); a != 1 {
		t.Errorf("%d attempts, want 1 (a 5xx is not retried)", a)
	}
}

func TestSkipped(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	noMail := f.member("Bob Sans Mail", "")
	alice := f.member("Alice Martin", "alice@example.org")
	erased := f.member("Carol Partie", "carol@example.org")
	if err := f.members.EraseMember(f.ctx, erased); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		email.ReceiptMessage(1, noMail, "").Key:  "no e-mail address",
		email.ReceiptMessage(2, erased, "").Key:  "erased",
		email.ReceiptMessage(404, alice, "").Key: "no receipt",
	}
	f.enqueue(email.ReceiptMessage(1, noMail, ""))
	f.enqueue(email.ReceiptMessage(2, erased, ""))
	f.enqueue(email.ReceiptMessage(404, alice, ""))
	f.run(func() bool {
		for k := range cases {
			if f.item(k).Done.IsZero() {
				return false
			}
		}
		return true
	})
	for k, why := range cases {
		if it := f.item(k); it.Outcome != central.OutcomeSkipped || !strings.Contains(it.Error, why) {
			t.Errorf("%s: %q %q, want skipped: %s", k, it.Outcome, it.Error, why)
		}
	}
	if n := len(f.srv.Messages()); n != 0 {
		t.Errorf("%d mails sent", n)
	}
}

func TestNotSetUpSkipped(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	f.settings.set[email.SettingHost] = ""
	msg := email.ReceiptMessage(3, alice, "")
	f.enqueue(msg)
	f.run(f.finished(msg.Key))
	if it := f.item(msg.Key); it.Outcome != central.OutcomeSkipped || !strings.Contains(it.Error, "smtp.host") {
		t.Errorf("%q %q, want skipped: not set up", it.Outcome, it.Error)
	}
}

func TestConnectionRefusedRetried(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	f.settings.set[email.SettingPort] = strconv.Itoa(closedPort(t))
	msg := email.ReceiptMessage(9, alice, "")
	f.enqueue(msg)
	f.run(func() bool { return f.item(msg.Key).Attempts >= 2 })
	it := f.item(msg.Key)
	if !it.Done.IsZero() || it.Attempts < 2 || !strings.Contains(it.Error, "refused") {
		t.Fatalf("done %v after %d attempts (%q), want retried", it.Done, it.Attempts, it.Error)
	}
	// The server is back: the mail leaves, once.
	f.settings.set[email.SettingPort] = strconv.Itoa(f.srv.Port)
	f.run(f.finished(msg.Key))
	if it := f.item(msg.Key); it.Outcome != central.OutcomeSent || len(f.srv.Messages()) != 1 {
		t.Errorf("%q, %d mails, want sent once", it.Outcome, len(f.srv.Messages()))
	}
}

func TestEveryKindDelivered(t *testing.T) {
	f := newFixture(t, smtptest.Options{TLS: "starttls"})
	alice := f.member("Alice Martin", "alice@example.org")
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	for _, c := range []struct {
		kind, key string
		p         email.Payload
		subject   string
		attach    string
		unsub     string
	}{
		{email.KindWelcome, "member:1", email.Payload{Member: alice, Link: "https://c.example/m/tok", BadgePNG: png}, "Bienvenue à La Ruche", "badge.png", ""},
		{email.KindLink, "member:1:req:1", email.Payload{Member: alice, Lang: "en", Link: "https://c.example/m/tok"}, "Your personal link — La Ruche", "", ""},
		{email.KindLowBalance, "member:1:sale:3:left:0", email.Payload{Member: alice, Left: 0, BuyURL: "https://buy.example"}, "Plus d’entrée sur votre carte — La Ruche", "", "<mailto:" + from + "?subject=unsubscribe>"},
		{email.KindRenewal, "member:1:2027-02-28:30", email.Payload{Member: alice, Until: "2027-02-28", DaysLeft: 30, Unsubscribe: "https://c.example/m/tok#reminders"}, "Votre adhésion se termine le 28 février 2027 — La Ruche", "", "<https://c.example/m/tok#reminders>, <mailto:" + from + "?subject=unsubscribe>"},
		{email.KindPasswordReset, "user:2:1", email.Payload{Email: "tresorier@example.org", Link: "https://c.example/reset/tok"}, "Nouveau mot de passe — La Ruche", "", ""},
		{email.KindGuest, "guest:7:ab", email.Payload{Email: "lea@example.org", Name: "Léa Roux", Host: "Alice Martin", Space: "Coin", Day: "2027-01-15", BadgePNG: png,
			Address: "12 rue des Lilas, 69001 Lyon", Hours: "lundi 08:00–20:00 ; samedi 09:00–13:00"},
			"Alice Martin vous invite à Coin le 15 janvier 2027", "invitation.png", ""},
		{email.KindGuest, "guest:7:cd", email.Payload{Email: "lea@example.org", Name: "Léa Roux", Host: "Alice Martin", Space: "Coin", Day: "2027-01-15", BadgePNG: png, Lang: "en"},
			"Alice Martin invites you to Coin on 15 January 2027", "invitation.png", ""},
		{email.KindAlert, "camera:3:1764", email.Payload{Email: "bureau@example.org", Alert: &email.Alert{What: "camera", Kiosk: "Porte", Since: time.Date(2026, 12, 3, 14, 5, 0, 0, time.UTC), Detail: "no device"}},
			"Caméra de la borne «\u00a0Porte\u00a0» en panne — La Ruche", "", ""},
		{email.KindAlert, "disk:3:1764", email.Payload{Email: "bureau@example.org", Lang: "en", Alert: &email.Alert{What: "disk", Kiosk: "Porte", Since: time.Date(2026, 12, 3, 14, 5, 0, 0, time.UTC), Free: 100 << 20}},
			"Kiosk “Porte”: disk nearly full — La Ruche", "", ""},
		{email.KindAlert, "silent:3:1764", email.Payload{Email: "bureau@example.org", Alert: &email.Alert{What: "silent", Kiosk: "Porte", Since: time.Date(2026, 12, 3, 14, 5, 0, 0, time.UTC)}},
			"La borne «\u00a0Porte\u00a0» ne donne plus de nouvelles — La Ruche", "", ""},
	} {
		msg, err := email.NewMessage(c.kind, c.key, c.p)
		if err != nil {
			t.Fatal(c.kind, err)
		}
		f.enqueue(msg)
		f.run(f.finished(msg.Key))
		if it := f.item(msg.Key); it.Outcome != central.OutcomeSent {
			t.Fatalf("%s: %q %q", c.kind, it.Outcome, it.Error)
		}
		msgs := f.srv.Messages()
		p, err := msgs[len(msgs)-1].Parse()
		if err != nil {
			t.Fatal(err)
		}
		if p.Subject != c.subject {
			t.Errorf("%s: subject %q, want %q", c.kind, p.Subject, c.subject)
		}
		if got := p.Header.Get("List-Unsubscribe"); got != c.unsub {
			t.Errorf("%s: List-Unsubscribe %q, want %q", c.kind, got, c.unsub)
		}
		if c.attach != "" && (len(p.Attachments) != 1 || p.Attachments[0].Name != c.attach) {
			t.Errorf("%s: attachments %+v, want %s", c.kind, p.Attachments, c.attach)
		}
		if c.p.Link != "" && (!strings.Contains(p.Text, c.p.Link) || !strings.Contains(p.HTML, `href="`+c.p.Link+`"`)) {
			t.Errorf("%s: the link is missing from the text or the HTML", c.kind)
		}
		if p.HTML == "" || p.Text == "" {
			t.Errorf("%s: text %d bytes, HTML %d bytes", c.kind, len(p.Text), len(p.HTML))
		}
		if c.key == "guest:7:cd" && (strings.Contains(p.Text, "Address") || strings.Contains(p.Text, "opens") || strings.Contains(strings.ReplaceAll(p.Text, "\r\n", "\n"), "\n\n\n")) {
			t.Errorf("%s: no address or hours given, the text says some or leaves a gap:\n%q", c.key, p.Text)
		}
		if c.key == "guest:7:ab" && !strings.Contains(p.HTML, "<strong>Adresse\u00a0:</strong> 12 rue des Lilas, 69001 Lyon<br><strong>La porte ouvre\u00a0:</strong> lundi") {
			t.Errorf("%s: the HTML lacks the address and hours:\n%s", c.key, p.HTML)
		}
		for _, want := range map[string][]string{
			"guest:7:ab": {"Bonjour Léa,", "Il n’est valable que ce jour-là, à Coin.", "caméra de la borne", "demandez à Alice Martin",
				"Adresse\u00a0: 12 rue des Lilas, 69001 Lyon", "La porte ouvre\u00a0: lundi 08:00–20:00 ; samedi 09:00–13:00."},
			"guest:7:cd":    {"Hello Léa,", "valid on that day only, at Coin", "kiosk’s camera"},
			"camera:3:1764": {"ne voit plus rien depuis le 3 décembre 2026 à 14:05 (no device)", "Une seule alerte par incident"},
			"disk:3:1764":   {"(100 MB free) since 3 December 2026 at 14:05"},
			"silent:3:1764": {"ne donne plus de nouvelles depuis le 3 décembre 2026 à 14:05"},
		}[c.key] {
			if !strings.Contains(p.Text, want) {
				t.Errorf("%s: the text lacks %q:\n%s", c.key, want, p.Text)
			}
		}
	}
	if to := f.srv.Messages()[4].To; len(to) != 1 || to[0] != "tresorier@example.org" {
		t.Errorf("password reset sent to %q", to)
	}
}

func TestSendTestReturnsAnswer(t *testing.T) {
	f := newFixture(t, smtptest.Options{TLS: "starttls"})
	set, _ := f.settings.Settings(f.ctx)
	answer, err := f.worker.Handler.SendTest(f.ctx, set, "admin@example.org", "fr")
	if err != nil || !strings.Contains(answer, "OK") {
		t.Fatalf("answer %q, %v", answer, err)
	}
	p, _ := f.srv.Messages()[0].Parse()
	if p.Subject != "Message d’essai — La Ruche" {
		t.Errorf("subject %q", p.Subject)
	}
	f.srv.Script(smtptest.Reply{Stage: "rcpt", Code: 550, Enhanced: [3]int{5, 7, 1}, Text: "Relaying denied"})
	if _, err := f.worker.Handler.SendTest(f.ctx, set, "admin@example.org", "fr"); err == nil || !strings.Contains(err.Error(), "Relaying denied") {
		t.Errorf("error %v, want the server's refusal", err)
	}
}
