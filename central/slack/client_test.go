package slack_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/slack/slacktest"
)

func slackError(t *testing.T, err error) *slack.Error {
	t.Helper()
	var e *slack.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *slack.Error", err, err)
	}
	return e
}

func TestClient(t *testing.T) {
	fake := slacktest.New()
	defer fake.Close()
	fake.AddChannel("C0000000001", true)
	fake.AddChannel("C0000000002", false)
	fake.AddChannel("C0000000003", true)
	fake.ArchiveChannel("C0000000003")
	fake.AddUser("alice@example.org", "U0ALICE")
	ctx := context.Background()
	hc := &http.Client{Timeout: 2 * time.Second}
	// No trailing slash: NewClient adds it (slack-go appends the method).
	c := slack.NewClient(slacktest.Token, strings.TrimSuffix(fake.APIURL(), "/"), hc)

	t.Run("PostWithKey", func(t *testing.T) {
		ts, err := c.Post(ctx, "C0000000001", "☕ Alice est arrivée (9:12) <https://x|lien>", "slack.arrival:1")
		if err != nil || ts == "" {
			t.Fatalf("post: %q, %v", ts, err)
		}
		msgs := fake.Messages("C0000000001")
		if len(msgs) != 1 || msgs[0].Text != "☕ Alice est arrivée (9:12) <https://x|lien>" || msgs[0].Key != "slack.arrival:1" ||
			msgs[0].TS != ts || msgs[0].Type != "badgeuse_post" {
			t.Fatalf("fake received %+v", msgs)
		}
	})

	t.Run("Posted", func(t *testing.T) {
		since := time.Now().Add(-time.Minute)
		if ok, err := c.Posted(ctx, "C0000000001", "slack.arrival:1", since); err != nil || !ok {
			t.Fatalf("posted: %v %v", ok, err)
		}
		if ok, err := c.Posted(ctx, "C0000000001", "slack.arrival:2", since); err != nil || ok {
			t.Fatalf("not posted: %v %v", ok, err)
		}
		if ok, _ := c.Posted(ctx, "C0000000001", "slack.arrival:1", time.Now().Add(time.Minute)); ok {
			t.Fatal("found a message older than since")
		}
		// Across pages: 450 later messages, the key in the oldest.
		for range 450 {
			if _, err := c.Post(ctx, "C0000000001", "x", "other"); err != nil {
				t.Fatal(err)
			}
		}
		before := fake.Calls("conversations.history")
		if ok, err := c.Posted(ctx, "C0000000001", "slack.arrival:1", since); err != nil || !ok {
			t.Fatalf("posted, paged: %v %v", ok, err)
		}
		if n := fake.Calls("conversations.history") - before; n != 3 {
			t.Fatalf("%d history pages read, want 3", n)
		}
		_, err := c.Posted(ctx, "C0000000002", "k", since)
		if e := slackError(t, err); e.Code != "not_in_channel" || !e.Permanent {
			t.Fatalf("history of a channel the bot is not in: %+v", e)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		for _, tc := range []struct {
			name      string
			client    *slack.Client
			channel   string
			fault     *slacktest.Fault
			code      string
			permanent bool
			maybeSent bool
			retry     time.Duration
		}{
			{"InvalidAuth", slack.NewClient("xoxb-wrong", fake.APIURL(), hc), "C0000000001", nil, "invalid_auth", true, false, 0},
			{"NotAuthed", slack.NewClient("", fake.APIURL(), hc), "C0000000001", nil, "not_authed", true, false, 0},
			{"ChannelNotFound", c, "C0000009999", nil, "channel_not_found", true, false, 0},
			{"NotInChannel", c, "C0000000002", nil, "not_in_channel", true, false, 0},
			{"IsArchived", c, "C0000000003", nil, "is_archived", true, false, 0},
			{"TokenRevoked", c, "C0000000001", &slacktest.Fault{Error: "token_revoked"}, "token_revoked", true, false, 0},
			{"RateLimitedOK", c, "C0000000001", &slacktest.Fault{Error: "rate_limited"}, "rate_limited", false, false, 0},
			{"FatalError", c, "C0000000001", &slacktest.Fault{Error: "fatal_error"}, "fatal_error", false, true, 0},
			{"HTTP500", c, "C0000000001", &slacktest.Fault{Status: 500}, "HTTP 500", false, true, 0},
			{"HTTP503", c, "C0000000001", &slacktest.Fault{Status: 503}, "HTTP 503", false, true, 0},
			{"HTTP429", c, "C0000000001", &slacktest.Fault{Status: 429, RetryAfter: 7}, "rate_limited", false, false, 7 * time.Second},
			{"Timeout", slack.NewClient(slacktest.Token, fake.APIURL(), &http.Client{Timeout: 100 * time.Millisecond}), "C0000000001",
				&slacktest.Fault{Delay: time.Second}, "timeout", false, true, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				fake.ClearFaults()
				if tc.fault != nil {
					f := *tc.fault
					f.Method = "chat.postMessage"
					fake.Fail(f, 1)
				}
				n := len(fake.Messages(""))
				_, err := tc.client.Post(ctx, tc.channel, "hello", "k")
				e := slackError(t, err)
				if e.Code != tc.code || e.Permanent != tc.permanent || e.MaybeSent != tc.maybeSent || e.RetryAfter != tc.retry {
					t.Fatalf("got %+v, want code %s permanent %v maybeSent %v retry %s", e, tc.code, tc.permanent, tc.maybeSent, tc.retry)
				}
				if got := len(fake.Messages("")); got != n {
					t.Fatal("a failed post was recorded")
				}
			})
		}
	})

	t.Run("Users", func(t *testing.T) {
		id, err := c.LookupUser(ctx, "Alice@Example.org")
		if err != nil || id != "U0ALICE" {
			t.Fatalf("lookup: %q %v", id, err)
		}
		_, err = c.LookupUser(ctx, "bob@example.org")
		if e := slackError(t, err); e.Code != "users_not_found" {
			t.Fatalf("unknown user: %+v", e)
		}
		im, err := c.OpenDM(ctx, id)
		if err != nil || im == "" || im != fake.IMChannel("U0ALICE") {
			t.Fatalf("open: %q %v", im, err)
		}
		if _, err := c.Post(ctx, im, "Il te reste 2 entrées", "slack.balance:1"); err != nil {
			t.Fatal(err)
		}
		if ok, err := c.Posted(ctx, im, "slack.balance:1", time.Now().Add(-time.Minute)); err != nil || !ok {
			t.Fatalf("DM history: %v %v", ok, err)
		}
	})

	t.Run("AuthTest", func(t *testing.T) {
		id, err := c.AuthTest(ctx)
		if err != nil || id.Team != "Badgeuse test" || id.BotID != "B0001" {
			t.Fatalf("auth.test: %+v %v", id, err)
		}
		_, err = slack.NewClient("xoxb-wrong", fake.APIURL(), hc).AuthTest(ctx)
		if e := slackError(t, err); e.Code != "invalid_auth" {
			t.Fatalf("auth.test with a bad token: %+v", e)
		}
	})
}

func TestWebhook(t *testing.T) {
	fake := slacktest.New()
	defer fake.Close()
	ctx := context.Background()
	hc := &http.Client{Timeout: 2 * time.Second}
	if err := slack.PostWebhook(ctx, hc, fake.WebhookURL(), "☕ Alice & Bob <3"); err != nil {
		t.Fatal(err)
	}
	if msgs := fake.Messages("webhook"); len(msgs) != 1 || msgs[0].Text != "☕ Alice & Bob <3" || msgs[0].Via != "webhook" {
		t.Fatalf("webhook received %+v", msgs)
	}
	for _, tc := range []struct {
		name      string
		url       string
		fault     *slacktest.Fault
		code      string
		status    int
		permanent bool
	}{
		{"UnknownHook", fake.URL + "/services/T0001/B0001/wrong", nil, "no_service", 404, true},
		{"Archived", fake.WebhookURL(), &slacktest.Fault{Status: 410, Error: "channel_is_archived"}, "channel_is_archived", 410, true},
		{"Forbidden", fake.WebhookURL(), &slacktest.Fault{Status: 403, Error: "action_prohibited"}, "action_prohibited", 403, true},
		{"ServerError", fake.WebhookURL(), &slacktest.Fault{Status: 500}, "HTTP 500", 500, false},
		{"RateLimited", fake.WebhookURL(), &slacktest.Fault{Status: 429, RetryAfter: 2}, "HTTP 429", 429, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.fault != nil {
				f := *tc.fault
				f.Method = "webhook"
				fake.Fail(f, 1)
			}
			e := slackError(t, slack.PostWebhook(ctx, hc, tc.url, "x"))
			if e.Code != tc.code || e.Status != tc.status || e.Permanent != tc.permanent {
				t.Fatalf("got %+v, want %s %d permanent %v", e, tc.code, tc.status, tc.permanent)
			}
			if tc.status == 429 && e.RetryAfter != 2*time.Second {
				t.Fatalf("Retry-After %s", e.RetryAfter)
			}
		})
	}
	t.Run("NetworkErrorHidesTheURL", func(t *testing.T) {
		fake.Fail(slacktest.Fault{Method: "webhook", Delay: time.Second}, 1)
		err := slack.PostWebhook(ctx, &http.Client{Timeout: 50 * time.Millisecond}, fake.WebhookURL(), "x")
		e := slackError(t, err)
		if e.Code != "timeout" || !e.MaybeSent || strings.Contains(err.Error(), "webhooksecret") ||
			strings.Contains(errors.Unwrap(err).Error(), "webhooksecret") {
			t.Fatalf("timeout: %+v: %v / %v", e, err, errors.Unwrap(err))
		}
	})
}
