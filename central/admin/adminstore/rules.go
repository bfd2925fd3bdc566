package adminstore

import (
	"context"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// The admin's own rules, which its store runs inside its write
// transaction over the small interfaces below: a store implements their
// reads and writes only (issue 9).

// AdminUserTx is what changing admin users reads and writes of a store.
type AdminUserTx interface {
	// Now is the transaction's time.
	Now() time.Time
	// FindAdminUser returns an admin user, or ENOTFOUND.
	FindAdminUser(ctx context.Context, id int64) (*central.AdminUser, error)
	SpaceExists(ctx context.Context, space int64) (bool, error)
	// InsertAdminUser stores u (Created and Updated given) and sets its
	// ID; ECONFLICT when the e-mail is an admin user's already (the
	// store's unique index says it).
	InsertAdminUser(ctx context.Context, u *central.AdminUser) error
	// SaveAdminUser writes u's role, space, password hash, disabled and
	// updated.
	SaveAdminUser(ctx context.Context, u *central.AdminUser) error
	// DeleteSessions logs an admin user out of every browser.
	DeleteSessions(ctx context.Context, user int64) error
	// RevokeMailTokens uses up, at Now, the unused tokens of a purpose a
	// subject has.
	RevokeMailTokens(ctx context.Context, purpose string, subject int64) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
}

func adminUserObject(id int64) string { return "admin_user:" + strconv.FormatInt(id, 10) }

// checkAdminSpace returns ENOTFOUND when space (0: the network) is no
// space of the network.
func checkAdminSpace(ctx context.Context, tx AdminUserTx, space int64) error {
	if space == 0 {
		return nil
	}
	if ok, err := tx.SpaceExists(ctx, space); err != nil {
		return err
	} else if !ok {
		return central.Errorf(central.ENOTFOUND, "Space %d not found.", space)
	}
	return nil
}

// CreateAdminUser adds an admin user through tx: a valid user of the
// network or of one of its spaces. Returns EINVALID, ENOTFOUND and
// ECONFLICT (e-mail taken).
func CreateAdminUser(ctx context.Context, tx AdminUserTx, u *central.AdminUser) error {
	if err := u.Validate(); err != nil {
		return err
	}
	u.Created, u.Updated = tx.Now(), tx.Now()
	if err := checkAdminSpace(ctx, tx, u.Space); err != nil {
		return err
	}
	if err := tx.InsertAdminUser(ctx, u); err != nil {
		return err
	}
	// Her space only when she has one, so that a network user's line
	// reads as before spaces.
	d := map[string]any{"email": u.Email, "role": u.Role}
	if u.Space != 0 {
		d["space"] = u.Space
	}
	return tx.Audit(ctx, "admin_user.create", adminUserObject(u.ID), d)
}

// UpdateAdminUser changes an admin user through tx as upd says (nil
// fields stay). Whatever takes from her what her open pages show logs
// her out of every browser: a space changed (her pages showed what she
// may no longer see), her account disabled, her password changed. A new
// password also ends her pending reset links (TokenPasswordReset): one
// mailed earlier would set a password of its own over it for an hour
// more. A change of nothing changes nothing. Returns ENOTFOUND and
// EINVALID.
func UpdateAdminUser(ctx context.Context, tx AdminUserTx, id int64, upd central.AdminUserUpdate) (*central.AdminUser, error) {
	u, err := tx.FindAdminUser(ctx, id)
	if err != nil {
		return nil, err
	}
	details := map[string]any{}
	logout := false
	if upd.Role != nil && *upd.Role != u.Role {
		u.Role, details["role"] = *upd.Role, *upd.Role
	}
	if upd.Space != nil && *upd.Space != u.Space {
		if err := checkAdminSpace(ctx, tx, *upd.Space); err != nil {
			return nil, err
		}
		u.Space, details["space"] = *upd.Space, *upd.Space
		logout = true
	}
	if upd.Disabled != nil && *upd.Disabled != u.Disabled {
		u.Disabled, details["disabled"] = *upd.Disabled, *upd.Disabled
		logout = logout || u.Disabled
	}
	if upd.PasswordHash != nil {
		u.PasswordHash, details["password"] = *upd.PasswordHash, "changed"
		logout = true
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if len(details) == 0 {
		return u, nil
	}
	u.Updated = tx.Now()
	if err := tx.SaveAdminUser(ctx, u); err != nil {
		return nil, err
	}
	if logout {
		if err := tx.DeleteSessions(ctx, id); err != nil {
			return nil, err
		}
	}
	if upd.PasswordHash != nil {
		if err := tx.RevokeMailTokens(ctx, TokenPasswordReset, id); err != nil {
			return nil, err
		}
	}
	if err := tx.Audit(ctx, "admin_user.update", adminUserObject(id), details); err != nil {
		return nil, err
	}
	return u, nil
}

// JoinTx is what deciding a join request reads and writes of a store.
type JoinTx interface {
	// Now is the transaction's time.
	Now() time.Time
	// FindJoinRequest returns a join request, or ENOTFOUND.
	FindJoinRequest(ctx context.Context, id int64) (*JoinRequest, error)
	// CreateMember adds a member (central.CreateMember).
	CreateMember(ctx context.Context, m *central.Member) error
	// SaveMailPrefs stores a member's language and reminder choice.
	SaveMailPrefs(ctx context.Context, member int64, lang string, remindersOff bool) error
	// SaveJoinRequest writes j's State, Decided and Member.
	SaveJoinRequest(ctx context.Context, j *JoinRequest) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
}

// DecideJoinRequest accepts a pending request through tx, making its
// member (active, with the name and address she gave, her mails in the
// language of the page she joined on), or refuses it; a request is
// decided once. Returns ENOTFOUND, ECONFLICT (already decided, or the
// address is a member's).
func DecideJoinRequest(ctx context.Context, tx JoinTx, id int64, accept bool) (*JoinRequest, error) {
	j, err := tx.FindJoinRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if j.State != JoinPending {
		return nil, central.Errorf(central.ECONFLICT, "Join request %d was already decided.", id)
	}
	j.State, j.Decided = JoinRefused, tx.Now()
	action := "join.refuse"
	if accept {
		m := &central.Member{Name: j.Name, Email: j.Email}
		if err := tx.CreateMember(ctx, m); err != nil {
			return nil, err
		}
		j.State, j.Member, action = JoinAccepted, m.ID, "join.accept"
		if j.Lang == "en" { // French when she never chose
			if err := tx.SaveMailPrefs(ctx, m.ID, "en", false); err != nil {
				return nil, err
			}
		}
	}
	if err := tx.SaveJoinRequest(ctx, j); err != nil {
		return nil, err
	}
	if err := tx.Audit(ctx, action, "join_request:"+strconv.FormatInt(id, 10), map[string]any{"member": j.Member}); err != nil {
		return nil, err
	}
	return j, nil
}

// MemberLinkTx is what a member's self-service links read and write of a
// store.
type MemberLinkTx interface {
	// Now is the transaction's time.
	Now() time.Time
	MemberExists(ctx context.Context, member int64) (bool, error)
	// RevokeMemberLinks revokes a member's links that work, at Now, and
	// returns how many it revoked.
	RevokeMemberLinks(ctx context.Context, member int64) (int, error)
	// InsertMemberLink stores l (its Created given) and sets its ID.
	InsertMemberLink(ctx context.Context, l *central.MemberLink) error
	// MemberBadges returns all her badges, revoked ones too, by id.
	MemberBadges(ctx context.Context, member int64) ([]*central.Badge, error)
	// SetBadgeRevoked marks the badge revoked at t.
	SetBadgeRevoked(ctx context.Context, id int64, t time.Time) error
	// BumpMember gives the member the next sync version.
	BumpMember(ctx context.Context, member int64) error
	// Audit records a change made by ctx's actor.
	Audit(ctx context.Context, action, object string, details any) error
}

func memberObject(id int64) string { return "member:" + strconv.FormatInt(id, 10) }

// CreateMemberLink makes a member's new self-service link through tx, of
// the token's hash: a member has one link at a time, a new one revokes
// the previous, and with it her phone badges (endPhoneBadges). Returns
// ENOTFOUND.
func CreateMemberLink(ctx context.Context, tx MemberLinkTx, member int64, hash string) (*central.MemberLink, error) {
	if ok, err := tx.MemberExists(ctx, member); err != nil {
		return nil, err
	} else if !ok {
		return nil, central.Errorf(central.ENOTFOUND, "Member %d not found.", member)
	}
	if _, err := tx.RevokeMemberLinks(ctx, member); err != nil {
		return nil, err
	}
	phones, err := endPhoneBadges(ctx, tx, member)
	if err != nil {
		return nil, err
	}
	l := &central.MemberLink{Member: member, Hash: hash, Created: tx.Now()}
	if err := tx.InsertMemberLink(ctx, l); err != nil {
		return nil, err
	}
	details := map[string]any{"link": l.ID}
	if phones > 0 {
		details["phone_badges_revoked"] = phones
	}
	if err := tx.Audit(ctx, "member.link_create", memberObject(member), details); err != nil {
		return nil, err
	}
	return l, nil
}

// RevokeMemberLinks revokes a member's self-service link through tx, if
// she has one, and her phone badges (audited then only).
func RevokeMemberLinks(ctx context.Context, tx MemberLinkTx, member int64) error {
	n, err := tx.RevokeMemberLinks(ctx, member)
	if err != nil {
		return err
	}
	phones, err := endPhoneBadges(ctx, tx, member)
	if err != nil || n == 0 && phones == 0 {
		return err
	}
	var details any
	if phones > 0 {
		details = map[string]any{"phone_badges_revoked": phones}
	}
	return tx.Audit(ctx, "member.link_revoke", memberObject(member), details)
}

// endPhoneBadges revokes a member's phone badges that work, through tx,
// bumping her sync version so that kiosks refuse them at their next pull,
// and returns how many. A phone badge shows its codes under the link it
// was added with: once that link is replaced or revoked, the phone that
// saved it shows none (its page answers 410), and a link replaced because
// it leaked must leave no codes working on someone else's phone. She adds
// a new one from her new link's page.
func endPhoneBadges(ctx context.Context, tx MemberLinkTx, member int64) (int, error) {
	badges, err := tx.MemberBadges(ctx, member)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range badges {
		if b.Kind != central.BadgePhone || b.IsRevoked() {
			continue
		}
		if err := tx.SetBadgeRevoked(ctx, b.ID, tx.Now()); err != nil {
			return 0, err
		}
		n++
	}
	if n > 0 {
		if err := tx.BumpMember(ctx, member); err != nil {
			return 0, err
		}
	}
	return n, nil
}
