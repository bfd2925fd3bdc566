package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// TestSelfBadgesBounded: a member's page makes a badge in place of her
// others, or one more on her phone, at each POST. Every badge stays (a
// revoked one too: the doors say so) and every kiosk of her spaces pulls
// them all again at each change: anyone holding her link added badges in
// a loop, without end (40 in this test, thousands in minutes), growing
// the database and every kiosk's pulls. Now a member's page makes ten a
// day, then one a minute, doubling (429, Retry-After); a day later, she
// may again.
func TestSelfBadgesBounded(t *testing.T) {
	e := newEnv(t)
	alice := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(e.ctx(), alice); err != nil {
		t.Fatal(err)
	}
	_, token, err := e.store.CreateMemberLink(e.ctx(), alice.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := e.client()
	_, page := m.get("/m/" + token)
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)[1]
	count := func() int {
		bs, _, err := e.badges.FindBadges(e.ctx(), central.BadgeFilter{Member: &alice.ID})
		if err != nil {
			t.Fatal(err)
		}
		return len(bs)
	}
	for _, action := range []string{"phone", "badge"} {
		before := count()
		refused := 0
		for range 40 {
			resp, _ := m.post("/m/"+token+"/"+action, url.Values{"csrf": {csrf}})
			switch resp.StatusCode {
			case http.StatusSeeOther:
			case http.StatusTooManyRequests:
				refused++
				if resp.Header.Get("Retry-After") == "" {
					t.Errorf("%s: 429 without Retry-After", action)
				}
			default:
				t.Fatalf("%s: status %d", action, resp.StatusCode)
			}
		}
		if made := count() - before; made > 11 || refused == 0 {
			t.Errorf("%s: 40 POSTs from her page made %d badges (%d refused), want at most 11", action, made, refused)
		}
	}
	e.clock.Add(25 * time.Hour)
	resp, _ := m.post("/m/"+token+"/phone", url.Values{"csrf": {csrf}})
	mustStatus(t, resp, http.StatusSeeOther)
}
