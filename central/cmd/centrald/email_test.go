package main

import (
	"bytes"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlite"
)

// serveUntil runs centrald serve on c's folder until until reports true
// (20 s at most), and returns its logs.
func serveUntil(t *testing.T, c *cli, until func() bool) string {
	t.Helper()
	db := sqlite.NewDB(c.dir)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	s := &server{DB: onSQLite(db), Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for !until() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	return logs.String()
}

// TestEmailReceipts: with the smtp.* settings set, a running serve
// e-mails each sale's receipt, PDF attached, to a member who has an
// e-mail address, exactly once (a restart sends nothing again); a member
// without an address gets none; email test prints the server's answer.
func TestEmailReceipts(t *testing.T) {
	c := newCLI(t)
	srv := smtptest.Start(t, smtptest.Options{})
	for k, v := range map[string]string{
		"smtp.host": srv.Host, "smtp.port": strconv.Itoa(srv.Port), "smtp.from": "bureau@laruche.example",
		"smtp.tls": "none", "space.name": "La Ruche",
	} {
		c.ok("settings", "set", k, v)
	}
	if out := c.ok("email", "test", "--to", "tresorier@example.org"); !strings.Contains(out, "queued") {
		t.Fatalf("email test printed %q, want the server's answer", out)
	}
	if out := c.fail("email", "test", "--to", "not an address"); !strings.Contains(out, "Invalid e-mail address") {
		t.Errorf("email test with a bad address: %q", out)
	}
	alice := c.ok("member", "add", "--name", "Alice Martin", "--email", "alice@example.org")
	bob := c.ok("member", "add", "--name", "Bob Sans Mail")
	card := c.ok("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--price", "80")
	sale1 := c.ok("sell", "--member", alice, "--product", card)
	c.ok("sell", "--member", bob, "--product", card)

	serve := func(until func() bool) string { t.Helper(); return serveUntil(t, c, until) }
	mails := func() int { return len(srv.Messages()) - 1 } // the test mail first
	logs := serve(func() bool { return mails() >= 1 })
	sale2 := c.ok("sell", "--member", alice, "--product", card) // while serve is stopped
	logs += serve(func() bool { return mails() >= 2 })
	serve(func() bool { time.Sleep(time.Second); return true }) // a restart sends nothing again
	got := srv.Messages()[1:]
	if len(got) != 2 {
		t.Fatalf("%d receipts e-mailed, want 2 (Alice's two sales)\n%s", len(got), logs)
	}
	for i, sale := range []string{sale1, sale2} {
		p, err := got[i].Parse()
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.ParseInt(sale, 10, 64)
		number := "R-" + strings.Repeat("0", 6-len(sale)) + sale
		if got[i].To[0] != "alice@example.org" || !strings.Contains(p.Subject, number) {
			t.Errorf("mail %d to %v: %q, want Alice's receipt %s", i, got[i].To, p.Subject, number)
		}
		if len(p.Attachments) != 1 || p.Attachments[0].Name != number+".pdf" || !bytes.HasPrefix(p.Attachments[0].Data, []byte("%PDF-")) {
			t.Errorf("mail %d attachments %+v, want %s.pdf", i, p.Attachments, number)
		}
		if id := p.Header.Get("Message-ID"); id != "<"+email.MessageID(email.ReceiptMessage(n, 1, "").Key, "bureau@laruche.example")+">" {
			t.Errorf("mail %d Message-ID %s", i, id)
		}
	}
}

// TestEmailReceiptWhenPaid: a sale recorded "not paid yet" mails no
// receipt (it mailed one at once, whose PDF said « Payé. »); its payment,
// recorded later, mails it, once, and the PDF says how it was paid.
func TestEmailReceiptWhenPaid(t *testing.T) {
	c := newCLI(t)
	srv := smtptest.Start(t, smtptest.Options{})
	for k, v := range map[string]string{
		"smtp.host": srv.Host, "smtp.port": strconv.Itoa(srv.Port), "smtp.from": "bureau@laruche.example", "smtp.tls": "none",
	} {
		c.ok("settings", "set", k, v)
	}
	alice := c.ok("member", "add", "--name", "Alice Martin", "--email", "alice@example.org")
	card := c.ok("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--price", "80")
	owed := c.ok("sell", "--member", alice, "--product", card, "--paid", "unpaid")
	paid := c.ok("sell", "--member", alice, "--product", card, "--paid", "cash") // the mail that tells the outbox has run
	logs := serveUntil(t, c, func() bool { return len(srv.Messages()) >= 1 })
	logs += serveUntil(t, c, func() bool { time.Sleep(time.Second); return true })
	subjects := func() []string {
		var out []string
		for _, m := range srv.Messages() {
			p, err := m.Parse()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, p.Subject)
		}
		return out
	}
	if got := subjects(); len(got) != 1 || !strings.Contains(got[0], "R-00000"+paid) {
		t.Fatalf("mails before the payment %q, want the paid sale's receipt only\n%s", got, logs)
	}
	c.ok("pay", "--sale", owed, "--paid", "cheque", "--bank", "Crédit Mutuel", "--cheque", "1234567")
	logs += serveUntil(t, c, func() bool { return len(srv.Messages()) >= 2 })
	logs += serveUntil(t, c, func() bool { time.Sleep(time.Second); return true }) // once
	got := srv.Messages()
	if len(got) != 2 {
		t.Fatalf("%d mails, want 2 (the owed sale's receipt once paid)\n%s", len(got), logs)
	}
	p, err := got[1].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Subject, "R-00000"+owed) || len(p.Attachments) != 1 {
		t.Fatalf("mail after the payment %q with %d attachments, want the receipt of sale %s", p.Subject, len(p.Attachments), owed)
	}
	if pdf := p.Attachments[0].Data; !bytes.Contains(pdf, []byte(`(Pay\351 par ch\350que le `)) {
		t.Errorf("the receipt does not say it was paid by cheque:\n%s", pdf)
	}
}
