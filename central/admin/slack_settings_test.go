package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// stubNotifier answers test messages as Slack would have.
type stubNotifier struct {
	mu      sync.Mutex
	targets []string
	answer  central.NotifyTest
}

func (n *stubNotifier) TestNotify(_ context.Context, target string) (central.NotifyTest, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.targets = append(n.targets, target)
	if target == "webhook" {
		return central.NotifyTest{}, central.Errorf(central.EINVALID, "Set slack.webhook_url first.")
	}
	return n.answer, nil
}

func TestSlackPage(t *testing.T) {
	notifier := &stubNotifier{answer: central.NotifyTest{Answer: "channel_not_found", Code: "channel_not_found"}}
	var outbox *sqlstore.OutboxService
	e := newEnv(t, func(c *admin.Config) { c.Notifier = notifier })
	outbox = sqlstore.NewOutboxService(e.db.DB)
	e.cfg.Outbox = outbox
	srv, err := admin.New(e.cfg) // again, with the store's outbox
	if err != nil {
		t.Fatal(err)
	}
	e.ts.Config.Handler = srv
	c := e.as(central.RoleAdmin)
	ctx := e.ctx()
	shy := &central.Member{Name: "Chloé Discrète", SlackOptOut: true}
	if err := e.members.CreateMember(ctx, shy); err != nil {
		t.Fatal(err)
	}
	if err := e.members.CreateMember(ctx, &central.Member{Name: "Bob Bavard"}); err != nil {
		t.Fatal(err)
	}

	t.Run("BothLanguages", func(t *testing.T) {
		for _, lang := range []string{"fr", "en"} {
			c.get("/lang/" + lang)
			resp, body := c.get("/settings/slack")
			mustStatus(t, resp, 200)
			if m := regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`).FindString(body); m != "" {
				t.Errorf("%s: untranslated message %s", lang, m)
			}
			mustContain(t, body, `<html lang="`+lang+`">`, `name="s.slack.token"`, `name="s.slack.channel"`, "Chloé Discrète")
			if strings.Contains(body, "Bob Bavard") {
				t.Error("a member who did not opt out is listed")
			}
		}
		c.get("/lang/fr")
		_, body := c.get("/settings")
		mustContain(t, body, `href="/settings/slack"`)
	})

	t.Run("Save", func(t *testing.T) {
		_, body := c.get("/settings/slack")
		mustContain(t, body, "Rien n’est configuré")
		resp, body := c.post("/settings/slack", url.Values{"s.slack.token": {"xoxb-1-2-secret"}, "s.slack.channel": {"#general"}})
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, "indiquez l’ID du salon") // central's "want a channel ID", in French
		resp, _ = c.post("/settings/slack", url.Values{"s.slack.token": {"xoxb-1-2-secret"}, "s.slack.channel": {"c0123456789"},
			"s.slack.api_url": {"http://127.0.0.1:9/api"}})
		mustStatus(t, resp, http.StatusSeeOther)
		set, _ := e.settings.Settings(ctx)
		if set.Get("slack.token") != "xoxb-1-2-secret" || set.Get("slack.channel") != "C0123456789" ||
			set.Get("slack.api_url") != "http://127.0.0.1:9/api/" {
			t.Fatalf("stored %v", set)
		}
		_, body = c.get("/settings/slack?done=slack_saved")
		mustContain(t, body, "Réglages Slack enregistrés.", "Application Slack (jeton de bot)")
		if strings.Contains(body, "xoxb-1-2-secret") {
			t.Fatal("the page shows the token")
		}
		// An empty secret keeps it; "-" clears it.
		c.post("/settings/slack", url.Values{"s.slack.token": {""}})
		if set, _ := e.settings.Settings(ctx); set.Get("slack.token") != "xoxb-1-2-secret" {
			t.Fatal("an empty field cleared the token")
		}
		c.post("/settings/slack", url.Values{"s.slack.token": {"-"}, "s.slack.webhook_url": {"https://mm.example.org/hooks/abc"}})
		set, _ = e.settings.Settings(ctx)
		if set.Get("slack.token") != "" || set.Get("slack.webhook_url") == "" {
			t.Fatalf("after clearing the token: %v", set)
		}
		_, body = c.get("/settings/slack")
		mustContain(t, body, "Webhook entrant (Slack ou Mattermost)")
	})

	t.Run("TestMessage", func(t *testing.T) {
		// The answer is shown on the page the POST answers 303 to:
		// reloading it shows it again and sends nothing.
		sent := func(form url.Values) (page string) {
			t.Helper()
			resp, _ := c.post("/settings/slack/test", form)
			mustStatus(t, resp, http.StatusSeeOther)
			page = resp.Header.Get("Location")
			if !strings.HasPrefix(page, "/settings/slack?test=") || !strings.HasSuffix(page, "#slack-test") {
				t.Fatalf("a test message answers 303 to %q", page)
			}
			return page
		}
		page := sent(url.Values{"target": {"channel"}})
		for range 2 {
			resp, body := c.get(page)
			mustStatus(t, resp, 200)
			mustContain(t, body, "Réponse de Slack\u00a0: <code id=\"test-answer\">channel_not_found</code>", "Salon introuvable\u00a0: indiquez l’ID du salon", "Échec",
				`id="t-channel" name="target" value="channel" checked`)
		}
		if _, body := e.client().login("admin@example.org", "correct horse battery").get(page); strings.Contains(body, `id="test-answer"`) {
			t.Error("another session sees the answer to a test it did not send")
		}
		page = sent(url.Values{"target": {"dm"}, "email": {"alice@example.org"}})
		resp, body := c.get(page)
		mustStatus(t, resp, 200)
		mustContain(t, body, "Réponse de Slack\u00a0: <code id=\"test-answer\">channel_not_found</code>", // the fake's answer to every test
			`value="alice@example.org"`)
		resp, body = c.post("/settings/slack/test", url.Values{"target": {"webhook"}})
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, "Renseignez d’abord l’URL du webhook entrant.") // central's "Set slack.webhook_url first.", in French
		resp, _ = c.post("/settings/slack/test", url.Values{"target": {"dm"}, "email": {"not an address"}})
		mustStatus(t, resp, http.StatusBadRequest)
		resp, _ = c.post("/settings/slack/test", url.Values{"target": {"elsewhere"}})
		mustStatus(t, resp, http.StatusBadRequest)
		notifier.mu.Lock()
		defer notifier.mu.Unlock()
		if strings.Join(notifier.targets, ",") != "channel,alice@example.org,webhook" {
			t.Fatalf("tests sent to %v", notifier.targets)
		}
	})

	t.Run("FailedMessages", func(t *testing.T) {
		msg := slack.Post{Member: 1}.Message(slack.TopicArrival, "slack.arrival:x")
		if _, err := outbox.EnqueueOutbox(ctx, msg); err != nil {
			t.Fatal(err)
		}
		if _, err := outbox.EnqueueOutbox(ctx, central.OutboxMessage{Topic: "pennylane.invoice", Key: "inv:1"}); err != nil {
			t.Fatal(err)
		}
		items, _, _ := outbox.FindOutbox(ctx, central.OutboxFilter{})
		for _, it := range items {
			if err := outbox.FinishOutbox(ctx, it.ID, central.OutcomeFailed, "slack: invalid_auth"); err != nil {
				t.Fatal(err)
			}
		}
		_, body := c.get("/settings/slack")
		mustContain(t, body, "<code>slack: invalid_auth</code>", "Arrivée", "Renvoyer")
		var slackID, otherID int64
		for _, it := range items {
			if it.Topic == slack.TopicArrival {
				slackID = it.ID
			} else {
				otherID = it.ID
			}
		}
		resp, _ := c.post("/settings/slack/outbox/"+fmtInt(otherID)+"/retry", nil)
		mustStatus(t, resp, http.StatusNotFound) // not a Slack message
		resp, _ = c.post("/settings/slack/outbox/"+fmtInt(slackID)+"/retry", nil)
		mustStatus(t, resp, http.StatusSeeOther)
		if _, n, _ := outbox.FindOutbox(ctx, central.OutboxFilter{TopicPrefix: "slack.", State: "pending"}); n != 1 {
			t.Fatalf("%d pending after retry, want 1", n)
		}
		_, body = c.get("/settings/slack")
		mustContain(t, body, "Aucun message abandonné.", "1 message en attente")
	})

	t.Run("AdminsOnly", func(t *testing.T) {
		d := e.as(central.RoleDoor)
		resp, _ := d.get("/settings/slack")
		mustStatus(t, resp, http.StatusForbidden)
		resp, _ = d.post("/settings/slack/test", url.Values{"target": {"channel"}})
		mustStatus(t, resp, http.StatusForbidden)
	})
}
