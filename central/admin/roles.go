package admin

import "github.com/badgeuse/badgeuse/central"

// Role sets of the routes (see routes.go). Deny by default: a route
// lists the roles that may use it.
var (
	everyone    = roles(central.RoleAdmin, central.RoleTreasurer, central.RoleDoor, central.RoleReadOnly)
	admins      = roles(central.RoleAdmin)
	doorStaff   = roles(central.RoleAdmin, central.RoleDoor)                            // change members, badges, links
	treasurers  = roles(central.RoleAdmin, central.RoleTreasurer)                       // change products, sales
	salesReader = roles(central.RoleAdmin, central.RoleTreasurer, central.RoleReadOnly) // read products, sales
	doorReader  = roles(central.RoleAdmin, central.RoleDoor, central.RoleReadOnly)      // read entries
	readers     = roles(central.RoleAdmin, central.RoleReadOnly)                        // read kiosks, audit
)

// roleSet is the set of roles allowed on a route.
type roleSet map[central.Role]bool

func roles(rs ...central.Role) roleSet {
	s := roleSet{}
	for _, r := range rs {
		s[r] = true
	}
	return s
}

// List returns the roles of the set in central.Roles order.
func (s roleSet) List() []central.Role {
	var out []central.Role
	for _, r := range central.Roles {
		if s[r] {
			out = append(out, r)
		}
	}
	return out
}

// can reports whether u may use a route allowed to set.
func (s roleSet) can(u *central.AdminUser) bool { return u != nil && !u.Disabled && s[u.Role] }
