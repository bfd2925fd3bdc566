package sqlstore

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
// Idle workers poll often: a read transaction looks first, and the claim
// transaction starts only when the head is due. That transaction locks the
// head (Dialect.ForUpdate, waiting for a claim of it in progress, whose
// lease it then sees) rather than skipping it: skipping it would hand out
// the message after it, out of order.
func (s *OutboxService) ClaimOutboxNext(ctx context.Context, topic string, lease time.Duration) (*central.OutboxItem, error) {
	rtx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	it, err := outboxHead(ctx, rtx, topic, "")
	rtx.Rollback()
	if it == nil || err != nil {
		return nil, err
	}
	tx, err := s.db.beginClaim(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if it, err = outboxHead(ctx, tx, topic, s.db.dialect.ForUpdate()); it == nil || err != nil {
		return nil, err
	}
	started := it.SendStarted
	if started.IsZero() {
		started = tx.now
	}
	it.NextTry = tx.now.Add(lease)
	if err := s.lease(ctx, tx, it.ID, it.NextTry, started); err != nil {
		return nil, err
	}
	return it, tx.Commit()
}

// outboxHead returns the oldest unfinished message of a topic if it is due
// (nil when none is, or when the head waits for its retry, or is leased,
// and holds the queue). lock ends the query (Dialect.ForUpdate).
func outboxHead(ctx context.Context, tx *Tx, topic, lock string) (*central.OutboxItem, error) {
	it, err := scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE topic = ? AND done = '' ORDER BY id LIMIT 1`+lock, topic))
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
	q := `UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_try = ?3, send_started = '' WHERE id = ?1 AND done = ''`
	if maybeSent {
		q = `UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_try = ?3 WHERE id = ?1 AND done = ''`
	}
	return s.update(ctx, id, q, func(string) []any { return []any{clip(maxNote, reason), formatTime(retryAt)} })
}

// FinishOutbox implements central.Outbox.
func (s *OutboxService) FinishOutbox(ctx context.Context, id int64, outcome, note string) error {
	switch outcome {
	case central.OutcomeSent, central.OutcomeSkipped, central.OutcomeFailed:
	default:
		return central.Errorf(central.EINVALID, "Unknown outbox outcome %q.", outcome)
	}
	return s.update(ctx, id, `UPDATE outbox SET done = ?2, attempts = attempts + 1, send_started = '', outcome = ?3, last_error = ?4
		WHERE id = ?1`, func(now string) []any { return []any{now, outcome, clip(maxNote, note)} })
}

// RequeueOutbox implements central.Outbox.
func (s *OutboxService) RequeueOutbox(ctx context.Context, id int64) error {
	return s.update(ctx, id, `UPDATE outbox SET done = '', outcome = '', attempts = 0, last_error = '', send_started = '',
		next_try = ?2 WHERE id = ?1`, func(now string) []any { return []any{now} })
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

// ReleaseOutbox implements central.Outbox. With several centrald on one
// database (PostgreSQL), it releases only the claims of processes that are
// gone: each claim records its process (claimed_by, Dialect.Owner), and
// Dialect.ClaimGone tells a dead process's claim from a living one's,
// still being sent, which waits for its lease. Claims without an owner (copied from SQLite)
// are released, and so are this process's own: the worker that calls it
// is starting, so what it claimed before is not being sent. SQLite has one
// process: every claim is released.
func (s *OutboxService) ReleaseOutbox(ctx context.Context, prefix string) (int, error) {
	tx, err := s.db.beginClaim(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	q := `UPDATE outbox SET next_try = ?1 WHERE done = '' AND send_started <> '' AND next_try > ?1
		AND substr(topic, 1, ?2) = ?3`
	args := []any{formatTime(tx.now), len(prefix), prefix}
	if owner, ok := s.db.dialect.Owner(); ok {
		q = `UPDATE outbox SET next_try = ?1, claimed_by = 0 WHERE done = '' AND send_started <> '' AND next_try > ?1
		AND substr(topic, 1, ?2) = ?3 AND (claimed_by IN (0, ?4) OR ` + s.db.dialect.ClaimGone() + `)`
		args = append(args, owner)
	}
	r, err := tx.ExecContext(ctx, q, args...)
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
	tx, err := s.db.beginClaim(ctx)
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
