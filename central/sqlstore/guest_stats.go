package sqlstore

import (
	"context"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// What the bureau sees of guests (issue 12): the guests who came, counted
// from their guest visits (kept after their entries are purged), per
// month for the statistics and per host for a member's page.

// MonthGuests counts the guests who came in each month (their pass's
// visit), over the days from since to until (both included), oldest
// first; months without guests are left out.
func (s *AdminService) MonthGuests(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.MonthCount, error) {
	q, args := atPlace(`SELECT substr(day, 1, 7) AS month, COUNT(*) FROM guest_visits
		WHERE day >= ?1 AND day <= ?2 GROUP BY month ORDER BY month`, "space", at, since.String(), until.String())
	rows, err := s.db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("month guests: %w", err)
	}
	return collect(rows, func(sc scanner) (adminstore.MonthCount, error) {
		var c adminstore.MonthCount
		if err := sc.Scan(&c.Month, &c.Count); err != nil {
			return c, fmt.Errorf("scan month guests: %w", err)
		}
		return c, nil
	})
}

// HostGuests returns the latest limit guest passes of a host, newest day
// first, each with whether its guest came and took one of her entries.
func (s *AdminService) HostGuests(ctx context.Context, host int64, limit int) ([]*adminstore.HostGuest, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT g.id, g.host_id, g.name, g.day, g.space, g.by_member, g.created,
		v.pass_id IS NOT NULL, COALESCE(v.takes_entry, 0) = 1 FROM guest_passes g LEFT JOIN guest_visits v ON v.pass_id = g.id
		WHERE g.host_id = ? ORDER BY g.day DESC, g.id DESC LIMIT ?`, host, limit)
	if err != nil {
		return nil, fmt.Errorf("host guests: %w", err)
	}
	return collect(rows, func(sc scanner) (*adminstore.HostGuest, error) {
		g := &adminstore.HostGuest{GuestPass: &central.GuestPass{}}
		if err := sc.Scan(&g.ID, &g.Host, &g.Name, dayCol{&g.Day}, &g.Space, &g.ByMember, timeCol{&g.Created}, &g.Came, &g.TookEntry); err != nil {
			return nil, fmt.Errorf("scan host guest: %w", err)
		}
		return g, nil
	})
}

// DayGuests returns the guest passes of a day (at every space), by id, at
// most limit, each with whether its guest came (her pass has a guest
// visit: an accepted entry that day) and took one of her host's entries.
func (s *AdminService) DayGuests(ctx context.Context, day access.Day, limit int) ([]*adminstore.HostGuest, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT g.id, g.host_id, g.name, g.day, g.space, g.by_member, g.created,
		v.pass_id IS NOT NULL, COALESCE(v.takes_entry, 0) = 1 FROM guest_passes g LEFT JOIN guest_visits v ON v.pass_id = g.id
		WHERE g.day = ? ORDER BY g.id LIMIT ?`, day.String(), limit)
	if err != nil {
		return nil, fmt.Errorf("day guests: %w", err)
	}
	return collect(rows, func(sc scanner) (*adminstore.HostGuest, error) {
		g := &adminstore.HostGuest{GuestPass: &central.GuestPass{}}
		if err := sc.Scan(&g.ID, &g.Host, &g.Name, dayCol{&g.Day}, &g.Space, &g.ByMember, timeCol{&g.Created}, &g.Came, &g.TookEntry); err != nil {
			return nil, fmt.Errorf("scan day guest: %w", err)
		}
		return g, nil
	})
}
