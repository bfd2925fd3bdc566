package main

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// slowOutbox holds the first claim until released, as a claim waiting
// for the database's write lock would.
type slowOutbox struct {
	*sqlstore.OutboxService
	once             sync.Once
	claimed, release chan struct{}
}

func (o *slowOutbox) ClaimOutbox(ctx context.Context, topic string, limit int, lease time.Duration) ([]*central.OutboxItem, error) {
	o.once.Do(func() {
		close(o.claimed)
		<-o.release
	})
	return o.OutboxService.ClaimOutbox(ctx, topic, limit, lease)
}

// TestServeWaitsForJobs: Serve returns, and run closes the database, only
// once the background jobs (here the billing worker) have stopped.
func TestServeWaitsForJobs(t *testing.T) {
	db := newCLI(t).db()
	s := &server{DB: onSQLite(db), Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	outbox := &slowOutbox{OutboxService: sqlstore.NewOutboxService(db.DB), claimed: make(chan struct{}), release: make(chan struct{})}
	s.billing = newBillingWorker(s.DB, s.Logger)
	s.billing.Outbox = outbox
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	select {
	case <-outbox.claimed:
	case <-time.After(10 * time.Second):
		t.Fatal("the billing worker did not start")
	}
	cancel()
	select {
	case err := <-done:
		close(outbox.release)
		t.Fatalf("Serve returned (%v) while the billing worker was still running", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(outbox.release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return once the billing worker stopped")
	}
}
