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
