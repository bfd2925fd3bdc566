package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.Outbox = (*OutboxService)(nil)

// OutboxService implements central.Outbox. Its claims lock the rows they
// take (FOR UPDATE SKIP LOCKED) and write the lease, and the claiming
// process (claimed_by), before committing: concurrent claims of several
// centrald take different messages, and one claimed is invisible to the
// others until its lease ends. Claims and outcomes do not wait for the
// write lock of the ledger's transactions (see the package doc).
type OutboxService struct{ db *DB }

// NewOutboxService returns the outbox service of db.
func NewOutboxService(db *DB) *OutboxService { return &OutboxService{db: db} }

// insertOutbox stores a message in tx unless its key is already stored.
func insertOutbox(ctx context.Context, tx *Tx, msg central.OutboxMessage) (bool, error) {
	if msg.Topic == "" || msg.Key == "" {
		return false, fmt.Errorf("outbox: message without topic or key")
	}
	payload := msg.Payload
	if payload == "" {
		payload = "{}"
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO outbox (topic, key, payload, created, next_try) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (key) DO NOTHING`, msg.Topic, msg.Key, payload, formatTime(tx.now), formatTime(tx.now))
	if err != nil {
		return false, fmt.Errorf("outbox: %w", err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// react inserts in tx the outbox messages the events cause (DB.Reactions).
func (tx *Tx) react(ctx context.Context, events ...central.Event) error {
	if len(tx.db.Reactions) == 0 || len(events) == 0 {
		return nil
	}
	set, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	for _, ev := range events {
		for _, react := range tx.db.Reactions {
			for _, msg := range react(ev, set) {
				if _, err := insertOutbox(ctx, tx, msg); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// EnqueueOutbox implements central.Outbox. Two processes enqueueing the
// same key at once store it once (ON CONFLICT DO NOTHING waits for the
// other's insert and drops its own).
func (s *OutboxService) EnqueueOutbox(ctx context.Context, msg central.OutboxMessage) (bool, error) {
	tx, err := s.db.beginUnlocked(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	ok, err := insertOutbox(ctx, tx, msg)
	if err != nil {
		return false, err
	}
	return ok, tx.Commit()
}

// ClaimOutbox implements central.Outbox: the due messages not locked by
// another claim in progress (SKIP LOCKED), leased before commit.
func (s *OutboxService) ClaimOutbox(ctx context.Context, topic string, limit int, lease time.Duration) ([]*central.OutboxItem, error) {
	if limit <= 0 {
		limit = 1
	}
	tx, err := s.db.beginUnlocked(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE topic = ? AND done = '' AND next_try <= ? ORDER BY next_try, id LIMIT ? FOR UPDATE SKIP LOCKED`,
		topic, formatTime(tx.now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	items, err := collect(rows, scanOutbox) // read, and closed, before the updates
	if err != nil || len(items) == 0 {
		return nil, err
	}
	for _, it := range items {
		it.NextTry = tx.now.Add(lease)
		started := it.SendStarted // returned as it was, as central/sqlite's
		if started.IsZero() {
			started = tx.now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_try = ?, send_started = ?, claimed_by = ? WHERE id = ?`,
			formatTime(it.NextTry), formatTime(started), s.db.owner, it.ID); err != nil {
			return nil, fmt.Errorf("claim outbox: %w", err)
		}
	}
	return items, tx.Commit()
}

func (s *OutboxService) update(ctx context.Context, id int64, q string, extra []any) error {
	tx, err := s.db.beginUnlocked(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	args := append([]any{formatTime(tx.now), id}, extra...)
	if extra == nil {
		args = args[:2]
	}
	r, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return central.Errorf(central.ENOTFOUND, "Outbox message %d not found.", id)
	}
	return tx.Commit()
}
