package sqlstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/badge"
)

var _ central.BadgeService = (*BadgeService)(nil)

// BadgeService implements central.BadgeService.
type BadgeService struct{ db *DB }

// NewBadgeService returns the badge service of db.
func NewBadgeService(db *DB) *BadgeService { return &BadgeService{db: db} }

// hashCol scans a hex badge hash.
type hashCol struct{ h *badge.Hash }

func (c hashCol) Scan(src any) error {
	s, err := columnText(src, "badge hash")
	if err != nil || s == "" {
		*c.h = badge.Hash{}
		return err
	}
	h, err := badge.ParseHash(s)
	if err != nil {
		return err
	}
	*c.h = h
	return nil
}

func findBadges(ctx context.Context, tx *Tx, w conds, offset, limit int) ([]*central.Badge, int, error) {
	return find(ctx, tx, listQuery{
		what: "badges", columns: "id, member_id, kind, hash, created, revoked", table: "badges",
		where: w, order: "id", offset: offset, limit: limit,
	}, func(sc scanner) (*central.Badge, error) {
		var b central.Badge
		if err := sc.Scan(&b.ID, &b.Member, &b.Kind, hashCol{&b.Hash}, timeCol{&b.Created}, timeCol{&b.Revoked}); err != nil {
			return nil, fmt.Errorf("scan badge: %w", err)
		}
		return &b, nil
	})
}

// findBadge returns the badge that matches cond (one placeholder, arg), or
// nil.
func findBadge(ctx context.Context, tx *Tx, cond string, arg any) (*central.Badge, error) {
	var w conds
	w.add(cond, arg)
	return first(findBadges(ctx, tx, w, 0, 1))
}

// FindBadges implements central.BadgeService.
func (s *BadgeService) FindBadges(ctx context.Context, filter central.BadgeFilter) ([]*central.Badge, int, error) {
	return viewPage(ctx, s.db, func(tx *Tx) ([]*central.Badge, int, error) {
		var w conds
		if filter.ID != nil {
			w.add("id = ?", *filter.ID)
		}
		if filter.Member != nil {
			w.add("member_id = ?", *filter.Member)
		}
		return findBadges(ctx, tx, w, filter.Offset, filter.Limit)
	})
}

// FindBadgeByHash implements central.BadgeService.
func (s *BadgeService) FindBadgeByHash(ctx context.Context, h badge.Hash) (*central.Badge, error) {
	return view(ctx, s.db, func(tx *Tx) (*central.Badge, error) {
		b, err := findBadge(ctx, tx, "hash = ?", h.String())
		if err == nil && b == nil {
			err = central.Errorf(central.ENOTFOUND, "No such badge.")
		}
		return b, err
	})
}

// IssueBadge implements central.BadgeService (central.IssueBadge in one
// transaction).
func (s *BadgeService) IssueBadge(ctx context.Context, member int64, replace bool) (*central.Badge, badge.Secret, error) {
	var secret badge.Secret
	b, err := updated(ctx, s.db, func(tx *Tx) (b *central.Badge, err error) {
		b, secret, err = central.IssueBadge(ctx, ledgerTx{tx}, member, replace)
		return b, err
	})
	if err != nil {
		return nil, badge.Secret{}, err
	}
	return b, secret, nil
}

// RevokeBadge implements central.BadgeService (central.RevokeBadge in one
// transaction).
func (s *BadgeService) RevokeBadge(ctx context.Context, id int64) (*central.Badge, error) {
	return updated(ctx, s.db, func(tx *Tx) (*central.Badge, error) { return central.RevokeBadge(ctx, ledgerTx{tx}, id) })
}

// MemberBadges implements central.BadgeTx.
func (l ledgerTx) MemberBadges(ctx context.Context, member int64) ([]*central.Badge, error) {
	var w conds
	w.add("member_id = ?", member)
	badges, _, err := findBadges(ctx, l.tx, w, 0, 0)
	return badges, err
}

// FindBadge implements central.BadgeTx.
func (l ledgerTx) FindBadge(ctx context.Context, id int64) (*central.Badge, error) {
	return findBadge(ctx, l.tx, "id = ?", id)
}

// InsertBadge implements central.BadgeTx. A phone badge is stored with a
// placeholder hash, unique, until its id (its codes' number) is known.
func (l ledgerTx) InsertBadge(ctx context.Context, b *central.Badge) error {
	hash := b.Hash
	if b.Kind == central.BadgePhone {
		placeholder, err := badge.New()
		if err != nil {
			return err
		}
		hash = placeholder.Hash()
	}
	if err := l.tx.QueryRowContext(ctx, `INSERT INTO badges (member_id, hash, created, kind) VALUES (?, ?, ?, ?) RETURNING id`,
		b.Member, hash.String(), formatTime(b.Created), string(b.Kind)).Scan(&b.ID); err != nil {
		return fmt.Errorf("insert badge: %w", err)
	}
	if b.Kind != central.BadgePhone {
		return nil
	}
	if b.ID > math.MaxUint32 {
		return fmt.Errorf("phone badge id %d over the codes' 32 bits", b.ID)
	}
	b.Hash = badge.PhoneHash(uint32(b.ID))
	if _, err := l.tx.ExecContext(ctx, `UPDATE badges SET hash = ? WHERE id = ?`, b.Hash.String(), b.ID); err != nil {
		return fmt.Errorf("phone badge hash: %w", err)
	}
	return nil
}

// SetBadgeRevoked implements central.BadgeTx.
func (l ledgerTx) SetBadgeRevoked(ctx context.Context, id int64, t time.Time) error {
	if _, err := l.tx.ExecContext(ctx, `UPDATE badges SET revoked = ? WHERE id = ?`, formatTime(t), id); err != nil {
		return fmt.Errorf("revoke badge: %w", err)
	}
	return nil
}
