package central

import (
	"strings"
	"time"
)

// Role is what an admin user may do in the web admin. Roles are checked on
// every route (central/admin); the store only keeps them.
type Role string

// Roles. Their values are stored: append only, never rename.
const (
	RoleAdmin     Role = "admin"     // everything, including settings and admin users
	RoleTreasurer Role = "treasurer" // products, sales, billing; reads members
	RoleDoor      Role = "door"      // members, badges and self-service links only
	RoleReadOnly  Role = "readonly"  // reads every page but settings; changes nothing
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleAdmin, RoleTreasurer, RoleDoor, RoleReadOnly}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// AdminUser is a person of the bureau who logs in to the web admin. Her
// e-mail is her login and the actor recorded in the audit log.
type AdminUser struct {
	ID    int64
	Email string // unique, case-insensitive
	Role  Role
	// Space is the one space whose bureau she belongs to (issue 14): she
	// sees and changes only that space's members, kiosks, entries and
	// counts, and none of the network's pages (central/admin). 0 is the
	// whole network, the default: a user made before spaces, or of a
	// central with one space, sees everything as before. One space rather
	// than a list: a bureau is a space's (or the network's); a person in
	// two bureaus has two logins, or a network role.
	Space int64
	// PasswordHash is an argon2id hash in PHC form
	// ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash"), made by central/admin.
	PasswordHash string
	Disabled     bool // cannot log in; her sessions are deleted
	Created      time.Time
	Updated      time.Time
	LastLogin    time.Time
}

// Validate checks and normalizes an admin user's fields. It returns EINVALID.
func (u *AdminUser) Validate() error {
	u.Email = strings.TrimSpace(u.Email)
	if err := ValidateEmail(u.Email); err != nil {
		return err
	}
	if u.Role == "" {
		u.Role = RoleReadOnly
	}
	if !u.Role.Valid() {
		return Errorf(EINVALID, "Unknown role %q (admin, treasurer, door or readonly).", u.Role)
	}
	if u.PasswordHash == "" {
		return Errorf(EINVALID, "Password required.")
	}
	if u.Space < 0 {
		u.Space = 0
	}
	return nil
}

// Network reports whether she sees the whole network (no space of her
// own).
func (u *AdminUser) Network() bool { return u.Space == 0 }

// AdminUserUpdate holds the fields to change; nil fields stay as they are.
type AdminUserUpdate struct {
	Role         *Role
	Space        *int64 // 0: the whole network
	Disabled     *bool
	PasswordHash *string
}

// MemberLink is a member's personal self-service link (/m/{token}): the
// token is shown once to the bureau, stored hashed, revocable.
type MemberLink struct {
	ID      int64
	Member  int64
	Hash    string // HashToken of the token
	Created time.Time
	Revoked time.Time // zero while the link works
}

// MemberLinkPrefix starts a self-service token.
const MemberLinkPrefix = "bgm1_"
