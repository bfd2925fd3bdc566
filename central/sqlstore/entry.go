package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var (
	_ central.EntryService     = (*EntryService)(nil)
	_ central.RetentionService = (*EntryService)(nil)
)

// EntryService implements central.EntryService and central.RetentionService.
type EntryService struct{ db *DB }

// NewEntryService returns the entry service of db.
func NewEntryService(db *DB) *EntryService { return &EntryService{db: db} }

// entryConds selects entries (alias e) by kiosk, member and time.
func entryConds(kiosk, member *int64, since, until time.Time) conds {
	var w conds
	if kiosk != nil {
		w.add("e.kiosk_id = ?", *kiosk)
	}
	if member != nil {
		w.add("e.member_id = ?", *member)
	}
	w.timeRange("e.time", since, until)
	return w
}

// entryList is the query of FindEntries and EachEntry.
func entryList(f central.EntryFilter) listQuery {
	return listQuery{
		what: "entries",
		columns: `e.id, e.kiosk_id, e.seq, COALESCE(e.member_id, 0), e.badge_hash, e.kiosk_time, e.time, e.clock_unsure,
			e.time_corrected, e.boot_id, e.mono, e.accept, e.reason, e.kiosk_consumed, e.received,
			COALESCE(v.charge, '')`,
		table: "entries e", joins: "LEFT JOIN visits v ON v.entry_id = e.id",
		where: entryConds(f.Kiosk, f.Member, f.Since, f.Until),
		order: "e.time, e.kiosk_id, e.seq", offset: f.Offset, limit: f.Limit,
	}
}

// FindEntries implements central.EntryService. An entry is Consumed when
// the visit it makes consumes (central.ChargeConsumes).
func (s *EntryService) FindEntries(ctx context.Context, f central.EntryFilter) ([]*central.Entry, int, error) {
	return viewPage(ctx, s.db, func(tx *Tx) ([]*central.Entry, int, error) { return find(ctx, tx, entryList(f), scanEntry) })
}

// EachEntry calls fn for each entry that matches f, in the order of
// FindEntries, and stops at fn's first error. Unlike pages of FindEntries,
// which each read the database as it is then, every entry comes from one
// snapshot: entries pushed (with earlier times, from a kiosk that was
// offline) or purged meanwhile neither repeat nor hide others, and a
// million entries are never held in memory at once.
func (s *EntryService) EachEntry(ctx context.Context, f central.EntryFilter, fn func(*central.Entry) error) error {
	tx, err := s.db.read(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	q := entryList(f)
	rows, err := tx.QueryContext(ctx, q.selectSQL(), q.where.args...)
	if err != nil {
		return fmt.Errorf("find entries: %w", err)
	}
	return eachRow(rows, func(sc scanner) error {
		e, err := scanEntry(sc)
		if err != nil {
			return err
		}
		return fn(e)
	})
}

func scanEntry(sc scanner) (*central.Entry, error) {
	var e central.Entry
	var mono int64
	var charge string // of the visit the entry makes, if any
	if err := sc.Scan(&e.ID, &e.Kiosk, &e.Seq, &e.Member, hashCol{&e.Badge}, timeCol{&e.KioskTime}, timeCol{&e.Time},
		&e.ClockUnsure, &e.TimeCorrected, &e.BootID, &mono, &e.Accept, &e.Reason, &e.KioskConsumed,
		timeCol{&e.Received}, &charge); err != nil {
		return nil, fmt.Errorf("scan entry: %w", err)
	}
	e.Mono = time.Duration(mono)
	e.Consumed = central.ChargeConsumes(charge)
	return &e, nil
}

// FindVisits implements central.EntryService.
func (s *EntryService) FindVisits(ctx context.Context, f central.VisitFilter) ([]*central.Visit, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var w conds
	if f.Member != nil {
		w.add("member_id = ?", *f.Member)
	}
	if f.Space != nil {
		w.add("space = ?", *f.Space)
	}
	if !f.Since.IsZero() {
		w.add("day >= ?", f.Since.String())
	}
	if !f.Until.IsZero() {
		w.add("day <= ?", f.Until.String())
	}
	table, guest, order := "visits", "0", "day, space, member_id"
	if f.Guests {
		// A guest's visit is her pass's (its id); her host's own visit of
		// the day comes first, as Settle orders them.
		table = `(SELECT id, member_id, space, day, entry_id, first_time, charge, sale_id, 0 AS guest_id FROM visits
			UNION ALL SELECT pass_id, member_id, space, day, entry_id, first_time, charge, sale_id, pass_id FROM guest_visits
			WHERE takes_entry = 1) AS v`
		guest, order = "guest_id", "day, space, member_id, guest_id"
	}
	return find(ctx, tx, listQuery{
		what:    "visits",
		columns: `id, member_id, space, day, COALESCE(entry_id, ''), first_time, charge, COALESCE(sale_id, 0), ` + guest,
		table:   table, where: w, order: order, offset: f.Offset, limit: f.Limit,
	}, func(sc scanner) (*central.Visit, error) {
		var v central.Visit
		if err := sc.Scan(&v.ID, &v.Member, &v.Space, dayCol{&v.Day}, &v.Entry, timeCol{&v.Time}, &v.Charge, &v.Sale, &v.Guest); err != nil {
			return nil, fmt.Errorf("scan visit: %w", err)
		}
		return &v, nil
	})
}

// PurgeEntries implements central.RetentionService (central.PurgeEntries
// in one transaction).
func (s *EntryService) PurgeEntries(ctx context.Context, before time.Time) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := central.PurgeEntries(ctx, ledgerTx{tx}, before)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// PurgeTombstones implements central.RetentionService
// (central.PurgeTombstones in one transaction).
func (s *EntryService) PurgeTombstones(ctx context.Context, before time.Time) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := central.PurgeTombstones(ctx, ledgerTx{tx}, before)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// DeleteAckedEntries implements central.RetentionTx.
func (l ledgerTx) DeleteAckedEntries(ctx context.Context, before time.Time) (int, error) {
	res, err := l.tx.ExecContext(ctx, `DELETE FROM entries WHERE time < ?
		AND seq <= (SELECT acked FROM kiosks WHERE kiosks.id = entries.kiosk_id)`, formatTime(before))
	if err != nil {
		return 0, fmt.Errorf("purge entries: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RaiseEntriesHorizon implements central.RetentionTx.
func (l ledgerTx) RaiseEntriesHorizon(ctx context.Context, before time.Time) error {
	if _, err := l.tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('entries_horizon', ?1)
		ON CONFLICT (key) DO UPDATE SET value = `+l.tx.db.dialect.Greatest("meta.value", "?1"), formatTime(before)); err != nil {
		return fmt.Errorf("entries horizon: %w", err)
	}
	return nil
}

// DeleteTombstones implements central.RetentionTx.
func (l ledgerTx) DeleteTombstones(ctx context.Context, before time.Time) (int, int64, error) {
	var n int
	var newest int64
	if err := l.tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(MAX(version), 0) FROM tombstones WHERE erased < ?`,
		formatTime(before)).Scan(&n, &newest); err != nil {
		return 0, 0, fmt.Errorf("purge tombstones: %w", err)
	}
	if n == 0 {
		return 0, 0, nil
	}
	if _, err := l.tx.ExecContext(ctx, `DELETE FROM tombstones WHERE erased < ?`, formatTime(before)); err != nil {
		return 0, 0, fmt.Errorf("purge tombstones: %w", err)
	}
	return n, newest, nil
}

// RaiseTombstoneHorizon implements central.RetentionTx.
func (l ledgerTx) RaiseTombstoneHorizon(ctx context.Context, version int64) error {
	if _, err := l.tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('tombstone_horizon', ?)
		ON CONFLICT (key) DO UPDATE SET value = CAST(`+l.tx.db.dialect.Greatest("CAST(meta.value AS BIGINT)", "CAST(excluded.value AS BIGINT)")+` AS TEXT)`,
		strconv.FormatInt(version, 10)); err != nil {
		return fmt.Errorf("tombstone horizon: %w", err)
	}
	return nil
}
