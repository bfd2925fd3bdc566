package slack_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/slack/slacktest"
)

var errCrash = errors.New("crash")

// crashingOutbox is the store as a worker that dies at a given step sees
// it: at that step it stops the worker (cancels its context) and fails, and
// nothing more reaches the store.
type crashingOutbox struct {
	slack.Outbox
	mu     sync.Mutex
	step   string // "claimed" or "answered"; "" once crashed
	dead   bool   // crashed: the store hears nothing more from this worker
	cancel context.CancelFunc
}

func (c *crashingOutbox) crashAt(step string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dead {
		return true
	}
	if c.step != step {
		return false
	}
	c.step, c.dead = "", true
	c.cancel()
	return true
}

// kill crashes the worker now, wherever it is (a kill -9): what it would
// record afterwards never reaches the store.
func (c *crashingOutbox) kill() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.step, c.dead = "", true
	c.cancel()
}

// ClaimOutboxNext crashes just after the claim commits, before any request.
func (c *crashingOutbox) ClaimOutboxNext(ctx context.Context, topic string, lease time.Duration) (*central.OutboxItem, error) {
	it, err := c.Outbox.ClaimOutboxNext(ctx, topic, lease)
	if it != nil && c.crashAt("claimed") {
		return nil, errCrash
	}
	return it, err
}

// FinishOutbox crashes when Slack answered ok, before the outcome commits.
func (c *crashingOutbox) FinishOutbox(ctx context.Context, id int64, outcome, note string) error {
	if c.crashAt("answered") {
		return errCrash
	}
	return c.Outbox.FinishOutbox(ctx, id, outcome, note)
}

// RetryOutbox crashes when Slack's answer was an error, before it commits.
func (c *crashingOutbox) RetryOutbox(ctx context.Context, id int64, reason string, at time.Time, maybeSent bool) error {
	if c.crashAt("answered") {
		return errCrash
	}
	return c.Outbox.RetryOutbox(ctx, id, reason, at, maybeSent)
}

// runCrashing runs workers that each crash at the next step of steps,
// restarting after the lease, until the queue is drained. "posted" crashes
// when Slack has recorded the post, before it answers; "none" sends one
// message and stops cleanly. It returns how many crashes happened at each
// step.
func runCrashing(t *testing.T, f *fixture, steps []string) map[string]int {
	t.Helper()
	crashes := map[string]int{}
	deadline := time.Now().Add(60 * time.Second)
	for i := 0; ; i++ {
		if time.Now().After(deadline) {
			t.Fatal("not drained")
		}
		if _, n, _ := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{TopicPrefix: "slack.", State: "pending"}); n == 0 {
			return crashes
		}
		step := steps[i%len(steps)]
		ctx, cancel := context.WithCancel(context.Background())
		store := &crashingOutbox{Outbox: f.outbox, step: step, cancel: cancel}
		var posted sync.Once
		f.fake.SetOnPost(nil)
		if step == "posted" {
			store.step = ""
			f.fake.SetOnPost(func(slacktest.Message) { posted.Do(store.kill) })
		}
		w := f.worker() // a new process: nothing in memory
		w.Outbox, w.Lease = store, 150*time.Millisecond
		for ctx.Err() == nil {
			worked, err := w.Step(ctx, slack.TopicArrival)
			if err != nil && ctx.Err() == nil {
				t.Fatalf("step: %v", err)
			}
			if !worked || step == "none" {
				break // nothing due (the crashed message waits for its lease), or one message sent
			}
		}
		if ctx.Err() != nil {
			crashes[step]++
		}
		cancel()
		time.Sleep(160 * time.Millisecond) // the lease of the message being sent ends
	}
}

// TestCrashAtEveryStep kills the worker (in process) at every step
// between claiming a message and recording its outcome, for message after
// message: with a bot token, no post is lost and none is doubled.
func TestCrashAtEveryStep(t *testing.T) {
	f := newFixture(t)
	now := time.Now()
	for i := range 8 {
		m := f.member(fmt.Sprintf("Membre %02d", i+1), "", 10)
		f.push(f.kiosk, accepted(m, now.Add(time.Duration(i-10)*time.Minute)))
	}
	// A 500 after posting, in the mix: the retry must check too.
	f.fake.Fail(slacktest.Fault{Method: "chat.postMessage", Status: 500, AfterPost: true}, 1)
	crashes := runCrashing(t, f, []string{"claimed", "posted", "answered"})
	for _, step := range []string{"claimed", "posted", "answered"} {
		if crashes[step] == 0 {
			t.Errorf("no crash at step %s", step)
		}
	}
	t.Logf("crashes: %v", crashes)
	exactlyOnce(t, f.fake.Messages(chanArrivals), arrivalKeys(t, f))
	if n := len(f.fake.Messages(chanArrivals)); n != 8 {
		t.Fatalf("%d posts, want 8", n)
	}
}

// TestCrashWithWebhook documents the webhook's guarantee: nothing is lost,
// but a crash after the webhook received a post and before the outcome
// was recorded posts it again (webhooks cannot be read back).
func TestCrashWithWebhook(t *testing.T) {
	f := newFixture(t)
	f.setting("slack.token", "")
	f.setting("slack.webhook_url", f.fake.WebhookURL())
	now := time.Now()
	for i := range 6 {
		m := f.member(fmt.Sprintf("Membre %02d", i+1), "", 10)
		f.push(f.kiosk, accepted(m, now.Add(time.Duration(i-10)*time.Minute)))
	}
	crashes := runCrashing(t, f, []string{"claimed", "posted", "answered", "none"})
	msgs := f.fake.Messages("webhook")
	seen := map[string]int{}
	for _, m := range msgs {
		seen[m.Text]++
	}
	doubles := len(msgs) - len(seen)
	if len(seen) != 6 {
		t.Fatalf("%d distinct posts, want 6 (none lost)", len(seen))
	}
	if window := crashes["posted"] + crashes["answered"]; doubles != window {
		t.Fatalf("%d doubles, want exactly one per crash between sending and recording (%d)", doubles, window)
	}
	t.Logf("crashes %v: %d posts for 6 arrivals", crashes, len(msgs))
}
