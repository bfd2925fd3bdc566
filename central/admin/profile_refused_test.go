package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestProfileRefusedKeepsTyping: a member's profile refused (the phone
// chosen and no number typed, a 13th skill, a link without https://)
// shows her directory tab again, with everything she typed and the
// mistake next to its field, in her language; nothing is saved. It was
// an error page ("Oups", « Données incorrectes : … ») whose way back
// reloaded the form empty: her text was lost.
func TestProfileRefusedKeepsTyping(t *testing.T) {
	e := newEnv(t)
	c := newCommunity(t, e)
	zoe, zt := c.member("Zoé Retrait", "zoe@example.org")
	m := e.client()
	typed := url.Values{"directory": {"1"}, "presence": {"1"}, "about": {"Graphiste & monteuse vidéo"},
		"skills": {"Illustration, Vidéo"}, "link": {"https://zoe.example.org"}, "contact": {"phone"}, "contact_value": {""}}
	m.get("/m/" + zt + "/directory")
	resp, body := m.post("/m/"+zt+"/profile", typed)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `id="profile-form"`, `id="q"`, // her directory tab, with its search
		"Graphiste &amp; monteuse vidéo</textarea>", `value="Illustration, Vidéo"`, `value="https://zoe.example.org"`,
		`name="contact" value="phone" checked`, `name="directory" value="1" checked`, `name="presence" value="1" checked`,
		`id="contact_value" name="contact_value" value="" maxlength="80" aria-invalid="true" aria-describedby="profile-error"`,
		`<p class="field-error" id="profile-error" role="alert">Écrivez votre numéro de téléphone, ou choisissez une autre façon de vous joindre.</p>`)
	if strings.Contains(body, "Oups") || strings.Contains(body, "Données incorrectes") {
		t.Errorf("the refused profile shows an error page:\n%s", body)
	}
	if p, err := e.cfg.Profiles.FindProfile(e.ctx(), zoe); err != nil || p.InDirectory || p.About != "" {
		t.Fatalf("a refused profile was saved: %+v %v", p, err)
	}

	// Thirteen skills: said next to the skills, what she typed kept.
	typed.Set("contact_value", "06 12 34 56 78")
	typed.Set("skills", "a, b, c, d, e, f, g, h, i, j, k, l, m")
	resp, body = m.post("/m/"+zt+"/profile", typed)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `value="a, b, c, d, e, f, g, h, i, j, k, l, m" aria-invalid="true" aria-describedby="profile-error"`,
		`value="06 12 34 56 78"`, "12 compétences au plus.")

	// In English, a link without https://.
	m.get("/lang/en?next=/m/" + zt + "/directory")
	typed.Set("skills", "Illustration")
	typed.Set("link", "zoe.example.org")
	resp, body = m.post("/m/"+zt+"/profile", typed)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `value="zoe.example.org" maxlength="300" placeholder="https://" aria-invalid="true" aria-describedby="profile-error"`,
		"The link must be a web address starting with https://", "Members’ directory")

	// Corrected, it is saved and answers 303 as before.
	typed.Set("link", "https://zoe.example.org")
	resp, _ = m.post("/m/"+zt+"/profile", typed)
	mustStatus(t, resp, http.StatusSeeOther)
	if p, err := e.cfg.Profiles.FindProfile(e.ctx(), zoe); err != nil || !p.InDirectory || p.ContactValue != "06 12 34 56 78" || p.Contact != central.ContactPhone {
		t.Fatalf("the corrected profile: %+v %v", p, err)
	}
}
