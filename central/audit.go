package central

import (
	"context"
	"time"
)

// AuditEvent records one change: who did what to which object. Every
// service change writes one in the same transaction as the change.
type AuditEvent struct {
	ID     int64
	Time   time.Time
	Actor  string // "cli", "system", "kiosk:3", an admin login
	Action string // "member.create", "sale.refund", "badge.issue"...
	Object string // "member:12", "sale:7", "kiosk:3", "setting:space.name"
	// Details is a JSON object with the change; never a secret (tokens,
	// badge secrets and secret settings are left out or masked).
	Details string
}

// AuditFilter selects audit events. Zero fields select everything.
type AuditFilter struct {
	Actor  string
	Action string
	Object string
	Offset int
	Limit  int
}

// AuditService reads the audit log.
type AuditService interface {
	// FindAuditEvents returns the matching events, newest first, and how
	// many match without Offset and Limit.
	FindAuditEvents(ctx context.Context, filter AuditFilter) ([]*AuditEvent, int, error)
}
