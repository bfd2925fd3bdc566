package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestSpaceNameComma: the members export lists a member's spaces
// separated by ", " (a contract scripts split on), so a space's name has
// no comma. Réglages refuses one for the main space's name: a 400 that
// keeps what was typed, the reason next to the field, nothing stored
// (French, then English). A space an older version named with a comma
// (stored as is) is flagged on the Espaces page, with its form to rename
// it (TestSpaceRenameForm).
func TestSpaceNameComma(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	resp, body := c.post("/settings", url.Values{"s.space.name": {"La Halle, Lyon"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `value="La Halle, Lyon"`, `aria-invalid="true"`,
		"Un nom d’espace ne peut pas contenir de virgule\u00a0: l’export des membres sépare les espaces par des virgules (écrivez par exemple «\u00a0La Cantine - Lyon\u00a0»).")
	if set, _ := e.settings.Settings(e.ctx()); set.SpaceName() == "La Halle, Lyon" {
		t.Fatal("space.name stored with a comma")
	}
	c.get("/lang/en")
	resp, body = c.post("/settings", url.Values{"s.space.name": {"La Halle, Lyon"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `value="La Halle, Lyon"`, "A space name cannot contain a comma")
	c.get("/lang/fr")

	// Spaces named with a comma before it was refused.
	if err := e.cfg.Spaces.CreateSpace(e.ctx(), &central.Space{Name: "La Cantine"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SQL().Exec(`UPDATE spaces SET name = 'Lyon, Pentes' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SQL().Exec(`UPDATE settings SET value = 'Badgeuse, Lyon' WHERE key = 'space.name'`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.SQL().Exec(`UPDATE spaces SET name = 'Badgeuse, Lyon' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/spaces")
	mustContain(t, body, "Ce nom contient une virgule",
		"Renommez-le sans virgule ci-dessous («\u00a0Nom de l’espace\u00a0»)",
		`<form method="post" action="/spaces/2/name#refused"`, `value="Lyon, Pentes"`,
		`<form method="post" action="/spaces/1/name#refused"`, `value="Badgeuse, Lyon"`)
	if strings.Contains(body, "centrald space set") {
		t.Error("the Espaces page still sends the bureau to the command line to rename a space")
	}
	c.get("/lang/en")
	_, body = c.get("/spaces")
	mustContain(t, body, "This name has a comma", "Rename it without a comma below (“Space name”)")
}
