package sqlstore

import (
	"context"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

var _ central.GuestService = (*GuestService)(nil)

// GuestService implements central.GuestService.
type GuestService struct{ db *DB }

// NewGuestService returns the guest pass service of db.
func NewGuestService(db *DB) *GuestService { return &GuestService{db: db} }

// IssueGuestPass implements central.GuestService.
func (s *GuestService) IssueGuestPass(ctx context.Context, g *central.GuestPass, quota int) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	settings, err := tx.settings(ctx)
	if err != nil {
		return err
	}
	loc := settings.Location()
	today := access.DayOf(tx.now, loc)
	if err := central.CheckGuestPass(g, today); err != nil {
		return err
	}
	if ok, err := memberExists(ctx, tx, g.Host); err != nil {
		return err
	} else if !ok {
		return central.Errorf(central.ENOTFOUND, "Member %d not found.", g.Host)
	}
	if g.ByMember {
		if quota <= 0 {
			return central.Errorf(central.EINVALID, "Members cannot invite guests here: only the bureau can.")
		}
		monthStart := access.Day{Year: today.Year, Month: today.Month, Day: 1}.Start(loc)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM guest_passes WHERE host_id = ? AND by_member = 1 AND created >= ?`,
			g.Host, formatTime(monthStart)).Scan(&n); err != nil {
			return fmt.Errorf("guest quota: %w", err)
		}
		if n >= quota {
			return central.Errorf(central.ECONFLICT, "You have invited %d guests this month already, the most allowed.", n)
		}
	}
	g.Created = tx.now
	// A placeholder hash, unique, until the id is known.
	placeholder, err := badge.New()
	if err != nil {
		return err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO guest_passes (host_id, name, day, space, hash, by_member, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, g.Host, g.Name, g.Day.String(), g.Space, placeholder.Hash().String(),
		g.ByMember, formatTime(tx.now)).Scan(&g.ID); err != nil {
		return fmt.Errorf("insert guest pass: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE guest_passes SET hash = ? WHERE id = ?`,
		badge.GuestHash(uint32(g.ID)).String(), g.ID); err != nil {
		return fmt.Errorf("guest pass hash: %w", err)
	}
	if err := tx.audit(ctx, "guest.issue", memberObject(g.Host), map[string]any{"guest": g.ID, "day": g.Day.String(), "by_member": g.ByMember}); err != nil {
		return err
	}
	return tx.Commit()
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
