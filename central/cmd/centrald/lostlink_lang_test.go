package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// serveOn runs centrald serve on c's data folder until the test ends and
// returns its address.
func serveOn(t *testing.T, c *cli) string {
	t.Helper()
	db := sqlite.NewDB(c.dir)
	db.Reactions = reactions() // as env.open
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := &server{DB: onSQLite(db), Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return s.URL()
}

// TestLostLinkMailLanguage: the lost-link form (/m) mails a member in the
// language she chose for her mails (« Mes e-mails »), whatever the
// language of the page the form was typed on: Alice chose English and
// asks on the French page, Bruno chose French and asks on the English
// page; Chloé never chose, and gets French, as all her other mails. The
// page answers the same for an unknown address, in each language, and
// nothing is mailed to it. Through serve's real outbox and a real SMTP
// exchange.
func TestLostLinkMailLanguage(t *testing.T) {
	c := newCLI(t)
	srv := smtptest.Start(t, smtptest.Options{})
	for _, kv := range [][2]string{{"smtp.host", srv.Host}, {"smtp.port", strconv.Itoa(srv.Port)},
		{"smtp.from", "bureau@laruche.example"}, {"smtp.tls", "none"}, {"space.name", "La Ruche"}} {
		c.ok("settings", "set", kv[0], kv[1])
	}
	alice, _ := strconv.ParseInt(c.ok("member", "add", "--name", "Alice Martin", "--email", "alice@example.org"), 10, 64)
	bruno, _ := strconv.ParseInt(c.ok("member", "add", "--name", "Bruno Petit", "--email", "bruno@example.org"), 10, 64)
	c.ok("member", "add", "--name", "Chloé Roux", "--email", "chloe@example.org")
	db := c.db()
	prefs := sqlstore.NewAdminService(db.DB)
	for id, lang := range map[int64]string{alice: "en", bruno: "fr"} {
		if err := prefs.SetMailPrefs(context.Background(), id, lang, false); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	base := serveOn(t, c)

	// ask posts the form with b (in the language b chose) and returns
	// the page it answers with.
	ask := func(b *browser, addr string) string {
		t.Helper()
		b.get("/m")
		b.post("/m", url.Values{"email": {addr}}, http.StatusSeeOther)
		if b.location != "/m?sent=1" {
			t.Fatalf("the form for %s answered to %q", addr, b.location)
		}
		_, body := b.get(b.location)
		return body
	}
	french := newBrowser(t, base)
	english := newBrowser(t, base)
	if code, _ := english.get("/lang/en?next=/m"); code != http.StatusSeeOther {
		t.Fatalf("/lang/en: %d", code)
	}
	if _, body := english.get("/m"); !strings.Contains(body, "Find my link") {
		t.Fatalf("the English page:\n%s", body)
	}
	if known, unknown := ask(french, "alice@example.org"), ask(french, "nobody@example.org"); known != unknown {
		t.Errorf("the French page answers a member's address and another differently")
	}
	if known, unknown := ask(english, "bruno@example.org"), ask(english, "nobody.else@example.org"); known != unknown {
		t.Errorf("the English page answers a member's address and another differently")
	}
	ask(english, "chloe@example.org")

	// The three mails, in any order; none to the unknown addresses.
	want := map[string]string{ // address: the subject in her language
		"alice@example.org": "Your new personal link — La Ruche",
		"bruno@example.org": "Votre nouveau lien personnel — La Ruche",
		"chloe@example.org": "Votre nouveau lien personnel — La Ruche",
	}
	greeting := map[string]string{"alice@example.org": "Hello Alice", "bruno@example.org": "Bonjour Bruno", "chloe@example.org": "Bonjour Chloé"}
	deadline := time.Now().Add(20 * time.Second)
	for len(srv.Messages()) < len(want) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a mail too many would come now
	got := srv.Messages()
	if len(got) != len(want) {
		t.Fatalf("%d mails, want %d (one per member, none to an unknown address)", len(got), len(want))
	}
	for _, m := range got {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		to := m.To[0]
		subject, ok := want[to]
		if !ok {
			t.Errorf("a mail to %s", to)
			continue
		}
		if p.Subject != subject || !strings.HasPrefix(p.Text, greeting[to]) {
			t.Errorf("the mail to %s: %q, %q…, want %q, %q…", to, p.Subject, p.Text[:min(len(p.Text), 30)], subject, greeting[to])
		}
		if !strings.Contains(p.Text, base+"/link/") {
			t.Errorf("the mail to %s has no link:\n%s", to, p.Text)
		}
		delete(want, to)
	}
}
