package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/email/smtptest"
)

// TestRenewalReminderBinaries: the real centrald serve, on starting,
// e-mails a member whose dues end in 30 days her renewal reminder through
// the demo's mail catcher (a real SMTP server in its own process), with
// the membership product's HelloAsso form and her unsubscribe link; a
// member whose dues run longer gets none; a restart sends nothing again.
func TestRenewalReminderBinaries(t *testing.T) {
	r := newMailRig(t)
	run := r.run
	month := run("product", "add", "--name", "Adhésion 31 jours", "--kind", "membership", "--days", "31", "--price", "0")
	year := run("product", "add", "--name", "Adhésion 365 jours", "--kind", "membership", "--days", "365", "--price", "0")
	form := "https://www.helloasso.com/associations/la-ruche/adhesions/adhesion-31-jours"
	run("settings", "set", "join.forms", month+"="+form)
	alice := run("member", "add", "--name", "Alice Martin", "--email", "alice@example.org")
	bob := run("member", "add", "--name", "Bob Durand", "--email", "bob@example.org")
	run("sell", "--member", alice, "--product", month) // ends in 30 days
	run("sell", "--member", bob, "--product", year)

	serve := func() func() { return r.serve(r.publicURL()) }
	files := r.files
	stop := serve()
	deadline := time.Now().Add(30 * time.Second)
	for len(files()) < 1 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a second mail, if one were wrongly sent
	got := files()
	if len(got) != 1 {
		t.Fatalf("%d mails, want Alice's reminder", len(got))
	}
	b, _ := os.ReadFile(got[0])
	p, err := (&smtptest.Message{Data: b}).Parse()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Subject, "Votre adhésion se termine le ") || !strings.Contains(p.Header.Get("To"), "alice@example.org") ||
		!strings.Contains(p.Text, "dans 30 jours") || !strings.Contains(p.Text, form) ||
		!strings.Contains(p.Header.Get("List-Unsubscribe"), r.base+"/u/") {
		t.Fatalf("reminder %q to %q:\n%s", p.Subject, p.Header.Get("To"), p.Text)
	}
	stop()
	stop = serve()
	time.Sleep(2 * time.Second)
	stop()
	if n := len(files()); n != 1 {
		t.Errorf("%d mails after a restart, want 1", n)
	}
}
