package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// Mail tokens by their subject (issue 15): a member's calendar feed links,
// revoked together from her page.

// CountMailTokens returns how many unused, unexpired tokens of a purpose
// a subject has.
func (s *AdminService) CountMailTokens(ctx context.Context, purpose string, subject int64, now time.Time) (int, error) {
	var n int
	if err := s.db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_tokens WHERE purpose = ? AND subject = ?
		AND used = '' AND expires > ?`, purpose, subject, formatTime(now)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count mail tokens: %w", err)
	}
	return n, nil
}

// RevokeMailTokens marks used every unused token of a purpose a subject
// has, and returns how many.
func (s *AdminService) RevokeMailTokens(ctx context.Context, purpose string, subject int64, now time.Time) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := revokeMailTokens(ctx, tx, purpose, subject, now)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// revokeMailTokens marks used at now every unused token of a purpose a
// subject has, and returns how many.
func revokeMailTokens(ctx context.Context, tx *Tx, purpose string, subject int64, now time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE mail_tokens SET used = ? WHERE purpose = ? AND subject = ? AND used = ''`,
		formatTime(now), purpose, subject)
	if err != nil {
		return 0, fmt.Errorf("revoke mail tokens: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
