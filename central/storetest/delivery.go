package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

func testOutboxDelivery(t *testing.T) {
	f := newFixture(t)
	const topic = "slack.arrival"
	for i := 1; i <= 3; i++ {
		if _, err := f.outbox.EnqueueOutbox(f.ctx, central.OutboxMessage{Topic: topic, Key: fmt.Sprintf("k%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	claim := func() *central.OutboxItem {
		t.Helper()
		it, err := f.outbox.ClaimOutboxNext(f.ctx, topic, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}

	t.Run("InOrderOneAtATime", func(t *testing.T) {
		it := claim()
		if it == nil || it.Key != "k1" || !it.SendStarted.IsZero() {
			t.Fatalf("first claim %+v, want k1 never started", it)
		}
		if again := claim(); again != nil {
			t.Fatalf("claimed %s while the head is leased", again.Key)
		}
	})

	t.Run("CrashLeavesSendStarted", func(t *testing.T) {
		start := f.clock.Now()
		f.clock.Add(2 * time.Minute) // the lease ends: the worker died
		it := claim()
		if it == nil || it.Key != "k1" || !it.SendStarted.Equal(start) {
			t.Fatalf("reclaim %+v, want k1 started at %s", it, start)
		}
		// A failure that may have been delivered keeps the first start.
		if err := f.outbox.RetryOutbox(f.ctx, it.ID, "timeout", f.clock.Now(), true); err != nil {
			t.Fatal(err)
		}
		if it = claim(); it == nil || !it.SendStarted.Equal(start) || it.Attempts != 1 || it.Error != "timeout" {
			t.Fatalf("after a maybe-sent failure %+v", it)
		}
		// A failure that surely was not delivered (429) clears it.
		if err := f.outbox.RetryOutbox(f.ctx, it.ID, "rate limited", f.clock.Now(), false); err != nil {
			t.Fatal(err)
		}
		if it = claim(); it == nil || !it.SendStarted.IsZero() {
			t.Fatalf("after a not-sent failure %+v", it)
		}
		if err := f.outbox.FinishOutbox(f.ctx, it.ID, central.OutcomeSent, ""); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ReleaseAfterRestart", func(t *testing.T) {
		it := claim() // a worker claims k2 and dies
		if it == nil || it.Key != "k2" {
			t.Fatalf("claim %+v, want k2", it)
		}
		if n, err := f.outbox.ReleaseOutbox(f.ctx, "pennylane."); err != nil || n != 0 {
			t.Fatalf("released %d of another prefix, %v", n, err)
		}
		if n, err := f.outbox.ReleaseOutbox(f.ctx, "slack."); err != nil || n != 1 {
			t.Fatalf("released %d, %v; want 1", n, err)
		}
		if it = claim(); it == nil || it.Key != "k2" || it.SendStarted.IsZero() {
			t.Fatalf("after release %+v, want k2 at once, send started", it)
		}
		// A retry of a message surely not sent is not released.
		if err := f.outbox.RetryOutbox(f.ctx, it.ID, "429", f.clock.Now().Add(time.Hour), false); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.outbox.ReleaseOutbox(f.ctx, "slack."); n != 0 {
			t.Fatalf("released %d messages waiting for a Retry-After", n)
		}
		f.clock.Add(time.Hour)
	})

	t.Run("RetryHoldsTheQueue", func(t *testing.T) {
		it := claim()
		if it == nil || it.Key != "k2" {
			t.Fatalf("claim %+v, want k2", it)
		}
		if err := f.outbox.RetryOutbox(f.ctx, it.ID, "HTTP 500", f.clock.Now().Add(time.Minute), false); err != nil {
			t.Fatal(err)
		}
		if again := claim(); again != nil {
			t.Fatalf("claimed %s before k2's retry: out of order", again.Key)
		}
		f.clock.Add(time.Minute)
		if it = claim(); it == nil || it.Key != "k2" {
			t.Fatalf("claim %+v, want k2 again", it)
		}
		if err := f.outbox.FinishOutbox(f.ctx, it.ID, central.OutcomeFailed, "channel_not_found"); err != nil {
			t.Fatal(err)
		}
		if it = claim(); it == nil || it.Key != "k3" {
			t.Fatalf("claim %+v, want k3", it)
		}
		if err := f.outbox.FinishOutbox(f.ctx, it.ID, central.OutcomeSkipped, "opted out"); err != nil {
			t.Fatal(err)
		}
		if it = claim(); it != nil {
			t.Fatalf("claimed %+v from an empty queue", it)
		}
	})

	t.Run("FindRequeuePurge", func(t *testing.T) {
		failed, n, err := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{TopicPrefix: "slack.", State: central.OutcomeFailed})
		if err != nil || n != 1 || len(failed) != 1 || failed[0].Key != "k2" || failed[0].Error != "channel_not_found" {
			t.Fatalf("failed: %+v %d %v", failed, n, err)
		}
		if _, n, _ := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{TopicPrefix: "pennylane."}); n != 0 {
			t.Fatalf("prefix: %d messages", n)
		}
		all, n, _ := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{Limit: 2})
		if n != 3 || len(all) != 2 || all[0].Key != "k3" {
			t.Fatalf("all: %d, first page %+v", n, all)
		}
		if err := f.outbox.RequeueOutbox(f.ctx, failed[0].ID); err != nil {
			t.Fatal(err)
		}
		if it := claim(); it == nil || it.Key != "k2" || it.Attempts != 0 || it.Error != "" {
			t.Fatalf("requeued %+v", it)
		}
		wantCode(t, f.outbox.FinishOutbox(f.ctx, failed[0].ID, "lost", ""), central.EINVALID)
		wantCode(t, f.outbox.RetryOutbox(f.ctx, 999, "x", f.clock.Now(), false), central.ENOTFOUND)
		if err := f.outbox.FinishOutbox(f.ctx, failed[0].ID, central.OutcomeSent, ""); err != nil {
			t.Fatal(err)
		}
		// A finished message cannot be retried.
		wantCode(t, f.outbox.RetryOutbox(f.ctx, failed[0].ID, "x", f.clock.Now(), false), central.ENOTFOUND)

		f.clock.Add(time.Hour)
		n, err = f.outbox.PurgeOutbox(f.ctx, "slack.", f.clock.Now().Add(-30*time.Minute))
		if err != nil || n != 3 {
			t.Fatalf("purged %d, %v; want 3", n, err)
		}
		if _, n, _ := f.outbox.FindOutbox(f.ctx, central.OutboxFilter{}); n != 0 {
			t.Fatalf("%d messages left", n)
		}
	})
}
