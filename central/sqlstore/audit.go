package sqlstore

import (
	"context"
	"fmt"
	"strings"

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
	var w conds
	if f.Actor != "" {
		w.add("actor = ?", f.Actor)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.Object != "" {
		w.add("object = ?", f.Object)
	}
	return find(ctx, tx, listQuery{
		what: "audit", columns: "id, time, actor, action, object, details", table: "audit",
		where: w, order: "id DESC", offset: f.Offset, limit: f.Limit,
	}, func(sc scanner) (*central.AuditEvent, error) {
		var e central.AuditEvent
		if err := sc.Scan(&e.ID, timeCol{&e.Time}, &e.Actor, &e.Action, &e.Object, &e.Details); err != nil {
			return nil, fmt.Errorf("scan audit: %w", err)
		}
		return &e, nil
	})
}

// MailGivenUp records in the audit log that a mail to a member was given
// up (central/email's Journal): the bureau reads it in the admin's
// journal. note is the mail server's answer, its addresses masked
// (personal data stays out of the audit log).
func (s *AuditService) MailGivenUp(ctx context.Context, member int64, kind, note string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		return tx.audit(ctx, "email.given_up", memberObject(member), map[string]any{"kind": kind, "error": maskAddresses(note)})
	})
}

// maskAddresses replaces each word holding an @ ("<alice@example.org>:")
// by "…@…".
func maskAddresses(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if strings.Contains(w, "@") {
			words[i] = "…@…"
		}
	}
	return strings.Join(words, " ")
}
