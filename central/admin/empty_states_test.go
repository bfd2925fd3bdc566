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
	// A new association's first page said « Toutes les bornes se sont
	// synchronisées récemment. » with no kiosk at all.
	_, body := admin.get("/today")
	mustContain(t, body, "Aucune borne pour l’instant\u00a0: ajoutez celle de la porte dans <a href=\"/kiosks\">Bornes</a>.")
	_, body = reader.get("/today")
	mustContain(t, body, "Aucune borne pour l’instant.")
	for _, c := range []*client{admin, reader} {
		if _, body := c.get("/today"); strings.Contains(body, "Toutes les bornes") {
			t.Error("/today says every kiosk synced recently, with no kiosk")
		}
	}
	if _, err := e.kiosks.CreateKiosk(e.ctx(), &central.Kiosk{Name: "Porte"}); err != nil {
		t.Fatal(err)
	}
	_, body = admin.get("/today")
	mustContain(t, body, "Porte") // never seen: silent
	if strings.Contains(body, "Aucune borne") {
		t.Error("/today says there is no kiosk, with one")
	}
}
