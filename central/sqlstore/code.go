package sqlstore

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/badge"
)

var _ interface {
	SigningKey() (ed25519.PrivateKey, error)
} = (*DB)(nil)

// codeKeyMeta is the meta key of central's code-signing key: the base64 of
// its 32-byte Ed25519 seed. It never leaves the database (kiosks receive the
// public key; nothing prints or logs the seed).
const codeKeyMeta = "code_signing_key"

// EnsureCodeKey makes central's code-signing key once, when the database is
// opened (the engine calls it): a pull (a read transaction) then always
// finds it.
func (db *DB) EnsureCodeKey(ctx context.Context) error {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = ?`, codeKeyMeta).Scan(&n); err != nil {
		return fmt.Errorf("code key: %w", err)
	}
	if n > 0 {
		return nil
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return fmt.Errorf("code key: %w", err)
	}
	// ON CONFLICT DO NOTHING: two centrald commands opening a new database at
	// once keep the first key.
	if _, err := db.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		codeKeyMeta, base64.StdEncoding.EncodeToString(seed)); err != nil {
		return fmt.Errorf("code key: %w", err)
	}
	return nil
}

// SigningKey implements central.CodeKeys.
func (db *DB) SigningKey() (ed25519.PrivateKey, error) {
	return codeKey(context.Background(), db.db)
}

type rowQueryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func codeKey(ctx context.Context, q rowQueryer) (ed25519.PrivateKey, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, codeKeyMeta).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errors.New("code key: none in the database")
	}
	if err != nil {
		return nil, fmt.Errorf("code key: %w", err)
	}
	seed, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("code key: damaged in the database") // never the value
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// CodeKey implements central.LedgerView: central's public key, for kiosks.
func (l ledgerTx) CodeKey(ctx context.Context) (ed25519.PublicKey, error) {
	k, err := codeKey(ctx, l.tx)
	if err != nil {
		return nil, err
	}
	return k.Public().(ed25519.PublicKey), nil
}

// IssuePhoneBadge implements central.BadgeService. The badge's hash is
// badge.PhoneHash of its id, written once the id is known, in the same
// transaction.
func (s *BadgeService) IssuePhoneBadge(ctx context.Context, member int64) (*central.Badge, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if ok, err := memberExists(ctx, tx, member); err != nil {
		return nil, err
	} else if !ok {
		return nil, central.Errorf(central.ENOTFOUND, "Member %d not found.", member)
	}
	// A placeholder hash, unique, replaced below once the id is known.
	placeholder, err := badge.New()
	if err != nil {
		return nil, err
	}
	b := &central.Badge{Member: member, Kind: central.BadgePhone, Created: tx.now}
	if err := tx.QueryRowContext(ctx, `INSERT INTO badges (member_id, hash, created, kind) VALUES (?, ?, ?, 'phone') RETURNING id`,
		member, placeholder.Hash().String(), formatTime(tx.now)).Scan(&b.ID); err != nil {
		return nil, fmt.Errorf("insert phone badge: %w", err)
	}
	if b.ID > math.MaxUint32 {
		return nil, fmt.Errorf("phone badge id %d over the codes' 32 bits", b.ID)
	}
	b.Hash = badge.PhoneHash(uint32(b.ID))
	if _, err := tx.ExecContext(ctx, `UPDATE badges SET hash = ? WHERE id = ?`, b.Hash.String(), b.ID); err != nil {
		return nil, fmt.Errorf("phone badge hash: %w", err)
	}
	if err := tx.bump(ctx, member); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, "badge.issue_phone", memberObject(member), map[string]any{"badge": b.ID}); err != nil {
		return nil, err
	}
	return b, tx.Commit()
}
