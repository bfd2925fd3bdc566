package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

var (
	_ central.SyncService = (*SyncService)(nil)
	_ central.LedgerStore = (*DB)(nil)
	_ central.LedgerTx    = ledgerTx{}
	_ central.SaleTx      = ledgerTx{}
	_ central.BalanceView = ledgerTx{}
	_ central.RetentionTx = ledgerTx{}
	_ central.InvoiceTx   = ledgerTx{}
	_ central.EraseTx     = ledgerTx{}
	_ central.GuestTx     = ledgerTx{}
	_ central.MemberTx    = ledgerTx{}
	_ central.BadgeTx     = ledgerTx{}
)

// SyncService is central.SyncLedger, the domain's sync use cases, over
// this store.
type SyncService struct{ central.SyncLedger }

// NewSyncService returns the sync service of db.
func NewSyncService(db *DB) *SyncService {
	return &SyncService{central.SyncLedger{Store: db}}
}

// UpdateLedger implements central.LedgerStore: fn runs in one write
// transaction (holding the writer's lock), committed when it returns nil.
func (db *DB) UpdateLedger(ctx context.Context, fn func(central.LedgerTx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(ledgerTx{tx}); err != nil {
		return err
	}
	return tx.Commit()
}

// ViewLedger implements central.LedgerStore: fn runs in one read
// transaction.
func (db *DB) ViewLedger(ctx context.Context, fn func(central.LedgerView) error) error {
	tx, err := db.read(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(ledgerTx{tx})
}

// ledgerTx implements central.LedgerTx (and LedgerView, SettleTx) with the
// queries of a transaction: reads and writes, no decision.
type ledgerTx struct{ tx *Tx }

func (l ledgerTx) Now() time.Time { return l.tx.now }

func (l ledgerTx) Settings(ctx context.Context) (central.Settings, error) { return l.tx.settings(ctx) }

func (l ledgerTx) FindKiosk(ctx context.Context, id int64) (*central.Kiosk, error) {
	return findKioskByID(ctx, l.tx, id)
}

// SyncCounter implements central.LedgerView in one statement.
func (l ledgerTx) SyncCounter(ctx context.Context) (counter, horizon int64, err error) {
	if err := l.tx.QueryRowContext(ctx, `SELECT version,
		(SELECT COALESCE(MAX(CAST(value AS BIGINT)), 0) FROM meta WHERE key = 'tombstone_horizon')
		FROM counter WHERE id = 1`).Scan(&counter, &horizon); err != nil {
		return 0, 0, fmt.Errorf("pull: counter: %w", err)
	}
	return counter, horizon, nil
}

func (l ledgerTx) MembersAfter(ctx context.Context, after int64, limit int) ([]int64, error) {
	return queryIDs(ctx, l.tx, pullSnapshotQuery, after, limit)
}

func (l ledgerTx) ChangesAfter(ctx context.Context, after int64, limit int) ([]central.MemberChange, error) {
	rows, err := l.tx.QueryContext(ctx, pullChangesQuery, after, limit)
	if err != nil {
		return nil, fmt.Errorf("pull: changes: %w", err)
	}
	return collect(rows, func(sc scanner) (central.MemberChange, error) {
		var c central.MemberChange
		if err := sc.Scan(&c.Member, &c.Version, &c.Deleted); err != nil {
			return c, fmt.Errorf("pull: scan change: %w", err)
		}
		return c, nil
	})
}

// The pull's queries, by index only (members_version, tombstones_version,
// the primary keys, badges_member, sales_member, visits' unique index):
// central/sqlite's plan tests check that none scans a table (Queries).
const (
	// pullChangesQuery lists members and tombstones changed after ?1, by
	// version, at most ?2.
	pullChangesQuery = `SELECT id, version, deleted FROM (
		SELECT id, version, 0 AS deleted FROM members WHERE version > ?1
		UNION ALL
		SELECT member_id, version, 1 FROM tombstones WHERE version > ?1
	) AS changes ORDER BY version LIMIT ?2`
	// pullSnapshotQuery lists member ids after ?1, at most ?2.
	pullSnapshotQuery = `SELECT id FROM members WHERE id > ?1 ORDER BY id LIMIT ?2`
)

// pullQueries are the pull's queries of a page of members, whose ids are
// the JSON list ?1 (idList).
type pullQueries struct {
	members, badges, sales, visits string
	// accepted: each badge's last acceptance at space ?2 since ?3
	// (anti-passback), by entries_member's (member_id, time) range.
	accepted string
}

func newPullQueries(d Dialect) pullQueries {
	ids := func(column string) string { return d.InIDs(column, "?1") }
	return pullQueries{
		// Her language: the one she chose for e-mails (French without one).
		members: `SELECT m.id, m.status, m.name, COALESCE(p.lang, 'fr') FROM members m
		LEFT JOIN member_mail_prefs p ON p.member_id = m.id WHERE ` + ids("m.id"),
		badges: `SELECT member_id, hash, revoked FROM badges WHERE ` + ids("member_id") + ` ORDER BY id`,
		// Ended sales too: central.NewBalance keeps what a kiosk needs (and a
		// member's latest ended subscription, for the refusal's reason).
		sales: `SELECT ` + saleColumns + ` FROM sales WHERE ` + ids("member_id") + `
		AND refunded = '' ORDER BY id`,
		visits: `SELECT member_id, MAX(day) FROM visits WHERE ` + ids("member_id") + `
		AND space = ?2 GROUP BY member_id`,
		accepted: `SELECT badge_hash, MAX(time) FROM entries WHERE ` + ids("member_id") + `
		AND time >= ?3 AND accept = 1 AND badge_hash <> ''
		AND kiosk_id IN (SELECT id FROM kiosks WHERE space = ?2) GROUP BY badge_hash`,
	}
}

func queryIDs(ctx context.Context, tx *Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("pull: ids: %w", err)
	}
	return collect(rows, func(sc scanner) (int64, error) {
		var id int64
		err := sc.Scan(&id)
		return id, err
	})
}

// KioskMembers implements central.LedgerView with four queries for the
// whole page.
func (l ledgerTx) KioskMembers(ctx context.Context, ids []int64, space string) ([]central.KioskMemberData, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	tx := l.tx
	list := idList(ids)
	byID := make(map[int64]*central.KioskMemberData, len(ids))
	var out []central.KioskMemberData
	rows, err := tx.QueryContext(ctx, tx.db.pulls.members, list)
	if err != nil {
		return nil, fmt.Errorf("pull: members: %w", err)
	}
	err = eachRow(rows, func(sc scanner) error {
		m := &central.KioskMemberData{KioskMember: &central.KioskMember{Badges: []central.KioskBadge{}}}
		var name, lang string
		if err := sc.Scan(&m.ID, &m.Status, &name, &lang); err != nil {
			return fmt.Errorf("pull: scan member: %w", err)
		}
		m.Name = central.DoorName(name) // her first name only, for the door screen
		if lang == "en" {
			m.Lang = lang
		}
		byID[m.ID] = m
		return nil
	})
	if err != nil {
		return nil, err
	}

	if rows, err = tx.QueryContext(ctx, tx.db.pulls.badges, list); err != nil {
		return nil, fmt.Errorf("pull: badges: %w", err)
	}
	err = eachRow(rows, func(sc scanner) error {
		var member int64
		var b central.KioskBadge
		var revoked string
		if err := sc.Scan(&member, hashCol{&b.Hash}, &revoked); err != nil {
			return fmt.Errorf("pull: scan badge: %w", err)
		}
		b.Revoked = revoked != ""
		if m := byID[member]; m != nil {
			m.Badges = append(m.Badges, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	if rows, err = tx.QueryContext(ctx, tx.db.pulls.sales, list); err != nil {
		return nil, fmt.Errorf("pull: sales: %w", err)
	}
	err = eachRow(rows, func(sc scanner) error {
		sale, err := scanSale(sc)
		if err != nil {
			return err
		}
		if m := byID[sale.Member]; m != nil {
			m.Sales = append(m.Sales, sale)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	if rows, err = tx.QueryContext(ctx, tx.db.pulls.visits, list, space); err != nil {
		return nil, fmt.Errorf("pull: visits: %w", err)
	}
	err = eachRow(rows, func(sc scanner) error {
		var member int64
		var day access.Day
		if err := sc.Scan(&member, dayCol{&day}); err != nil {
			return fmt.Errorf("pull: scan visit: %w", err)
		}
		if m := byID[member]; m != nil {
			m.LastVisit = day
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	for _, id := range ids {
		if m := byID[id]; m != nil {
			out = append(out, *m)
		}
	}
	return out, nil
}

// ExistingMembers implements central.LedgerTx in one query.
func (l ledgerTx) ExistingMembers(ctx context.Context, ids []int64) (map[int64]bool, error) {
	known := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return known, nil
	}
	rows, err := l.tx.QueryContext(ctx, `SELECT id FROM members WHERE `+l.tx.db.dialect.InIDs("id", "?1"), idList(ids))
	if err != nil {
		return nil, fmt.Errorf("members of the push: %w", err)
	}
	err = eachRow(rows, func(sc scanner) error {
		var id int64
		if err := sc.Scan(&id); err != nil {
			return err
		}
		known[id] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return known, nil
}

// InsertEntry implements central.LedgerTx.
func (l ledgerTx) InsertEntry(ctx context.Context, e *central.Entry) (bool, error) {
	var member any
	if e.Member > 0 {
		member = e.Member
	}
	hash := ""
	if !e.Badge.IsZero() {
		hash = e.Badge.String()
	}
	r, err := l.tx.ExecContext(ctx, `INSERT INTO entries (id, kiosk_id, seq, member_id, badge_hash, kiosk_time, time,
		clock_unsure, time_corrected, boot_id, mono, accept, reason, kiosk_consumed, received)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		e.ID, e.Kiosk, e.Seq, member, hash, formatTime(e.KioskTime), formatTime(e.Time),
		boolInt(e.ClockUnsure), boolInt(e.TimeCorrected), e.BootID, int64(e.Mono), boolInt(e.Accept),
		string(e.Reason), e.KioskConsumed, formatTime(e.Received))
	if err != nil {
		return false, fmt.Errorf("insert entry: %w", err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// EntryKiosk implements central.LedgerTx.
func (l ledgerTx) EntryKiosk(ctx context.Context, id string) (int64, bool, error) {
	var kiosk int64
	err := l.tx.QueryRowContext(ctx, `SELECT kiosk_id FROM entries WHERE id = ?`, id).Scan(&kiosk)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("stored entry: %w", err)
	}
	return kiosk, true, nil
}

// SeqHeld implements central.LedgerTx.
func (l ledgerTx) SeqHeld(ctx context.Context, kiosk, seq int64) (bool, error) {
	var held bool
	if err := l.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM entries WHERE kiosk_id = ? AND seq = ?)`,
		kiosk, seq).Scan(&held); err != nil {
		return false, fmt.Errorf("stored entry: %w", err)
	}
	return held, nil
}

// EntriesHorizon implements central.LedgerTx (PurgeEntries records it).
func (l ledgerTx) EntriesHorizon(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := l.tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT value FROM meta WHERE key = 'entries_horizon'), '')`).Scan(timeCol{&t})
	if err != nil {
		return t, fmt.Errorf("entries horizon: %w", err)
	}
	return t, nil
}

// AddVisit implements central.LedgerTx: the insert first, since most
// accepted entries start a visit.
func (l ledgerTx) AddVisit(ctx context.Context, v *central.Visit) (bool, error) {
	err := l.tx.QueryRowContext(ctx, `INSERT INTO visits (member_id, space, day, entry_id, first_time, charge)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (member_id, space, day) DO NOTHING RETURNING id`,
		v.Member, v.Space, v.Day.String(), v.Entry, formatTime(v.Time), v.Charge).Scan(&v.ID)
	switch {
	case err == nil:
		return true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("insert visit: %w", err)
	}
	var entryID sql.NullString
	if err := l.tx.QueryRowContext(ctx, `SELECT id, entry_id, first_time FROM visits WHERE member_id = ? AND space = ? AND day = ?`,
		v.Member, v.Space, v.Day.String()).Scan(&v.ID, &entryID, timeCol{&v.Time}); err != nil {
		return false, fmt.Errorf("find visit: %w", err)
	}
	v.Entry = entryID.String
	return false, nil
}

// SetVisitEntry implements central.LedgerTx.
func (l ledgerTx) SetVisitEntry(ctx context.Context, visit int64, entry string, t time.Time) error {
	if _, err := l.tx.ExecContext(ctx, `UPDATE visits SET entry_id = ?, first_time = ? WHERE id = ?`,
		entry, formatTime(t), visit); err != nil {
		return fmt.Errorf("update visit: %w", err)
	}
	return nil
}

// ContiguousSeq implements central.LedgerTx, reading only as far as the
// first gap.
func (l ledgerTx) ContiguousSeq(ctx context.Context, kiosk, from int64) (int64, error) {
	rows, err := l.tx.QueryContext(ctx, `SELECT seq FROM entries WHERE kiosk_id = ? AND seq > ? ORDER BY seq`, kiosk, from)
	if err != nil {
		return 0, fmt.Errorf("ack: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return 0, err
		}
		if seq != from+1 {
			break
		}
		from = seq
	}
	return from, rows.Err()
}

// MaxSeq implements central.LedgerTx.
func (l ledgerTx) MaxSeq(ctx context.Context, kiosk int64) (int64, error) {
	var last int64
	if err := l.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM entries WHERE kiosk_id = ?`, kiosk).Scan(&last); err != nil {
		return 0, fmt.Errorf("last sequence: %w", err)
	}
	return last, nil
}

// SetKioskAck implements central.LedgerTx.
func (l ledgerTx) SetKioskAck(ctx context.Context, kiosk, ack int64) error {
	if _, err := l.tx.ExecContext(ctx, `UPDATE kiosks SET acked = ? WHERE id = ?`, ack, kiosk); err != nil {
		return fmt.Errorf("ack: %w", err)
	}
	return nil
}

// KioskSeen implements central.LedgerTx.
func (l ledgerTx) KioskSeen(ctx context.Context, kiosk int64, seen central.KioskSeen) error {
	return kioskSeen(ctx, l.tx, l.tx.db.dialect, kiosk, seen)
}

// NextVersions implements central.LedgerTx with one counter update.
func (l ledgerTx) NextVersions(ctx context.Context, n int) (int64, error) {
	var last int64
	if err := l.tx.QueryRowContext(ctx, `UPDATE counter SET version = version + ? WHERE id = 1 RETURNING version`,
		n).Scan(&last); err != nil {
		return 0, fmt.Errorf("next versions: %w", err)
	}
	return last, nil
}

// Arrived implements central.LedgerTx: the arrival hooks' outbox messages
// are inserted in the push transaction, so a message exists if and only if
// its entry does.
func (l ledgerTx) Arrived(ctx context.Context, arrivals []central.Arrival) error {
	if len(l.tx.db.Reactions) == 0 {
		return nil
	}
	for _, a := range arrivals {
		m, err := findMemberByID(ctx, l.tx, a.Entry.Member)
		if err != nil {
			return err
		}
		a.Member = m
		if err := l.tx.react(ctx, central.ArrivalEvents(a)...); err != nil {
			return err
		}
	}
	return nil
}

// LastAccepted implements central.LedgerView.
func (l ledgerTx) LastAccepted(ctx context.Context, ids []int64, space string, since time.Time) (map[badge.Hash]time.Time, error) {
	out := map[badge.Hash]time.Time{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := l.tx.QueryContext(ctx, l.tx.db.pulls.accepted, idList(ids), space, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("pull: last acceptances: %w", err)
	}
	err = eachRow(rows, func(sc scanner) error {
		var h badge.Hash
		var t time.Time
		if err := sc.Scan(hashCol{&h}, timeCol{&t}); err != nil {
			return fmt.Errorf("pull: scan last acceptance: %w", err)
		}
		out[h] = t
		return nil
	})
	return out, err
}
