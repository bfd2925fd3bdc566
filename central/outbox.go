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
	Topic string // the worker that sends it: "slack.arrival", "pennylane.invoice"...
	// Key makes the message idempotent: a second message with the same key
	// is dropped ("arrival:<visit id>").
	Key     string
	Payload string // JSON, in the topic's format
}

// Arrival is a new visit: the first accepted entry of a member at a space on
// a day, as the ingest path (SyncService.Push) sees it.
type Arrival struct {
	Member *Member
	Entry  *Entry
	Kiosk  *Kiosk
	Visit  *Visit
}

// ArrivalHook returns the outbox messages an arrival causes (Slack's
// "Alice est arrivée"). It is a pure function: the store calls it inside the
// push transaction and inserts what it returns, so the post exists if and
// only if the entry does. Hooks see late arrivals too (a kiosk offline for
// days): they decide from Entry.Time whether a post is still worth it.
type ArrivalHook func(Arrival) []OutboxMessage

// OutboxItem is a stored outbox message.
type OutboxItem struct {
	ID int64
	OutboxMessage
	Created  time.Time
	Attempts int
	NextTry  time.Time
	Error    string // the last failure
	Done     time.Time
	// SendStarted is when a send began whose outcome is not recorded
	// (zero when none): the message may have reached the service, so the
	// next attempt checks before sending again (see OutboxDelivery).
	SendStarted time.Time
	// Outcome says how a finished message ended (OutcomeSent,
	// OutcomeSkipped, OutcomeFailed); "" while pending, or when finished
	// with CompleteOutbox.
	Outcome string
}

// OutboxService hands outbox messages to the workers that send them.
type OutboxService interface {
	// EnqueueOutbox stores a message outside any other change (a daily
	// "who's here" post). A message whose key is already stored is
	// dropped: it returns false.
	EnqueueOutbox(ctx context.Context, msg OutboxMessage) (bool, error)

	// ClaimOutbox returns up to limit messages of a topic due now, oldest
	// first, and postpones each by lease so that another worker does not
	// take it meanwhile (if the worker dies, it is retried after lease).
	ClaimOutbox(ctx context.Context, topic string, limit int, lease time.Duration) ([]*OutboxItem, error)

	// CompleteOutbox marks a message sent. Returns ENOTFOUND.
	CompleteOutbox(ctx context.Context, id int64) error

	// FailOutbox records a failed attempt and when to try again.
	// Returns ENOTFOUND.
	FailOutbox(ctx context.Context, id int64, reason string, retryAt time.Time) error
}
