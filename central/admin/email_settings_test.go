package admin_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/slack"
)

// TestMain adds the adapters' settings to the table, as centrald does,
// so that every page and check of these tests sees the smtp.*, slack.*,
// billing and tax receipts keys.
func TestMain(m *testing.M) {
	central.AddSettings(email.Settings...)
	central.AddSettings(slack.Settings...)
	central.AddSettings(billing.Settings...)
	central.AddSettings(billing.TaxSettings...) // as centrald's donations command does, for every command
	code := m.Run()
	stopBrowsers() // the Chromium the browser tests shared (browser_test.go)
	os.Exit(code)
}

// stubMailer answers test mails as a mail server would have.
type stubMailer struct {
	mu  sync.Mutex
	to  []string
	err error
}

func (m *stubMailer) SendTest(_ context.Context, to, lang string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.to = append(m.to, to+"/"+lang)
	if m.err != nil {
		return "", m.err
	}
	return "2.0.0 Ok: queued as 4F2A1", nil
}

func TestEmailSettings(t *testing.T) {
	mailer := &stubMailer{}
	e := newEnv(t, func(c *admin.Config) { c.Mailer = mailer })
	c := e.as(central.RoleAdmin) // admin@example.org

	_, body := c.get("/settings")
	mustContain(t, body, "E-mails", "Serveur SMTP", "Chiffrement SMTP", "Adresse d’envoi", "M’envoyer un e-mail d’essai",
		`value="admin@example.org"`)

	resp, _ := c.post("/settings", url.Values{"s.smtp.host": {"smtp.example.org"}, "s.smtp.tls": {"ssl"}})
	mustStatus(t, resp, http.StatusBadRequest)
	resp, _ = c.post("/settings", url.Values{"s.smtp.host": {"smtp.example.org"}, "s.smtp.port": {"465"}, "s.smtp.tls": {"tls"},
		"s.smtp.from": {"bureau@example.org"}, "s.smtp.password": {"app-password-0123"}})
	mustStatus(t, resp, http.StatusSeeOther)
	set, _ := e.settings.Settings(e.ctx())
	if set.Get("smtp.host") != "smtp.example.org" || set.Get("smtp.tls") != "tls" || set.Get("smtp.password") != "app-password-0123" {
		t.Fatalf("settings after saving: %v", set)
	}
	_, body = c.get("/settings")
	if strings.Contains(body, "app-password-0123") {
		t.Error("the SMTP password shows on the page")
	}

	// The answer is on the page the POST answers 303 to: reloading it
	// shows it again and sends no other mail.
	tested := func() (page string) {
		t.Helper()
		resp, _ := c.post("/settings/email/test", url.Values{"to": {"tresorier@example.org"}})
		mustStatus(t, resp, http.StatusSeeOther)
		if page = resp.Header.Get("Location"); !strings.HasPrefix(page, "/settings?test=") || !strings.HasSuffix(page, "#email-test") {
			t.Fatalf("a test mail answers 303 to %q", page)
		}
		return page
	}
	page := tested()
	for range 2 {
		resp, body = c.get(page)
		mustStatus(t, resp, http.StatusOK)
		mustContain(t, body, "E-mail d’essai envoyé à tresorier@example.org", `<code id="email-test-answer">2.0.0 Ok: queued as 4F2A1</code>`,
			`value="tresorier@example.org"`)
	}

	mailer.err = errors.New(`sending SMTP RCPT TO command: 550 "5.7.1 Relaying denied"`)
	resp, body = c.get(tested())
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "n’est pas parti", "5.7.1 Relaying denied")

	resp, _ = c.post("/settings/email/test", url.Values{"to": {"not an address"}})
	mustStatus(t, resp, http.StatusBadRequest)
	if len(mailer.to) != 2 || mailer.to[0] != "tresorier@example.org/fr" {
		t.Errorf("test mails sent to %v", mailer.to)
	}
}

func TestEmailTestWithoutMailer(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin) // admin@example.org
	_, body := c.get("/settings")
	if strings.Contains(body, "M’envoyer un e-mail d’essai") {
		t.Error("a test button without a mailer")
	}
	resp, _ := c.post("/settings/email/test", url.Values{"to": {"a@example.org"}})
	mustStatus(t, resp, http.StatusNotFound)
}
