package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central/admin"
)

// TestJoinLinkOpenedAgain: the confirmation link of the join form opened
// again after she confirmed (or too late) says that a confirmed request
// needs nothing more, and gives the form to fill in again for one that
// was not; it said « Remplissez à nouveau le formulaire » on an error
// page whose only button, « Retrouver mon lien », led to the lost-link
// form of members, which someone not yet a member cannot use.
func TestJoinLinkOpenedAgain(t *testing.T) {
	e, m, _, sub := joinEnv(t)
	c, token := publicForm(t, e, "/join")
	c.post("/join", joinValues(token, "Chloé Petit", "chloe@example.org", sub.ID))
	j := m.of(admin.MailJoin)
	if len(j) != 1 {
		t.Fatalf("join mails %+v", j)
	}
	resp, _ := confirm(t, e, j[0].Link)
	mustStatus(t, resp, http.StatusSeeOther)
	for _, lang := range []string{"fr", "en"} {
		cl := e.client()
		if lang == "en" {
			cl.get("/lang/en?next=/join")
		}
		resp, body := cl.get(linkPath(t, j[0].Link))
		mustStatus(t, resp, http.StatusNotFound)
		want := "Ce lien ne marche plus (déjà utilisé ou plus de 24 heures). Vous avez déjà confirmé votre adresse\u00a0? Rien à refaire\u00a0: votre lien personnel vous arrive par e-mail dès que votre adhésion est validée. Sinon, remplissez à nouveau le formulaire ci-dessous."
		if lang == "en" {
			want = "This link no longer works (used already, or older than 24 hours). Confirmed your address already? Nothing more to do: your personal link comes by e-mail once your membership is accepted. Otherwise, fill in the form below again."
		}
		mustContain(t, body, want, `id="join-form"`, `action="/join"`)
		if strings.Contains(body, `href="/m"`) {
			t.Errorf("%s: the spent link leads to the members' lost-link form:\n%s", lang, body)
		}
	}
}
