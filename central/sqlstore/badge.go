package sqlstore

import (
	"context"
	"fmt"

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
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	var w conds
	if filter.ID != nil {
		w.add("id = ?", *filter.ID)
	}
	if filter.Member != nil {
		w.add("member_id = ?", *filter.Member)
	}
	return findBadges(ctx, tx, w, filter.Offset, filter.Limit)
}

// FindBadgeByHash implements central.BadgeService.
func (s *BadgeService) FindBadgeByHash(ctx context.Context, h badge.Hash) (*central.Badge, error) {
	tx, err := s.db.read(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	b, err := findBadge(ctx, tx, "hash = ?", h.String())
	if err == nil && b == nil {
		err = central.Errorf(central.ENOTFOUND, "No such badge.")
	}
	return b, err
}

// IssueBadge implements central.BadgeService.
func (s *BadgeService) IssueBadge(ctx context.Context, member int64, replace bool) (*central.Badge, badge.Secret, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, badge.Secret{}, err
	}
	defer tx.Rollback()
	if ok, err := memberExists(ctx, tx, member); err != nil {
		return nil, badge.Secret{}, err
	} else if !ok {
		return nil, badge.Secret{}, central.Errorf(central.ENOTFOUND, "Member %d not found.", member)
	}
	// Which badges the new one revokes is the domain's rule
	// (central.ReplacedBy); the store reads them and writes the change.
	var revoked int64
	if replace {
		var w conds
		w.add("member_id = ?", member)
		badges, _, err := findBadges(ctx, tx, w, 0, 0)
		if err != nil {
			return nil, badge.Secret{}, err
		}
		for _, old := range central.ReplacedBy(badges, replace) {
			if _, err := tx.ExecContext(ctx, `UPDATE badges SET revoked = ? WHERE id = ?`, formatTime(tx.now), old.ID); err != nil {
				return nil, badge.Secret{}, fmt.Errorf("revoke previous badges: %w", err)
			}
			revoked++
		}
	}
	secret, err := badge.New()
	if err != nil {
		return nil, badge.Secret{}, err
	}
	b := &central.Badge{Member: member, Kind: central.BadgeCard, Hash: secret.Hash(), Created: tx.now}
	if err := tx.QueryRowContext(ctx, `INSERT INTO badges (member_id, hash, created) VALUES (?, ?, ?) RETURNING id`,
		member, b.Hash.String(), formatTime(tx.now)).Scan(&b.ID); err != nil {
		return nil, badge.Secret{}, fmt.Errorf("insert badge: %w", err)
	}
	if err := tx.bump(ctx, member); err != nil {
		return nil, badge.Secret{}, err
	}
	if err := tx.audit(ctx, "badge.issue", memberObject(member), map[string]any{"badge": b.ID, "revoked": revoked}); err != nil {
		return nil, badge.Secret{}, err
	}
	if err := tx.Commit(); err != nil {
		return nil, badge.Secret{}, err
	}
	return b, secret, nil
}

// RevokeBadge implements central.BadgeService.
func (s *BadgeService) RevokeBadge(ctx context.Context, id int64) (*central.Badge, error) {
	tx, err := s.db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	b, err := findBadge(ctx, tx, "id = ?", id)
	if err != nil {
		return nil, err
	} else if b == nil {
		return nil, central.Errorf(central.ENOTFOUND, "Badge %d not found.", id)
	}
	if b.IsRevoked() {
		return b, nil
	}
	b.Revoked = tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE badges SET revoked = ? WHERE id = ?`, formatTime(tx.now), id); err != nil {
		return nil, fmt.Errorf("revoke badge: %w", err)
	}
	if err := tx.bump(ctx, b.Member); err != nil {
		return nil, err
	}
	if err := tx.audit(ctx, "badge.revoke", memberObject(b.Member), map[string]any{"badge": id}); err != nil {
		return nil, err
	}
	return b, tx.Commit()
}
