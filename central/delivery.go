package central

import (
	"context"
	"time"
)

// Outcomes of a finished outbox message (OutboxItem.Outcome).
const (
	OutcomeSent    = "sent"    // delivered (or found already delivered)
	OutcomeSkipped = "skipped" // nothing to send: opted out, not configured, no such user...
	OutcomeFailed  = "failed"  // given up on a permanent error (Error says which)
)

// OutboxFilter selects outbox messages. Zero fields select everything.
type OutboxFilter struct {
	TopicPrefix string // "slack." selects every Slack topic
	// State is "pending" (not finished), or an outcome (OutcomeSent,
	// OutcomeSkipped, OutcomeFailed).
	State  string
	Offset int
	Limit  int
}

// OutboxDelivery is what a worker needs, beyond OutboxService, to deliver
// messages in order and at most once through a service that can tell
// whether a message already arrived (Slack's channel history):
//
//  1. ClaimOutboxNext takes the head of a topic's queue and durably notes
//     that a send begins, before anything leaves;
//  2. if the claimed item's SendStarted is set, an earlier send may have
//     reached the service (a crash, a timeout): the worker looks for it
//     there before sending again;
//  3. FinishOutbox or RetryOutbox records the outcome.
//
// A crash anywhere between 1 and 3 leaves SendStarted set and the message
// unfinished; it is claimed again once its lease ends.
type OutboxDelivery interface {
	// ClaimOutboxNext returns the oldest unfinished message of a topic if
	// it is due, or nil: a message waiting for its retry holds back the
	// ones after it, so that a topic is delivered in order. It postpones
	// the message by lease and sets its SendStarted (kept if already set);
	// the item returned holds SendStarted as it was before the claim.
	ClaimOutboxNext(ctx context.Context, topic string, lease time.Duration) (*OutboxItem, error)

	// RetryOutbox records a failed attempt and when to try again.
	// maybeSent says the message may have arrived all the same (timeout,
	// server error): SendStarted is kept, and the next attempt checks.
	// Returns ENOTFOUND.
	RetryOutbox(ctx context.Context, id int64, reason string, retryAt time.Time, maybeSent bool) error

	// FinishOutbox ends a message with an outcome and a note (the error
	// of a failure, why it was skipped). Returns ENOTFOUND.
	FinishOutbox(ctx context.Context, id int64, outcome, note string) error

	// RequeueOutbox puts a finished message back in its queue, due now,
	// as new (the admin's "send again" after fixing a setting).
	// Returns ENOTFOUND.
	RequeueOutbox(ctx context.Context, id int64) error

	// FindOutbox returns the matching messages, newest first, and how
	// many match without Offset and Limit.
	FindOutbox(ctx context.Context, filter OutboxFilter) ([]*OutboxItem, int, error)

	// ReleaseOutbox makes due at once the unfinished messages of topics
	// starting with prefix whose send began (SendStarted set): those a
	// dead worker had claimed, waiting for their lease. The worker of a
	// restarted centrald calls it when it starts, being the only one, so
	// that what was in flight does not wait for the lease. Returns how
	// many.
	ReleaseOutbox(ctx context.Context, prefix string) (int, error)

	// PurgeOutbox deletes the messages of topics starting with prefix
	// finished before before, and returns how many (their payloads may
	// name members).
	PurgeOutbox(ctx context.Context, prefix string, before time.Time) (int, error)
}
