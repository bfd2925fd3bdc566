package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/postgres"
	"github.com/badgeuse/badgeuse/central/postgres/pgtest"
	"github.com/badgeuse/badgeuse/shared/bintest"
)

// fail runs a command that must fail and returns its error as centrald
// prints it (errorText).
func (c *pgCLI) fail(args ...string) string {
	c.t.Helper()
	out, _, err := c.run("", args...)
	if err == nil {
		c.t.Fatalf("centrald %s succeeded: %q", strings.Join(args, " "), out)
	}
	return errorText(err)
}

// TestBillingCommandsOnPostgres: on a PostgreSQL database named by --db
// alone, the billing, e-mail and event commands do what they do on
// SQLite (TestBilling, TestEmailReceipts, TestEventCommands): helloasso
// map, unmap and check against the fake HelloAsso, pennylane check
// against the fake Pennylane, payments from signed notifications to a
// serve on the same database, assigned and ignored, receipt, invoice
// (never two), email test against a local SMTP server, and an event's
// registrations, waiting list and cancellation with their exact outputs.
func TestBillingCommandsOnPostgres(t *testing.T) {
	c := &pgCLI{t: t, url: pgtest.DB(t)}
	ha, pl := helloassotest.NewServer(t), pennylanetest.NewServer(t)
	ha.SignatureKey = "signature-key-0123456789"
	alice := c.ok("member", "add", "--name", "Alice Martin", "--email", "alice@example.org")
	card := c.ok("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--price", "120")
	if id := c.ok("helloasso", "map", "--form", "carte-10", "--item", "Carte 10 entrées", "--product", card); id != "1" {
		t.Fatalf("map printed %q", id)
	}
	if id := c.ok("helloasso", "map", "--form", "dons", "--item", "", "--product", card); id != "2" {
		t.Fatalf("second map printed %q", id)
	}
	c.ok("helloasso", "unmap", "--mapping", "2")
	if out := c.ok("helloasso", "mappings", "--json"); out != `{"id":1,"form":"carte-10","item":"Carte 10 entrées","product":1}` {
		t.Fatalf("mappings after unmap:\n%s", out)
	}
	c.fail("helloasso", "unmap", "--mapping", "2")
	c.fail("helloasso", "map", "--form", "x", "--item", "y", "--product", "99")
	for k, v := range map[string]string{
		"helloasso.api_url": ha.APIURL(), "helloasso.client_id": ha.ClientID, "helloasso.client_secret": ha.ClientSecret,
		"helloasso.signature_key": ha.SignatureKey, "pennylane.api_url": pl.APIURL(), "pennylane.token": pl.Token,
	} {
		c.ok("settings", "set", k, v)
	}
	if out := c.ok("helloasso", "check"); !strings.Contains(out, "/hooks/helloasso") || !strings.Contains(out, "ok") {
		t.Fatalf("helloasso check:\n%s", out)
	}
	if out := c.ok("pennylane", "check"); !strings.Contains(out, "ok") {
		t.Fatalf("pennylane check:\n%s", out)
	}
	c.ok("settings", "set", "pennylane.token", "wrong-token")
	if msg := c.fail("pennylane", "check"); strings.Contains(msg, "wrong-token") {
		t.Fatalf("pennylane check with a wrong token shows it: %q", msg)
	}
	c.ok("settings", "set", "pennylane.token", pl.Token)

	// serve on the same database receives HelloAsso's notifications.
	db := postgres.NewDB(c.url)
	db.Reactions = reactions() // as env.open
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bintest.Buffer
	s := &server{DB: onPostgres(db), Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	// The worker looks at its queue every 2 s here (30 s in serve): the
	// invoice queued by the command line below, in another process, wakes
	// nothing. The waits are long so that a busy machine does not fail
	// them (the race detector, other builds).
	const wakeWait = 2 * time.Minute
	s.billing = newBillingWorker(s.DB, s.Logger.With("component", "billing"))
	s.billing.PollInterval = 2 * time.Second
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	hook := s.URL() + "/hooks/helloasso"
	notify := func(order int64, email string) {
		t.Helper()
		ha.PutOrder(helloassotest.NewOrder(order, "carte-10", "Carte 10 entrées", 12000, email, "Alice", "Martin"))
		if st, err := ha.Notify(hook, "Order", order); err != nil || st != http.StatusOK {
			t.Fatalf("notify %d: %d %v", order, st, err)
		}
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(wakeWait); !ok(); time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("no %s; logs:\n%s", what, logs.String())
			}
		}
	}
	notify(777, "alice@example.org")
	var sale saleJSON
	waitFor("invoiced sale", func() bool {
		out := c.ok("sales", "--json")
		return out != "" && json.Unmarshal([]byte(out), &sale) == nil && sale.PennylaneInvoiceID != ""
	})
	if sale.ID != 1 || sale.Member != 1 || sale.Amount != 12000 || sale.Source != "helloasso" || sale.Paid != "helloasso" {
		t.Fatalf("sale %+v", sale)
	}

	// Two payments nobody matches: one assigned, one ignored.
	notify(778, "a.martin@perso.example")
	notify(779, "inconnue@example.org")
	var unmatched []paymentJSON
	waitFor("two unmatched payments", func() bool {
		unmatched = nil
		for _, line := range strings.Split(c.ok("payments", "unmatched", "--json"), "\n") {
			var p paymentJSON
			if json.Unmarshal([]byte(line), &p) == nil {
				unmatched = append(unmatched, p)
			}
		}
		return len(unmatched) == 2
	})
	byOrder := map[string]paymentJSON{}
	for _, p := range unmatched {
		byOrder[p.Order] = p
	}
	assign, ignore := byOrder["778"], byOrder["779"]
	if assign.Reason != "no_member" || assign.PayerEmail != "a.martin@perso.example" || assign.Amount != 12000 || ignore.ID == 0 {
		t.Fatalf("unmatched %+v", unmatched)
	}
	if id := c.ok("payments", "assign", "--payment", strconv.FormatInt(assign.ID, 10), "--member", alice); id != "2" {
		t.Fatalf("assign printed %q, want sale 2", id)
	}
	c.ok("payments", "ignore", "--payment", strconv.FormatInt(ignore.ID, 10))
	if out := c.ok("payments", "unmatched", "--json"); out != "" {
		t.Fatalf("still unmatched after assign and ignore:\n%s", out)
	}
	c.fail("payments", "assign", "--payment", strconv.FormatInt(assign.ID, 10), "--member", alice)
	c.fail("payments", "assign", "--payment", strconv.FormatInt(ignore.ID, 10), "--member", alice)
	var bal balanceJSON
	json.Unmarshal([]byte(c.ok("balance", "--member", alice, "--json")), &bal)
	if bal.EntriesLeft != 20 {
		t.Fatalf("balance %+v, want 20 entries (two cards)", bal)
	}

	pdf := filepath.Join(t.TempDir(), "r.pdf")
	if out := c.ok("receipt", "--sale", "1", "--out", pdf); out != "R-000001" {
		t.Fatalf("receipt printed %q", out)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-1.4")) {
		t.Fatalf("receipt file: %v", err)
	}
	c.fail("receipt", "--sale", "99", "--out", pdf)

	// A sale made while Pennylane was not set up gets its invoice on
	// demand, once.
	c.ok("settings", "set", "pennylane.token", "")
	third := c.ok("sell", "--member", alice, "--product", card)
	c.ok("settings", "set", "pennylane.token", pl.Token)
	if out := c.ok("invoice", "--sale", third); !strings.HasPrefix(out, "9") {
		t.Fatalf("invoice printed %q", out)
	}
	if msg := c.fail("invoice", "--sale", third); !strings.Contains(msg, "already has its invoice") {
		t.Fatalf("second invoice: %q", msg)
	}
	// The assigned sale's invoice was queued by the command, in its
	// transaction; serve's worker makes it at its next look.
	waitFor("third invoice", func() bool { return len(pl.Invoices()) >= 3 })
	if n := len(pl.Invoices()); n != 3 {
		t.Fatalf("%d invoices for 3 sales; logs:\n%s", n, logs.String())
	}
	for _, secret := range []string{ha.ClientSecret, ha.SignatureKey, pl.Token} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("a secret in the logs:\n%s", logs.String())
		}
	}

	// email test, with the smtp.* settings read from PostgreSQL.
	smtp := smtptest.Start(t, smtptest.Options{})
	for k, v := range map[string]string{"smtp.host": smtp.Host, "smtp.port": strconv.Itoa(smtp.Port),
		"smtp.from": "bureau@laruche.example", "smtp.tls": "none"} {
		c.ok("settings", "set", k, v)
	}
	if out := c.ok("email", "test", "--to", "tresorier@example.org"); !strings.Contains(out, "queued") {
		t.Fatalf("email test printed %q, want the server's answer", out)
	}
	if msg := c.fail("email", "test", "--to", "not an address"); !strings.Contains(msg, "Invalid e-mail address") {
		t.Errorf("email test with a bad address: %q", msg)
	}
	waitFor("test mail", func() bool {
		for _, m := range smtp.Messages() {
			if len(m.To) == 1 && m.To[0] == "tresorier@example.org" {
				return true
			}
		}
		return false
	})
}

// TestEventCommandsOnPostgres: the event commands on PostgreSQL print
// what they print on SQLite (TestEventCommands), waiting list and
// promotion on cancellation included.
func TestEventCommandsOnPostgres(t *testing.T) {
	c := &pgCLI{t: t, url: pgtest.DB(t)}
	must := func(want string, args ...string) {
		t.Helper()
		if out := c.ok(args...); out != want {
			t.Fatalf("centrald %s: %q, want %q", strings.Join(args, " "), out, want)
		}
	}
	must("1", "member", "add", "--name", "Alice Martin", "--email", "alice@example.org")
	must("2", "space", "add", "--name", "Atelier")
	must("1", "event", "add", "--title", "Atelier compta", "--start", "2099-12-03T18:00:00+01:00",
		"--end", "2099-12-03T20:00:00+01:00", "--capacity", "1", "--space", "Atelier", "--public")
	must("confirmed", "event", "register", "--event", "1", "--member", "1")
	must("waitlisted", "event", "register", "--event", "1", "--name", "Bea Durand", "--email", "bea@example.org")
	must(`{"id":1,"name":"Alice Martin","email":"alice@example.org","member":1,"status":"confirmed"}`+"\n"+
		`{"id":2,"name":"Bea Durand","email":"bea@example.org","member":0,"status":"waitlisted"}`,
		"event", "registrations", "--event", "1", "--json")
	must("cancelled\nconfirmed 2", "event", "cancel", "--event", "1", "--registration", "1")
	must(`{"id":1,"name":"Alice Martin","email":"alice@example.org","member":1,"status":"cancelled"}`+"\n"+
		`{"id":2,"name":"Bea Durand","email":"bea@example.org","member":0,"status":"confirmed"}`,
		"event", "registrations", "--event", "1", "--json")
	if msg := c.fail("event", "register", "--event", "1", "--name", "Bea", "--email", "BEA@example.org"); msg != "Already registered for this event." {
		t.Errorf("second registration: %q", msg)
	}
	if msg := c.fail("event", "register", "--event", "9", "--member", "1"); msg != "Event 9 not found." {
		t.Errorf("unknown event: %q", msg)
	}
	must("2", "event", "add", "--title", "Soirée", "--start", "2099-12-04T18:00:00Z", "--end", "2099-12-04T22:00:00Z", "--capacity", "10")
	if msg := c.fail("event", "register", "--event", "2", "--name", "G", "--email", "g@example.org"); msg != "This event is for members only." {
		t.Errorf("guest on a members-only event: %q", msg)
	}
}
