package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

const outboxColumns = `id, topic, key, payload, created, attempts, next_try, last_error, done, send_started, outcome`

func scanOutbox(sc scanner) (*central.OutboxItem, error) {
	var it central.OutboxItem
	err := sc.Scan(&it.ID, &it.Topic, &it.Key, &it.Payload, timeCol{&it.Created}, &it.Attempts, timeCol{&it.NextTry},
		&it.Error, timeCol{&it.Done}, timeCol{&it.SendStarted}, &it.Outcome)
	if err != nil {
		return nil, fmt.Errorf("scan outbox: %w", err)
	}
	return &it, nil
}

// ClaimOutboxNext implements central.Outbox.
//
// Idle workers poll often: a read transaction looks first, and the write
// lock is taken only when the head is due.
func (s *OutboxService) ClaimOutboxNext(ctx context.Context, topic string, lease time.Duration) (*central.OutboxItem, error) {
	rtx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	it, err := outboxHead(ctx, rtx, topic)
	rtx.Rollback()
	if it == nil || err != nil {
		return nil, err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if it, err = outboxHead(ctx, tx, topic); it == nil || err != nil {
		return nil, err
	}
	started := it.SendStarted
	if started.IsZero() {
		started = tx.now
	}
	it.NextTry = tx.now.Add(lease)
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_try = ?, send_started = ? WHERE id = ?`,
		formatTime(it.NextTry), formatTime(started), it.ID); err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	return it, tx.Commit()
}

// outboxHead returns the oldest unfinished message of a topic if it is due
// (nil when none is, or when the head waits for its retry and holds the
// queue).
func outboxHead(ctx context.Context, tx *Tx, topic string) (*central.OutboxItem, error) {
	it, err := scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE topic = ? AND done = '' ORDER BY id LIMIT 1`, topic))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	if it.NextTry.After(tx.now) {
		return nil, nil
	}
	return it, nil
}

// RetryOutbox implements central.Outbox.
func (s *OutboxService) RetryOutbox(ctx context.Context, id int64, reason string, retryAt time.Time, maybeSent bool) error {
	q := `UPDATE outbox SET attempts = attempts + 1, last_error = ?3, next_try = ?4, send_started = '' WHERE id = ?2 AND done = ''`
	if maybeSent {
		q = `UPDATE outbox SET attempts = attempts + 1, last_error = ?3, next_try = ?4 WHERE id = ?2 AND done = ''`
	}
	return s.update(ctx, id, q, []any{clip(maxNote, reason), formatTime(retryAt)})
}

// FinishOutbox implements central.Outbox.
func (s *OutboxService) FinishOutbox(ctx context.Context, id int64, outcome, note string) error {
	switch outcome {
	case central.OutcomeSent, central.OutcomeSkipped, central.OutcomeFailed:
	default:
		return central.Errorf(central.EINVALID, "Unknown outbox outcome %q.", outcome)
	}
	return s.update(ctx, id, `UPDATE outbox SET done = ?1, attempts = attempts + 1, send_started = '', outcome = ?3, last_error = ?4
		WHERE id = ?2`, []any{outcome, clip(maxNote, note)})
}

// RequeueOutbox implements central.Outbox.
func (s *OutboxService) RequeueOutbox(ctx context.Context, id int64) error {
	return s.update(ctx, id, `UPDATE outbox SET done = '', outcome = '', attempts = 0, last_error = '', send_started = '',
		next_try = ?1 WHERE id = ?2`, nil)
}

// FindOutbox implements central.Outbox.
func (s *OutboxService) FindOutbox(ctx context.Context, f central.OutboxFilter) ([]*central.OutboxItem, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var w conds
	if f.TopicPrefix != "" {
		w.add(`substr(topic, 1, ?) = ?`, len(f.TopicPrefix), f.TopicPrefix)
	}
	switch f.State {
	case "":
	case "pending":
		w.add(`done = ''`)
	case central.OutcomeSent, central.OutcomeSkipped, central.OutcomeFailed:
		w.add(`done <> '' AND outcome = ?`, f.State)
	default:
		return nil, 0, central.Errorf(central.EINVALID, "Unknown outbox state %q.", f.State)
	}
	return find(ctx, tx, listQuery{what: "outbox", columns: outboxColumns, table: "outbox",
		where: w, order: "id DESC", offset: f.Offset, limit: f.Limit}, scanOutbox)
}

// ReleaseOutbox implements central.Outbox.
func (s *OutboxService) ReleaseOutbox(ctx context.Context, prefix string) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := formatTime(tx.now)
	r, err := tx.ExecContext(ctx, `UPDATE outbox SET next_try = ? WHERE done = '' AND send_started <> '' AND next_try > ?
		AND substr(topic, 1, ?) = ?`, now, now, len(prefix), prefix)
	if err != nil {
		return 0, fmt.Errorf("release outbox: %w", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("release outbox: %w", err)
	}
	return int(n), tx.Commit()
}

// PurgeOutbox implements central.Outbox.
func (s *OutboxService) PurgeOutbox(ctx context.Context, prefix string, before time.Time) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE done <> '' AND done < ? AND substr(topic, 1, ?) = ?`,
		formatTime(before), len(prefix), prefix)
	if err != nil {
		return 0, fmt.Errorf("purge outbox: %w", err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("purge outbox: %w", err)
	}
	return int(n), tx.Commit()
}
