package admin_test

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestUserSpaceHelp: the users' form says what an account of one space
// sees; it named its members, kiosks, entries and statistics only, while
// she also sells its products, records their payments, runs its events
// and rooms, and the network keeps its settings and its log.
func TestUserSpaceHelp(t *testing.T) {
	e := newEnv(t)
	e.seedNetwork()
	a := e.as(central.RoleAdmin)
	_, body := a.get("/settings")
	mustContain(t, textOf(body), "Un compte d’un espace ne voit que cet espace\u00a0: ses membres, ses produits et leurs ventes, ses événements",
		"les réglages, le journal et les paiements HelloAsso restent au réseau")
	a.get("/lang/en")
	_, body = a.get("/settings")
	mustContain(t, textOf(body), "An account of one space sees only that space: its members, its products and their sales, its events")
}
