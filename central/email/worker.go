package email

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Outbox is what the Worker needs of the outbox (central/sqlite's
// OutboxService).
type Outbox interface {
	// ClaimOutboxNext returns the oldest unfinished message of a topic if
	// it is due, or nil, leased for lease.
	ClaimOutboxNext(ctx context.Context, topic string, lease time.Duration) (*central.OutboxItem, error)
	// RetryOutbox records a failed attempt and when to try again.
	RetryOutbox(ctx context.Context, id int64, reason string, retryAt time.Time, maybeSent bool) error
	// FinishOutbox ends a message with an outcome and a note.
	FinishOutbox(ctx context.Context, id int64, outcome, note string) error
	// ReleaseOutbox makes due at once what a dead worker had claimed.
	ReleaseOutbox(ctx context.Context, prefix string) (int, error)
}

// Worker delivers the e-mail outbox messages through a Handler, one
// queue per topic. Set the fields, then call Serve.
type Worker struct {
	Outbox   Outbox
	Settings central.SettingsService
	Handler  *Handler
	Logger   *slog.Logger // nil: slog.Default()
	// Lease is how long a claimed message is kept from other claims: if
	// centrald dies while sending, the message is retried after it
	// (default 2 min, longer than a slow server's exchange).
	Lease time.Duration
	// Poll is how often an idle queue is looked at (default 1 s).
	Poll time.Duration
	// BackoffMin and BackoffMax bound the wait before retrying a failed
	// send: BackoffMin doubled at each attempt (defaults 30 s and 1 h:
	// mail servers ask for minutes, not seconds, after a 4xx).
	BackoffMin, BackoffMax time.Duration

	once sync.Once
}

func (w *Worker) init() {
	w.once.Do(func() {
		if w.Logger == nil {
			w.Logger = slog.Default()
		}
		if w.Lease <= 0 {
			w.Lease = 2 * time.Minute
		}
		if w.Poll <= 0 {
			w.Poll = time.Second
		}
		if w.BackoffMin <= 0 {
			w.BackoffMin = 30 * time.Second
		}
		if w.BackoffMax <= 0 {
			w.BackoffMax = time.Hour
		}
	})
}

// Serve delivers messages until ctx ends and returns ctx's error. It
// takes back at once what a previous centrald was sending when it died:
// there must be one worker per database, which centrald serve is.
func (w *Worker) Serve(ctx context.Context) error {
	w.init()
	if n, err := w.Outbox.ReleaseOutbox(ctx, TopicPrefix); err != nil {
		w.Logger.Error("email: outbox", "err", err)
	} else if n > 0 {
		// SMTP cannot tell whether those arrived: they are sent again,
		// with the same Message-ID.
		w.Logger.Info("email: resending mails interrupted by a stop", "count", n)
	}
	var wg sync.WaitGroup
	for _, topic := range Topics {
		wg.Go(func() {
			for ctx.Err() == nil {
				worked, err := w.Step(ctx, topic)
				if err != nil && ctx.Err() == nil {
					w.Logger.Error("email: outbox", "topic", topic, "err", err)
				}
				if !worked || err != nil {
					sleep(ctx, w.Poll)
				}
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// Step sends the head of a topic's queue if it is due, and reports
// whether there was one. Errors are the store's; the mail server's are
// recorded on the message.
func (w *Worker) Step(ctx context.Context, topic string) (bool, error) {
	w.init()
	it, err := w.Outbox.ClaimOutboxNext(ctx, topic, w.Lease)
	if err != nil || it == nil {
		return false, err
	}
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return true, err
	}
	log := w.Logger.With("outbox", it.ID, "topic", it.Topic)
	res, err := w.Handler.Deliver(ctx, it, set)
	if ctx.Err() != nil {
		return true, ctx.Err() // shutting down: the next run sends it
	}
	if err != nil {
		res.Note = "internal error: " + err.Error()
		log.Error("email: cannot prepare the mail", "err", err)
	}
	if res.Outcome != "" {
		if res.Outcome != central.OutcomeSent {
			log.Warn("email: message "+res.Outcome, "why", res.Note)
		}
		return true, w.Outbox.FinishOutbox(ctx, it.ID, res.Outcome, res.Note)
	}
	wait := w.backoff(it.Attempts)
	log.Info("email: will retry", "error", res.Note, "in", wait.Round(time.Second))
	return true, w.Outbox.RetryOutbox(ctx, it.ID, res.Note, time.Now().Add(wait), false)
}

// backoff returns BackoffMin doubled attempts times, at most BackoffMax,
// give or take a fifth so that retries spread.
func (w *Worker) backoff(attempts int) time.Duration {
	d := w.BackoffMin
	for i := 0; i < attempts && d < w.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, w.BackoffMax)
	return d - d/5 + time.Duration(rand.Int64N(int64(d/5)*2+1))
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
