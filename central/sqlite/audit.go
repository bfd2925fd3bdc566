package sqlite

import (
	"context"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.AuditService = (*AuditService)(nil)

// AuditService implements central.AuditService. Rows are written by the
// other services, in the transactions of their changes.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service of db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

// FindAuditEvents implements central.AuditService.
func (s *AuditService) FindAuditEvents(ctx context.Context, f central.AuditFilter) ([]*central.AuditEvent, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var conds []string
	var args []any
	if f.Actor != "" {
		conds, args = append(conds, "actor = ?"), append(args, f.Actor)
	}
	if f.Action != "" {
		conds, args = append(conds, "action = ?"), append(args, f.Action)
	}
	if f.Object != "" {
		conds, args = append(conds, "object = ?"), append(args, f.Object)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit WHERE `+where(conds), args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	rows, err := tx.QueryContext(ctx, page(`SELECT id, time, actor, action, object, details FROM audit WHERE `+where(conds)+
		` ORDER BY id DESC`, f.Offset, f.Limit), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	defer rows.Close()
	var es []*central.AuditEvent
	for rows.Next() {
		var e central.AuditEvent
		if err := rows.Scan(&e.ID, timeCol{&e.Time}, &e.Actor, &e.Action, &e.Object, &e.Details); err != nil {
			return nil, 0, fmt.Errorf("scan audit: %w", err)
		}
		es = append(es, &e)
	}
	return es, n, rows.Err()
}
