package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/badgeuse/badgeuse/shared/clocktest"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/outbox"
	"github.com/badgeuse/badgeuse/central/sqlite"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/backoff"
)

func newStore(t *testing.T) (*sqlstore.OutboxService, *clocktest.Clock) {
	t.Helper()
	c := clocktest.New(time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
	db := sqlite.NewDB(t.TempDir())
	db.Now = c.Now
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqlstore.NewOutboxService(db.DB), c
}

func enqueue(t *testing.T, o central.Outbox, topic string, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, err := o.EnqueueOutbox(context.Background(), central.OutboxMessage{Topic: topic, Key: k}); err != nil {
			t.Fatal(err)
		}
	}
}

func find(t *testing.T, o central.Outbox, key string) *central.OutboxItem {
	t.Helper()
	items, _, err := o.FindOutbox(context.Background(), central.OutboxFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Key == key {
			return it
		}
	}
	t.Fatalf("no message %s", key)
	return nil
}

// TestResults: what a handler says is what the message becomes: sent,
// skipped with the reason, given up with the error, retried after the
// topic's backoff or the wait asked for, or left to its lease when
// centrald itself failed.
func TestResults(t *testing.T) {
	ctx := context.Background()
	o, c := newStore(t)
	answers := map[string]func() (outbox.Result, error){
		"sent":    func() (outbox.Result, error) { return outbox.Sent(), nil },
		"skipped": func() (outbox.Result, error) { return outbox.Skipped("not configured"), nil },
		"gave-up": func() (outbox.Result, error) { return outbox.GiveUp(errors.New("channel_not_found")), nil },
		"retry":   func() (outbox.Result, error) { return outbox.Retry(errors.New("HTTP 503"), true), nil },
		"paused": func() (outbox.Result, error) {
			return outbox.RetryAfter(time.Hour, errors.New("rate_limited"), false), nil
		},
		"broken": func() (outbox.Result, error) { return outbox.Result{}, errors.New("database is locked") },
	}
	keys := []string{"sent", "skipped", "gave-up", "retry", "paused", "broken"}
	enqueue(t, o, "t", keys...)
	w := &outbox.Worker{Outbox: o, Now: c.Now, Topics: []outbox.Topic{{Name: "t", Lease: 10 * time.Minute,
		Retry: backoff.Policy{Min: time.Minute, Max: time.Hour},
		Handle: func(ctx context.Context, it *central.OutboxItem) (outbox.Result, error) {
			return answers[it.Key]()
		}}}}
	n, err := w.Step(ctx, "t")
	if n != len(keys) || err == nil {
		t.Fatalf("Step = %d, %v; want %d and the handler's error", n, err, len(keys))
	}
	if n, err := w.Step(ctx, "t"); n != 0 || err != nil {
		t.Fatalf("second Step = %d, %v; want nothing due", n, err)
	}
	now := c.Now()
	for _, want := range []struct {
		key, outcome, note string
		next               time.Time
		started            bool
	}{
		{"sent", central.OutcomeSent, "", time.Time{}, false},
		{"skipped", central.OutcomeSkipped, "not configured", time.Time{}, false},
		{"gave-up", central.OutcomeFailed, "channel_not_found", time.Time{}, false},
		{"retry", "", "HTTP 503", now.Add(time.Minute), true},
		{"paused", "", "rate_limited", now.Add(time.Hour), false},
		{"broken", "", "", now.Add(10 * time.Minute), true}, // its lease
	} {
		it := find(t, o, want.key)
		if it.Outcome != want.outcome || it.Error != want.note || it.Done.IsZero() != (want.outcome == "") ||
			!it.SendStarted.IsZero() != want.started || (want.outcome == "" && !it.NextTry.Equal(want.next)) {
			t.Errorf("%s: %+v; want outcome %q, note %q, next try %v, send started %v", want.key, it, want.outcome, want.note, want.next, want.started)
		}
	}
}

// TestMaxAttempts: a topic with a cap gives a message up after that many
// attempts, keeping the last error; a topic without one retries on.
func TestMaxAttempts(t *testing.T) {
	ctx := context.Background()
	o, c := newStore(t)
	enqueue(t, o, "capped", "a")
	enqueue(t, o, "forever", "b")
	down := func(ctx context.Context, it *central.OutboxItem) (outbox.Result, error) {
		return outbox.Retry(fmt.Errorf("down (attempt %d)", it.Attempts+1), false), nil
	}
	policy := backoff.Policy{Min: time.Second, Max: time.Second}
	w := &outbox.Worker{Outbox: o, Now: c.Now, Topics: []outbox.Topic{
		{Name: "capped", Handle: down, Retry: policy, MaxAttempts: 3},
		{Name: "forever", Handle: down, Retry: policy},
	}}
	for range 10 {
		for _, topic := range []string{"capped", "forever"} {
			if _, err := w.Step(ctx, topic); err != nil {
				t.Fatal(err)
			}
		}
		c.Add(2 * time.Second)
	}
	a, b := find(t, o, "a"), find(t, o, "b")
	if a.Outcome != central.OutcomeFailed || a.Attempts != 3 || a.Error != "given up after 3 attempts: down (attempt 3)" {
		t.Errorf("capped: %+v; want given up after 3 attempts with the last error", a)
	}
	if b.Outcome != "" || b.Attempts != 10 || b.Error != "down (attempt 10)" {
		t.Errorf("forever: %+v; want pending after 10 attempts", b)
	}
}

// TestInOrder: a topic in order is delivered oldest first, one at a time,
// and a message waiting for its retry holds back the ones after it.
func TestInOrder(t *testing.T) {
	ctx := context.Background()
	o, c := newStore(t)
	enqueue(t, o, "slack.arrival", "1", "2", "3")
	var got []string
	fail := map[string]bool{"2": true}
	w := &outbox.Worker{Outbox: o, Now: c.Now, Topics: []outbox.Topic{{Name: "slack.arrival", InOrder: true,
		Retry: backoff.Policy{Min: time.Minute, Max: time.Minute},
		Handle: func(ctx context.Context, it *central.OutboxItem) (outbox.Result, error) {
			got = append(got, it.Key)
			if fail[it.Key] {
				fail[it.Key] = false
				return outbox.Retry(errors.New("down"), false), nil
			}
			return outbox.Sent(), nil
		}}}}
	for range 5 {
		if n, err := w.Step(ctx, "slack.arrival"); err != nil || n > 1 {
			t.Fatalf("Step = %d, %v", n, err)
		}
	}
	if fmt.Sprint(got) != "[1 2]" {
		t.Fatalf("handled %v before the retry; want [1 2] (2 holds 3 back)", got)
	}
	c.Add(time.Minute)
	for range 3 {
		w.Step(ctx, "slack.arrival")
	}
	if fmt.Sprint(got) != "[1 2 2 3]" {
		t.Fatalf("handled %v; want [1 2 2 3]", got)
	}
}

// TestPurgeEveryTopic: finished messages (sent, skipped, given up) of
// every topic are deleted after the retention; pending ones are kept
// however old.
func TestPurgeEveryTopic(t *testing.T) {
	ctx := context.Background()
	o, c := newStore(t)
	outcomes := map[string]outbox.Result{"sent": outbox.Sent(), "skipped": outbox.Skipped("opted out"),
		"failed": outbox.GiveUp(errors.New("404")), "pending": outbox.Retry(errors.New("down"), false)}
	handle := func(ctx context.Context, it *central.OutboxItem) (outbox.Result, error) {
		return outcomes[it.Key[2:]], nil
	}
	var topics []outbox.Topic
	for i, topic := range []string{"slack.arrival", "pennylane.invoice", "helloasso.order", "mail.receipt"} {
		topics = append(topics, outbox.Topic{Name: topic, Handle: handle, Retry: backoff.Policy{Min: 365 * 24 * time.Hour}})
		for k := range outcomes {
			enqueue(t, o, topic, fmt.Sprintf("%d:%s", i, k))
		}
	}
	w := &outbox.Worker{Outbox: o, Now: c.Now, Topics: topics,
		Retention: func(context.Context) (time.Duration, error) { return 7 * 24 * time.Hour, nil }}
	for _, tp := range topics {
		if _, err := w.Step(ctx, tp.Name); err != nil {
			t.Fatal(err)
		}
	}
	c.Add(7*24*time.Hour - time.Minute)
	if err := w.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	if _, n, _ := o.FindOutbox(ctx, central.OutboxFilter{}); n != 16 {
		t.Fatalf("%d messages left before the retention ended, want 16", n)
	}
	c.Add(2 * time.Minute)
	if err := w.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	left, n, _ := o.FindOutbox(ctx, central.OutboxFilter{})
	if n != 4 {
		t.Fatalf("%d messages left, want the 4 pending ones", n)
	}
	for _, it := range left {
		if it.Outcome != "" {
			t.Errorf("%s (%s) kept", it.Key, it.Outcome)
		}
	}
}

// TestServe: Serve takes back what a dead worker had claimed, without
// waiting for the lease, and a Kick wakes an idle topic at once.
func TestServe(t *testing.T) {
	o, _ := newStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	enqueue(t, o, "t", "in-flight")
	if _, err := o.ClaimOutbox(ctx, "t", 1, time.Hour); err != nil { // the dead worker's claim
		t.Fatal(err)
	}
	sent := make(chan string, 10)
	w := &outbox.Worker{Outbox: o, Poll: time.Hour, Topics: []outbox.Topic{{Name: "t",
		Handle: func(ctx context.Context, it *central.OutboxItem) (outbox.Result, error) {
			sent <- it.Key
			return outbox.Sent(), nil
		}}}}
	done := make(chan error)
	go func() { done <- w.Serve(ctx) }()
	expect := func(key string) {
		t.Helper()
		select {
		case k := <-sent:
			if k != key {
				t.Fatalf("sent %s, want %s", k, key)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s not sent", key)
		}
	}
	expect("in-flight")
	enqueue(t, o, "t", "new")
	w.Kick("t")
	expect("new")
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Serve = %v", err)
	}
}

// TestOutcomeRecordedWhenStopping: centrald stops (ctx ends) while a
// handler finishes its send: what the handler says is recorded all the
// same, so that a sent message is not sent again at the next start.
func TestOutcomeRecordedWhenStopping(t *testing.T) {
	o, c := newStore(t)
	enqueue(t, o, "t", "sent-while-stopping", "failed-while-stopping")
	ctx, stop := context.WithCancel(context.Background())
	w := &outbox.Worker{Outbox: o, Now: c.Now, Topics: []outbox.Topic{{Name: "t",
		Handle: func(_ context.Context, it *central.OutboxItem) (outbox.Result, error) {
			stop() // SIGTERM arrives during the send, which completes
			if it.Key == "sent-while-stopping" {
				return outbox.Sent(), nil
			}
			return outbox.Retry(errors.New("421 try later"), false), nil
		}}}}
	if _, err := w.Step(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	if it := find(t, o, "sent-while-stopping"); it.Outcome != central.OutcomeSent {
		t.Errorf("%+v: want recorded as sent", it)
	}
	if it := find(t, o, "failed-while-stopping"); it.Error != "421 try later" || it.Attempts != 1 {
		t.Errorf("%+v: want the retry recorded", it)
	}
}
