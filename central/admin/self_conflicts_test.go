package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// mustSayPlainly fails when a page a member reached shows the database's
// word ("Conflit avec des données existantes") instead of what happened
// and what to do (want).
func mustSayPlainly(t *testing.T, resp *http.Response, body string, want ...string) {
	t.Helper()
	mustStatus(t, resp, http.StatusConflict)
	if strings.Contains(body, "Conflit") || strings.Contains(body, "données existantes") {
		t.Errorf("%s shows the database's word:\n%s", resp.Request.URL.Path, body)
	}
	mustContain(t, body, want...)
}

// mustSayOnGrid fails unless a refused booking answered 303 to her
// grid, whose banner says want in her words (not the database's).
func mustSayOnGrid(t *testing.T, c *client, resp *http.Response, want string) {
	t.Helper()
	mustStatus(t, resp, http.StatusSeeOther)
	resp, body := c.get(resp.Header.Get("Location"))
	mustStatus(t, resp, http.StatusOK)
	if strings.Contains(body, "Conflit") || strings.Contains(body, "données existantes") {
		t.Errorf("%s shows the database's word:\n%s", resp.Request.URL.Path, body)
	}
	mustContain(t, body, `<p class="error" role="alert">`+want+`</p>`, `id="slots"`)
}

// TestMemberConflictsInWords: what the store refuses as a conflict on the
// pages a member reaches (a slot booked by someone else, her week's hours
// used up, an event she is registered for with her address, a claimed
// address that is another member's) is said in a sentence that tells what
// happened and what to do, in French and in English.
func TestMemberConflictsInWords(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	alice, at := c.member("Alice Martin", "alice@example.org")
	_, bt := c.member("Bob Durand", "")
	door := e.as(D)
	addRoom(t, door, "Salle de réunion", 30, 1)
	me, bob := e.client(), e.client()
	_, body := me.get("/m/" + at + "/book?day=2026-11-27")
	form := regexp.MustCompile(`name="start" value="(\d+)"><input type="hidden" name="end" value="(\d+)"`).FindAllStringSubmatch(body, -1)
	slot := func(i int) url.Values {
		return url.Values{"resource": {"1"}, "start": {form[i][1]}, "end": {form[i][2]}}
	}

	// Bob took the slot her page still showed free. A refused booking
	// comes back to her grid, whose banner says it
	// (TestBookRefusedBackToGrid has every reason).
	bob.get("/m/" + bt + "/book?day=2026-11-27")
	resp, _ := bob.post("/m/"+bt+"/book", slot(0))
	mustStatus(t, resp, http.StatusSeeOther)
	resp, _ = me.post("/m/"+at+"/book", slot(0))
	mustSayOnGrid(t, me, resp, "Quelqu’un d’autre vient de réserver ce créneau\u00a0: il est maintenant pris. Choisissez-en un autre.")
	// One hour a week: the third half hour is refused.
	for _, i := range []int{1, 2} {
		me.get("/m/" + at + "/book?day=2026-11-27")
		resp, _ = me.post("/m/"+at+"/book", slot(i))
		mustStatus(t, resp, http.StatusSeeOther)
	}
	me.get("/m/" + at + "/book?day=2026-11-27")
	resp, _ = me.post("/m/"+at+"/book", slot(3))
	mustSayOnGrid(t, me, resp, "Ce créneau dépasserait le temps permis pour cette ressource\u00a0: 1 h par membre et par semaine. Annulez une de vos réservations de cette semaine ou choisissez une autre semaine.")
	me.get("/lang/en")
	me.get("/m/" + at + "/book?day=2026-11-27")
	resp, _ = me.post("/m/"+at+"/book", slot(3))
	mustSayOnGrid(t, me, resp, "This slot would go over the time allowed for this resource: 1 h a member a week. Cancel one of your bookings of that week or pick another week.")
	me.get("/lang/fr")

	// Registered with her address on the event's public page, she taps
	// "M’inscrire" on her portal.
	ev := newEvent(t, e, "Atelier compta", 10, true)
	if err := e.cfg.Calendar.Register(e.ctx(), &central.Registration{Event: ev.ID, Name: "Alice", Email: "alice@example.org"}); err != nil {
		t.Fatal(err)
	}
	me.get("/m/" + at + "/agenda")
	resp, body = me.post(fmt.Sprintf("/m/%s/agenda/%d/register", at, ev.ID), nil)
	mustSayPlainly(t, resp, body, "Vous êtes déjà inscrit·e à cet événement avec votre adresse e-mail, sur sa page publique\u00a0: votre place tient. Pour l’annuler, suivez le lien de l’e-mail de confirmation.")
	if rs, _ := e.cfg.Calendar.MemberRegistrations(e.ctx(), alice); rs[ev.ID] != nil {
		t.Errorf("registered twice: %+v", rs[ev.ID])
	}
}

// TestClaimOtherMembersAddress: a member claims an address that is
// another member's; confirming it says so in words and what to do.
func TestClaimOtherMembersAddress(t *testing.T) {
	b, m := newClaimEnv(t)
	path := aliceClaims(t, b, m, "bastien@example.org")
	c2, tok := publicForm(t, b.env, path)
	resp, body := c2.post(path, url.Values{"csrf": {tok}})
	mustSayPlainly(t, resp, body, "Cette adresse e-mail est déjà celle d’un·e autre membre. Écrivez au bureau\u00a0: il pourra rattacher ses paiements au bon compte.")
}
