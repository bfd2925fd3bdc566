// Package outbox runs the one worker loop of central's durable outbox
// (central.Outbox): every consumer of side effects (Slack, Pennylane's
// invoices, HelloAsso's orders, the e-mail to come) plugs a handler per
// topic into it, and the loop does the rest the same way for all: claim
// with a lease, call the handler, record what it says (sent, skipped,
// retry later with capped jittered backoff, given up with the error
// kept), cap the attempts where retrying forever makes no sense, take
// back at start what a dead centrald was sending, and purge finished
// messages of every topic after the retention.
//
// A handler decides from the item alone: its SendStarted says an earlier
// attempt may have reached the service, so that a handler whose service
// can tell (Slack's history, Pennylane's external reference) checks
// before sending again: at most once where the service allows it.
package outbox

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/backoff"
)

// Result is what a handler says of a message: made with Sent, Skipped,
// GiveUp, Retry or RetryAfter.
type Result struct {
	outcome   string // a central.Outcome...; "" to retry
	note      string
	after     time.Duration // retry: the wait; 0 for the topic's backoff
	maybeSent bool
}

// Sent: delivered, or found delivered by an earlier attempt.
func Sent() Result { return Result{outcome: central.OutcomeSent} }

// Skipped: nothing to send (not configured, opted out...); why is kept.
func Skipped(why string) Result { return Result{outcome: central.OutcomeSkipped, note: why} }

// GiveUp: a permanent failure; the error is kept on the message.
func GiveUp(err error) Result { return Result{outcome: central.OutcomeFailed, note: errText(err)} }

// Retry: a passing failure; the message is tried again after the topic's
// backoff. maybeSent says the message may have arrived all the same (a
// timeout): the next attempt sees SendStarted and checks.
func Retry(err error, maybeSent bool) Result {
	return Result{note: errText(err), maybeSent: maybeSent}
}

// RetryAfter is Retry after a wait the service asked for (Retry-After).
func RetryAfter(wait time.Duration, err error, maybeSent bool) Result {
	return Result{note: errText(err), after: max(wait, time.Millisecond), maybeSent: maybeSent}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// Handler handles one claimed message. Its error is for failures of
// centrald itself (the database, ctx ending): the message is left as
// claimed, and tried again when its lease ends (or at the next start).
type Handler func(ctx context.Context, it *central.OutboxItem) (Result, error)

// Topic is a consumer's handler for one topic, and how the loop paces it.
type Topic struct {
	Name   string
	Handle Handler
	// InOrder delivers the topic one message at a time, oldest first: a
	// message waiting for its retry holds back the ones after it
	// (central.Outbox.ClaimOutboxNext). Otherwise up to Batch due
	// messages are claimed at once, and a failing one does not hold the
	// others.
	InOrder bool
	Batch   int           // default 10
	Lease   time.Duration // how long a claim is kept from others (default 1 min)
	// Poll is how often the topic is looked at when idle and not woken
	// (Kick); 0: the Worker's Poll.
	Poll time.Duration
	// Retry paces retries (default 30 s doubling to 6 h, ±10 %); a
	// RetryAfter overrides it.
	Retry backoff.Policy
	// MaxAttempts gives a message up after that many attempts, with the
	// last error kept (0: retry forever, for what must happen at last,
	// such as an invoice).
	MaxAttempts int
}

// Defaults.
const (
	DefaultLease = time.Minute
	DefaultBatch = 10
	DefaultPoll  = time.Second
	purgeEvery   = 24 * time.Hour
	// recordTimeout bounds the recording of an outcome once ctx ended.
	recordTimeout = 10 * time.Second
)

// DefaultRetry paces retries of topics without a policy.
var DefaultRetry = backoff.Policy{Min: 30 * time.Second, Max: 6 * time.Hour, Jitter: 0.1}

// Worker is the loop. Set the fields, then call Serve (or Step in tests
// and one-shot commands).
type Worker struct {
	Outbox central.Outbox
	Topics []Topic
	Logger *slog.Logger // nil: slog.Default()
	// Poll is how often an idle topic is looked at when nothing wakes the
	// worker (Kick); default 1 s.
	Poll time.Duration
	// Retention returns how long finished messages (sent, skipped, given
	// up) of every topic are kept; Serve purges older ones once a day.
	// nil or 0: never purged.
	Retention func(ctx context.Context) (time.Duration, error)
	// Now is the clock of retry times; nil: time.Now.
	Now func() time.Time

	once   sync.Once
	kicks  map[string]chan struct{}
	topics map[string]*Topic
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.kicks = map[string]chan struct{}{}
		w.topics = map[string]*Topic{}
		for i := range w.Topics {
			t := &w.Topics[i]
			w.kicks[t.Name] = make(chan struct{}, 1)
			w.topics[t.Name] = t
		}
	})
}

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// Kick wakes the loops of every topic starting with prefix ("" for all):
// a message was just stored.
func (w *Worker) Kick(prefix string) {
	w.init()
	for name, c := range w.kicks {
		if strings.HasPrefix(name, prefix) {
			select {
			case c <- struct{}{}:
			default:
			}
		}
	}
}

// Serve delivers until ctx ends: one loop per topic, and the purge. It
// first takes back what a previous centrald was sending when it died
// (central.Outbox.ReleaseOutbox): there must be one worker per database,
// which centrald serve is. It returns ctx's error.
func (w *Worker) Serve(ctx context.Context) error {
	w.init()
	for _, t := range w.Topics {
		if n, err := w.Outbox.ReleaseOutbox(ctx, t.Name); err != nil {
			w.logger().Error("outbox: release", "topic", t.Name, "err", err)
		} else if n > 0 {
			w.logger().Info("outbox: resuming messages interrupted by a stop", "topic", t.Name, "count", n)
		}
	}
	var wg sync.WaitGroup
	for _, t := range w.Topics {
		wg.Go(func() { w.serveTopic(ctx, t.Name) })
	}
	if w.Retention != nil {
		wg.Go(func() { w.servePurge(ctx) })
	}
	wg.Wait()
	return ctx.Err()
}

func (w *Worker) serveTopic(ctx context.Context, name string) {
	poll := cmp.Or(w.topics[name].Poll, w.Poll, DefaultPoll)
	for ctx.Err() == nil {
		n, err := w.Step(ctx, name)
		if err != nil && ctx.Err() == nil {
			w.logger().Error("outbox", "topic", name, "err", err)
		}
		if n > 0 {
			// A handler may have enqueued messages for other topics (an
			// order read back makes a sale, and its invoice).
			w.Kick("")
		}
		if n > 0 && err == nil {
			continue // more may be due
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
		case <-w.kicks[name]:
		case <-t.C:
		}
		t.Stop()
	}
}

// Step handles the messages of a topic due now (the head only, for a
// topic in order) and returns how many it handled. Errors are the store's
// or a handler's; a service's failures are recorded on the message.
func (w *Worker) Step(ctx context.Context, name string) (int, error) {
	w.init()
	t := w.topics[name]
	if t == nil {
		return 0, fmt.Errorf("outbox: no handler for topic %q", name)
	}
	lease := t.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	var items []*central.OutboxItem
	if t.InOrder {
		it, err := w.Outbox.ClaimOutboxNext(ctx, name, lease)
		if err != nil || it == nil {
			return 0, err
		}
		items = []*central.OutboxItem{it}
	} else {
		batch := t.Batch
		if batch <= 0 {
			batch = DefaultBatch
		}
		var err error
		if items, err = w.Outbox.ClaimOutbox(ctx, name, batch, lease); err != nil {
			return 0, err
		}
	}
	for i, it := range items {
		if err := w.handle(ctx, t, it); err != nil {
			return i + 1, err
		}
	}
	return len(items), nil
}

func (w *Worker) handle(ctx context.Context, t *Topic, it *central.OutboxItem) error {
	log := w.logger().With("outbox", it.ID, "topic", it.Topic)
	res, err := t.Handle(ctx, it)
	if err != nil {
		return err // left claimed: tried again after the lease
	}
	// The outcome is recorded even when ctx ended meanwhile (centrald
	// stopping while a handler finished its send): left claimed, a sent
	// message would be sent again at the next start.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if res.outcome != "" {
		if res.outcome != central.OutcomeSent {
			log.Info("outbox: message "+res.outcome, "why", res.note)
		}
		return w.Outbox.FinishOutbox(ctx, it.ID, res.outcome, res.note)
	}
	if t.MaxAttempts > 0 && it.Attempts+1 >= t.MaxAttempts {
		log.Warn("outbox: given up after too many attempts", "attempts", it.Attempts+1, "err", res.note)
		return w.Outbox.FinishOutbox(ctx, it.ID, central.OutcomeFailed,
			fmt.Sprintf("given up after %d attempts: %s", it.Attempts+1, res.note))
	}
	wait := res.after
	if wait == 0 {
		policy := t.Retry
		if policy == (backoff.Policy{}) {
			policy = DefaultRetry
		}
		wait = policy.Delay(it.Attempts)
	}
	log.Info("outbox: will retry", "attempt", it.Attempts+1, "in", wait.Round(time.Millisecond), "err", res.note)
	return w.Outbox.RetryOutbox(ctx, it.ID, res.note, w.now().Add(wait), res.maybeSent)
}

func (w *Worker) servePurge(ctx context.Context) {
	for {
		if err := w.Purge(ctx); err != nil && ctx.Err() == nil {
			w.logger().Error("outbox: purge", "err", err)
		}
		t := time.NewTimer(purgeEvery)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// Purge deletes the finished messages of every topic older than the
// retention.
func (w *Worker) Purge(ctx context.Context) error {
	if w.Retention == nil {
		return errors.New("outbox: no retention")
	}
	keep, err := w.Retention(ctx)
	if err != nil || keep <= 0 {
		return err
	}
	n, err := w.Outbox.PurgeOutbox(ctx, "", w.now().Add(-keep))
	if n > 0 {
		w.logger().Info("outbox: purged finished messages", "count", n, "older_than", keep)
	}
	return err
}
