package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestOwnPassword: a bureau user who is not an admin (a volunteer at the
// welcome desk, the treasurer) had no way to change the password the admin
// chose for her: only the admins' Settings page changes one, and the
// forgotten-password link needs e-mail. Now her name in the header leads
// to « Mon compte », where she changes it with her current one; her other
// sessions end, this one goes on.
func TestOwnPassword(t *testing.T) {
	e := newEnv(t)
	e.addUser("accueil@example.org", central.RoleDoor, "mot-de-passe-provisoire")
	other := e.client().login("accueil@example.org", "mot-de-passe-provisoire") // her phone
	c := e.client().login("accueil@example.org", "mot-de-passe-provisoire")
	_, body := c.get("/today")
	mustContain(t, body, `<a class="who" href="/account">accueil@example.org · Accueil (membres et badges)</a>`)
	resp, body := c.get("/account")
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Mon compte", "Changer mon mot de passe", `action="/account/password"`, `autocomplete="current-password"`,
		"8 caractères au moins")
	_, body = e.as(A).get("/settings") // the admin who adds her says where she changes it
	mustContain(t, body, "elle le change ensuite dans «\u00a0Mon compte\u00a0»")

	for _, tc := range []struct {
		current, password, want string
	}{
		{"pas le bon", "un-nouveau-mot-de-passe", "Ce n’est pas votre mot de passe actuel."},
		{"", "un-nouveau-mot-de-passe", "Ce n’est pas votre mot de passe actuel."},
		{"mot-de-passe-provisoire", "court", "de 8 à 256 caractères"},
		{"mot-de-passe-provisoire", strings.Repeat("x", 300), "de 8 à 256 caractères"},
	} {
		resp, body := c.post("/account/password", url.Values{"current": {tc.current}, "password": {tc.password}})
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, tc.want, `class="field-error"`, `action="/account/password"`)
	}
	if resp, _ := e.client().tryLogin("accueil@example.org", "mot-de-passe-provisoire"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a refused change changed the password: login status %d", resp.StatusCode)
	}

	resp, _ = c.post("/account/password", url.Values{"current": {"mot-de-passe-provisoire"}, "password": {"mon propre mot de passe"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/account?done=password_changed" {
		t.Errorf("after the change: Location %q", loc)
	}
	resp, body = c.get(resp.Header.Get("Location"))
	mustStatus(t, resp, http.StatusOK) // this session goes on
	mustContain(t, body, "Mot de passe changé.")
	if resp, _ := other.get("/today"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("her other session goes on after the change: status %d", resp.StatusCode)
	}
	if resp, _ := e.client().tryLogin("accueil@example.org", "mot-de-passe-provisoire"); resp.StatusCode == http.StatusSeeOther {
		t.Error("the old password still logs in")
	}
	e.client().login("accueil@example.org", "mon propre mot de passe")

	c.get("/lang/en")
	_, body = c.get("/account")
	mustContain(t, body, "My account", "Change my password", "Current password")
}
