package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// DueOutboxKey implements central.Outbox. It makes the message with msg's key due now, storing msg
// first when there is none: the admin's "make the invoice now". A message
// already done is left alone, and so is one whose next try falls within
// lease from now, which a worker may be handling (ClaimOutbox postpones
// what it claims by its lease): making it due would let a second worker
// handle it at the same time. It reports whether the message is due now.
func (s *OutboxService) DueOutboxKey(ctx context.Context, msg central.OutboxMessage, lease time.Duration) (bool, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var id int64
	var done string
	var next time.Time
	err = tx.QueryRowContext(ctx, `SELECT id, done, next_try FROM outbox WHERE key = ?`+tx.db.dialect.ForUpdate(), msg.Key).Scan(&id, &done, timeCol{&next})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := insertOutbox(ctx, tx, msg); err != nil {
			return false, err
		}
		return true, tx.Commit()
	case err != nil:
		return false, fmt.Errorf("outbox: %w", err)
	case done != "":
		return false, nil
	case !next.After(tx.now):
		return true, nil
	case !next.After(tx.now.Add(lease)):
		return false, nil // maybe in a worker's hands
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_try = ? WHERE id = ?`, formatTime(tx.now), id); err != nil {
		return false, fmt.Errorf("outbox: %w", err)
	}
	return true, tx.Commit()
}
