package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// SetEnrollment stores the answer of a successful enrollment.
func (db *DB) SetEnrollment(ctx context.Context, e kiosk.Enrollment) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{
			"central": e.Central, "kiosk_id": strconv.FormatInt(e.KioskID, 10),
			"kiosk_name": e.KioskName, "space": e.Space, "token": e.Token,
		} {
			if err := setMeta(ctx, tx, k, v); err != nil {
				return fmt.Errorf("save enrollment: %w", err)
			}
		}
		return nil
	})
}

// Enrollment returns the stored enrollment, or kiosk.ErrNotEnrolled.
func (db *DB) Enrollment(ctx context.Context) (kiosk.Enrollment, error) {
	var e kiosk.Enrollment
	var err error
	if e.Central, err = getMeta(ctx, db.db, "central"); err != nil {
		return e, err
	}
	if e.Central == "" {
		return e, kiosk.ErrNotEnrolled
	}
	if e.KioskID, err = getMetaInt(ctx, db.db, "kiosk_id"); err != nil {
		return e, err
	}
	e.KioskName, _ = getMeta(ctx, db.db, "kiosk_name")
	e.Space, _ = getMeta(ctx, db.db, "space")
	e.Token, err = getMeta(ctx, db.db, "token")
	return e, err
}

// Pending returns up to limit entries not yet acknowledged by central, in
// sequence order.
func (db *DB) Pending(ctx context.Context, limit int) ([]kiosk.Entry, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT seq, id, time, clock_unsure, boot_id, mono,
		badge, member, decision, reason, consumed
		FROM entries WHERE synced = 0 ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending entries: %w", err)
	}
	defer rows.Close()
	var out []kiosk.Entry
	for rows.Next() {
		var e kiosk.Entry
		var t, decision, reason string
		var mono int64
		var hash []byte
		if err := rows.Scan(&e.Seq, &e.ID, &t, &e.ClockUnsure, &e.BootID, &mono,
			&hash, &e.Member, &decision, &reason, &e.Decision.Consume); err != nil {
			return nil, err
		}
		if e.Time, err = parseTime(t); err != nil {
			return nil, fmt.Errorf("entry %d: bad time: %w", e.Seq, err)
		}
		if len(hash) == len(badge.Hash{}) {
			e.Badge = badge.Hash(hash)
		}
		e.Mono = time.Duration(mono)
		e.Decision.Accept = decision == decisionAccept
		e.Decision.Reason = access.Reason(reason)
		out = append(out, e)
	}
	return out, rows.Err()
}

// MarkSynced records central's acknowledgement: every entry up to ack is
// safe at central.
func (db *DB) MarkSynced(ctx context.Context, ack int64, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE entries SET synced = 1 WHERE seq <= ? AND synced = 0`, ack); err != nil {
			return fmt.Errorf("mark synced: %w", err)
		}
		return setMetaTime(ctx, tx, "last_push", now)
	})
}

// Acknowledge applies central's answer to a push, in one transaction: the
// entries at the sequences in conflicts (central holds other entries
// there: this database was restored from a backup and reused them) move,
// in order, to fresh sequences at or after next and after every local
// one; the sequence counter moves past them and to at least next - 1, so
// that no new entry reuses a number central holds; then every entry up to
// ack is marked synced. The renumbered entries are pending, above ack: the
// next push sends them. next 0 (a central that does not say) changes no
// number.
func (db *DB) Acknowledge(ctx context.Context, ack int64, conflicts []int64, next int64, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if len(conflicts) > 0 || next > 0 {
			var local int64 // this database's next sequence
			if err := tx.QueryRowContext(ctx, `SELECT MAX(
				COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'entries'), 0),
				COALESCE((SELECT MAX(seq) FROM entries), 0)) + 1`).Scan(&local); err != nil {
				return fmt.Errorf("next sequence: %w", err)
			}
			fresh := max(next, local)
			for _, seq := range slices.Sorted(slices.Values(conflicts)) {
				res, err := tx.ExecContext(ctx, `UPDATE entries SET seq = ? WHERE seq = ? AND synced = 0`, fresh, seq)
				if err != nil {
					return fmt.Errorf("renumber entry %d: %w", seq, err)
				}
				if n, _ := res.RowsAffected(); n == 1 {
					fresh++
				}
			}
			if fresh > local {
				if err := raiseSequence(ctx, tx, fresh-1); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE entries SET synced = 1 WHERE seq <= ? AND synced = 0`, ack); err != nil {
			return fmt.Errorf("mark synced: %w", err)
		}
		return setMetaTime(ctx, tx, "last_push", now)
	})
}

// raiseSequence makes the next entry's sequence at least last + 1
// (AUTOINCREMENT keeps its counter in sqlite_sequence).
func raiseSequence(ctx context.Context, tx *sql.Tx, last int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'entries'`, last)
	if err != nil {
		return fmt.Errorf("sequence counter: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES ('entries', ?)`, last); err != nil {
			return fmt.Errorf("sequence counter: %w", err)
		}
	}
	return nil
}

// PullCursor returns the cursor to send in the next pull.
func (db *DB) PullCursor(ctx context.Context) (int64, error) {
	return getMetaInt(ctx, db.db, "cursor")
}

// ApplyPull applies one page of a pull in one transaction. first says the
// page is the start of a pull. A snapshot's pages mark
// the members they write; its last page removes the members it did not
// mention. Cursor, acknowledgement and sync time move only with the last
// page, so an interrupted pull is simply asked again.
func (db *DB) ApplyPull(ctx context.Context, first bool, resp kiosk.Changes, now time.Time) error {
	var dropped bool // names were dropped: they leave the write-ahead log too
	err := db.tx(ctx, func(tx *sql.Tx) error {
		gen, err := getMetaInt(ctx, tx, "snapshot_gen")
		if err != nil {
			return err
		}
		if resp.Snapshot && first {
			gen++
			if err := setMeta(ctx, tx, "snapshot_gen", strconv.FormatInt(gen, 10)); err != nil {
				return err
			}
		}
		if dropped, err = applyShowNames(ctx, tx, resp.Settings.ShowNames, resp.Snapshot); err != nil {
			return err
		}
		for _, m := range resp.Members {
			if err := putMember(ctx, tx, m, gen, resp.Settings.ShowNames); err != nil {
				return fmt.Errorf("member %d: %w", m.ID, err)
			}
		}
		for _, id := range resp.Deleted {
			if _, err := tx.ExecContext(ctx, `DELETE FROM members WHERE id = ?`, id); err != nil {
				return err
			}
		}
		for _, b := range resp.Elsewhere {
			if err := putElsewhere(ctx, tx, b, gen); err != nil {
				return fmt.Errorf("elsewhere badge: %w", err)
			}
		}
		for _, e := range resp.Events {
			if err := putEvent(ctx, tx, e, gen); err != nil {
				return fmt.Errorf("event %d: %w", e.ID, err)
			}
		}
		settings, err := json.Marshal(storedSettings(resp.Settings))
		if err != nil {
			return err
		}
		if err := setMeta(ctx, tx, "settings", string(settings)); err != nil {
			return err
		}
		if resp.More {
			return nil
		}
		if resp.Snapshot {
			if _, err := tx.ExecContext(ctx, `DELETE FROM members WHERE gen < ?`, gen); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM elsewhere WHERE gen < ?`, gen); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE gen < ?`, gen); err != nil {
				return err
			}
		}
		// Events over for a day are of no use at the door.
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE end < ?`, formatTime(now.Add(-24*time.Hour))); err != nil {
			return err
		}
		cursor := resp.Cursor
		if names, err := getMeta(ctx, tx, "names_snapshot"); err != nil {
			return err
		} else if names != "" {
			// Names were turned on: the members held came without theirs;
			// the next pull is a snapshot (cursor 0) that brings them.
			cursor = 0
			if err := setMeta(ctx, tx, "names_snapshot", ""); err != nil {
				return err
			}
		}
		for k, v := range map[string]int64{"cursor": cursor, "acked": resp.Acked} {
			if err := setMeta(ctx, tx, k, strconv.FormatInt(v, 10)); err != nil {
				return err
			}
		}
		if err := setMetaTime(ctx, tx, "last_pull", now); err != nil {
			return err
		}
		return raiseKnownGood(ctx, tx, resp.ServerTime)
	})
	if err != nil {
		return fmt.Errorf("apply pull: %w", err)
	}
	db.state.invalidate()
	if dropped {
		// The old pages, names included, stay in the write-ahead log
		// until a checkpoint: copy the new ones into the file and empty
		// the log now (TestDoorNamesLeaveTheFiles).
		if _, err := db.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return fmt.Errorf("apply pull: names dropped, checkpoint: %w", err)
		}
	}
	return nil
}

func putMember(ctx context.Context, tx *sql.Tx, m kiosk.Member, gen int64, names bool) error {
	name := ""
	if names {
		name = m.Name
	}
	// A status unknown to this version is stored as is: Decide refuses it.
	_, err := tx.ExecContext(ctx, `INSERT INTO members (id, status, last_visit, gen, name, lang) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET status = excluded.status, last_visit = excluded.last_visit, gen = excluded.gen,
			name = excluded.name, lang = excluded.lang`,
		m.ID, string(m.Status), m.LastVisit.String(), gen, name, m.Lang)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM badges WHERE member = ?`, m.ID); err != nil {
		return err
	}
	for _, b := range m.Badges {
		last := ""
		if !b.LastAccepted.IsZero() {
			last = formatTime(b.LastAccepted)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO badges (hash, member, revoked, last_accepted) VALUES (?, ?, ?, ?)
			ON CONFLICT (hash) DO UPDATE SET member = excluded.member, revoked = excluded.revoked,
				last_accepted = excluded.last_accepted`,
			b.Hash[:], m.ID, b.Revoked, last); err != nil {
			return err
		}
		// Her badge is hers here now, no longer another space's.
		if _, err := tx.ExecContext(ctx, `DELETE FROM elsewhere WHERE hash = ?`, b.Hash[:]); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM entitlements WHERE member = ?`, m.ID); err != nil {
		return err
	}
	for _, e := range m.Entitlements {
		if _, err := tx.ExecContext(ctx, `INSERT INTO entitlements (id, member, kind, start, end, entries, spaces)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET member = excluded.member, kind = excluded.kind,
				start = excluded.start, end = excluded.end, entries = excluded.entries, spaces = excluded.spaces`,
			e.ID, m.ID, string(e.Kind), e.Start.String(), e.End.String(), e.Entries, e.Spaces.String()); err != nil {
			return err
		}
	}
	return nil
}

// applyShowNames follows door.show_names (central's settings in a page,
// before they are stored): turned off, the names held are dropped at once
// (dropped says some were); turned on during an incremental pull, the
// members held have none, so the pull's end asks for a snapshot next (meta
// names_snapshot).
func applyShowNames(ctx context.Context, tx *sql.Tx, show, snapshot bool) (dropped bool, err error) {
	if !show {
		res, err := tx.ExecContext(ctx, `UPDATE members SET name = '' WHERE name != ''`)
		if err != nil {
			return false, fmt.Errorf("drop names: %w", err)
		}
		n, _ := res.RowsAffected()
		return n > 0, setMeta(ctx, tx, "names_snapshot", "")
	}
	raw, err := getMeta(ctx, tx, "settings")
	if err != nil {
		return false, err
	}
	var was settingsJSON
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &was); err != nil {
			return false, fmt.Errorf("settings: %w", err)
		}
	}
	if was.ShowNames || snapshot {
		return false, nil
	}
	return false, setMeta(ctx, tx, "names_snapshot", "1")
}

// putElsewhere keeps the hash of a badge of another space's member. A
// badge held by a member here stays hers (a pull sends a member either
// here or elsewhere; a stale copy from an earlier page never wins).
// putEvent replaces what the kiosk holds of an event.
func putEvent(ctx context.Context, tx *sql.Tx, e kiosk.Event, gen int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = ?`, e.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, start, end, consumes, gen) VALUES (?, ?, ?, ?, ?)`,
		e.ID, formatTime(e.Start), formatTime(e.End), e.Consumes, gen); err != nil {
		return err
	}
	for _, m := range e.Members {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO event_members (member, event) VALUES (?, ?)`, m, e.ID); err != nil {
			return err
		}
	}
	for _, r := range e.Revoked {
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO event_revoked (registration, event) VALUES (?, ?)`, r, e.ID); err != nil {
			return err
		}
	}
	return nil
}

func putElsewhere(ctx context.Context, tx *sql.Tx, b kiosk.Badge, gen int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO elsewhere (hash, revoked, gen)
		SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM badges WHERE hash = ?1)
		ON CONFLICT (hash) DO UPDATE SET revoked = excluded.revoked, gen = excluded.gen`, b.Hash[:], b.Revoked, gen)
	return err
}

// settingsJSON is how the space's settings are kept in meta (key
// "settings"): the same JSON as the protocol's settings, so that databases
// written before the store spoke kiosk types read the same.
type settingsJSON struct {
	Space string `json:"space"`
	// SpaceID: a database written before spaces reads 0 (nothing checked
	// until the next pull).
	SpaceID int64 `json:"space_id,omitempty"`
	// SpaceKey: a database written before it reads "" (guest passes
	// checked for Space alone until the next pull).
	SpaceKey      string `json:"space_key,omitempty"`
	Timezone      string `json:"timezone"`
	Hours         string `json:"hours,omitempty"`
	StaleAfter    string `json:"stale_after,omitempty"`
	StalePolicy   string `json:"stale_policy,omitempty"`
	CodeKey       string `json:"code_key,omitempty"`
	CodeTolerance string `json:"code_tolerance,omitempty"`
	Passback      string `json:"passback,omitempty"`
	GuestConsumes bool   `json:"guest_consumes,omitempty"`
	// RequireMembership: a database written before it reads false (off).
	RequireMembership bool `json:"require_membership,omitempty"`
	// ShowNames: a database written before it reads false (no names).
	ShowNames bool `json:"show_names,omitempty"`
}

func storedSettings(r kiosk.RawSettings) settingsJSON { return settingsJSON(r) }

// Status is what `kioskd status` prints.
type Status struct {
	Enrolled     bool       `json:"enrolled"`
	Central      string     `json:"central,omitempty"`
	Kiosk        string     `json:"kiosk,omitempty"`
	Pending      int        `json:"pending"`       // entries not yet acknowledged by central
	LastSync     *time.Time `json:"last_sync"`     // last completed pull (null: never)
	LastPush     *time.Time `json:"last_push"`     // last acknowledged push (null: never)
	StateVersion int64      `json:"state_version"` // the pull cursor
	Members      int        `json:"members"`
	LastSeq      int64      `json:"last_seq"`
	// Storage is "ok", or "disk_full" when the data folder's disk has less
	// than 1 MiB free: the door then refuses every scan, since it cannot
	// record them. DiskFree is that free space in bytes (-1: unknown).
	Storage  string `json:"storage"`
	DiskFree int64  `json:"disk_free_bytes"`
}

// Status reports the sync status and the state of the data folder's disk.
func (db *DB) Status(ctx context.Context) (Status, error) {
	var s Status
	s.Storage, s.DiskFree = DiskState(filepath.Dir(db.path))
	e, err := db.Enrollment(ctx)
	switch {
	case err == nil:
		s.Enrolled, s.Central, s.Kiosk = true, e.Central, e.KioskName
	case !errors.Is(err, kiosk.ErrNotEnrolled):
		return s, err
	}
	q := func(query string, dst any) {
		if err == nil {
			err = db.db.QueryRowContext(ctx, query).Scan(dst)
		}
	}
	err = nil
	q(`SELECT count(*) FROM entries WHERE synced = 0`, &s.Pending)
	q(`SELECT count(*) FROM members`, &s.Members)
	q(`SELECT coalesce(max(seq), 0) FROM entries`, &s.LastSeq)
	if err != nil {
		return s, fmt.Errorf("status: %w", err)
	}
	for key, dst := range map[string]**time.Time{"last_pull": &s.LastSync, "last_push": &s.LastPush} {
		t, err := getMetaTime(ctx, db.db, key)
		if err != nil {
			return s, err
		}
		if !t.IsZero() {
			*dst = &t
		}
	}
	s.StateVersion, err = getMetaInt(ctx, db.db, "cursor")
	return s, err
}

// Purge deletes entries acknowledged by central and older than before
// (personal movement data: CNIL's reference is three months). Entries not
// yet at central are never purged.
func (db *DB) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.db.ExecContext(ctx, `DELETE FROM entries WHERE synced = 1 AND time < ?`,
		formatTime(before))
	if err != nil {
		return 0, fmt.Errorf("purge entries: %w", err)
	}
	return res.RowsAffected()
}

// Unsync marks the entries above ack as not synced, so that they are sent
// again: central answered with a lower acknowledgement than before (its
// database was restored from a backup).
func (db *DB) Unsync(ctx context.Context, ack int64) error {
	if _, err := db.db.ExecContext(ctx, `UPDATE entries SET synced = 0 WHERE seq > ? AND synced = 1`, ack); err != nil {
		return fmt.Errorf("unsync: %w", err)
	}
	return nil
}

// LastSynced returns the highest sequence of an entry central acknowledged
// and this database still holds (0: none).
func (db *DB) LastSynced(ctx context.Context) (int64, error) {
	var seq int64
	err := db.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM entries WHERE synced = 1`).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("last synced: %w", err)
	}
	return seq, nil
}

// PendingCount counts the entries not yet acknowledged by central.
func (db *DB) PendingCount(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM entries WHERE synced = 0`).Scan(&n)
	return n, err
}
