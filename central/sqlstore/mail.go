package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// Mail tokens, members' mail preferences and join requests: what the
// admin's e-mail pages (central/admin) and the e-mail handler's Prefs
// (central/email, through centrald) keep.

// CreateMailToken stores a token's hash (made by central.NewToken).
func (s *AdminService) CreateMailToken(ctx context.Context, t *adminstore.MailToken) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if t.Created.IsZero() {
		t.Created = tx.now
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_tokens (hash, purpose, subject, data, created, expires) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Hash, t.Purpose, t.Subject, t.Data, formatTime(t.Created), formatTime(t.Expires)); err != nil {
		return fmt.Errorf("insert mail token: %w", err)
	}
	return tx.Commit()
}

const mailTokenColumns = `hash, purpose, subject, data, created, expires, used`

func scanMailToken(sc scanner) (*adminstore.MailToken, error) {
	var t adminstore.MailToken
	if err := sc.Scan(&t.Hash, &t.Purpose, &t.Subject, &t.Data, timeCol{&t.Created}, timeCol{&t.Expires}, timeCol{&t.Used}); err != nil {
		return nil, err
	}
	return &t, nil
}

// FindMailToken returns the unused, unexpired token of a purpose.
// Returns EUNAUTHORIZED otherwise.
func (s *AdminService) FindMailToken(ctx context.Context, purpose, token string, now time.Time) (*adminstore.MailToken, error) {
	t, err := scanMailToken(s.db.db.QueryRowContext(ctx, `SELECT `+mailTokenColumns+` FROM mail_tokens
		WHERE hash = ? AND purpose = ? AND used = '' AND expires > ?`, central.HashToken(token), purpose, formatTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.EUNAUTHORIZED, "Unknown, used or expired link.")
	} else if err != nil {
		return nil, fmt.Errorf("find mail token: %w", err)
	}
	return t, nil
}

// UseMailToken marks a one-time token used and returns it, in one
// transaction: of two uses at once, one only succeeds. Returns
// EUNAUTHORIZED for an unknown, used or expired token.
func (s *AdminService) UseMailToken(ctx context.Context, purpose, token string, now time.Time) (*adminstore.MailToken, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := scanMailToken(tx.QueryRowContext(ctx, `UPDATE mail_tokens SET used = ?
		WHERE hash = ? AND purpose = ? AND used = '' AND expires > ? RETURNING `+mailTokenColumns,
		formatTime(now), central.HashToken(token), purpose, formatTime(now)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.EUNAUTHORIZED, "Unknown, used or expired link.")
	} else if err != nil {
		return nil, fmt.Errorf("use mail token: %w", err)
	}
	return t, tx.Commit()
}

// PurgeMailTokens deletes the tokens expired before before (used ones
// too) and returns how many.
func (s *AdminService) PurgeMailTokens(ctx context.Context, before time.Time) (int, error) {
	res, err := s.db.db.ExecContext(ctx, `DELETE FROM mail_tokens WHERE expires < ?`, formatTime(before))
	if err != nil {
		return 0, fmt.Errorf("purge mail tokens: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// MailPrefs returns a member's language and whether she turned reminders
// off (French and on when she never chose).
func (s *AdminService) MailPrefs(ctx context.Context, member int64) (lang string, remindersOff bool, err error) {
	err = s.db.db.QueryRowContext(ctx, `SELECT lang, reminders_off FROM member_mail_prefs WHERE member_id = ?`, member).
		Scan(&lang, &remindersOff)
	if errors.Is(err, sql.ErrNoRows) {
		return "fr", false, nil
	} else if err != nil {
		return "", false, fmt.Errorf("mail prefs: %w", err)
	}
	return lang, remindersOff, nil
}

// SetMailPrefs records a member's language ("fr" or "en") and reminder
// choice (decided by central.SetMailPrefs). Returns ENOTFOUND, EINVALID.
func (s *AdminService) SetMailPrefs(ctx context.Context, member int64, lang string, remindersOff bool) error {
	return s.db.update(ctx, func(tx *Tx) error {
		return central.SetMailPrefs(ctx, mailPrefsTx{ledgerTx{tx}}, member, lang, remindersOff)
	})
}

// mailPrefsTx is central.MailPrefsTx: the ledger's reads (MemberExists,
// BumpMember, Audit) and the table member_mail_prefs.
type mailPrefsTx struct{ ledgerTx }

var _ central.MailPrefsTx = mailPrefsTx{}

// MailLang implements central.MailPrefsTx.
func (t mailPrefsTx) MailLang(ctx context.Context, member int64) (string, error) {
	lang := "fr"
	if err := t.tx.QueryRowContext(ctx, `SELECT lang FROM member_mail_prefs WHERE member_id = ?`, member).Scan(&lang); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("mail prefs: %w", err)
	}
	return lang, nil
}

// SaveMailPrefs implements central.MailPrefsTx.
func (t mailPrefsTx) SaveMailPrefs(ctx context.Context, member int64, lang string, remindersOff bool) error {
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO member_mail_prefs (member_id, lang, reminders_off) VALUES (?, ?, ?)
		ON CONFLICT (member_id) DO UPDATE SET lang = excluded.lang, reminders_off = excluded.reminders_off`,
		member, lang, boolInt(remindersOff)); err != nil {
		return fmt.Errorf("set mail prefs: %w", err)
	}
	return nil
}

const joinColumns = `id, name, email, phone, COALESCE(product_id, 0), lang, created, state, decided, COALESCE(member_id, 0)`

func scanJoin(sc scanner) (*adminstore.JoinRequest, error) {
	var j adminstore.JoinRequest
	if err := sc.Scan(&j.ID, &j.Name, &j.Email, &j.Phone, &j.Product, &j.Lang, timeCol{&j.Created}, &j.State,
		timeCol{&j.Decided}, &j.Member); err != nil {
		return nil, err
	}
	return &j, nil
}

// CreateJoinRequest stores a confirmed join request, pending.
func (s *AdminService) CreateJoinRequest(ctx context.Context, j *adminstore.JoinRequest) error {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	j.Created, j.State = tx.now, adminstore.JoinPending
	var product any
	if j.Product != 0 {
		product = j.Product
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO join_requests (name, email, phone, product_id, lang, created)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, j.Name, j.Email, j.Phone, product, j.Lang, formatTime(j.Created)).Scan(&j.ID); err != nil {
		return fmt.Errorf("insert join request: %w", err)
	}
	if err := tx.audit(ctx, "join.request", fmt.Sprintf("join_request:%d", j.ID), map[string]any{"product": j.Product}); err != nil {
		return err
	}
	return tx.Commit()
}

// FindJoinRequests returns the join requests of a state ("" for all),
// oldest first, at most limit.
func (s *AdminService) FindJoinRequests(ctx context.Context, state string, limit int) ([]*adminstore.JoinRequest, error) {
	rows, err := s.db.db.QueryContext(ctx, `SELECT `+joinColumns+` FROM join_requests WHERE ? = '' OR state = ? ORDER BY id LIMIT ?`,
		state, state, limit)
	if err != nil {
		return nil, fmt.Errorf("find join requests: %w", err)
	}
	return collect(rows, func(sc scanner) (*adminstore.JoinRequest, error) {
		j, err := scanJoin(sc)
		if err != nil {
			return nil, fmt.Errorf("scan join request: %w", err)
		}
		return j, nil
	})
}

// DecideJoinRequest accepts a pending request, making its member (active,
// with the name and address she gave), or refuses it (decided by
// adminstore.DecideJoinRequest). Returns ENOTFOUND, ECONFLICT (already
// decided, or the address is a member's).
func (s *AdminService) DecideJoinRequest(ctx context.Context, id int64, accept bool) (*adminstore.JoinRequest, error) {
	return updated(ctx, s.db, func(tx *Tx) (*adminstore.JoinRequest, error) {
		return adminstore.DecideJoinRequest(ctx, adminTx{mailPrefsTx{ledgerTx{tx}}}, id, accept)
	})
}

// FindJoinRequest implements adminstore.JoinTx.
func (t adminTx) FindJoinRequest(ctx context.Context, id int64) (*adminstore.JoinRequest, error) {
	j, err := scanJoin(t.tx.QueryRowContext(ctx, `SELECT `+joinColumns+` FROM join_requests WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, central.Errorf(central.ENOTFOUND, "Join request %d not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find join request: %w", err)
	}
	return j, nil
}

// SaveJoinRequest implements adminstore.JoinTx.
func (t adminTx) SaveJoinRequest(ctx context.Context, j *adminstore.JoinRequest) error {
	var member any
	if j.Member != 0 {
		member = j.Member
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE join_requests SET state = ?, decided = ?, member_id = ? WHERE id = ?`,
		j.State, formatTime(j.Decided), member, j.ID); err != nil {
		return fmt.Errorf("decide join request: %w", err)
	}
	return nil
}
