package admin_test

import (
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestEmptyStates: an empty list says what to do, to those who can do it.
func TestEmptyStates(t *testing.T) {
	e := newEnv(t)
	admin, reader := e.as(central.RoleAdmin), e.as(central.RoleReadOnly)
	for _, p := range []struct{ path, none, add string }{
		{"/products", "Aucun produit.", "Ajoutez-en un ci-dessous"},
		{"/kiosks", "Aucune borne.", "Ajoutez-en une ci-dessous"},
	} {
		_, body := admin.get(p.path)
		mustContain(t, body, p.none+" "+p.add)
		_, body = reader.get(p.path)
		mustContain(t, body, p.none)
		if strings.Contains(body, p.add) {
			t.Errorf("%s: a reader is told to add", p.path)
		}
	}
}
