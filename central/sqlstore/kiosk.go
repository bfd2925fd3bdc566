package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.KioskService = (*KioskService)(nil)

// KioskService implements central.KioskService.
type KioskService struct{ db *DB }

// NewKioskService returns the kiosk service of db.
func NewKioskService(db *DB) *KioskService { return &KioskService{db: db} }

const kioskColumns = `id, name, space, created, COALESCE(token_hash, ''), enroll_hash, enroll_expires, enrolled,
	disabled, last_seen, acked, pending, software`

func findKiosks(ctx context.Context, tx *Tx, w conds, offset, limit int) ([]*central.Kiosk, int, error) {
	return find(ctx, tx, listQuery{what: "kiosks", columns: kioskColumns, table: "kiosks",
		where: w, order: "id", offset: offset, limit: limit}, scanKiosk)
}

func scanKiosk(sc scanner) (*central.Kiosk, error) {
	var k central.Kiosk
	if err := sc.Scan(&k.ID, &k.Name, &k.Space, timeCol{&k.Created}, &k.TokenHash, &k.EnrollHash,
		timeCol{&k.EnrollExpires}, timeCol{&k.Enrolled}, &k.Disabled, timeCol{&k.LastSeen}, &k.Acked,
		&k.Pending, &k.Software); err != nil {
		return nil, fmt.Errorf("scan kiosk: %w", err)
	}
	return &k, nil
}

// findKioskBy returns the kiosk that matches cond (one placeholder, arg),
// or nil, in one statement: every sync call looks its kiosk up (by token,
// then by id in the pull's transaction), and a list's count is one more
// round trip to a database server.
func findKioskBy(ctx context.Context, tx *Tx, cond string, arg any) (*central.Kiosk, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+kioskColumns+` FROM kiosks WHERE `+cond+` ORDER BY id LIMIT 1`, arg)
	if err != nil {
		return nil, fmt.Errorf("find kiosk: %w", err)
	}
	ks, err := collect(rows, scanKiosk)
	return first(ks, len(ks), err)
}

func findKioskByID(ctx context.Context, tx *Tx, id int64) (*central.Kiosk, error) {
	k, err := findKioskBy(ctx, tx, "id = ?", id)
	if err == nil && k == nil {
		err = central.Errorf(central.ENOTFOUND, "Kiosk %d not found.", id)
	}
	return k, err
}

// FindKioskByID implements central.KioskService.
func (s *KioskService) FindKioskByID(ctx context.Context, id int64) (*central.Kiosk, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.Kiosk, error) { return findKioskByID(ctx, tx, id) })
}

// FindKiosks implements central.KioskService.
func (s *KioskService) FindKiosks(ctx context.Context, filter central.KioskFilter) ([]*central.Kiosk, int, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var w conds
	if filter.ID != nil {
		w.add("id = ?", *filter.ID)
	}
	return findKiosks(ctx, tx, w, filter.Offset, filter.Limit)
}

// CreateKiosk implements central.KioskService.
func (s *KioskService) CreateKiosk(ctx context.Context, k *central.Kiosk) (string, error) {
	if err := k.Validate(); err != nil {
		return "", err
	}
	token, hash, err := central.NewToken(central.EnrollTokenPrefix)
	if err != nil {
		return "", err
	}
	tx, err := s.db.begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	k.Created, k.EnrollHash, k.EnrollExpires = tx.now, hash, tx.now.Add(central.EnrollmentTTL)
	k.TokenHash, k.Enrolled, k.Disabled, k.Acked = "", time.Time{}, false, 0
	if err := tx.QueryRowContext(ctx, `INSERT INTO kiosks (name, space, created, enroll_hash, enroll_expires)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		k.Name, k.Space, formatTime(tx.now), hash, formatTime(k.EnrollExpires)).Scan(&k.ID); err != nil {
		return "", fmt.Errorf("insert kiosk: %w", err)
	}
	if err := tx.audit(ctx, "kiosk.create", kioskObject(k.ID), map[string]any{"name": k.Name, "space": k.Space,
		"enroll_expires": k.EnrollExpires}); err != nil {
		return "", err
	}
	return token, tx.Commit()
}

// Enroll implements central.KioskService.
func (s *KioskService) Enroll(ctx context.Context, enrollToken, software string) (*central.Kiosk, string, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	k, err := findKioskBy(ctx, tx, "enroll_hash = ?", central.HashToken(enrollToken))
	switch {
	case err != nil:
		return nil, "", err
	case k == nil:
		return nil, "", central.Errorf(central.EUNAUTHORIZED, "Unknown enrollment token.")
	}
	if err := k.CanEnroll(tx.now); err != nil {
		return nil, "", err
	}
	token, hash, err := central.NewToken(central.KioskTokenPrefix)
	if err != nil {
		return nil, "", err
	}
	software = clip(maxSoftware, software)
	if _, err := tx.ExecContext(ctx, `UPDATE kiosks SET token_hash = ?, enrolled = ?, last_seen = ?, software = ? WHERE id = ?`,
		hash, formatTime(tx.now), formatTime(tx.now), software, k.ID); err != nil {
		return nil, "", fmt.Errorf("enroll: %w", err)
	}
	k.TokenHash, k.Enrolled, k.LastSeen, k.Software = hash, tx.now, tx.now, software
	if err := tx.audit(ctx, "kiosk.enroll", kioskObject(k.ID), map[string]any{"software": software}); err != nil {
		return nil, "", err
	}
	return k, token, tx.Commit()
}

// Authenticate implements central.KioskService.
func (s *KioskService) Authenticate(ctx context.Context, token string) (*central.Kiosk, error) {
	if token == "" {
		return nil, central.Errorf(central.EUNAUTHORIZED, "Kiosk token required.")
	}
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	k, err := findKioskBy(ctx, tx, "token_hash = ?", central.HashToken(token))
	switch {
	case err != nil:
		return nil, err
	case k == nil:
		return nil, central.Errorf(central.EUNAUTHORIZED, "Unknown kiosk token.")
	}
	if err := k.CanSync(); err != nil {
		return nil, err
	}
	return k, nil
}

// SetKioskDisabled implements central.KioskService.
func (s *KioskService) SetKioskDisabled(ctx context.Context, id int64, disabled bool) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	k, err := findKioskByID(ctx, tx, id)
	if err != nil {
		return err
	}
	if k.Disabled == disabled {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE kiosks SET disabled = ? WHERE id = ?`, boolInt(disabled), id); err != nil {
		return fmt.Errorf("disable kiosk: %w", err)
	}
	if err := tx.audit(ctx, "kiosk.update", kioskObject(id), map[string]any{"disabled": disabled}); err != nil {
		return err
	}
	return tx.Commit()
}

// KioskSeen implements central.KioskService with one statement, without
// the writer's lock: every sync call of every kiosk records itself, and
// one update of the kiosk's row, whose last_seen only grows (Greatest),
// is correct in any order. In a write transaction, each pull of a fleet
// waited for the pushes in progress (several centrald on one PostgreSQL)
// and cost 4 round trips instead of one.
//
// It takes no writer's lock of its own, but where the engine queues this
// process's writers (SQLite: its one statement needs the file's write lock
// all the same) it waits its turn among them rather than in SQLite's busy
// handler, which a stream of writers could make it lose until
// busy_timeout.
func (s *KioskService) KioskSeen(ctx context.Context, id int64, seen central.KioskSeen) error {
	turn, err := s.db.takeTurn(ctx)
	if err != nil {
		return err
	}
	if turn != nil {
		defer func() { <-turn }()
	}
	return kioskSeen(ctx, s.db.db, s.db.dialect, id, seen)
}

// execer runs a statement: a transaction (Tx) or the pool.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func kioskSeen(ctx context.Context, tx execer, d Dialect, id int64, seen central.KioskSeen) error {
	seen.Software = clip(maxSoftware, seen.Software)
	var software, pending any
	if seen.Software != "" {
		software = seen.Software
	}
	if seen.Pending >= 0 {
		pending = seen.Pending
	}
	res, err := tx.ExecContext(ctx, `UPDATE kiosks SET last_seen = `+d.Greatest("last_seen", "?")+`, software = COALESCE(?, software),
		pending = COALESCE(?, pending) WHERE id = ?`, formatTime(seen.At), software, pending, id)
	if err != nil {
		return fmt.Errorf("kiosk seen: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return central.Errorf(central.ENOTFOUND, "Kiosk %d not found.", id)
	}
	return nil
}

func kioskObject(id int64) string { return fmt.Sprintf("kiosk:%d", id) }
