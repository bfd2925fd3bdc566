package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/admin"
)

// TestLostLinkSaysPhoneBadgeStops: a new personal link disables the
// phone badges of the old one (a link that leaked must leave no codes
// working on someone else's phone), but the lost-link pages said only
// that the old link would stop: she found out at the door. Now the
// mailed link's page says her phone badge stops too and how to make a new
// one, and so does her new page; without a phone badge both say what they
// said.
func TestLostLinkSaysPhoneBadgeStops(t *testing.T) {
	for _, c := range []struct {
		name  string
		phone bool
	}{{"a phone badge", true}, {"no phone badge", false}} {
		t.Run(c.name, func(t *testing.T) {
			e, m := newMailEnv(t)
			alice, _ := aliceWithLink(t, e)
			if c.phone {
				if _, err := e.badges.IssuePhoneBadge(e.ctx(), alice.ID); err != nil {
					t.Fatal(err)
				}
			}
			asker, csrf := publicForm(t, e, "/m")
			resp, _ := asker.post("/m", url.Values{"csrf": {csrf}, "email": {"alice@example.org"}})
			mustStatus(t, resp, http.StatusSeeOther)
			mailed := m.of(admin.MailLinkRequest)
			if len(mailed) != 1 {
				t.Fatalf("lost-link mails %+v, want one", mailed)
			}
			stops := "votre badge sur téléphone aussi"
			_, body := e.client().get(linkPath(t, mailed[0].Link))
			mustContain(t, body, "L’ancien lien cessera de marcher")
			if got := strings.Contains(body, stops); got != c.phone {
				t.Errorf("the mailed link's page says her phone badge stops: %v, want %v\n%s", got, c.phone, body)
			}
			_, body = openMailedLink(t, e, mailed[0].Link)
			mustContain(t, body, "Voici votre nouveau lien")
			again := "Votre badge sur téléphone ne marche plus"
			if got := strings.Contains(body, again); got != c.phone {
				t.Errorf("her new page says to make her phone badge again: %v, want %v\n%s", got, c.phone, body)
			}
		})
	}
}
