package sqlstore

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/badgeuse/badgeuse/central"
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

// IssuePhoneBadge implements central.BadgeService (central.IssuePhoneBadge
// in one transaction). The badge's hash is badge.PhoneHash of its id,
// written once the id is known, in the same transaction (InsertBadge).
func (s *BadgeService) IssuePhoneBadge(ctx context.Context, member int64) (*central.Badge, error) {
	return updated(ctx, s.db, func(tx *Tx) (*central.Badge, error) { return central.IssuePhoneBadge(ctx, ledgerTx{tx}, member) })
}
