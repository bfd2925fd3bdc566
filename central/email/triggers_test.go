package email_test

import (
	"context"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
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
// greeted by the member's name; a badge mail attaches the QR.
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
	if p := got["alice.pro@example.com"]; p == nil || !strings.HasPrefix(p.Text, "Bonjour Alice,") ||
		!strings.Contains(p.Text, "alice.pro@example.com") || !strings.Contains(p.Text, "https://b.example/claim/t2") {
		t.Errorf("claim mail %+v", p)
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
