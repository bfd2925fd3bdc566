package postgres

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

// ClaimOutboxNext implements central.Outbox. The head of the topic is
// locked (FOR UPDATE, waiting for a claim of it in progress, whose lease
// it then sees) rather than skipped: skipping it would hand out the
// message after it, out of order.
func (s *OutboxService) ClaimOutboxNext(ctx context.Context, topic string, lease time.Duration) (*central.OutboxItem, error) {
	tx, err := s.db.beginUnlocked(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	it, err := scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM outbox
		WHERE topic = ? AND done = '' ORDER BY id LIMIT 1 FOR UPDATE`, topic))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	if it.NextTry.After(tx.now) {
		return nil, nil // waiting for its retry, or leased: it holds the queue
	}
	started := it.SendStarted
	if started.IsZero() {
		started = tx.now
	}
	it.NextTry = tx.now.Add(lease)
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_try = ?, send_started = ?, claimed_by = ? WHERE id = ?`,
		formatTime(it.NextTry), formatTime(started), s.db.owner, it.ID); err != nil {
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	return it, tx.Commit()
}

// RetryOutbox implements central.Outbox.
func (s *OutboxService) RetryOutbox(ctx context.Context, id int64, reason string, retryAt time.Time, maybeSent bool) error {
	// ?1 (the transaction's time) is unused here; PostgreSQL needs every
	// parameter's type, hence the cast.
	q := `UPDATE outbox SET attempts = attempts + 1, last_error = ?3, next_try = ?4, send_started = '' WHERE id = ?2 AND done = '' AND ?1::text IS NOT NULL`
	if maybeSent {
		q = `UPDATE outbox SET attempts = attempts + 1, last_error = ?3, next_try = ?4 WHERE id = ?2 AND done = '' AND ?1::text IS NOT NULL`
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

// ReleaseOutbox implements central.Outbox, for several centrald on one
// database: it releases only the claims of processes that are gone. Each
// claim records its process (claimed_by: DB.owner, a session advisory
// lock that process holds on a connection of its own while it lives); a
// claim whose owner's lock can be taken was made by a dead process, one
// whose lock is held belongs to a living centrald, still sending it, and
// waits for its lease. Claims without an owner (copied from SQLite) are
// released, and so are this process's own: the worker that calls it is
// starting, so what it claimed before is not being sent.
func (s *OutboxService) ReleaseOutbox(ctx context.Context, prefix string) (int, error) {
	tx, err := s.db.beginUnlocked(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := formatTime(tx.now)
	r, err := tx.ExecContext(ctx, `UPDATE outbox SET next_try = ?1, claimed_by = 0 WHERE done = '' AND send_started <> ''
		AND next_try > ?1 AND substr(topic, 1, ?2) = ?3 AND (claimed_by IN (0, ?4) OR pg_try_advisory_xact_lock(claimed_by))`,
		now, len(prefix), prefix, s.db.owner)
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
	tx, err := s.db.beginUnlocked(ctx)
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
