package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestDomainErrorsInPages: a refusal of central shows in the page's
// language, French by default.
func TestDomainErrorsInPages(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	bad := url.Values{"name": {"Carnet vide"}, "kind": {"pack"}, "entries": {"0"}, "price": {"10"}}
	resp, body := c.post("/products", bad)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Données incorrectes\u00a0: Un carnet compte de 1 à 10\u00a0000 entrées.")
	if strings.Contains(body, "A pack needs") {
		t.Error("the French page shows central's English message")
	}
	c.get("/lang/en")
	resp, body = c.post("/products", bad)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Invalid data: A pack needs between 1 and 10000 entries.")
}

// TestImportInFrench: the import's preview explains refused lines and
// files in French.
func TestImportInFrench(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleDoor)
	preview := func(text string) (int, string) {
		t.Helper()
		resp, body := c.post("/members/import", url.Values{"action": {"preview"}, "text": {text}})
		return resp.StatusCode, body
	}
	status, body := preview("name,email\nAlice,a@example.org\n,b@example.org\nZoé,pas-un-email\nAlicia,A@example.org\n")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	mustContain(t, body, "Le nom du membre est obligatoire.", "Adresse e-mail invalide\u00a0: «\u00a0pas-un-email\u00a0».",
		"e-mail A@example.org déjà à la ligne 2")
	for _, en := range []string{"Member name required", "Invalid e-mail", "already on line"} {
		if strings.Contains(body, en) {
			t.Errorf("the French preview shows %q", en)
		}
	}
	status, body = preview("email,phone\na@example.org,06\n")
	if status != http.StatusBadRequest {
		t.Fatalf("status %d", status)
	}
	mustContain(t, body, "Pas de colonne de nom dans la ligne d’en-tête (email, phone)")
	status, body = preview("nom;email\nR\xe9mi;r@example.org\n")
	if status != http.StatusBadRequest {
		t.Fatalf("status %d", status)
	}
	mustContain(t, body, "Le fichier n’est pas du texte UTF-8")
}
