package admin_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
)

// TestPasswordResetEndsOtherLinks: a bureau user's reset links are each
// used once, but using one left the others alive for the rest of their
// hour: a link mailed earlier (she asked twice; or it waits in a mailbox
// someone else reads) then set another password over the one she had
// just chosen. Setting a password ends every reset link of hers.
func TestPasswordResetEndsOtherLinks(t *testing.T) {
	e, m := newMailEnv(t)
	e.addUser("tresorier@example.org", central.RoleTreasurer, "old password 1")
	for range 2 {
		askReset(t, e, "tresorier@example.org")
	}
	r := m.of(admin.MailPasswordReset)
	if len(r) != 2 {
		t.Fatalf("%d reset mails, want 2", len(r))
	}
	hers, stale := linkPath(t, r[1].Link), linkPath(t, r[0].Link)
	c, token := publicForm(t, e, hers)
	resp, _ := c.post(hers, url.Values{"csrf": {token}, "password": {"her new password"}})
	mustStatus(t, resp, http.StatusSeeOther)

	if resp, _ := e.client().get(stale); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the other reset link after a reset: %d, want 404", resp.StatusCode)
	}
	// Whoever holds the stale link tries to set a password of her own.
	c2 := e.client()
	if resp, body := c2.get(stale); resp.StatusCode == http.StatusOK {
		if m := csrfRE.FindStringSubmatch(body); m != nil {
			c2.post(stale, url.Values{"csrf": {m[1]}, "password": {"someone else's"}})
		}
	}
	e.client().login("tresorier@example.org", "her new password")
}

// askReset asks for a reset link for the address, as the login page's
// "forgot my password" form does.
func askReset(t *testing.T, e *env, email string) {
	t.Helper()
	c, token := publicForm(t, e, "/login/reset")
	resp, _ := c.post("/login/reset", url.Values{"csrf": {token}, "email": {email}})
	mustStatus(t, resp, http.StatusSeeOther)
}

// TestPasswordChangeEndsResetLinksAndOtherSessions: an admin who changes
// her own password on the settings page (she thinks it known: it was
// written down, or seen typed) ends what the old one opened: her reset
// links still pending, which set a password of their own for an hour
// more, and her sessions in other browsers; the browser she changed it
// in stays logged in. A user whose password an admin changes is logged
// out of every browser, and her reset links end too.
func TestPasswordChangeEndsResetLinksAndOtherSessions(t *testing.T) {
	e, m := newMailEnv(t)
	her := e.addUser("presidente@example.org", central.RoleAdmin, "old password 1")
	other := e.addUser("tresorier@example.org", central.RoleTreasurer, "old password 2")
	askReset(t, e, her.Email)
	askReset(t, e, other.Email)
	links := m.of(admin.MailPasswordReset)
	if len(links) != 2 {
		t.Fatalf("%d reset mails, want 2", len(links))
	}
	herLink, otherLink := linkPath(t, links[0].Link), linkPath(t, links[1].Link)
	elsewhere := e.client().login(her.Email, "old password 1")
	otherBrowser := e.client().login(other.Email, "old password 2")
	c := e.client().login(her.Email, "old password 1")

	c.get("/settings")
	resp, _ := c.post("/settings/users/"+fmtInt(her.ID), url.Values{"password": {"her new password"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if resp, _ := c.get("/settings"); resp.StatusCode != http.StatusOK {
		t.Errorf("the browser she changed her password in: /settings %d, want 200 (still logged in)", resp.StatusCode)
	}
	if resp, _ := elsewhere.get("/today"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("her other browser after her password change: /today %d, want 303 to the login", resp.StatusCode)
	}
	if resp, _ := e.client().get(herLink); resp.StatusCode != http.StatusNotFound {
		t.Errorf("her reset link after her password change: %d, want 404", resp.StatusCode)
	}

	// Still logged in, she changes the treasurer's password.
	resp, _ = c.post("/settings/users/"+fmtInt(other.ID), url.Values{"password": {"his new password"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if resp, _ := otherBrowser.get("/today"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the treasurer's browser after an admin changed his password: /today %d, want 303 to the login", resp.StatusCode)
	}
	if resp, _ := e.client().get(otherLink); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the treasurer's reset link after an admin changed his password: %d, want 404", resp.StatusCode)
	}
	e.client().login(her.Email, "her new password")
	e.client().login(other.Email, "his new password")
}
