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

// QueuePaymentNotice implements central.PaymentNoticeQueue:
// central.QueuePaymentNotice decides, in one write transaction, over the
// outbox's reads and writes of noticeTx.
func (s *OutboxService) QueuePaymentNotice(ctx context.Context, n central.PaymentNotice, every time.Duration,
	maxWaiting int) (central.NoticeResult, error) {
	return updated(ctx, s.db, func(tx *Tx) (central.NoticeResult, error) {
		return central.QueuePaymentNotice(ctx, noticeTx{tx}, n, every, maxWaiting)
	})
}

// noticeTx is central.NoticeTx.
type noticeTx struct{ tx *Tx }

var _ central.NoticeTx = noticeTx{}

func (t noticeTx) Now() time.Time { return t.tx.now }

// OutboxMessage implements central.NoticeTx.
func (t noticeTx) OutboxMessage(ctx context.Context, key string) (int64, time.Time, bool, error) {
	var id int64
	var done time.Time
	err := t.tx.QueryRowContext(ctx, `SELECT id, done FROM outbox WHERE key = ?`+t.tx.db.dialect.ForUpdate(), key).Scan(&id, timeCol{&done})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, false, nil
	} else if err != nil {
		return 0, time.Time{}, false, fmt.Errorf("outbox: %w", err)
	}
	return id, done, true, nil
}

// CountWaiting implements central.NoticeTx.
func (t noticeTx) CountWaiting(ctx context.Context, topic string, limit int) (int, error) {
	var waiting int
	if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE topic = ? AND done = ''
		LIMIT ?) AS n`, topic, limit).Scan(&waiting); err != nil {
		return 0, fmt.Errorf("outbox: %w", err)
	}
	return waiting, nil
}

// InsertOutbox implements central.NoticeTx.
func (t noticeTx) InsertOutbox(ctx context.Context, msg central.OutboxMessage) error {
	_, err := insertOutbox(ctx, t.tx, msg)
	return err
}

// Requeue implements central.NoticeTx.
func (t noticeTx) Requeue(ctx context.Context, id int64, payload string, next time.Time) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE outbox SET payload = ?, done = '', outcome = '', attempts = 0,
		last_error = '', send_started = '', next_try = ? WHERE id = ?`, payload, formatTime(next), id); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}
