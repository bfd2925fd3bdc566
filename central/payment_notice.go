package central

import (
	"context"
	"time"
)

// NoticeTx is what queuing a payment notice (QueuePaymentNotice) reads
// and writes of a store's outbox, inside its write transaction.
type NoticeTx interface {
	// Now is the transaction's time.
	Now() time.Time
	// OutboxMessage returns the id of the message of key and when it last
	// finished (zero: unfinished), locked until the transaction ends
	// (PostgreSQL: FOR UPDATE); found is false when there is none.
	OutboxMessage(ctx context.Context, key string) (id int64, done time.Time, found bool, err error)
	// CountWaiting counts the unfinished messages of topic, up to limit:
	// counting stops there, cheap even when the queue is full.
	CountWaiting(ctx context.Context, topic string, limit int) (int, error)
	// InsertOutbox stores msg, due now.
	InsertOutbox(ctx context.Context, msg OutboxMessage) error
	// Requeue makes message id new again (attempts, outcome and error
	// cleared) with payload, due at next.
	Requeue(ctx context.Context, id int64, payload string, next time.Time) error
}

// QueuePaymentNotice decides through tx what a provider's notification
// of an order queues, as PaymentNoticeQueue.QueuePaymentNotice says: the
// order's one message (PaymentNoticeMessage) is stored unless maxWaiting
// wait already, left alone while unfinished, or made due again once
// finished, as new, at its last finish plus every at the earliest.
func QueuePaymentNotice(ctx context.Context, tx NoticeTx, n PaymentNotice, every time.Duration, maxWaiting int) (NoticeResult, error) {
	if n.Source == "" || n.Order == "" {
		return 0, Errorf(EINVALID, "Payment notice without source or order.")
	}
	msg := PaymentNoticeMessage(n)
	id, done, found, err := tx.OutboxMessage(ctx, msg.Key)
	switch {
	case err != nil:
		return 0, err
	case !found:
		waiting, err := tx.CountWaiting(ctx, msg.Topic, maxWaiting)
		if err != nil {
			return 0, err
		}
		if waiting >= maxWaiting {
			return NoticeFull, nil
		}
		if err := tx.InsertOutbox(ctx, msg); err != nil {
			return 0, err
		}
	case done.IsZero():
		return NoticeDuplicate, nil
	default:
		if err := tx.Requeue(ctx, id, msg.Payload, later(done.Add(every), tx.Now())); err != nil {
			return 0, err
		}
	}
	return NoticeQueued, nil
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}
