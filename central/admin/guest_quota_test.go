package admin_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestGuestQuotaComesBack: with no invitation left, her guest tab said
// « Il vous reste 0 invitation ce mois-ci » and nothing more; it says when
// they come back (the first of next month on the network's clock, the day
// the quota counts from) and that the bureau can invite for her
// meanwhile, in French and English; and it is true: on the 1st of
// December, Paris time, she invites again.
func TestGuestQuotaComesBack(t *testing.T) {
	e := newEnv(t)
	if err := e.settings.SetSetting(e.ctx(), central.SettingGuestQuota, "1"); err != nil {
		t.Fatal(err)
	}
	c := newCommunity(t, e)
	_, at := c.member("Alice Martin", "alice@example.org")
	m := e.client()
	m.get("/m/" + at)
	resp, _ := m.post("/m/"+at+"/guests", url.Values{"guest_name": {"Léa"}, "guest_day": {"2026-11-28"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, page := m.get("/m/" + at)
	mustContain(t, page, "<p id=\"guest-used-up\">Vous avez utilisé votre invitation de ce mois-ci (1 par mois). Vous pourrez de nouveau inviter à partir du 01/12/2026\u00a0; d’ici là, le bureau peut inviter quelqu’un pour vous\u00a0: demandez-lui.</p>")
	mustNotContain(t, page, "Il vous reste 0", `action="/m/`+at+`/guests"`)
	m.get("/lang/en")
	_, page = m.get("/m/" + at)
	mustContain(t, page, "You have used your invitation this month (1 a month). You can invite again from 2026-12-01; until then, the bureau can invite someone for you: ask them.")
	m.get("/lang/fr")

	// Two a month, both used: the plural.
	if err := e.settings.SetSetting(e.ctx(), central.SettingGuestQuota, "2"); err != nil {
		t.Fatal(err)
	}
	m.post("/m/"+at+"/guests", url.Values{"guest_name": {"Paul"}, "guest_day": {"2026-11-28"}})
	_, page = m.get("/m/" + at)
	mustContain(t, page, "Vous avez utilisé vos 2 invitations de ce mois-ci. Vous pourrez de nouveau inviter à partir du 01/12/2026\u00a0;")

	// The last minute of November in Paris: still none; the 1st: back.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 11, 30, 23, 59, 0, 0, paris))
	resp, _ = m.post("/m/"+at+"/guests", url.Values{"guest_name": {"Zoé"}, "guest_day": {"2026-12-01"}})
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, "Vous avez utilisé toutes vos invitations de ce mois-ci.")
	e.clock.Set(time.Date(2026, 12, 1, 0, 1, 0, 0, paris))
	_, page = m.get("/m/" + at)
	mustContain(t, page, "Il vous reste 2 invitations ce mois-ci (sur 2).")
	resp, _ = m.post("/m/"+at+"/guests", url.Values{"guest_name": {"Zoé"}, "guest_day": {"2026-12-01"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc == "" || loc[len(loc)-1] < '0' || loc[len(loc)-1] > '9' {
		t.Fatalf("an invitation on the 1st: %q, want her pass's page", loc)
	}
}
