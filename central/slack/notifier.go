package slack

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.Notifier = (*Worker)(nil)

const testText = "✅ Message de test de Badgeuse : les réglages Slack fonctionnent."

// result is a test's outcome: err, Slack's failure, or nil.
func result(err error) central.NotifyTest {
	if err == nil {
		return central.NotifyTest{OK: true, Answer: "ok"}
	}
	e := classify(err)
	answer := e.Code
	if e.Status != 0 && !strings.HasPrefix(e.Code, "HTTP ") {
		answer = "HTTP " + strconv.Itoa(e.Status) + ": " + e.Code
	}
	return central.NotifyTest{Answer: answer, Code: e.Code, Status: e.Status, Needed: e.Needed}
}

// TestNotify implements central.Notifier.
func (w *Worker) TestNotify(ctx context.Context, to string) (central.NotifyTest, error) {
	w.init()
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return central.NotifyTest{}, err
	}
	ss := ConfigFrom(set)
	switch to = strings.TrimSpace(to); {
	case to == "webhook":
		if ss.WebhookURL == "" {
			return central.NotifyTest{}, central.Errorf(central.EINVALID, "Set slack.webhook_url first.")
		}
		if _, ok := w.acquire(ctx, "webhook", ss.MinInterval, time.Minute); !ok {
			return central.NotifyTest{}, central.Errorf(central.ECONFLICT, "Slack asked to slow down: try again in a minute.")
		}
		return result(PostWebhook(ctx, w.HTTPClient, ss.WebhookURL, testText)), nil

	case to == "channel" || to == "bureau":
		channel, key := ss.Channel, SettingChannel
		if to == "bureau" {
			channel, key = ss.BureauChannel, SettingBureauChannel
		}
		if ss.Token == "" || channel == "" {
			return central.NotifyTest{}, central.Errorf(central.EINVALID, "Set slack.token and %s first.", key)
		}
		return w.testPost(ctx, ss, channel)

	case strings.Contains(to, "@"):
		if ss.Token == "" {
			return central.NotifyTest{}, central.Errorf(central.EINVALID, "Set slack.token first.")
		}
		c := w.client(ss)
		user, err := c.LookupUser(ctx, to)
		if err != nil {
			return result(err), nil
		}
		im, err := c.OpenDM(ctx, user)
		if err != nil {
			return result(err), nil
		}
		return w.testPost(ctx, ss, im)
	}
	return central.NotifyTest{}, central.Errorf(central.EINVALID, "Unknown test target %q (channel, bureau, webhook or an e-mail address).", to)
}

// testPost checks the token, posts the test message and checks that the
// channel's history can be read (what prevents double posts).
func (w *Worker) testPost(ctx context.Context, ss Config, channel string) (central.NotifyTest, error) {
	c := w.client(ss)
	id, err := c.AuthTest(ctx)
	if err != nil {
		return result(err), nil
	}
	if _, ok := w.acquire(ctx, channel, ss.MinInterval, time.Minute); !ok {
		return central.NotifyTest{}, central.Errorf(central.ECONFLICT, "Slack asked to slow down: try again in a minute.")
	}
	key := fmt.Sprintf("test:%d", time.Now().UnixNano())
	if _, err := c.Post(ctx, channel, testText, key); err != nil {
		return result(err), nil
	}
	res := result(nil)
	res.PostedBy, res.Team = id.User, id.Team
	if _, err := c.Posted(ctx, channel, key, time.Now().Add(-historySlack)); err != nil {
		res.History = classify(err).Code
	}
	return res, nil
}
