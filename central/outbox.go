package central

import (
	"context"
	"time"
)

// OutboxMessage is a side effect to perform later (a Slack post, an
// invoice, an e-mail), written to the durable outbox in the same
// transaction as the change that causes it, and sent by a worker with
// retries: an outage delays it, never loses or duplicates it.
type OutboxMessage struct {
	Topic string // the handler that sends it: "slack.arrival", "pennylane.invoice"...
	// Key makes the message idempotent: a second message with the same key
	// is dropped ("slack.arrival:<entry id>").
	Key     string
	Payload string // JSON, in the topic's format
}

// OutboxItem is a stored outbox message.
type OutboxItem struct {
	ID int64
	OutboxMessage
	Created  time.Time
	Attempts int // finished attempts (a claim in progress is not counted)
	NextTry  time.Time
	Error    string // the last failure; a finished message's note
	Done     time.Time
	// SendStarted is when a claim began whose outcome is not recorded
	// (zero when none): the message may have reached the service, so the
	// next attempt checks before sending again where the service allows
	// it (Slack's channel history, Pennylane's external reference).
	SendStarted time.Time
	// Outcome says how a finished message ended (OutcomeSent,
	// OutcomeSkipped, OutcomeFailed); "" while pending.
	Outcome string
}

// Outcomes of a finished outbox message (OutboxItem.Outcome).
const (
	OutcomeSent    = "sent"    // delivered (or found already delivered)
	OutcomeSkipped = "skipped" // nothing to send: opted out, not configured, no such user...
	OutcomeFailed  = "failed"  // given up on a permanent error or after too many attempts (Error says which)
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

// Outbox is the durable queue of side effects (central/sqlstore implements
// it; central/outbox runs the one worker loop over it). Every method is
// one transaction of the store.
//
// # Life of a message
//
//	enqueued (in the transaction of its cause) ─ pending, due now
//	  → claimed: NextTry = now + lease, SendStarted set (kept if set)
//	  → FinishOutbox: done, with an outcome          (sent, skipped, failed)
//	  → or RetryOutbox: pending, due at retryAt, Attempts + 1
//	  → or nothing (the worker died): due again when the lease ends
//	done → RequeueOutbox: pending as new; PurgeOutbox: deleted
//
// # Leases
//
// A claim makes a message invisible to other claims until now + lease
// (its NextTry): a worker must finish or retry it within the lease, or
// another claim may take it. The lease is the only lock: it is written in
// the claim's own committed transaction, so it holds across processes and
// crashes. A store that can lock rows does the same with a row lock for
// the claim's transaction only: PostgreSQL selects the due rows with FOR
// UPDATE SKIP LOCKED, so that concurrent claims take different messages,
// and writes the lease before committing. "Now" is the store's clock;
// workers on other machines must not depend on their own clock to judge
// a lease.
//
// FinishOutbox and RetryOutbox do not check the lease: a worker that
// overran it still records its outcome (the other claim, if any, then
// finds the message done, or records its own outcome last).
type Outbox interface {
	// EnqueueOutbox stores a message outside any other change (a daily
	// "who's here" post). A message whose key is already stored, finished
	// or not, is dropped: it returns false. Messages caused by a change are
	// written in the change's transaction by the store itself (see
	// Reactions).
	EnqueueOutbox(ctx context.Context, msg OutboxMessage) (bool, error)

	// ClaimOutbox returns up to limit messages of a topic due now, oldest
	// due first, each leased (see Leases) and with SendStarted set.
	ClaimOutbox(ctx context.Context, topic string, limit int, lease time.Duration) ([]*OutboxItem, error)

	// ClaimOutboxNext is ClaimOutbox for a topic delivered in order: it
	// returns the oldest unfinished message of a topic if it is due, or
	// nil; a message waiting for its retry (or leased) holds back the ones
	// after it. The item returned holds SendStarted as it was before the
	// claim (zero: no earlier attempt may have reached the service).
	ClaimOutboxNext(ctx context.Context, topic string, lease time.Duration) (*OutboxItem, error)

	// RetryOutbox records a failed attempt and when to try again.
	// maybeSent says the message may have arrived all the same (timeout,
	// server error): SendStarted is kept, and the next attempt checks.
	// Returns ENOTFOUND (also for a finished message).
	RetryOutbox(ctx context.Context, id int64, reason string, retryAt time.Time, maybeSent bool) error

	// FinishOutbox ends a message with an outcome and a note (the error
	// of a failure, kept for the admin; why it was skipped). Returns
	// ENOTFOUND, EINVALID for an unknown outcome.
	FinishOutbox(ctx context.Context, id int64, outcome, note string) error

	// RequeueOutbox puts a finished message back in its queue, due now,
	// as new (the admin's "send again" after fixing a setting).
	// Returns ENOTFOUND.
	RequeueOutbox(ctx context.Context, id int64) error

	// DueOutboxKey makes the message with msg's key due now, storing msg
	// when there is none (the admin's "make the invoice now"), unless it
	// is done or may be in a worker's hands (due within lease from now).
	// It reports whether the message is due now.
	DueOutboxKey(ctx context.Context, msg OutboxMessage, lease time.Duration) (bool, error)

	// FindOutbox returns the matching messages, newest first, and how
	// many match without Offset and Limit.
	FindOutbox(ctx context.Context, filter OutboxFilter) ([]*OutboxItem, int, error)

	// ReleaseOutbox makes due at once the unfinished messages of topics
	// starting with prefix whose claim began (SendStarted set) and whose
	// lease has not ended: those a dead worker had claimed. The worker of
	// a restarted centrald calls it when it starts, being the only one,
	// so that what was in flight does not wait for the lease. Returns how
	// many.
	ReleaseOutbox(ctx context.Context, prefix string) (int, error)

	// PurgeOutbox deletes the finished messages (sent, skipped or given
	// up) of topics starting with prefix ("" for every topic) finished
	// before before, and returns how many: their payloads may name
	// members, and a flood must not fill the disk.
	PurgeOutbox(ctx context.Context, prefix string, before time.Time) (int, error)
}
