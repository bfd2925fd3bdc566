package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/badge"
)

var _ central.GuestService = (*GuestService)(nil)

// GuestService implements central.GuestService.
type GuestService struct{ db *DB }

// NewGuestService returns the guest pass service of db.
func NewGuestService(db *DB) *GuestService { return &GuestService{db: db} }

// IssueGuestPass implements central.GuestService (central.IssueGuestPass
// in one transaction).
func (s *GuestService) IssueGuestPass(ctx context.Context, g *central.GuestPass, quota int) error {
	return s.db.update(ctx, func(tx *Tx) error { return central.IssueGuestPass(ctx, ledgerTx{tx}, g, quota) })
}

// GuestsInvitedSince implements central.GuestTx.
func (l ledgerTx) GuestsInvitedSince(ctx context.Context, host int64, since time.Time) (int, error) {
	var n int
	if err := l.tx.QueryRowContext(ctx, `SELECT count(*) FROM guest_passes WHERE host_id = ? AND by_member = 1 AND created >= ?`,
		host, formatTime(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("guest quota: %w", err)
	}
	return n, nil
}

// InsertGuestPass implements central.GuestTx.
func (l ledgerTx) InsertGuestPass(ctx context.Context, g *central.GuestPass) error {
	// A placeholder hash, unique, until the id is known.
	placeholder, err := badge.New()
	if err != nil {
		return err
	}
	if err := l.tx.QueryRowContext(ctx, `INSERT INTO guest_passes (host_id, name, day, space, hash, by_member, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, g.Host, g.Name, g.Day.String(), g.Space, placeholder.Hash().String(),
		g.ByMember, formatTime(g.Created)).Scan(&g.ID); err != nil {
		return fmt.Errorf("insert guest pass: %w", err)
	}
	if _, err := l.tx.ExecContext(ctx, `UPDATE guest_passes SET hash = ? WHERE id = ?`,
		badge.GuestHash(uint32(g.ID)).String(), g.ID); err != nil {
		return fmt.Errorf("guest pass hash: %w", err)
	}
	return nil
}

// FindGuestPasses implements central.GuestService.
func (s *GuestService) FindGuestPasses(ctx context.Context, f central.GuestFilter) ([]*central.GuestPass, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var w conds
	if f.Host != nil {
		w.add("host_id = ?", *f.Host)
	}
	if !f.Day.IsZero() {
		w.add("day = ?", f.Day.String())
	}
	return find(ctx, tx, listQuery{
		what: "guest passes", columns: "id, host_id, name, day, space, by_member, created", table: "guest_passes",
		where: w, order: "day DESC, id DESC", offset: f.Offset, limit: f.Limit,
	}, func(sc scanner) (*central.GuestPass, error) {
		var g central.GuestPass
		if err := sc.Scan(&g.ID, &g.Host, &g.Name, dayCol{&g.Day}, &g.Space, &g.ByMember, timeCol{&g.Created}); err != nil {
			return nil, fmt.Errorf("scan guest pass: %w", err)
		}
		return &g, nil
	})
}
