package central

import (
	"context"
	"time"

	"github.com/badgeuse/badgeuse/shared/badge"
)

// Badge is a member's badge as central knows it: only the hash of its
// secret. The secret (the text in the QR code) is shown once, when the
// badge is issued, and never stored.
type Badge struct {
	ID      int64
	Member  int64
	Kind    BadgeKind
	Hash    badge.Hash
	Created time.Time
	Revoked time.Time // zero while the badge is valid
}

// BadgeKind says what holds a badge.
type BadgeKind string

// Badge kinds. Stored: append only.
const (
	// BadgeCard is a printed badge (or its PNG): a random secret.
	BadgeCard BadgeKind = "card"
	// BadgePhone is the badge on a member's phone: no secret, codes
	// signed by central for each 30-second window (shared/badge.Code).
	BadgePhone BadgeKind = "phone"
)

// IsRevoked reports whether the badge was revoked.
func (b *Badge) IsRevoked() bool { return !b.Revoked.IsZero() }

// ReplacedBy returns the badges, of one member, that a new printed badge
// issued with replace revokes: her valid printed badges (a lost or stolen
// card). Her phone badges stay, and so do badges already revoked (their
// revocation time is kept). Without replace the new badge is one more and
// revokes nothing.
func ReplacedBy(badges []*Badge, replace bool) []*Badge {
	if !replace {
		return nil
	}
	var out []*Badge
	for _, b := range badges {
		if b.Kind == BadgeCard && !b.IsRevoked() {
			out = append(out, b)
		}
	}
	return out
}

// BadgeFilter selects badges. Zero fields select everything.
type BadgeFilter struct {
	ID     *int64
	Member *int64
	Offset int
	Limit  int
}

// BadgeService issues and revokes badges. Both bump the member's sync
// version so kiosks learn of them at their next pull.
type BadgeService interface {
	// IssueBadge makes a new random secret for a member and stores its
	// hash. With replace, the member's other valid printed badges are
	// revoked in the same transaction (a lost or stolen card; her phone
	// badges stay); without, the new badge is one more. The secret is
	// returned once: print it.
	// Returns ENOTFOUND if the member does not exist.
	IssueBadge(ctx context.Context, member int64, replace bool) (*Badge, badge.Secret, error)

	// IssuePhoneBadge makes a new phone badge for a member (one more
	// badge: nothing is revoked). Its codes are made by PhoneCodes.
	// Returns ENOTFOUND if the member does not exist.
	IssuePhoneBadge(ctx context.Context, member int64) (*Badge, error)

	// RevokeBadge revokes a badge. Revoking a revoked badge changes
	// nothing. Returns ENOTFOUND.
	RevokeBadge(ctx context.Context, id int64) (*Badge, error)

	// FindBadgeByHash returns ENOTFOUND if no badge has the hash.
	FindBadgeByHash(ctx context.Context, h badge.Hash) (*Badge, error)

	// FindBadges returns the matching badges ordered by id, and how many
	// match without Offset and Limit.
	FindBadges(ctx context.Context, filter BadgeFilter) ([]*Badge, int, error)
}

// BadgeTx is what issuing and revoking badges needs of a store, inside its
// write transaction (see ledger.go).
type BadgeTx interface {
	// Now is the transaction's time.
	Now() time.Time
	MemberExists(ctx context.Context, member int64) (bool, error)
	// MemberBadges returns all her badges, revoked ones too, by id.
	MemberBadges(ctx context.Context, member int64) ([]*Badge, error)
	// FindBadge returns the badge, or nil if there is none.
	FindBadge(ctx context.Context, id int64) (*Badge, error)
	// InsertBadge stores b (Member, Kind, Hash, Created) and sets its ID;
	// a phone badge's hash is badge.PhoneHash of that ID, set in b too.
	InsertBadge(ctx context.Context, b *Badge) error
	// SetBadgeRevoked marks the badge revoked at t.
	SetBadgeRevoked(ctx context.Context, id int64, t time.Time) error
	// BumpMember gives the member the next sync version.
	BumpMember(ctx context.Context, member int64) error
	// Audit records a change made by ctx's actor; details hold no secret.
	Audit(ctx context.Context, action, object string, details any) error
}

// IssueBadge issues a printed badge in tx (BadgeService.IssueBadge): the
// badges it replaces (ReplacedBy) are revoked, her sync version bumped so
// that kiosks learn of both, the issue audited with how many it revoked.
func IssueBadge(ctx context.Context, tx BadgeTx, member int64, replace bool) (*Badge, badge.Secret, error) {
	if err := memberKnown(ctx, tx, member); err != nil {
		return nil, badge.Secret{}, err
	}
	var revoked int64
	if replace {
		badges, err := tx.MemberBadges(ctx, member)
		if err != nil {
			return nil, badge.Secret{}, err
		}
		for _, old := range ReplacedBy(badges, replace) {
			if err := tx.SetBadgeRevoked(ctx, old.ID, tx.Now()); err != nil {
				return nil, badge.Secret{}, err
			}
			revoked++
		}
	}
	secret, err := badge.New()
	if err != nil {
		return nil, badge.Secret{}, err
	}
	b := &Badge{Member: member, Kind: BadgeCard, Hash: secret.Hash(), Created: tx.Now()}
	if err := tx.InsertBadge(ctx, b); err != nil {
		return nil, badge.Secret{}, err
	}
	if err := tx.BumpMember(ctx, member); err != nil {
		return nil, badge.Secret{}, err
	}
	if err := tx.Audit(ctx, "badge.issue", memberObject(member), map[string]any{"badge": b.ID, "revoked": revoked}); err != nil {
		return nil, badge.Secret{}, err
	}
	return b, secret, nil
}

// IssuePhoneBadge issues a phone badge in tx (BadgeService.IssuePhoneBadge):
// one more badge, nothing revoked; her sync version bumped.
func IssuePhoneBadge(ctx context.Context, tx BadgeTx, member int64) (*Badge, error) {
	if err := memberKnown(ctx, tx, member); err != nil {
		return nil, err
	}
	b := &Badge{Member: member, Kind: BadgePhone, Created: tx.Now()}
	if err := tx.InsertBadge(ctx, b); err != nil {
		return nil, err
	}
	if err := tx.BumpMember(ctx, member); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "badge.issue_phone", memberObject(member), map[string]any{"badge": b.ID}); err != nil {
		return nil, err
	}
	return b, nil
}

// RevokeBadge revokes a badge in tx (BadgeService.RevokeBadge): once; her
// sync version bumped so that kiosks refuse it at their next pull.
func RevokeBadge(ctx context.Context, tx BadgeTx, id int64) (*Badge, error) {
	b, err := tx.FindBadge(ctx, id)
	if err != nil {
		return nil, err
	} else if b == nil {
		return nil, Errorf(ENOTFOUND, "Badge %d not found.", id)
	}
	if b.IsRevoked() {
		return b, nil
	}
	b.Revoked = tx.Now()
	if err := tx.SetBadgeRevoked(ctx, id, b.Revoked); err != nil {
		return nil, err
	}
	if err := tx.BumpMember(ctx, b.Member); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, "badge.revoke", memberObject(b.Member), map[string]any{"badge": id}); err != nil {
		return nil, err
	}
	return b, nil
}

// memberKnown returns ENOTFOUND for a member tx does not hold.
func memberKnown(ctx context.Context, tx interface {
	MemberExists(ctx context.Context, member int64) (bool, error)
}, member int64) error {
	if ok, err := tx.MemberExists(ctx, member); err != nil {
		return err
	} else if !ok {
		return Errorf(ENOTFOUND, "Member %d not found.", member)
	}
	return nil
}
