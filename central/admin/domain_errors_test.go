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
	mustContain(t, body, "Données incorrectes : Un carnet compte de 1 à 10000 entrées.")
	if strings.Contains(body, "A pack needs") {
		t.Error("the French page shows central's English message")
	}
	c.get("/lang/en")
	resp, body = c.post("/products", bad)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Invalid data: A pack needs between 1 and 10000 entries.")
}
