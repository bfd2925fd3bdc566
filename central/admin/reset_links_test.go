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
		c, token := publicForm(t, e, "/login/reset")
		resp, _ := c.post("/login/reset", url.Values{"csrf": {token}, "email": {"tresorier@example.org"}})
		mustStatus(t, resp, http.StatusSeeOther)
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
