package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.Outbox = (*OutboxService)(nil)

// OutboxService implements central.Outbox. Its claims lock the rows they
// take (Dialect.SkipLocked: FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's
// claim transaction holds its one writer's lock) and write the lease, and
// the claiming process where the engine records it (claimed_by), before
// committing: concurrent claims, of one process or several, take
// different messages, and one claimed is invisible to the others until its
// lease ends.
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
	return tx.reactAt(ctx, 0, events...)
}

// reactAt is react for events of a space (0: the network's): reactions
// see the space's settings (central.Space.Apply), so that a sale of a
// space with its own Pennylane company asks for its invoice even when the
// network has none.
func (tx *Tx) reactAt(ctx context.Context, space int64, events ...central.Event) error {
	if len(tx.db.Reactions) == 0 || len(events) == 0 {
		return nil
	}
	set, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	if space != 0 {
		all, err := findSpaces(ctx, tx)
		if err != nil {
			return err
		}
		set = central.SpaceByID(all, space).Apply(set)
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
// same key at once store it once (ON CONFLICT DO NOTHING).
func (s *OutboxService) EnqueueOutbox(ctx context.Context, msg central.OutboxMessage) (bool, error) {
	tx, err := s.db.beginClaim(ctx)
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

// ClaimOutbox implements central.Outbox.
func (s *OutboxService) ClaimOutbox(ctx context.Context, topic string, limit int, lease time.Duration) ([]*central.OutboxItem, error) {
	if limit <= 0 {
		limit = 1
	}
	// Idle topics are polled often (and woken whenever another topic
	// handled something): a read transaction looks first, and the write
	// lock is taken only when a message is due.
	rtx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	var due int
	err = rtx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM outbox WHERE topic = ? AND done = '' AND next_try <= ? LIMIT 1) AS due`,
		topic, formatTime(rtx.now)).Scan(&due)
	rtx.Rollback()
	if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	} else if due == 0 {
		return nil, nil
	}
	tx, err := s.db.beginClaim(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE topic = ? AND done = '' AND next_try <= ? ORDER BY next_try, id LIMIT ?`+s.db.dialect.SkipLocked(),
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
		started := it.SendStarted // returned as it was
		if started.IsZero() {
			started = tx.now
		}
		if err := s.lease(ctx, tx, it.ID, it.NextTry, started); err != nil {
			return nil, err
		}
	}
	return items, tx.Commit()
}

// lease writes a claim: the message is invisible to other claims until
// next, and records the claiming process where the engine does
// (Dialect.Owner).
func (s *OutboxService) lease(ctx context.Context, tx *Tx, id int64, next, started time.Time) error {
	q, args := `UPDATE outbox SET next_try = ?, send_started = ?`, []any{formatTime(next), formatTime(started)}
	if owner, ok := s.db.dialect.Owner(); ok {
		q, args = q+`, claimed_by = ?`, append(args, owner)
	}
	if _, err := tx.ExecContext(ctx, q+` WHERE id = ?`, append(args, id)...); err != nil {
		return fmt.Errorf("claim outbox: %w", err)
	}
	return nil
}

// update runs q on message id (?1) in a claim transaction; more returns
// q's other parameters (?2...) from the transaction's time (every
// parameter is used: PostgreSQL must know each one's type).
func (s *OutboxService) update(ctx context.Context, id int64, q string, more func(now string) []any) error {
	tx, err := s.db.beginClaim(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, q, append([]any{id}, more(formatTime(tx.now))...)...)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return central.Errorf(central.ENOTFOUND, "Outbox message %d not found.", id)
	}
	return tx.Commit()
}
