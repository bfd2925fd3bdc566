package admin_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// seedGuests gives Marc two guests today, who take his entries: Léa came
// (her pass's entry pushed by a kiosk), Paul did not yet. It returns
// Marc's id.
func seedGuests(t *testing.T, e *env) int64 {
	t.Helper()
	ctx := e.ctx()
	marc := &central.Member{Name: "Marc Dupont"}
	if err := e.members.CreateMember(ctx, marc); err != nil {
		t.Fatal(err)
	}
	guests := sqlstore.NewGuestService(e.db.DB)
	var passes []*central.GuestPass
	for _, name := range []string{"Léa Martin", "Paul Roux"} {
		g := &central.GuestPass{Host: marc.ID, Name: name, Day: access.MustDay("2026-11-26"), Space: "Badgeuse"}
		if err := guests.IssueGuestPass(ctx, g, 0); err != nil {
			t.Fatal(err)
		}
		passes = append(passes, g)
	}
	k := &central.Kiosk{Name: "Porte"}
	if _, err := e.kiosks.CreateKiosk(ctx, k); err != nil {
		t.Fatal(err)
	}
	if err := e.settings.SetSetting(ctx, central.SettingGuestConsumes, "true"); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	for seq := int64(1); seq <= 2; seq++ { // Léa scans twice: one guest
		if _, err := e.sync.Push(ctx, &central.Push{Kiosk: k.ID, Received: at, SentAt: at, Entries: []*central.Entry{
			{ID: fmt.Sprintf("0190b2a0-0000-7000-8000-0000000003%02d", seq), Seq: seq, Member: marc.ID,
				Badge: badge.GuestHash(uint32(passes[0].ID)), KioskTime: at, Accept: true, Reason: access.OKGuest},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	return marc.ID
}

// TestGuestsSeen: the bureau sees a host's guests on her page (who came)
// and the guests who came per month on the statistics page and in its
// export, apart from members.
func TestGuestsSeen(t *testing.T) {
	e := newEnv(t)
	marc := seedGuests(t, e)
	c := e.as(central.RoleAdmin)
	resp, body := c.get(fmt.Sprintf("/members/%d", marc))
	mustStatus(t, resp, 200)
	mustContain(t, body, `<h2 id="guests">Invité·es</h2>`,
		`>Léa Martin</a></td><td><span class="tag active">venu·e</span> (une entrée de la carte)</td>`,
		`>Paul Roux</a></td><td><span class="muted">pas encore</span>`,
		`<dd class="neg">1</dd>`) // Marc has no card: Léa's entry is owed (his balance shows it)

	_, body = c.get("/stats")
	mustContain(t, body, "Invité·es venu·es par mois", `<tr><td>novembre 2026</td><td class="num">1</td></tr>`, `href="/stats/guests.csv"`)
	if strings.Contains(body, `<tr><td>novembre 2026</td><td class="num">2</td></tr>`) {
		t.Error("Léa's two entries counted twice, or as a member's")
	}
	_, body = c.get("/stats/guests.csv?format=raw")
	mustContain(t, body, "month,guests\n", "2026-11,1\n", "2025-12,0\n")
	_, body = c.get("/stats/guests.csv")
	mustContain(t, body, "\ufeffMois;Invité·es\r\n", "novembre\u00a02026;1\r\n")
	_, body = c.get("/stats/members.csv?format=raw")
	mustContain(t, body, "2026-11,0\n")
}

// TestInviteGuest: from her page a member invites a guest (name, day by a
// date input, CSRF; 303 to the pass's page), sees her quota, gets the
// pass as a QR code to forward (the text `centrald guest add` would
// print: it verifies for that day, naming her as host) and e-mails it
// once per address, in French or English; mistakes come back next to
// the field with what she typed; past the quota she is told so. The
// bureau invites for her from her admin page, without quota. Another
// member's pass is not found through her link.
func TestInviteGuest(t *testing.T) {
	e, mails := newMailEnv(t)
	seed(t, e)
	door := e.as(D)
	_, body := door.follow(door.post("/members/1/link", nil))
	token := regexp.MustCompile(`/m/(bgm1_[A-Za-z0-9_-]+)`).FindStringSubmatch(body)[1]
	m := e.client()
	resp, page := m.get("/m/" + token)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, page, "Inviter quelqu’un", "Il vous reste 2 invitations ce mois-ci (sur 2).",
		`name="guest_day" type="date" required min="2026-11-26" value="2026-11-26"`)

	// Mistakes come back next to the field, with what she typed.
	resp, _ = m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Léa Martin"}, "guest_day": {"2026-11-25"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, "Choisissez un jour d’aujourd’hui à un an.", `value="Léa Martin"`, `value="2026-11-25" aria-invalid="true"`)
	resp, _ = m.post("/m/"+token+"/guests", url.Values{"guest_name": {" "}, "guest_day": {"2026-11-27"}})
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, "Écrivez le nom de la personne invitée")
	// Without the page's token, nothing.
	resp, _ = m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Léa"}, "guest_day": {"2026-11-27"}, "csrf": {"forged"}})
	mustStatus(t, resp, http.StatusForbidden)

	resp, _ = m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Léa Martin"}, "guest_day": {"2026-11-27"}})
	mustStatus(t, resp, http.StatusSeeOther)
	passPage := resp.Header.Get("Location")
	if !regexp.MustCompile(`^/m/` + token + `/guests/\d+$`).MatchString(passPage) {
		t.Fatalf("redirected to %q", passPage)
	}
	resp, page = m.get(passPage)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, page, "Pass invité", "Léa Martin, le 27/11/2026", `download="invitation.png"`, `<svg class="qr"`,
		"Transférez cette image", "Envoyer par e-mail")
	// The pass is the signed code of that day, naming her as host.
	passes, _, _ := e.cfg.Guests.FindGuestPasses(e.ctx(), central.GuestFilter{Host: ptr(int64(1))})
	if len(passes) != 1 || !passes[0].ByMember || passes[0].Name != "Léa Martin" {
		t.Fatalf("passes %+v", passes)
	}
	key, _ := e.db.SigningKey()
	c, err := badge.ParseCode(central.GuestPassText(key, passes[0]))
	if err != nil || c.Kind != badge.KindGuest || c.Host != 1 || !c.Verify(key.Public().(ed25519.PublicKey), passes[0].Space) {
		t.Fatalf("the pass's code: %+v %v", c, err)
	}
	// A reload shows it again and makes nothing.
	m.get(passPage)
	if ps, _, _ := e.cfg.Guests.FindGuestPasses(e.ctx(), central.GuestFilter{}); len(ps) != 1 {
		t.Fatalf("%d passes after a reload", len(ps))
	}

	// By e-mail: a bad address comes back; then once per address.
	resp, _ = m.post(passPage+"/mail", url.Values{"email": {"lea@"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, "Cette adresse e-mail n’est pas valide.", `value="lea@"`)
	for range 2 {
		resp, _ = m.post(passPage+"/mail", url.Values{"email": {"lea@example.org"}, "lang": {"en"}})
		mustStatus(t, resp, http.StatusSeeOther)
	}
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, "E-mail en route")
	sent := mails.of(admin.MailGuest)
	if len(sent) != 1 || sent[0].To != "lea@example.org" || sent[0].Name != "Léa Martin" || sent[0].Lang != "en" ||
		sent[0].Day != "2026-11-27" || sent[0].Host != "Alice Martin" || !bytes.HasPrefix(sent[0].BadgePNG, []byte("\x89PNG")) {
		t.Fatalf("guest mails %+v", sent)
	}

	// Quota: 2 a month.
	m.get("/m/" + token)
	m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Paul"}, "guest_day": {"2026-11-28"}})
	_, page = m.get("/m/" + token)
	mustContain(t, page, "Vous avez utilisé vos 2 invitations de ce mois-ci. Vous pourrez de nouveau inviter à partir du 01/12/2026")
	resp, _ = m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Zoé"}, "guest_day": {"2026-11-28"}})
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, "Vous avez utilisé toutes vos invitations de ce mois-ci.")

	// Quota 0: only the bureau invites; a form posted anyway is refused
	// with the reason.
	if err := e.settings.SetSetting(e.ctx(), central.SettingGuestQuota, "0"); err != nil {
		t.Fatal(err)
	}
	_, page = m.get("/m/" + token)
	mustContain(t, page, "Ici, seul le bureau invite\u00a0: demandez-lui.")
	if strings.Contains(page, `action="/m/`+token+`/guests"`) {
		t.Error("the invitation form is offered with a quota of 0")
	}
	resp, _ = m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Zoé"}, "guest_day": {"2026-11-28"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, "Ici, seul le bureau invite\u00a0: demandez-lui.")

	// The bureau has no quota, from her admin page.
	_, page = door.get("/members/1")
	mustContain(t, page, `action="/members/1/guests"`)
	resp, _ = door.post("/members/1/guests", url.Values{"guest_name": {"Zoé"}, "guest_day": {"2026-11-28"}})
	mustStatus(t, resp, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !regexp.MustCompile(`^/members/1/guests/\d+$`).MatchString(loc) {
		t.Fatalf("the bureau's pass: redirected to %q", loc)
	}
	resp, page = door.get(loc)
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, page, "Zoé, le 28/11/2026", "invité·e d’Alice Martin")
	// Another member's pass is not hers.
	bob := &central.Member{Name: "Bob"}
	if err := e.members.CreateMember(e.ctx(), bob); err != nil {
		t.Fatal(err)
	}
	other := &central.GuestPass{Host: bob.ID, Name: "X", Day: access.MustDay("2026-11-28"), Space: "Badgeuse"}
	if err := e.cfg.Guests.IssueGuestPass(e.ctx(), other, 0); err != nil {
		t.Fatal(err)
	}
	resp, _ = m.get("/m/" + token + "/guests/" + fmtInt(other.ID))
	mustStatus(t, resp, http.StatusNotFound)
}

// TestInviteGuestTwice: a double tap on "Créer le pass invité" posts the
// form twice. She gets one pass, the one already made, and keeps her
// other invitation; with one invitation left, the second post shows her
// pass too, not "all your invitations are used".
func TestInviteGuestTwice(t *testing.T) {
	e := newEnv(t)
	seed(t, e)
	door := e.as(D)
	_, body := door.follow(door.post("/members/1/link", nil))
	token := regexp.MustCompile(`/m/(bgm1_[A-Za-z0-9_-]+)`).FindStringSubmatch(body)[1]
	m := e.client()
	m.get("/m/" + token)
	form := url.Values{"guest_name": {"Léa Martin"}, "guest_day": {"2026-11-27"}}
	var passPages []string
	for range 2 {
		resp, _ := m.post("/m/"+token+"/guests", form)
		mustStatus(t, resp, http.StatusSeeOther)
		passPages = append(passPages, resp.Header.Get("Location"))
	}
	if passPages[0] != passPages[1] || !strings.Contains(passPages[0], "/guests/") {
		t.Errorf("two posts of the same invitation led to %q", passPages)
	}
	if ps, _, _ := e.cfg.Guests.FindGuestPasses(e.ctx(), central.GuestFilter{}); len(ps) != 1 {
		t.Errorf("%d passes after a double tap, want 1", len(ps))
	}
	_, page := m.get("/m/" + token)
	mustContain(t, page, "Il vous reste 1 invitation ce mois-ci (sur 2).")

	// Her last invitation, tapped twice: the second tap shows the pass.
	form = url.Values{"guest_name": {"Paul"}, "guest_day": {"2026-11-28"}}
	resp, _ := m.post("/m/"+token+"/guests", form)
	first := resp.Header.Get("Location")
	resp, _ = m.post("/m/"+token+"/guests", form)
	mustStatus(t, resp, http.StatusSeeOther)
	if again := resp.Header.Get("Location"); again != first {
		t.Errorf("her last invitation tapped twice: %q then %q", first, again)
	}
	// Another guest is still refused once the quota is used.
	resp, _ = m.post("/m/"+token+"/guests", url.Values{"guest_name": {"Zoé"}, "guest_day": {"2026-11-28"}})
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, "Vous avez utilisé toutes vos invitations de ce mois-ci.")
}

// TestGuestMailLanguage: the language of the pass's e-mail starts as her
// page's (French was chosen even on the English page), and a refused
// address brings back the language she chose with what she typed.
func TestGuestMailLanguage(t *testing.T) {
	e, _ := newMailEnv(t)
	_, m, pass := guestPassOfAlice(t, e)
	_, page := m.get(pass)
	mustContain(t, page, `<option value="fr" selected>Français</option><option value="en">English</option>`)
	m.get("/lang/en?next=" + url.QueryEscape(pass))
	_, page = m.get(pass)
	mustContain(t, page, `<option value="fr">Français</option><option value="en" selected>English</option>`)
	// On the English page, she picks French and mistypes the address.
	resp, _ := m.post(pass+"/mail", url.Values{"email": {"lea@"}, "lang": {"fr"}})
	mustStatus(t, resp, http.StatusSeeOther)
	_, page = m.get(resp.Header.Get("Location"))
	mustContain(t, page, `value="lea@"`, `<option value="fr" selected>Français</option><option value="en">English</option>`)
}

// TestGuestMailAnswerInSight: the answer of "Envoyer le pass" (sent, or
// the address refused) is under the pass's big QR code, below the fold of
// a phone: the page it leads to opens at that form (#passmail), not at
// its top where nothing seemed to happen.
func TestGuestMailAnswerInSight(t *testing.T) {
	e, _ := newMailEnv(t)
	door, m, pass := guestPassOfAlice(t, e)
	_, page := m.get(pass)
	mustContain(t, page, `id="passmail"`)
	for _, addr := range []string{"lea.@example.org", "lea@example.org"} {
		resp, _ := m.post(pass+"/mail", url.Values{"email": {addr}})
		mustStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "#passmail") {
			t.Errorf("e-mailing the pass to %s leads to %q, not to its form", addr, loc)
		}
	}
	// The bureau's page of the pass too.
	resp, _ := door.post("/members/1/guests", url.Values{"guest_name": {"Zoé"}, "guest_day": {"2026-11-28"}})
	bureauPass := resp.Header.Get("Location")
	door.get(bureauPass)
	resp, _ = door.post(bureauPass+"/mail", url.Values{"email": {"zoe@example.org"}})
	if loc := resp.Header.Get("Location"); !strings.HasSuffix(loc, "#passmail") {
		t.Errorf("the bureau e-mailing a pass leads to %q", loc)
	}
}
