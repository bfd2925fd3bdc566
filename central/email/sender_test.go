package email_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
)

const from = "bureau@laruche.example"

// senderFor returns a Sender pointed at a test server.
func senderFor(srv *smtptest.Server, tlsMode string) *email.Sender {
	return &email.Sender{
		Config: email.Config{Host: srv.Host, Port: srv.Port, From: from, TLS: tlsMode,
			Association: "La Ruche"},
		TLSConfig: srv.ClientTLS,
		Timeout:   10 * time.Second,
		Now:       func() time.Time { return time.Date(2027, 1, 31, 9, 30, 0, 0, time.UTC) },
	}
}

var pdf = []byte("%PDF-1.4\n% receipt R-000042\n%%EOF\n")

func TestSendContentAttachmentsHeaders(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{TLS: "starttls", Username: "bureau", Password: "s3cret"})
	s := senderFor(srv, email.TLSStartTLS)
	s.Config.Username, s.Config.Password = "bureau", "s3cret"
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 255}, 300)...)
	m := &email.Mail{To: "alice@example.org", ToName: "Alice Martin", Subject: "Votre reçu R-000042 — La Ruche",
		Text: "Bonjour Alice,\nMerci.\n", HTML: "<p>Bonjour Alice,</p>", Key: "email.receipt:sale:42",
		Attachments: []email.Attachment{
			{Name: "R-000042.pdf", ContentType: "application/pdf", Data: pdf},
			{Name: "badge.png", ContentType: "image/png", Data: png},
		}}
	answer, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(answer, "OK") && !strings.Contains(answer, "queued") {
		t.Errorf("answer %q: want the server's answer to DATA", answer)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages received, want 1", len(msgs))
	}
	got := msgs[0]
	if !got.TLS || got.User != "bureau" {
		t.Errorf("TLS %v, user %q: want STARTTLS and the login", got.TLS, got.User)
	}
	if got.From != from || len(got.To) != 1 || got.To[0] != "alice@example.org" {
		t.Errorf("envelope %q → %q", got.From, got.To)
	}
	p, err := got.Parse()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ header, want string }{
		{"From", `"La Ruche" <bureau@laruche.example>`},
		{"To", `"Alice Martin" <alice@example.org>`},
		{"Message-ID", "<" + email.MessageID("email.receipt:sale:42", from) + ">"},
		{"Date", "Sun, 31 Jan 2027 09:30:00 +0000"},
		{"Auto-Submitted", "auto-generated"},
		{"List-Unsubscribe", ""}, // a receipt is transactional
	} {
		if g := p.Header.Get(c.header); g != c.want {
			t.Errorf("%s: %q, want %q", c.header, g, c.want)
		}
	}
	if p.Subject != m.Subject {
		t.Errorf("subject %q, want %q", p.Subject, m.Subject)
	}
	if strings.ReplaceAll(p.Text, "\r\n", "\n") != m.Text || !strings.Contains(p.HTML, "<p>Bonjour Alice,</p>") {
		t.Errorf("text %q html %q", p.Text, p.HTML)
	}
	if len(p.Attachments) != 2 {
		t.Fatalf("%d attachments, want 2", len(p.Attachments))
	}
	for i, want := range m.Attachments {
		a := p.Attachments[i]
		if a.Name != want.Name || a.ContentType != want.ContentType || !bytes.Equal(a.Data, want.Data) {
			t.Errorf("attachment %d: %s %s %d bytes, want %s %s %d bytes", i, a.Name, a.ContentType, len(a.Data), want.Name, want.ContentType, len(want.Data))
		}
	}
}

func TestMessageIDFollowsKey(t *testing.T) {
	a, b := email.MessageID("email.receipt:sale:42", from), email.MessageID("email.receipt:sale:42", from)
	if a != b || !strings.HasSuffix(a, "@laruche.example") {
		t.Errorf("%q, %q: want the same id at the sender's domain", a, b)
	}
	if c := email.MessageID("email.receipt:sale:43", from); c == a {
		t.Errorf("another key gave the same id %q", c)
	}
	if r1, r2 := email.MessageID("", from), email.MessageID("", from); r1 == r2 {
		t.Errorf("no key: %q twice, want random ids", r1)
	}
}

func TestSendTLSModes(t *testing.T) {
	for _, mode := range []string{email.TLSImplicit, email.TLSNone} {
		t.Run(mode, func(t *testing.T) {
			opts := smtptest.Options{}
			if mode == email.TLSImplicit {
				opts.TLS = "tls"
			}
			srv := smtptest.Start(t, opts)
			if _, err := senderFor(srv, mode).Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"}); err != nil {
				t.Fatal(err)
			}
			msgs := srv.Messages()
			if len(msgs) != 1 || msgs[0].TLS != (mode == email.TLSImplicit) {
				t.Fatalf("%d messages (TLS %v)", len(msgs), len(msgs) > 0 && msgs[0].TLS)
			}
		})
	}
}

func TestStartTLSRequired(t *testing.T) {
	// A server without STARTTLS: the mail (and the password) is never
	// sent in clear; retried, since a server may come back fixed.
	srv := smtptest.Start(t, smtptest.Options{})
	_, err := senderFor(srv, email.TLSStartTLS).Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"})
	se, ok := err.(*email.SendError)
	if !ok || se.Permanent {
		t.Fatalf("error %#v, want a retryable SendError", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages sent in clear", n)
	}
}

func TestStartTLSUntrustedCertificate(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{TLS: "starttls"})
	s := senderFor(srv, email.TLSStartTLS)
	s.TLSConfig = nil // the system's roots do not know the test certificate
	_, err := s.Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"})
	if err == nil || len(srv.Messages()) != 0 {
		t.Fatalf("error %v, %d messages: want a refused certificate", err, len(srv.Messages()))
	}
}

func TestSendErrorsClassified(t *testing.T) {
	for _, c := range []struct {
		name      string
		reply     smtptest.Reply
		permanent bool
		code      int
	}{
		{"421 at MAIL", smtptest.Reply{Stage: "mail", Code: 421, Enhanced: [3]int{4, 7, 0}, Text: "Too many connections, try later"}, false, 421},
		{"451 after DATA", smtptest.Reply{Stage: "data", Code: 451, Enhanced: [3]int{4, 3, 0}, Text: "Local error in processing"}, false, 451},
		{"550 at RCPT", smtptest.Reply{Stage: "rcpt", Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "No such user here"}, true, 550},
		{"552 after DATA", smtptest.Reply{Stage: "data", Code: 552, Enhanced: [3]int{5, 3, 4}, Text: "Message too big"}, true, 552},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := smtptest.Start(t, smtptest.Options{})
			srv.Script(c.reply)
			_, err := senderFor(srv, email.TLSNone).Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"})
			se, ok := err.(*email.SendError)
			if !ok {
				t.Fatalf("error %#v, want a SendError", err)
			}
			if se.Permanent != c.permanent || se.Code != c.code || !strings.Contains(se.Text, c.reply.Text) {
				t.Errorf("got permanent=%v code=%d %q, want permanent=%v code=%d with the server's text", se.Permanent, se.Code, se.Text, c.permanent, c.code)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("%d messages stored", n)
			}
		})
	}
}

func TestSendLoginRefusedIsPermanent(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{TLS: "starttls", Username: "bureau", Password: "s3cret"})
	s := senderFor(srv, email.TLSStartTLS)
	s.Config.Username, s.Config.Password = "bureau", "wrong"
	_, err := s.Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"})
	se, ok := err.(*email.SendError)
	if !ok || !se.Permanent || se.Code != 535 || !strings.Contains(se.Text, "Authentication credentials invalid") {
		t.Fatalf("error %#v, want a permanent 535 with the server's text", err)
	}
}

func TestSendConnectionRefusedIsRetryable(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s := senderFor(srv, email.TLSNone)
	s.Config.Port = closedPort(t)
	_, err := s.Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"})
	se, ok := err.(*email.SendError)
	if !ok || se.Permanent || se.Code != 0 || se.Text == "" {
		t.Fatalf("error %#v, want a retryable connection error", err)
	}
}

func TestLoginWithoutTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{Username: "relay", Password: "s3cret"})
	s := senderFor(srv, email.TLSNone)
	s.Config.Username, s.Config.Password = "relay", "s3cret"
	// A relay on this machine (127.0.0.1): PLAIN without TLS is allowed.
	if _, err := s.Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].User != "relay" {
		t.Fatalf("%d messages", len(msgs))
	}
	// Anywhere else the password would cross the network in clear.
	s.Config.Host = "smtp.example.org"
	_, err := s.Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"})
	if se, ok := err.(*email.SendError); !ok || !se.Permanent || !strings.Contains(se.Text, "in clear") {
		t.Fatalf("error %v, want a permanent refusal to send the password in clear", err)
	}
}
