package email_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
)

// TestSendTimeoutIsRetryable: a server that accepts the connection and
// never answers is a passing failure, bounded by Sender.Timeout.
func TestSendTimeoutIsRetryable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent until the test ends
		}
	}()
	s := &email.Sender{Config: email.Config{Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, From: from, TLS: email.TLSNone},
		Timeout: 300 * time.Millisecond}
	start := time.Now()
	_, err = s.Send(context.Background(), &email.Mail{To: "a@example.org", Subject: "s", Text: "t"})
	se, ok := err.(*email.SendError)
	if !ok || se.Permanent || se.Code != 0 {
		t.Fatalf("error %#v, want a retryable timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("gave up after %v, want about the 300 ms timeout", d)
	}
}

// TestResumeAfterCrashBeforeSending: centrald died holding a claim
// (nothing reached the server). The next start takes the message back at
// once, not after the lease, and sends it once.
func TestResumeAfterCrashBeforeSending(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	msg := email.ReceiptMessage(11, alice, "")
	f.enqueue(msg)
	if it, err := f.outbox.ClaimOutboxNext(f.ctx, msg.Topic, time.Hour); err != nil || it == nil {
		t.Fatalf("claim: %v %v", it, err)
	}
	f.run(f.finished(msg.Key))
	if it := f.item(msg.Key); it.Outcome != central.OutcomeSent || len(f.srv.Messages()) != 1 {
		t.Fatalf("%q %q, %d mails: want sent once", it.Outcome, it.Error, len(f.srv.Messages()))
	}
}

// TestCrashAfterServerAcceptedSendsDuplicate says what SMTP cannot do:
// when centrald dies after the server accepted a mail but before the
// outbox recorded it, the mail is sent again. There is at most one such
// duplicate per crash, and it carries the same Message-ID, by which mail
// programs fold the two.
func TestCrashAfterServerAcceptedSendsDuplicate(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	msg := email.ReceiptMessage(12, alice, "")
	f.enqueue(msg)
	it, err := f.outbox.ClaimOutboxNext(f.ctx, msg.Topic, time.Hour)
	if err != nil || it == nil {
		t.Fatalf("claim: %v %v", it, err)
	}
	set, _ := f.settings.Settings(f.ctx)
	if res, err := f.worker.Handler.Deliver(f.ctx, it, set); err != nil || res.Outcome != central.OutcomeSent {
		t.Fatalf("%+v %v", res, err)
	}
	// ... and centrald dies here, before FinishOutbox.
	f.run(f.finished(msg.Key))
	msgs := f.srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d mails, want the mail and one duplicate", len(msgs))
	}
	a, _ := msgs[0].Parse()
	b, _ := msgs[1].Parse()
	if a.Header.Get("Message-ID") != b.Header.Get("Message-ID") {
		t.Errorf("Message-IDs %s and %s: want the same", a.Header.Get("Message-ID"), b.Header.Get("Message-ID"))
	}
}

// TestStoppingBeginsNoSend: once centrald stops, a claimed mail not yet
// begun is left for the next start (no half-sent mail).
func TestStoppingBeginsNoSend(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	alice := f.member("Alice Martin", "alice@example.org")
	f.enqueue(email.ReceiptMessage(13, alice, ""))
	it, err := f.outbox.ClaimOutboxNext(f.ctx, email.Topic(email.KindReceipt), time.Hour)
	if err != nil || it == nil {
		t.Fatalf("claim: %v %v", it, err)
	}
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	set, _ := f.settings.Settings(f.ctx)
	if _, err := f.worker.Handler.Deliver(ctx, it, set); err == nil {
		t.Error("Deliver after the stop: no error, want the message left claimed")
	}
	if n := f.srv.Attempts(); n != 0 {
		t.Errorf("%d SMTP transactions after the stop", n)
	}
}
