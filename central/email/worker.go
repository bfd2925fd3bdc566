package email

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/outbox"
	"github.com/badgeuse/badgeuse/shared/backoff"
)

// Worker delivers the e-mail outbox messages through a Handler: Topics
// plugs them into the outbox loop (central/outbox) that centrald serve
// runs for every consumer. Set the fields, then call Topics (or Serve,
// the e-mail topics' own loop, in tests).
type Worker struct {
	Outbox   central.Outbox
	Settings central.SettingsService
	Handler  *Handler
	Logger   *slog.Logger // nil: slog.Default()
	// Lease is how long a claimed message is kept from other claims: if
	// centrald dies while sending, the message is retried after it
	// (default 2 min, longer than a slow server's exchange).
	Lease time.Duration
	// Poll is how often an idle queue is looked at (default 1 s).
	Poll time.Duration
	// Journal records the mails given up in the audit log, where the
	// bureau sees them; nil: logged only.
	Journal Journal
	// BackoffMin and BackoffMax bound the wait before retrying a failed
	// send: BackoffMin doubled at each attempt (defaults 30 s and 1 h:
	// mail servers ask for minutes, not seconds, after a 4xx).
	BackoffMin, BackoffMax time.Duration

	once sync.Once
	loop *outbox.Worker
}

// Journal is the audit log's part for mails (centrald: the store's).
type Journal interface {
	// MailGivenUp records that a mail of a kind to a member was given
	// up, with the server's answer.
	MailGivenUp(ctx context.Context, member int64, kind, note string) error
}

// MaxAttempts gives a mail up after about two days of failures (30 s
// doubling to 1 h, then hourly): an address or a server that long out of
// reach needs the bureau, and the error is kept for it.
const MaxAttempts = 60

func (w *Worker) logger() *slog.Logger {
	if w.Logger != nil {
		return w.Logger
	}
	return slog.Default()
}

func (w *Worker) init() {
	w.once.Do(func() {
		w.loop = &outbox.Worker{Outbox: w.Outbox, Topics: w.Topics(), Logger: w.logger(), Poll: w.Poll}
	})
}

// Topics returns the e-mail topics as the outbox loop runs them: not in
// order (a mail refused for a while does not hold the others back),
// retried with BackoffMin doubling to BackoffMax, given up after
// MaxAttempts.
func (w *Worker) Topics() []outbox.Topic {
	lease, policy := w.Lease, backoff.Policy{Min: w.BackoffMin, Max: w.BackoffMax, Jitter: 0.2}
	if lease <= 0 {
		lease = 2 * time.Minute
	}
	if policy.Min <= 0 {
		policy.Min = 30 * time.Second
	}
	if policy.Max <= 0 {
		policy.Max = time.Hour
	}
	var ts []outbox.Topic
	for _, topic := range Topics {
		ts = append(ts, outbox.Topic{Name: topic, Handle: w.Handle, Lease: lease, Retry: policy, MaxAttempts: MaxAttempts})
	}
	return ts
}

// Serve delivers messages until ctx ends, with the e-mail topics' own
// outbox loop (centrald serve runs Topics in its one loop instead).
// SMTP cannot tell whether a mail interrupted by a stop arrived: those
// are sent again, with the same Message-ID.
func (w *Worker) Serve(ctx context.Context) error {
	w.init()
	return w.loop.Serve(ctx)
}

// Handle sends a claimed e-mail message (the outbox loop's handler), with
// the settings of the moment.
func (w *Worker) Handle(ctx context.Context, it *central.OutboxItem) (outbox.Result, error) {
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return outbox.Result{}, err
	}
	res, err := w.Handler.Deliver(ctx, it, set)
	switch {
	case err != nil:
		return outbox.Result{}, err // left claimed: tried again after the lease
	case res.Outcome == central.OutcomeSent:
		// The server's answer names the mail in its logs ("queued as").
		w.logger().Info("email: sent", "outbox", it.ID, "topic", it.Topic, "answer", res.Note)
		return outbox.Sent(), nil
	case res.Outcome == central.OutcomeSkipped:
		return outbox.Skipped(res.Note), nil
	case res.Outcome == central.OutcomeFailed:
		w.givenUp(ctx, it, res.Note)
		return outbox.GiveUp(&SendError{Permanent: true, Text: res.Note}), nil
	}
	if it.Attempts+1 >= MaxAttempts {
		w.givenUp(ctx, it, res.Note)
	}
	return outbox.Retry(&SendError{Text: res.Note}, false), nil
}

// givenUp tells the journal of a mail to a member given up. A failure to
// write it is logged: the mail's own outcome is recorded all the same.
func (w *Worker) givenUp(ctx context.Context, it *central.OutboxItem, note string) {
	kind, p, err := ParsePayload(it.Topic, it.Payload)
	w.logger().Warn("email: given up", "outbox", it.ID, "topic", it.Topic, "member", p.Member, "answer", note)
	if err != nil || p.Member == 0 || w.Journal == nil {
		return
	}
	if err := w.Journal.MailGivenUp(context.WithoutCancel(ctx), p.Member, kind, note); err != nil {
		w.logger().Error("email: journal", "outbox", it.ID, "err", err)
	}
}
