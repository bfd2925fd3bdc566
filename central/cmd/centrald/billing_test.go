package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/billing/helloasso/helloassotest"
	"github.com/badgeuse/badgeuse/central/billing/pennylane/pennylanetest"
	"github.com/badgeuse/badgeuse/central/sqlite"
)

// TestBilling drives billing through the command line and serve: settings
// pointing at fake HelloAsso and Pennylane, a mapping, a signed
// notification to POST /hooks/helloasso, then sales --json, payments
// unmatched --json, payments assign, receipt and the CSV export.
func TestBilling(t *testing.T) {
	// wakeWait bounds the waits for serve's worker, woken by a
	// notification: under the hour it would otherwise wait, generous for
	// a busy machine (20 s was not: the payment came 15 s after its
	// notification with the race detector beside other builds).
	const wakeWait = 2 * time.Minute
	c := newCLI(t)
	ha, pl := helloassotest.NewServer(t), pennylanetest.NewServer(t)
	ha.SignatureKey = "signature-key-0123456789"
	alice := c.ok("member", "add", "--name", "Alice Martin", "--email", "alice@example.org")
	card := c.ok("product", "add", "--name", "Carte 10 entrées", "--kind", "pack", "--entries", "10", "--price", "120")
	if id := c.ok("helloasso", "map", "--form", "carte-10", "--item", "Carte 10 entrées", "--product", card); id != "1" {
		t.Fatalf("map printed %q", id)
	}
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
	if out := c.ok("helloasso", "mappings", "--json"); out != `{"id":1,"form":"carte-10","item":"Carte 10 entrées","product":1}` {
		t.Fatalf("mappings:\n%s", out)
	}

	db := sqlite.NewDB(c.dir)
	db.Reactions = reactions() // as env.open
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs bytes.Buffer
	s := &server{DB: onSQLite(db), Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	// The worker looks at its queue on its own once an hour here: the
	// notification's wake-up alone can bring the payment and the invoice
	// within the waits below, which are long so that a busy machine (the
	// race detector, other builds) does not fail them.
	s.billing = newBillingWorker(s.DB, s.Logger.With("component", "billing"))
	s.billing.PollInterval = time.Hour
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
	ha.PutOrder(helloassotest.NewOrder(777, "carte-10", "Carte 10 entrées", 12000, "alice@example.org", "Alice", "Martin"))
	if st, err := helloassotest.Send(hook, ha.Notification("Order", 777), "forged", nil); err != nil || st != http.StatusUnauthorized {
		t.Fatalf("forged: %d %v", st, err)
	}
	if st, err := ha.Notify(hook, "Order", 777); err != nil || st != http.StatusOK {
		t.Fatalf("notify: %d %v", st, err)
	}
	// The worker wakes on the notification: wait for the invoice.
	var sale map[string]any
	deadline := time.Now().Add(wakeWait)
	for {
		out := c.ok("sales", "--json")
		if out != "" {
			if err := json.Unmarshal([]byte(out), &sale); err != nil {
				t.Fatalf("sales --json: %q: %v", out, err)
			}
			if sale["pennylane_invoice_id"] != "" {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no invoiced sale; sales:\n%s\nlogs:\n%s", out, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	var keys []string
	for k := range sale {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if strings.Join(keys, ",") != "amount,id,member,paid,paid_day,pennylane_invoice_id,product,source" {
		t.Fatalf("sales --json fields %v", keys)
	}
	if sale["id"] != 1.0 || sale["member"] != 1.0 || sale["product"] != 1.0 || sale["amount"] != 12000.0 || sale["source"] != "helloasso" || sale["paid"] != "helloasso" {
		t.Fatalf("sale %v", sale)
	}
	if n := len(pl.Invoices()); n != 1 {
		t.Fatalf("%d invoices", n)
	}
	var bal balanceJSON
	json.Unmarshal([]byte(c.ok("balance", "--member", alice, "--json")), &bal)
	if bal.EntriesLeft != 10 {
		t.Fatalf("balance %+v", bal)
	}

	// A payment nobody matches waits; the bureau assigns it.
	ha.PutOrder(helloassotest.NewOrder(778, "carte-10", "Carte 10 entrées", 12000, "a.martin@perso.example", "Alice", "Martin"))
	if st, err := ha.Notify(hook, "Order", 778); err != nil || st != http.StatusOK {
		t.Fatalf("notify: %d %v", st, err)
	}
	var unmatched paymentJSON
	for deadline := time.Now().Add(wakeWait); ; {
		if out := c.ok("payments", "unmatched", "--json"); out != "" {
			if err := json.Unmarshal([]byte(out), &unmatched); err != nil {
				t.Fatal(err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no unmatched payment; logs:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if unmatched.Reason != "no_member" || unmatched.Amount != 12000 || unmatched.PayerEmail != "a.martin@perso.example" ||
		unmatched.Product != 1 || unmatched.Item != "7781" || unmatched.Order != "778" {
		t.Fatalf("unmatched %+v", unmatched)
	}
	if id := c.ok("payments", "assign", "--payment", "2", "--member", alice); id != "2" {
		t.Fatalf("assign printed %q, want sale 2", id)
	}
	if out := c.ok("payments", "unmatched", "--json"); out != "" {
		t.Fatalf("still unmatched:\n%s", out)
	}
	json.Unmarshal([]byte(c.ok("balance", "--member", alice, "--json")), &bal)
	if bal.EntriesLeft != 20 {
		t.Fatalf("balance %+v", bal)
	}

	pdf := filepath.Join(t.TempDir(), "r.pdf")
	if out := c.ok("receipt", "--sale", "1", "--out", pdf); out != "R-000001" {
		t.Fatalf("receipt printed %q", out)
	}
	if b, err := os.ReadFile(pdf); err != nil || !bytes.HasPrefix(b, []byte("%PDF-1.4")) {
		t.Fatalf("receipt file: %v", err)
	}
	csv := c.ok("sales", "--csv")
	if lines := strings.Split(csv, "\n"); len(lines) != 3 || !strings.Contains(lines[1], "120,00") {
		t.Fatalf("csv:\n%s", csv)
	}
	// A sale made before Pennylane was set up gets its invoice on demand.
	c.ok("settings", "set", "pennylane.token", "")
	third := c.ok("sell", "--member", alice, "--product", card)
	c.ok("settings", "set", "pennylane.token", pl.Token)
	if out := c.ok("invoice", "--sale", third); !strings.HasPrefix(out, "9") {
		t.Fatalf("invoice printed %q", out)
	}
	if msg := c.fail("invoice", "--sale", third); !strings.Contains(msg, "already has its invoice") {
		t.Fatalf("second invoice: %q", msg)
	}
	if n := len(pl.Invoices()); n != 3 {
		t.Fatalf("%d invoices for 3 sales", n)
	}
	c.fail("helloasso", "map", "--form", "x", "--item", "y", "--product", "99")
	c.fail("payments", "assign", "--payment", "2", "--member", alice)

	for _, secret := range []string{ha.ClientSecret, ha.SignatureKey, pl.Token} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("a secret in the logs:\n%s", logs.String())
		}
	}
	if out := c.ok("settings", "list"); strings.Contains(out, ha.ClientSecret) || strings.Contains(out, ha.SignatureKey) {
		t.Fatalf("settings list shows a secret:\n%s", out)
	}
}
