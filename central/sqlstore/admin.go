package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// AdminService keeps what the web admin (central/admin) needs beyond the
// domain services: admin users, their sessions, login throttling and
// members' self-service links. Changes people make are audited; session
// and throttle bookkeeping is not (it is not a change of the books).
type AdminService struct{ db *DB }

// NewAdminService returns the admin service of db.
func NewAdminService(db *DB) *AdminService { return &AdminService{db: db} }

const adminUserColumns = `id, email, role, password_hash, disabled, created, updated, last_login, space_id`

func scanAdminUser(sc scanner) (*central.AdminUser, error) {
	var u central.AdminUser
	if err := sc.Scan(&u.ID, &u.Email, &u.Role, &u.PasswordHash, &u.Disabled, timeCol{&u.Created}, timeCol{&u.Updated},
		timeCol{&u.LastLogin}, &u.Space); err != nil {
		return nil, err
	}
	return &u, nil
}

func findAdminUser(ctx context.Context, tx *Tx, cond string, arg any) (*central.AdminUser, error) {
	u, err := scanAdminUser(tx.QueryRowContext(ctx, `SELECT `+adminUserColumns+` FROM admin_users WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.ENOTFOUND, "Admin user not found.")
	} else if err != nil {
		return nil, fmt.Errorf("find admin user: %w", err)
	}
	return u, nil
}

// FindAdminUserByID returns ENOTFOUND if there is no such user.
func (s *AdminService) FindAdminUserByID(ctx context.Context, id int64) (*central.AdminUser, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.AdminUser, error) { return findAdminUser(ctx, tx, "id = ?", id) })
}

// adminByEmail is the condition of the admin user with the e-mail ?1, case
// folded, by the index admin_users_email.
func adminByEmail(d Dialect) string { return d.EqualFold("email") }

// FindAdminUserByEmail returns the user with the e-mail (case-insensitive),
// or ENOTFOUND.
func (s *AdminService) FindAdminUserByEmail(ctx context.Context, email string) (*central.AdminUser, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.AdminUser, error) {
		return findAdminUser(ctx, tx, adminByEmail(s.db.dialect), email)
	})
}

// FindAdminUsers returns every admin user, ordered by e-mail.
func (s *AdminService) FindAdminUsers(ctx context.Context) ([]*central.AdminUser, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+adminUserColumns+` FROM admin_users ORDER BY `+s.db.dialect.Fold("email")+`, email`)
	if err != nil {
		return nil, fmt.Errorf("find admin users: %w", err)
	}
	return collect(rows, func(sc scanner) (*central.AdminUser, error) {
		u, err := scanAdminUser(sc)
		if err != nil {
			return nil, fmt.Errorf("scan admin user: %w", err)
		}
		return u, nil
	})
}

// CreateAdminUser adds an admin user and sets u.ID (decided by
// adminstore.CreateAdminUser). Returns EINVALID and ECONFLICT (e-mail
// taken).
func (s *AdminService) CreateAdminUser(ctx context.Context, u *central.AdminUser) error {
	return s.db.update(ctx, func(tx *Tx) error { return adminstore.CreateAdminUser(ctx, adminTx{mailPrefsTx{ledgerTx{tx}}}, u) })
}

// UpdateAdminUser changes an admin user (decided by
// adminstore.UpdateAdminUser: disabling her or changing her password or
// her space deletes her sessions). Returns ENOTFOUND and EINVALID.
func (s *AdminService) UpdateAdminUser(ctx context.Context, id int64, upd central.AdminUserUpdate) (*central.AdminUser, error) {
	return updated(ctx, s.db, func(tx *Tx) (*central.AdminUser, error) {
		return adminstore.UpdateAdminUser(ctx, adminTx{mailPrefsTx{ledgerTx{tx}}}, id, upd)
	})
}

// adminTx is adminstore.AdminUserTx and adminstore.JoinTx: the ledger's
// reads and writes (Now, CreateMember, Audit), a member's mail
// preferences, and the admin's tables.
type adminTx struct{ mailPrefsTx }

var (
	_ adminstore.AdminUserTx = adminTx{}
	_ adminstore.JoinTx      = adminTx{}
)

// FindAdminUser implements adminstore.AdminUserTx.
func (t adminTx) FindAdminUser(ctx context.Context, id int64) (*central.AdminUser, error) {
	return findAdminUser(ctx, t.tx, "id = ?", id)
}

// SpaceExists implements adminstore.AdminUserTx.
func (t adminTx) SpaceExists(ctx context.Context, space int64) (bool, error) {
	var n int
	if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM spaces WHERE id = ?`, space).Scan(&n); err != nil {
		return false, fmt.Errorf("admin user space: %w", err)
	}
	return n > 0, nil
}

// InsertAdminUser implements adminstore.AdminUserTx.
func (t adminTx) InsertAdminUser(ctx context.Context, u *central.AdminUser) error {
	err := t.tx.QueryRowContext(ctx, `INSERT INTO admin_users (email, role, password_hash, disabled, created, updated, space_id)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Email, string(u.Role), u.PasswordHash, boolInt(u.Disabled),
		formatTime(u.Created), formatTime(u.Updated), u.Space).Scan(&u.ID)
	if t.tx.isUniqueViolation(err) {
		return central.Errorf(central.ECONFLICT, "An admin user already has the e-mail %s.", u.Email)
	} else if err != nil {
		return fmt.Errorf("insert admin user: %w", err)
	}
	return nil
}

// SaveAdminUser implements adminstore.AdminUserTx.
func (t adminTx) SaveAdminUser(ctx context.Context, u *central.AdminUser) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE admin_users SET role = ?, password_hash = ?, disabled = ?, updated = ?, space_id = ? WHERE id = ?`,
		string(u.Role), u.PasswordHash, boolInt(u.Disabled), formatTime(u.Updated), u.Space, u.ID); err != nil {
		return fmt.Errorf("update admin user: %w", err)
	}
	return nil
}

// DeleteSessions implements adminstore.AdminUserTx.
func (t adminTx) DeleteSessions(ctx context.Context, user int64) error {
	if _, err := t.tx.ExecContext(ctx, `DELETE FROM admin_sessions WHERE user_id = ?`, user); err != nil {
		return fmt.Errorf("delete sessions: %w", err)
	}
	return nil
}

// RevokeMailTokens implements adminstore.AdminUserTx.
func (t adminTx) RevokeMailTokens(ctx context.Context, purpose string, subject int64) error {
	_, err := revokeMailTokens(ctx, t.tx, purpose, subject, t.tx.now)
	return err
}

// CreateSession stores a new session and records the user's login.
func (s *AdminService) CreateSession(ctx context.Context, sess *adminstore.Session) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if sess.Created.IsZero() {
		sess.Created = tx.now
	}
	if sess.Seen.IsZero() {
		sess.Seen = sess.Created
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO admin_sessions (hash, user_id, csrf, created, seen) VALUES (?, ?, ?, ?, ?)`,
		sess.Hash, sess.User, sess.CSRF, formatTime(sess.Created), formatTime(sess.Seen)); err != nil {
		return fmt.Errorf("insert session: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE admin_users SET last_login = ? WHERE id = ?`, formatTime(sess.Created), sess.User); err != nil {
		return fmt.Errorf("last login: %w", err)
	}
	return tx.Commit()
}

// FindSession returns a session and its user by the session id's hash.
// Returns EUNAUTHORIZED for an unknown session.
func (s *AdminService) FindSession(ctx context.Context, hash string) (*adminstore.Session, *central.AdminUser, error) {
	row := s.db.db.QueryRowContext(ctx, `SELECT s.hash, s.user_id, s.csrf, s.created, s.seen, `+prefixed("u.", adminUserColumns)+`
		FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id WHERE s.hash = ?`, hash)
	var sess adminstore.Session
	var u central.AdminUser
	err := row.Scan(&sess.Hash, &sess.User, &sess.CSRF, timeCol{&sess.Created}, timeCol{&sess.Seen},
		&u.ID, &u.Email, &u.Role, &u.PasswordHash, &u.Disabled, timeCol{&u.Created}, timeCol{&u.Updated}, timeCol{&u.LastLogin}, &u.Space)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, central.Errorf(central.EUNAUTHORIZED, "Unknown session.")
	} else if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	return &sess, &u, nil
}

// TouchSession records a request of the session (idle timeout).
func (s *AdminService) TouchSession(ctx context.Context, hash string, seen time.Time) error {
	if _, err := s.db.db.ExecContext(ctx, `UPDATE admin_sessions SET seen = ? WHERE hash = ?`, formatTime(seen), hash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// DeleteSession logs a session out.
func (s *AdminService) DeleteSession(ctx context.Context, hash string) error {
	if _, err := s.db.db.ExecContext(ctx, `DELETE FROM admin_sessions WHERE hash = ?`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions deletes the sessions idle since before seenBefore
// or created before createdBefore, and returns how many.
func (s *AdminService) DeleteExpiredSessions(ctx context.Context, seenBefore, createdBefore time.Time) (int, error) {
	res, err := s.db.db.ExecContext(ctx, `DELETE FROM admin_sessions WHERE seen < ? OR created < ?`,
		formatTime(seenBefore), formatTime(createdBefore))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// UpdateLoginThrottles reads the throttle rows of keys and stores what
// update returns, in one write transaction: two logins at the same time
// see each other's attempts (the write lock is taken first), so a
// reservation made by update holds. update gets one row per key, in the
// order of keys (zero Failures when the key has none); the rows it
// returns are stored, and a row with zero Failures is deleted. It returns
// nothing to store (nil) to change nothing.
func (s *AdminService) UpdateLoginThrottles(ctx context.Context, keys []string,
	update func([]adminstore.LoginThrottle) []adminstore.LoginThrottle) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows := make([]adminstore.LoginThrottle, len(keys))
	for i, key := range keys {
		rows[i].Key = key
		err := tx.QueryRowContext(ctx, `SELECT failures, last_failure, locked_until FROM login_throttle WHERE key = ?`, key).
			Scan(&rows[i].Failures, timeCol{&rows[i].LastFailure}, timeCol{&rows[i].LockedUntil})
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("login throttle: %w", err)
		}
	}
	changed := update(rows)
	if len(changed) == 0 {
		return nil
	}
	for _, t := range changed {
		if t.Failures <= 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = ?`, t.Key)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO login_throttle (key, failures, last_failure, locked_until) VALUES (?, ?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure,
				locked_until = excluded.locked_until`, t.Key, t.Failures, formatTime(t.LastFailure), formatTime(t.LockedUntil))
		}
		if err != nil {
			return fmt.Errorf("set login throttle: %w", err)
		}
	}
	return tx.Commit()
}

// PurgeLoginThrottles deletes the throttle rows whose lock is over at now
// and whose last failure is before forgottenBefore, then, while more than
// keep rows remain, the oldest rows not locked at now. It returns how many
// rows it deleted. Locked rows are never deleted: a flood of new keys
// cannot unlock an attacker.
func (s *AdminService) PurgeLoginThrottles(ctx context.Context, now, forgottenBefore time.Time, keep int) (int, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	nowText := formatTime(now)
	res, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE last_failure < ? AND locked_until <= ?`,
		formatTime(forgottenBefore), nowText)
	if err != nil {
		return 0, fmt.Errorf("purge login throttle: %w", err)
	}
	n, _ := res.RowsAffected()
	var count int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM login_throttle`).Scan(&count); err != nil {
		return 0, fmt.Errorf("count login throttle: %w", err)
	}
	if count > keep {
		res, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle
			WHERE locked_until <= ? ORDER BY last_failure LIMIT ?)`, nowText, count-keep)
		if err != nil {
			return 0, fmt.Errorf("trim login throttle: %w", err)
		}
		m, _ := res.RowsAffected()
		n += m
	}
	return int(n), tx.Commit()
}

// CreateMemberLink makes a new self-service link for a member, revoking
// her previous one (decided by adminstore.CreateMemberLink), and returns
// its token (the only copy). Returns ENOTFOUND.
func (s *AdminService) CreateMemberLink(ctx context.Context, member int64) (*central.MemberLink, string, error) {
	token, hash, err := central.NewToken(central.MemberLinkPrefix)
	if err != nil {
		return nil, "", err
	}
	l, err := updated(ctx, s.db, func(tx *Tx) (*central.MemberLink, error) {
		return adminstore.CreateMemberLink(ctx, adminTx{mailPrefsTx{ledgerTx{tx}}}, member, hash)
	})
	if err != nil {
		return nil, "", err
	}
	return l, token, nil
}

// RevokeMemberLinks revokes a member's self-service link, if any
// (adminstore.RevokeMemberLinks).
func (s *AdminService) RevokeMemberLinks(ctx context.Context, member int64) error {
	return s.db.update(ctx, func(tx *Tx) error {
		return adminstore.RevokeMemberLinks(ctx, adminTx{mailPrefsTx{ledgerTx{tx}}}, member)
	})
}

var _ adminstore.MemberLinkTx = adminTx{}

// RevokeMemberLinks implements adminstore.MemberLinkTx.
func (t adminTx) RevokeMemberLinks(ctx context.Context, member int64) (int, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE member_links SET revoked = ? WHERE member_id = ? AND revoked = ''`,
		formatTime(t.tx.now), member)
	if err != nil {
		return 0, fmt.Errorf("revoke member links: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// InsertMemberLink implements adminstore.MemberLinkTx.
func (t adminTx) InsertMemberLink(ctx context.Context, l *central.MemberLink) error {
	if err := t.tx.QueryRowContext(ctx, `INSERT INTO member_links (member_id, hash, created) VALUES (?, ?, ?) RETURNING id`,
		l.Member, l.Hash, formatTime(l.Created)).Scan(&l.ID); err != nil {
		return fmt.Errorf("insert member link: %w", err)
	}
	return nil
}

// ActiveMemberLink returns a member's valid self-service link, or nil.
func (s *AdminService) ActiveMemberLink(ctx context.Context, member int64) (*central.MemberLink, error) {
	l := &central.MemberLink{Member: member}
	err := s.db.db.QueryRowContext(ctx, `SELECT id, hash, created FROM member_links WHERE member_id = ? AND revoked = ''
		ORDER BY id DESC LIMIT 1`, member).Scan(&l.ID, &l.Hash, timeCol{&l.Created})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("member link: %w", err)
	}
	return l, nil
}

// FindMemberLink returns the valid link with the token. Returns
// EUNAUTHORIZED for an unknown or revoked token.
func (s *AdminService) FindMemberLink(ctx context.Context, token string) (*central.MemberLink, error) {
	l := &central.MemberLink{}
	err := s.db.db.QueryRowContext(ctx, `SELECT id, member_id, hash, created FROM member_links WHERE hash = ? AND revoked = ''`,
		central.HashToken(token)).Scan(&l.ID, &l.Member, &l.Hash, timeCol{&l.Created})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.EUNAUTHORIZED, "Unknown or revoked link.")
	} else if err != nil {
		return nil, fmt.Errorf("find member link: %w", err)
	}
	return l, nil
}

// prefixed puts p before each column of a comma-separated list.
func prefixed(p, columns string) string {
	out := ""
	for i, c := range strings.Split(columns, ",") {
		if i > 0 {
			out += ", "
		}
		out += p + strings.TrimSpace(c)
	}
	return out
}
