package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The statistics page's queries (central/admin/stats.go). Each is bounded
// by dates and reads an index: visits by day (visits_day), sales by
// creation time (sales_created), entries by time (entries_time). Counting
// is done by the database; only a few hundred groups come back. On SQLite
// the counts read covering indexes (migration 0040_stats.sql): index
// entries only, never the rows (central/sqlite's
// TestStatsQueriesUseIndexes); PostgreSQL chooses its plans itself.
const (
	visitDaysQuery = `SELECT day, COUNT(*) FROM visits WHERE day >= ?1 AND day <= ?2 GROUP BY day ORDER BY day`
	// visits_day_member, not a scan of every visit through the
	// (member_id, space, day) key, which also holds both columns.
	monthMembersQuery = `SELECT substr(day, 1, 7) AS month, COUNT(DISTINCT member_id) FROM visits%s
		WHERE day >= ?1 AND day <= ?2 GROUP BY month ORDER BY month`
	monthSalesQuery = `SELECT created, kind, amount FROM sales WHERE created >= ?1 AND created < ?2 AND refunded = ''%s ORDER BY created`
	// entriesOwedQuery reads the cards (packs) still usable on ?2.
	entriesOwedQuery = `SELECT COALESCE(SUM(entries_left), 0), COUNT(*) FROM sales
		WHERE kind = ?1 AND refunded = '' AND entries_left > 0 AND member_id IS NOT NULL AND (end_day = '' OR end_day >= ?2)%s`
	// accept = 1 matches the partial index entries_accepted_time.
	entryHoursQuery = `SELECT substr(time, 1, 13) AS hour, COUNT(*) FROM entries
		WHERE time >= ?1 AND time < ?2 AND accept = 1 GROUP BY hour ORDER BY hour`
)

// atPlace narrows a counting query of ?1 and ?2 to a place: column (the
// space key of visits or guest visits) among the place's keys, before its
// GROUP BY. The network's query is the query itself (the one the plan
// tests check); a space's reads the same index by day, then the rows.
func atPlace(q, column string, at adminstore.Place, args ...any) (string, []any) {
	if at.Network() {
		return q, args
	}
	marks := make([]string, len(at.Keys))
	for i, k := range at.Keys {
		marks[i] = "?"
		args = append(args, k)
	}
	return strings.Replace(q, " GROUP BY", " AND "+column+" IN ("+strings.Join(marks, ", ")+") GROUP BY", 1), args
}

// soldAt narrows a query of the sales (its %s, after its conditions) to
// a place's books: the sales of the products its space sells, whoever
// bought them and wherever they were used. The network's query is
// unchanged.
func soldAt(q string, at adminstore.Place, args ...any) (string, []any) {
	if at.Network() {
		return fmt.Sprintf(q, ""), args
	}
	return fmt.Sprintf(q, " AND product_id IN (SELECT id FROM products WHERE space_id = ?)"), append(args, at.Space)
}

// VisitDays counts the visits of each day from since to until, both
// included, oldest first; days without visits are left out.
func (s *AdminService) VisitDays(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.DayCount, error) {
	q, args := atPlace(visitDaysQuery, "space", at, since.String(), until.String())
	rows, err := s.db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("visit days: %w", err)
	}
	return collect(rows, func(sc scanner) (adminstore.DayCount, error) {
		var c adminstore.DayCount
		if err := sc.Scan(dayCol{&c.Day}, &c.Count); err != nil {
			return c, fmt.Errorf("scan visit day: %w", err)
		}
		return c, nil
	})
}

// MonthMembers counts the distinct members who visited in each month,
// over the visits from since to until (both included), oldest first.
// A visit's day is already in the space's time zone.
func (s *AdminService) MonthMembers(ctx context.Context, since, until access.Day, at adminstore.Place) ([]adminstore.MonthCount, error) {
	q, args := atPlace(fmt.Sprintf(monthMembersQuery, s.db.dialect.IndexedBy("visits_day_member")), "space", at, since.String(), until.String())
	rows, err := s.db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("month members: %w", err)
	}
	return collect(rows, func(sc scanner) (adminstore.MonthCount, error) {
		var c adminstore.MonthCount
		if err := sc.Scan(&c.Month, &c.Count); err != nil {
			return c, fmt.Errorf("scan month members: %w", err)
		}
		return c, nil
	})
}

// MonthSales sums the sales made in [since, until) per calendar month in
// loc, oldest first, of the place's books (soldAt); refunded sales are
// left out. Sales are few (a few thousand a year): they are read one by
// one and summed here, where the time zone is known.
func (s *AdminService) MonthSales(ctx context.Context, since, until time.Time, loc *time.Location, at adminstore.Place) ([]adminstore.MonthSales, error) {
	q, args := soldAt(monthSalesQuery, at, formatTime(since), formatTime(until))
	rows, err := s.db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("month sales: %w", err)
	}
	var out []adminstore.MonthSales
	err = eachRow(rows, func(sc scanner) error {
		var t time.Time
		var kind access.Kind
		var amount int64
		if err := sc.Scan(timeCol{&t}, &kind, &amount); err != nil {
			return fmt.Errorf("scan month sale: %w", err)
		}
		month := t.In(loc).Format("2006-01")
		if len(out) == 0 || out[len(out)-1].Month != month {
			out = append(out, adminstore.MonthSales{Month: month})
		}
		m := &out[len(out)-1]
		if kind == access.Pack {
			m.Cards++
		} else {
			m.Subscriptions++
		}
		m.Amount += amount
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EntryHours counts the accepted entries of each UTC hour in [since,
// until), oldest first. Times are stored as fixed-width UTC text, so the
// hour is the first 13 characters ("2026-11-26T09").
func (s *AdminService) EntryHours(ctx context.Context, since, until time.Time, at adminstore.Place) ([]adminstore.HourCount, error) {
	q := entryHoursQuery
	if !at.Network() {
		q = strings.Replace(q, " GROUP BY", " AND "+inIDs("kiosk_id", at.Kiosks)+" GROUP BY", 1)
	}
	rows, err := s.db.db.QueryContext(ctx, q, formatTime(since), formatTime(until))
	if err != nil {
		return nil, fmt.Errorf("entry hours: %w", err)
	}
	return collect(rows, func(sc scanner) (adminstore.HourCount, error) {
		var c adminstore.HourCount
		var hour string
		if err := sc.Scan(&hour, &c.Count); err != nil {
			return c, fmt.Errorf("scan entry hour: %w", err)
		}
		t, err := time.Parse("2006-01-02T15", hour)
		if err != nil {
			return c, fmt.Errorf("entry hour %q: %w", hour, err)
		}
		c.Hour = t
		return c, nil
	})
}

// EntriesOwed sums the entries left on the cards (packs) still usable on
// today: not refunded, not expired, held by a member (an erased member's
// cards are owed to no one); for a place, the cards its space sold
// (soldAt), wherever they are used. entries_left is the ledger's cache of
// central.Settle, kept with each balance.
func (s *AdminService) EntriesOwed(ctx context.Context, today access.Day, at adminstore.Place) (adminstore.EntriesOwed, error) {
	var o adminstore.EntriesOwed
	q, args := soldAt(entriesOwedQuery, at, string(access.Pack), today.String())
	err := s.db.db.QueryRowContext(ctx, q, args...).Scan(&o.Entries, &o.Cards)
	if err != nil {
		return o, fmt.Errorf("entries owed: %w", err)
	}
	return o, nil
}
