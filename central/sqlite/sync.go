package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

var _ central.SyncService = (*SyncService)(nil)

// SyncService implements central.SyncService.
type SyncService struct{ db *DB }

// NewSyncService returns the sync service of db.
func NewSyncService(db *DB) *SyncService { return &SyncService{db: db} }

// Push implements central.SyncService.
//
// In one transaction: entries are inserted unless already held. An entry
// whose id central holds is a replay (a duplicate, whatever its seq); a new
// id at a (kiosk, seq) central holds with another id (a kiosk restored
// from a backup) is not stored but answered in Resend, with NextSeq, for
// the kiosk to renumber; a new id at a sequence the ack covers but that
// retention purged is a replay when it is older than the purge horizon,
// and answered in Resend otherwise. Each new accepted entry of a known member makes or
// joins the visit of her, the kiosk's space and the entry's day (corrected
// time, space time zone); the ack advances over the contiguous sequences
// held; the balances of members with new visits are re-derived and their
// versions bumped; arrival hooks add their outbox messages.
//
// Entries after a sequence gap are stored, but the ack stays below the gap
// until it is filled: the kiosk sees an ack lower than it expects and sends
// the missing entries again (kiosk/uplink does). Nothing that arrived is
// refused or lost.
func (s *SyncService) Push(ctx context.Context, p *central.Push) (central.PushResult, error) {
	var res central.PushResult
	tx, err := s.db.begin(ctx)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	k, err := findKioskByID(ctx, tx, p.Kiosk)
	if err != nil {
		return res, err
	}
	settings, err := tx.settings(ctx)
	if err != nil {
		return res, err
	}
	loc := settings.Location()
	if p.Received.IsZero() {
		p.Received = tx.now
	}
	central.CorrectTimes(p)

	known, err := existingMembers(ctx, tx, p.Entries)
	if err != nil {
		return res, err
	}
	affected := map[int64]bool{}
	type arrival struct {
		entry *central.Entry
		visit *central.Visit
	}
	var arrivals []arrival
	for _, e := range p.Entries {
		e.Kiosk, e.Received, e.Consumed = k.ID, tx.now, false
		e.ID = strings.ToLower(e.ID)
		if e.Member > 0 && !known[e.Member] {
			e.Member = 0 // unknown here (erased, or another database): kept as an anonymous entry
		}
		// At or below the ack the sequence is held (or was, and purged):
		// only the id tells a replay from a new entry.
		inserted := false
		if e.Seq > k.Acked {
			if inserted, err = insertEntry(ctx, tx, e); err != nil {
				return res, err
			}
		}
		if !inserted {
			switch kiosk, found, err := entryKiosk(ctx, tx, e.ID); {
			case err != nil:
				return res, err
			case found && kiosk == k.ID:
				res.Duplicates++ // a replay, maybe at another sequence (renumbered)
			case found:
				res.Conflicts++ // another kiosk's entry: a copied kiosk database
			default:
				// A new id at a sequence central holds (or held) with
				// another id: the kiosk renumbers it and sends it again;
				// unless the sequence was purged and the entry is as old
				// as the purged ones: a replay central no longer holds.
				if e.Seq <= k.Acked {
					if purged, err := purgedReplay(ctx, tx, e); err != nil {
						return res, err
					} else if purged {
						res.Duplicates++
						continue
					}
				}
				res.Conflicts++
				res.Resend = append(res.Resend, e.Seq)
			}
			continue
		}
		res.Inserted++
		if !e.Accept || e.Member == 0 {
			continue
		}
		v, created, err := recordVisit(ctx, tx, e, k.Space, access.DayOf(e.Time, loc))
		if err != nil {
			return res, err
		}
		if created {
			affected[e.Member] = true
			arrivals = append(arrivals, arrival{e, v})
		}
	}

	if res.Ack, err = advanceAck(ctx, tx, k.ID, k.Acked); err != nil {
		return res, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE kiosks SET acked = ? WHERE id = ?`, res.Ack, k.ID); err != nil {
		return res, fmt.Errorf("ack: %w", err)
	}
	k.Acked = res.Ack
	if res.NextSeq, err = nextSeq(ctx, tx, k.ID, k.Acked); err != nil {
		return res, err
	}
	if err := kioskSeen(ctx, tx, k.ID, central.KioskSeen{At: tx.now, Software: p.Software, Pending: p.Pending}); err != nil {
		return res, err
	}

	members := make([]int64, 0, len(affected))
	for m := range affected {
		members = append(members, m)
	}
	slices.Sort(members)
	// One counter update gives every affected member her new version.
	var last int64
	if len(members) > 0 {
		if err := tx.QueryRowContext(ctx, `UPDATE counter SET version = version + ? WHERE id = 1 RETURNING version`,
			len(members)).Scan(&last); err != nil {
			return res, fmt.Errorf("next versions: %w", err)
		}
	}
	for i, m := range members {
		if err := settleMemberAt(ctx, tx, m, last-int64(len(members)-1-i)); err != nil {
			return res, err
		}
	}

	if len(s.db.ArrivalHooks) > 0 {
		for _, a := range arrivals {
			m, err := findMemberByID(ctx, tx, a.entry.Member)
			if err != nil {
				return res, err
			}
			for _, hook := range s.db.ArrivalHooks {
				for _, msg := range hook(central.Arrival{Member: m, Entry: a.entry, Kiosk: k, Visit: a.visit}) {
					if _, err := insertOutbox(ctx, tx, msg); err != nil {
						return res, err
					}
				}
			}
		}
	}
	return res, tx.Commit()
}

func insertEntry(ctx context.Context, tx *Tx, e *central.Entry) (bool, error) {
	var member any
	if e.Member > 0 {
		member = e.Member
	}
	hash := ""
	if !e.Badge.IsZero() {
		hash = e.Badge.String()
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO entries (id, kiosk_id, seq, member_id, badge_hash, kiosk_time, time,
		clock_unsure, time_corrected, boot_id, mono, accept, reason, kiosk_consumed, received)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		strings.ToLower(e.ID), e.Kiosk, e.Seq, member, hash, formatTime(e.KioskTime), formatTime(e.Time),
		boolInt(e.ClockUnsure), boolInt(e.TimeCorrected), e.BootID, int64(e.Mono), boolInt(e.Accept),
		string(e.Reason), e.KioskConsumed, formatTime(e.Received))
	if err != nil {
		return false, fmt.Errorf("insert entry: %w", err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// entryKiosk returns the kiosk of the entry held with id, if any.
func entryKiosk(ctx context.Context, tx *Tx, id string) (int64, bool, error) {
	var kiosk int64
	err := tx.QueryRowContext(ctx, `SELECT kiosk_id FROM entries WHERE id = ?`, id).Scan(&kiosk)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("stored entry: %w", err)
	}
	return kiosk, true, nil
}

// purgedReplay reports whether e, at a sequence the kiosk's ack covers
// and with an id central does not hold, is an entry retention purged: its
// sequence is free and its time is older than the purge horizon.
func purgedReplay(ctx context.Context, tx *Tx, e *central.Entry) (bool, error) {
	var held bool
	var horizon string
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM entries WHERE kiosk_id = ? AND seq = ?),
		COALESCE((SELECT value FROM meta WHERE key = 'entries_horizon'), '')`, e.Kiosk, e.Seq).Scan(&held, &horizon)
	if err != nil {
		return false, fmt.Errorf("purged entry: %w", err)
	}
	return !held && formatTime(e.Time) < horizon, nil
}

// nextSeq returns one past the highest sequence held for the kiosk (gaps
// included) or acknowledged (purged entries included).
func nextSeq(ctx context.Context, tx *Tx, kiosk, acked int64) (int64, error) {
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM entries WHERE kiosk_id = ?`, kiosk).Scan(&last); err != nil {
		return 0, fmt.Errorf("next sequence: %w", err)
	}
	return max(last, acked) + 1, nil
}

// recordVisit makes the visit of the entry's member at the space on day, or
// joins it; the visit keeps the earliest entry (by time, then id), so which
// entry "consumed" does not depend on the order entries arrive in.
func recordVisit(ctx context.Context, tx *Tx, e *central.Entry, space string, day access.Day) (*central.Visit, bool, error) {
	v := &central.Visit{Member: e.Member, Space: space, Day: day}
	// Most accepted entries start a visit: try the insert first.
	v.Entry, v.Time, v.Charge = strings.ToLower(e.ID), e.Time, central.ChargeOverdraft // until settled
	err := tx.QueryRowContext(ctx, `INSERT INTO visits (member_id, space, day, entry_id, first_time)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (member_id, space, day) DO NOTHING RETURNING id`,
		v.Member, space, day.String(), v.Entry, formatTime(v.Time)).Scan(&v.ID)
	switch {
	case err == nil:
		return v, true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return nil, false, fmt.Errorf("insert visit: %w", err)
	}
	var entryID sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT id, entry_id, first_time FROM visits WHERE member_id = ? AND space = ? AND day = ?`,
		e.Member, space, day.String()).Scan(&v.ID, &entryID, timeCol{&v.Time}); err != nil {
		return nil, false, fmt.Errorf("find visit: %w", err)
	}
	v.Entry = ""
	id := strings.ToLower(e.ID)
	t := e.Time.Truncate(time.Microsecond) // stored with microseconds
	if t.Before(v.Time) || (t.Equal(v.Time) && (!entryID.Valid || id < entryID.String)) {
		if _, err := tx.ExecContext(ctx, `UPDATE visits SET entry_id = ?, first_time = ? WHERE id = ?`,
			id, formatTime(e.Time), v.ID); err != nil {
			return nil, false, fmt.Errorf("update visit: %w", err)
		}
	}
	return v, false, nil
}

// advanceAck returns the highest sequence with every sequence from 1 held,
// starting from the previous ack (which purged entries may lie below).
func advanceAck(ctx context.Context, tx *Tx, kiosk, acked int64) (int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq FROM entries WHERE kiosk_id = ? AND seq > ? ORDER BY seq`, kiosk, acked)
	if err != nil {
		return 0, fmt.Errorf("ack: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq); err != nil {
			return 0, err
		}
		if seq != acked+1 {
			break
		}
		acked = seq
	}
	return acked, rows.Err()
}

// The pull's queries, by index only (members_version, tombstones_version,
// the primary keys, badges_member, sales_member, visits' unique index):
// sqlite's plan tests check that none scans a table.
const (
	// pullChangesQuery lists members and tombstones changed after ?1, by
	// version, at most ?2.
	pullChangesQuery = `SELECT id, version, deleted FROM (
		SELECT id, version, 0 AS deleted FROM members WHERE version > ?1
		UNION ALL
		SELECT member_id, version, 1 FROM tombstones WHERE version > ?1
	) ORDER BY version LIMIT ?2`
	// pullSnapshotQuery lists member ids after ?1, at most ?2.
	pullSnapshotQuery = `SELECT id FROM members WHERE id > ?1 ORDER BY id LIMIT ?2`

	pullMembersQuery = `SELECT id, status FROM members WHERE id IN (SELECT value FROM json_each(?1))`
	pullBadgesQuery  = `SELECT member_id, hash, revoked FROM badges WHERE member_id IN (SELECT value FROM json_each(?1)) ORDER BY id`
	// Ended sales too: central.NewBalance keeps what a kiosk needs (and a
	// member's latest ended subscription, for the refusal's reason).
	pullSalesQuery = `SELECT ` + saleColumns + ` FROM sales WHERE member_id IN (SELECT value FROM json_each(?1))
		AND refunded = '' ORDER BY id`
	pullVisitsQuery = `SELECT member_id, MAX(day) FROM visits WHERE member_id IN (SELECT value FROM json_each(?1))
		AND space = ?2 GROUP BY member_id`
)

// Pull implements central.SyncService.
//
// Everything is read in one read transaction: the counter, the members, and
// the kiosk's ack, so Acked is exactly what the balances include.
//
// A snapshot is sent when the cursor is 0, above the counter (the kiosk's
// state comes from another database) or below the tombstone horizon (it
// may have missed an erasure). A snapshot pages by member id with the
// counter at its start as Cursor: changes made while it is read come again
// in the next incremental pull. An incremental pull pages by version; its
// Cursor is the last version included, or the counter when complete.
func (s *SyncService) Pull(ctx context.Context, req central.PullRequest) (*central.PullPage, error) {
	limit := req.Limit
	if limit == 0 {
		limit = central.DefaultPullLimit
	}
	if limit < 0 || limit > central.MaxPullLimit {
		return nil, central.Errorf(central.EINVALID, "Pull limit %d outside 1..%d.", limit, central.MaxPullLimit)
	}
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	k, err := findKioskByID(ctx, tx, req.Kiosk)
	if err != nil {
		return nil, err
	}
	var counter, horizon int64
	if err := tx.QueryRowContext(ctx, `SELECT version FROM counter WHERE id = 1`).Scan(&counter); err != nil {
		return nil, fmt.Errorf("pull: counter: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'tombstone_horizon'`).Scan(&horizon); err != nil {
		return nil, fmt.Errorf("pull: horizon: %w", err)
	}
	settings, err := tx.settings(ctx)
	if err != nil {
		return nil, err
	}
	today := access.DayOf(tx.now, settings.Location())
	spaceName := k.Space
	if spaceName == "" {
		spaceName = settings.SpaceName()
	}
	out := &central.PullPage{
		Acked: k.Acked,
		Settings: central.KioskSettings{Space: spaceName, Timezone: settings.Timezone(), Hours: settings.Get(central.SettingHours),
			StaleAfter: settings.Get(central.SettingStaleAfter), StalePolicy: settings.StalePolicy()},
	}

	var snapshot bool
	var cursor, after int64
	if req.Page != "" {
		tok, err := parsePageToken(req.Page)
		if err != nil {
			return nil, err
		}
		snapshot, cursor, after = tok.snapshot, tok.cursor, tok.after
		if (snapshot && cursor > counter) || (!snapshot && after > counter) {
			snapshot, cursor, after = true, counter, 0 // a page of another database: start over
		}
	} else if req.Cursor <= 0 || req.Cursor > counter || req.Cursor < horizon {
		snapshot, cursor = true, counter
	} else {
		after = req.Cursor
	}

	var ids []int64
	if snapshot {
		out.Snapshot, out.Cursor = true, cursor
		if ids, err = queryIDs(ctx, tx, pullSnapshotQuery, after, limit+1); err != nil {
			return nil, err
		}
		if len(ids) > limit {
			ids = ids[:limit]
			out.More, out.Page = true, pageToken{snapshot: true, cursor: cursor, after: ids[len(ids)-1]}.String()
		}
	} else {
		rows, err := tx.QueryContext(ctx, pullChangesQuery, after, limit+1)
		if err != nil {
			return nil, fmt.Errorf("pull: changes: %w", err)
		}
		var last int64
		n := 0
		err = eachRow(rows, func(sc scanner) error {
			var id, version int64
			var deleted bool
			if err := sc.Scan(&id, &version, &deleted); err != nil {
				return fmt.Errorf("pull: scan change: %w", err)
			}
			if n++; n > limit { // the one row past the page
				out.More = true
				return nil
			}
			last = version
			if deleted {
				out.Deleted = append(out.Deleted, id)
			} else {
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		out.Cursor = counter
		if out.More {
			out.Cursor, out.Page = last, pageToken{after: last}.String()
		}
	}
	if out.Members, err = kioskMembers(ctx, tx, ids, k.Space, today); err != nil {
		return nil, err
	}
	return out, nil
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

// kioskMembers loads what kiosks need of the members, in the order of ids,
// with four queries for the whole page.
func kioskMembers(ctx context.Context, tx *Tx, ids []int64, space string, today access.Day) ([]*central.KioskMember, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list := idList(ids)
	byID := make(map[int64]*central.KioskMember, len(ids))
	rows, err := tx.QueryContext(ctx, pullMembersQuery, list)
	if err != nil {
		return nil, fmt.Errorf("pull: members: %w", err)
	}
	err = eachRow(rows, func(sc scanner) error {
		m := &central.KioskMember{Badges: []central.KioskBadge{}, Entitlements: []access.Entitlement{}}
		if err := sc.Scan(&m.ID, &m.Status); err != nil {
			return fmt.Errorf("pull: scan member: %w", err)
		}
		byID[m.ID] = m
		return nil
	})
	if err != nil {
		return nil, err
	}

	if rows, err = tx.QueryContext(ctx, pullBadgesQuery, list); err != nil {
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

	if rows, err = tx.QueryContext(ctx, pullSalesQuery, list); err != nil {
		return nil, fmt.Errorf("pull: sales: %w", err)
	}
	sales := map[int64][]*central.Sale{}
	err = eachRow(rows, func(sc scanner) error {
		sale, err := scanSale(sc)
		if err != nil {
			return err
		}
		sales[sale.Member] = append(sales[sale.Member], sale)
		return nil
	})
	if err != nil {
		return nil, err
	}

	if rows, err = tx.QueryContext(ctx, pullVisitsQuery, list, space); err != nil {
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

	out := make([]*central.KioskMember, 0, len(ids))
	for _, id := range ids {
		m := byID[id]
		if m == nil {
			continue // erased between the listing and now: cannot happen in one read transaction
		}
		if ents := central.NewBalance(id, sales[id], 0, today).Entitlements; ents != nil {
			m.Entitlements = ents
		}
		out = append(out, m)
	}
	return out, nil
}

// pageToken continues a pull. Its text form is opaque to kiosks.
type pageToken struct {
	snapshot bool
	cursor   int64 // snapshot: the counter at its start
	after    int64 // snapshot: last member id sent; incremental: last version sent
}

func (t pageToken) String() string {
	var s string
	if t.snapshot {
		s = fmt.Sprintf("s:%d:%d", t.cursor, t.after)
	} else {
		s = fmt.Sprintf("i:%d", t.after)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func parsePageToken(s string) (pageToken, error) {
	bad := central.Errorf(central.EINVALID, "Invalid pull page token.")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) > 64 {
		return pageToken{}, bad
	}
	parts := strings.Split(string(raw), ":")
	num := func(p string) (int64, bool) {
		n, err := strconv.ParseInt(p, 10, 64)
		return n, err == nil && n >= 0
	}
	switch {
	case len(parts) == 3 && parts[0] == "s":
		c, ok1 := num(parts[1])
		a, ok2 := num(parts[2])
		if ok1 && ok2 {
			return pageToken{snapshot: true, cursor: c, after: a}, nil
		}
	case len(parts) == 2 && parts[0] == "i":
		if a, ok := num(parts[1]); ok && a > 0 {
			return pageToken{after: a}, nil
		}
	}
	return pageToken{}, bad
}

// existingMembers returns which of the entries' members exist, in one query.
func existingMembers(ctx context.Context, tx *Tx, entries []*central.Entry) (map[int64]bool, error) {
	var ids []int64
	for _, e := range entries {
		if e.Member > 0 {
			ids = append(ids, e.Member)
		}
	}
	known := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return known, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM members WHERE id IN (SELECT value FROM json_each(?))`, idList(ids))
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
