package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

var _ kiosk.Store = (*DB)(nil)

// How the entries table writes a decision.
const (
	decisionAccept = "accept"
	decisionRefuse = "refuse"
)

// Lookup finds a badge's holder, with the entries this kiosk recorded and
// central has not counted yet deducted from her packs. It reads in one
// snapshot so that a sync applied meanwhile cannot be half seen.
func (db *DB) Lookup(ctx context.Context, h badge.Hash, loc *time.Location) (kiosk.Holder, error) {
	var out kiosk.Holder
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("lookup: %w", db.checkFull(err))
	}
	defer tx.Rollback()
	var revoked bool
	var central string
	err = tx.QueryRowContext(ctx, `SELECT member, revoked, last_accepted FROM badges WHERE hash = ?`, h[:]).Scan(&out.Member, &revoked, &central)
	if errors.Is(err, sql.ErrNoRows) {
		out.Badge = access.BadgeUnknown
		// A badge of another space's member (a network of spaces).
		err = tx.QueryRowContext(ctx, `SELECT revoked FROM elsewhere WHERE hash = ?`, h[:]).Scan(&revoked)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return out, fmt.Errorf("lookup badge elsewhere: %w", err)
		case revoked:
			out.Badge = access.BadgeRevoked
		default:
			out.Elsewhere = true
		}
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("lookup badge: %w", err)
	}
	out.Badge = access.BadgeActive
	if revoked {
		out.Badge = access.BadgeRevoked
	}
	if err := holder(ctx, tx, &out, h, loc); err != nil {
		return out, err
	}
	// Central's account of the other kiosks of the space (anti-passback).
	if central != "" {
		t, err := parseTime(central)
		if err != nil {
			return out, fmt.Errorf("lookup: bad last acceptance %q: %w", central, err)
		}
		if t.After(out.LastAccepted) {
			out.LastAccepted = t
		}
	}
	return out, nil
}

// LookupMember finds a guest pass's host: the member with her entitlements
// as Lookup gives them, and the pass's last acceptance here.
func (db *DB) LookupMember(ctx context.Context, id int64, guest badge.Hash, loc *time.Location) (kiosk.Holder, error) {
	out := kiosk.Holder{Member: id}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("lookup: %w", db.checkFull(err))
	}
	defer tx.Rollback()
	if err := holder(ctx, tx, &out, guest, loc); err != nil {
		return out, err
	}
	return out, nil
}

// holder fills in what is known of h.Member (nothing when she is unknown
// here) and the last acceptance of the badge.
func holder(ctx context.Context, tx *sql.Tx, out *kiosk.Holder, h badge.Hash, loc *time.Location) error {
	var last sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT max(time) FROM entries WHERE badge = ? AND decision = 'accept'`, h[:]).Scan(&last)
	if err != nil {
		return fmt.Errorf("lookup last acceptance: %w", err)
	}
	if last.Valid {
		if out.LastAccepted, err = parseTime(last.String); err != nil {
			return fmt.Errorf("lookup: bad entry time %q: %w", last.String, err)
		}
	}
	var status, lastVisit string
	err = tx.QueryRowContext(ctx, `SELECT status, last_visit, name, lang FROM members WHERE id = ?`, out.Member).Scan(&status, &lastVisit, &out.Name, &out.Lang)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("lookup member: %w", err)
	}
	out.Status = access.MemberStatus(status)
	if out.LastVisit, err = access.ParseDay(lastVisit); err != nil {
		return fmt.Errorf("lookup: member %d: %w", out.Member, err)
	}
	if out.Entitlements, err = entitlements(ctx, tx, out.Member); err != nil {
		return err
	}
	if out.Events, err = memberEvents(ctx, tx, out.Member); err != nil {
		return err
	}
	// Local entries: the last accepted one (a visit central may not know
	// yet) and the entries consumed that central has not counted.
	// A guest's entry (reason guest) is not her host's visit, nor is an
	// entry for an event that took nothing (one that consumes nothing
	// makes no visit at central).
	last = sql.NullString{}
	err = tx.QueryRowContext(ctx, `SELECT time FROM entries
		WHERE member = ? AND decision = 'accept' AND reason != 'guest' AND (reason != 'event' OR consumed != 0)
		ORDER BY seq DESC LIMIT 1`, out.Member).Scan(&last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("lookup last entry: %w", err)
	}
	if last.Valid {
		t, err := parseTime(last.String)
		if err != nil {
			return fmt.Errorf("lookup: bad entry time %q: %w", last.String, err)
		}
		if d := access.DayOf(t, loc); d.After(out.LastVisit) {
			out.LastVisit = d
		}
	}
	acked, err := getMetaInt(ctx, tx, "acked")
	if err != nil {
		return fmt.Errorf("lookup: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT consumed, count(*) FROM entries
		WHERE member = ? AND seq > ? AND consumed != 0 GROUP BY consumed`, out.Member, acked)
	if err != nil {
		return fmt.Errorf("lookup pending entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		for i := range out.Entitlements {
			if out.Entitlements[i].ID == id {
				out.Entitlements[i].Entries -= n
			}
		}
	}
	return rows.Err()
}

// memberEvents returns the events the member is registered to.
func memberEvents(ctx context.Context, tx *sql.Tx, member int64) ([]access.Event, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.start, e.end, e.consumes FROM events e
		JOIN event_members m ON m.event = e.id WHERE m.member = ? ORDER BY e.start`, member)
	if err != nil {
		return nil, fmt.Errorf("lookup events: %w", err)
	}
	defer rows.Close()
	var out []access.Event
	for rows.Next() {
		var e access.Event
		var start, end string
		if err := rows.Scan(&e.ID, &start, &end, &e.Consumes); err != nil {
			return nil, err
		}
		var err1, err2 error
		e.Start, err1 = parseTime(start)
		e.End, err2 = parseTime(end)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("event %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// LookupTicket finds the standing of the event ticket of registration
// (hash h): revoked when its registration was cancelled, and its last
// acceptance here.
func (db *DB) LookupTicket(ctx context.Context, registration int64, h badge.Hash) (kiosk.Holder, error) {
	out := kiosk.Holder{Badge: access.BadgeActive}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("lookup: %w", db.checkFull(err))
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM event_revoked WHERE registration = ?`, registration).Scan(&n); err != nil {
		return out, fmt.Errorf("lookup ticket: %w", err)
	}
	if n > 0 {
		out.Badge = access.BadgeRevoked
	}
	var last sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT max(time) FROM entries WHERE badge = ? AND decision = 'accept'`, h[:]).Scan(&last); err != nil {
		return out, fmt.Errorf("lookup last acceptance: %w", err)
	}
	if last.Valid {
		if out.LastAccepted, err = parseTime(last.String); err != nil {
			return out, fmt.Errorf("lookup: bad entry time %q: %w", last.String, err)
		}
	}
	return out, nil
}

func entitlements(ctx context.Context, tx *sql.Tx, member int64) ([]access.Entitlement, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, start, end, entries, spaces
		FROM entitlements WHERE member = ? ORDER BY id`, member)
	if err != nil {
		return nil, fmt.Errorf("lookup entitlements: %w", err)
	}
	defer rows.Close()
	var out []access.Entitlement
	for rows.Next() {
		var e access.Entitlement
		var kind, start, end, spaces string
		if err := rows.Scan(&e.ID, &kind, &start, &end, &e.Entries, &spaces); err != nil {
			return nil, err
		}
		// Kept as written (access.Spaces made it): ids only, or ''.
		e.Spaces = access.SpaceSet(spaces)
		e.Kind = access.Kind(kind)
		var err1, err2 error
		e.Start, err1 = access.ParseDay(start)
		e.End, err2 = access.ParseDay(end)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("entitlement %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Record commits e, giving it a UUIDv7 and the next sequence number. The
// commit is synchronous (synchronous=FULL): when Record returns nil, the
// entry survives a power cut.
func (db *DB) Record(ctx context.Context, e *kiosk.Entry) error {
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("record: new id: %w", err)
	}
	var hash []byte
	if !e.Badge.IsZero() {
		hash = e.Badge[:]
	}
	decision := decisionRefuse
	if e.Decision.Accept {
		decision = decisionAccept
	}
	var seq int64
	err = db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO entries
			(id, time, clock_unsure, boot_id, mono, badge, member, decision, reason, consumed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id.String(), formatTime(e.Time), e.ClockUnsure, e.BootID, int64(e.Mono),
			hash, e.Member, decision, string(e.Decision.Reason), e.Decision.Consume)
		if err != nil {
			return err
		}
		if seq, err = res.LastInsertId(); err != nil {
			return err
		}
		if !e.ClockUnsure {
			return raiseKnownGood(ctx, tx, e.Time)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record entry: %w", err)
	}
	e.ID, e.Seq = id.String(), seq
	if !e.ClockUnsure {
		db.state.raise(e.Time)
	}
	return nil
}

// State returns the settings and sync times. It is read from memory: the
// door asks for it on every scan.
func (db *DB) State(ctx context.Context) (kiosk.State, error) {
	return db.state.get(ctx, db)
}

// stateCache keeps the parsed State in memory; writers update it after
// their transaction commits.
type stateCache struct {
	mu     sync.Mutex
	loaded bool
	st     kiosk.State
}

func (c *stateCache) get(ctx context.Context, db *DB) (kiosk.State, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded {
		return c.st, nil
	}
	st, err := db.loadState(ctx)
	if err != nil {
		return kiosk.State{}, err
	}
	c.st, c.loaded = st, true
	return st, nil
}

// invalidate makes the next get read the database again.
func (c *stateCache) invalidate() {
	c.mu.Lock()
	c.loaded = false
	c.mu.Unlock()
}

// raise moves KnownGood forward to t after a commit that did the same.
func (c *stateCache) raise(t time.Time) {
	c.mu.Lock()
	if c.loaded && t.After(c.st.KnownGood) {
		c.st.KnownGood = t
	}
	c.mu.Unlock()
}

// raiseKnownGood moves the stored KnownGood forward to t, never back.
func raiseKnownGood(ctx context.Context, q queryer, t time.Time) error {
	cur, err := getMetaTime(ctx, q, "known_good")
	if err != nil || !t.After(cur) {
		return err
	}
	return setMetaTime(ctx, q, "known_good", t)
}

func (db *DB) loadState(ctx context.Context) (kiosk.State, error) {
	var st kiosk.State
	var err error
	if st.LastPull, err = getMetaTime(ctx, db.db, "last_pull"); err != nil {
		return st, fmt.Errorf("state: %w", err)
	}
	if st.KnownGood, err = getMetaTime(ctx, db.db, "known_good"); err != nil {
		return st, fmt.Errorf("state: %w", err)
	}
	raw, err := getMeta(ctx, db.db, "settings")
	if err != nil {
		return st, fmt.Errorf("state: %w", err)
	}
	var ss settingsJSON
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &ss); err != nil {
			return st, fmt.Errorf("state: settings: %w", err)
		}
	}
	st.Settings = kiosk.RawSettings(ss).Parse()
	return st, nil
}

// HereToday counts the members accepted at this kiosk's space on day (in
// the zone loc): those central last said came that day (at any kiosk, as
// of the last pull) and those this kiosk let in since. For the door
// screen: a number, nobody named.
func (db *DB) HereToday(ctx context.Context, day access.Day, loc *time.Location) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM (
		SELECT id FROM members WHERE last_visit = ?
		UNION SELECT member FROM entries WHERE decision = 'accept' AND member != 0 AND time >= ? AND time < ?)`,
		day.String(), formatTime(day.Start(loc)), formatTime(day.AddDays(1).Start(loc))).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("here today: %w", err)
	}
	return n, nil
}
