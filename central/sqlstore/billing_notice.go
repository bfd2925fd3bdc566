package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.PaymentNoticeQueue = (*OutboxService)(nil)

// QueuePaymentNotice implements central.PaymentNoticeQueue: the order's
// one message (central.PaymentNoticeMessage) is stored, left alone while
// unfinished, or made due again once finished, as new (attempts and error
// cleared), at its last finish plus every at the earliest.
func (s *OutboxService) QueuePaymentNotice(ctx context.Context, n central.PaymentNotice, every time.Duration,
	maxWaiting int) (central.NoticeResult, error) {
	if n.Source == "" || n.Order == "" {
		return 0, central.Errorf(central.EINVALID, "Payment notice without source or order.")
	}
	msg := central.PaymentNoticeMessage(n)
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var id int64
	var done time.Time
	err = tx.QueryRowContext(ctx, `SELECT id, done FROM outbox WHERE key = ?`+tx.db.dialect.ForUpdate(), msg.Key).Scan(&id, timeCol{&done})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// Counting stops at the bound: a cheap query even when full.
		var waiting int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE topic = ? AND done = ''
			LIMIT ?) AS n`, msg.Topic, maxWaiting).Scan(&waiting); err != nil {
			return 0, fmt.Errorf("outbox: %w", err)
		}
		if waiting >= maxWaiting {
			return central.NoticeFull, nil
		}
		if _, err := insertOutbox(ctx, tx, msg); err != nil {
			return 0, err
		}
	case err != nil:
		return 0, fmt.Errorf("outbox: %w", err)
	case done.IsZero():
		return central.NoticeDuplicate, nil
	default:
		next := done.Add(every)
		if next.Before(tx.now) {
			next = tx.now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET payload = ?, done = '', outcome = '', attempts = 0,
			last_error = '', send_started = '', next_try = ? WHERE id = ?`, msg.Payload, formatTime(next), id); err != nil {
			return 0, fmt.Errorf("outbox: %w", err)
		}
	}
	return central.NoticeQueued, tx.Commit()
}
