package email_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// prefs stands for the store's mail preferences.
type prefs struct {
	lang string
	off  map[int64]bool
}

func (p *prefs) MailPrefs(_ context.Context, member int64) (string, bool, error) {
	return p.lang, p.off[member], nil
}

func (p *prefs) UnsubscribeURL(_ context.Context, member int64) (string, error) {
	return "https://badges.example.org/u/tok-" + strings.Repeat("x", int(member)), nil
}

func mustMessage(t *testing.T, kind, key string, p email.Payload) central.OutboxMessage {
	t.Helper()
	msg, err := email.NewMessage(kind, key, p)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// TestMailsToAddresses: a join goes to the address typed (no member yet),
// greeted by the name typed; a claim goes to the other address to confirm,
// maybe someone else's: greeted by no name, addressed to no name, it
// names the member who asks; a badge mail attaches the QR.
func TestMailsToAddresses(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	msgs := []central.OutboxMessage{
		mustMessage(t, email.KindJoin, "j1", email.Payload{Email: "bob@example.net", Name: "Bob Durand", Link: "https://b.example/join/confirm/t1"}),
		mustMessage(t, email.KindClaim, "c1", email.Payload{Member: alice, Email: "alice.pro@example.com", Link: "https://b.example/claim/t2"}),
		mustMessage(t, email.KindBadge, "b1", email.Payload{Member: alice, BadgePNG: append([]byte("\x89PNG\r\n\x1a\n"), 1, 2, 3)}),
	}
	for _, m := range msgs {
		f.enqueue(m)
	}
	f.run(func() bool { return len(f.srv.Messages()) == 3 })
	got := map[string]*smtptest.Parsed{}
	for _, m := range f.srv.Messages() {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		got[m.To[0]] = p
	}
	if p := got["bob@example.net"]; p == nil || !strings.HasPrefix(p.Text, "Bonjour Bob,") ||
		!strings.Contains(p.Text, "https://b.example/join/confirm/t1") || !strings.Contains(p.HTML, "Confirmer mon adresse") {
		t.Errorf("join mail %+v", p)
	}
	if p := got["alice.pro@example.com"]; p == nil || !strings.HasPrefix(p.Text, "Bonjour,") ||
		!strings.Contains(p.Text, "Alice Martin, membre de La Ruche, demande") ||
		!strings.Contains(p.Text, "alice.pro@example.com") || !strings.Contains(p.Text, "https://b.example/claim/t2") ||
		strings.Contains(p.Header.Get("To"), "Alice") {
		t.Errorf("claim mail %+v (To: %s)", p, p.Header.Get("To"))
	}
	if p := got["alice@example.org"]; p == nil || p.Subject != "Votre badge — La Ruche" || len(p.Attachments) != 1 ||
		p.Attachments[0].Name != "badge.png" {
		t.Errorf("badge mail %+v", p)
	}
}

// TestReminderPrefs: a reminder is in the member's language, links to
// the page that turns reminders off (body and List-Unsubscribe), and is
// not sent to a member who turned them off; a transactional mail still
// is.
func TestReminderPrefs(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	bob := f.member("Bob Durand", "bob@example.org")
	f.worker.Handler.Prefs = &prefs{lang: "en", off: map[int64]bool{bob: true}}
	low := func(m int64, key string) central.OutboxMessage {
		return mustMessage(t, email.KindLowBalance, key, email.Payload{Member: m, Left: 1})
	}
	f.enqueue(low(alice, "a"))
	f.enqueue(low(bob, "b"))
	link := mustMessage(t, email.KindLink, "l", email.Payload{Member: bob, Link: "https://b.example/m/t"})
	f.enqueue(link)
	f.run(func() bool {
		return f.finished(link.Key)() && f.finished(low(bob, "b").Key)() && len(f.srv.Messages()) == 2
	})
	if it := f.item(low(bob, "b").Key); it.Outcome != central.OutcomeSkipped || !strings.Contains(it.Error, "reminders off") {
		t.Errorf("bob's reminder: %q %q, want skipped", it.Outcome, it.Error)
	}
	for _, m := range f.srv.Messages() {
		p, _ := m.Parse()
		switch m.To[0] {
		case "alice@example.org":
			unsub := "https://badges.example.org/u/tok-x"
			if !strings.HasPrefix(p.Text, "Hello Alice") {
				t.Errorf("not English: %q %q", p.Subject, p.Text)
			}
			if !strings.Contains(p.Text, unsub) || !strings.Contains(p.Header.Get("List-Unsubscribe"), unsub) {
				t.Errorf("no unsubscribe link: %q %q", p.Text, p.Header.Get("List-Unsubscribe"))
			}
		case "bob@example.org":
			if !strings.HasPrefix(p.Text, "Hello Bob") {
				t.Errorf("link mail %q", p.Text)
			}
		}
	}
}

// TestGivenUpJournaled: a mail refused for good (550) is written to the
// audit log, the bureau's journal, on the member, with the server's
// answer and no address.
func TestGivenUpJournaled(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	audit := sqlstore.NewAuditService(f.db.DB)
	f.worker.Journal = audit
	alice := f.member("Alice Martin", "alice@example.org")
	f.srv.Script(smtptest.Reply{Stage: "rcpt", Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "<alice@example.org>: No such user here"})
	msg := email.ReceiptMessage(8, alice, "")
	f.enqueue(msg)
	f.run(f.finished(msg.Key))
	evs, _, err := audit.FindAuditEvents(f.ctx, central.AuditFilter{Action: "email.given_up"})
	if err != nil || len(evs) != 1 {
		t.Fatalf("journal %v %v, want one event", evs, err)
	}
	if e := evs[0]; e.Object != "member:"+strconv.FormatInt(alice, 10) || !strings.Contains(e.Details, "No such user here") ||
		!strings.Contains(e.Details, `"kind":"receipt"`) || strings.Contains(e.Details, "alice@example.org") {
		t.Errorf("event %+v", e)
	}
}

func TestLowBalanceHook(t *testing.T) {
	on := central.Settings{email.SettingHost: "smtp.example.org", email.SettingFrom: "bureau@example.org"}
	ev := func(m central.Member) central.LowBalance {
		return central.LowBalance{Arrival: central.Arrival{Member: &m, Entry: &central.Entry{ID: "E-1"}}, Left: 1}
	}
	alice := central.Member{ID: 3, Name: "Alice", Email: "alice@example.org"}
	optOut := alice
	optOut.SlackOptOut = true
	for _, c := range []struct {
		name  string
		ev    central.LowBalance
		set   central.Settings
		slack bool
		want  int
	}{
		{"no Slack", ev(alice), on, false, 1},
		{"reached on Slack", ev(alice), on, true, 0},
		{"opted out of Slack", ev(optOut), on, true, 1},
		{"no address", ev(central.Member{ID: 4, Name: "Bob"}), on, false, 0},
		{"e-mail not set up", ev(alice), central.Settings{}, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := email.LowBalanceHook(c.ev, c.set, c.slack, "https://www.helloasso.com/x")
			if len(got) != c.want {
				t.Fatalf("%d messages, want %d", len(got), c.want)
			}
			if c.want == 1 {
				_, p, err := email.ParsePayload(got[0].Topic, got[0].Payload)
				if err != nil || p.Member != 3 || p.Left != 1 || p.BuyURL != "https://www.helloasso.com/x" || got[0].Key != "email.low_balance:entry:e-1" {
					t.Errorf("%+v %+v %v", got[0], p, err)
				}
			}
		})
	}
}
