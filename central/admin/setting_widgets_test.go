package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// storedSetting is a setting as stored ("" and false when it is not).
func storedSetting(t *testing.T, e *env, key string) (string, bool) {
	t.Helper()
	set, err := e.settings.Settings(e.ctx())
	if err != nil {
		t.Fatal(err)
	}
	v, ok := set[key]
	return v, ok
}

// TestSettingsSMTPEncryption: the SMTP encryption is chosen from its
// three values, each said in words; the stored values stay starttls,
// tls and none.
func TestSettingsSMTPEncryption(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	_, body := c.get("/settings")
	mustContain(t, body, `<select id="s-smtp.tls" name="s.smtp.tls"`,
		`<option value="starttls" selected>STARTTLS, port 587 (le plus courant)</option>`,
		`<option value="tls">TLS dès la connexion, port 465</option>`,
		"<option value=\"none\">Aucun\u00a0: seulement un relais sur cette machine</option>")
	mustNotContain(t, body, `<input id="s-smtp.tls"`)

	resp, _ := c.post("/settings", url.Values{"s.smtp.tls": {"tls"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, "smtp.tls"); v != "tls" {
		t.Fatalf("smtp.tls stored %q", v)
	}
	c.get("/lang/en")
	_, body = c.get("/settings")
	mustContain(t, body, `<option value="tls" selected>TLS from the start, port 465</option>`,
		`<option value="starttls">STARTTLS, port 587 (the most common)</option>`)
	// A value no choice has (a forged form): refused next to the field.
	resp, body = c.post("/settings", url.Values{"s.smtp.tls": {"ssl"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, `<p class="field-error" id="e-smtp.tls">`)
	if v, _ := storedSetting(t, e, "smtp.tls"); v != "tls" {
		t.Errorf("a refused value changed smtp.tls to %q", v)
	}
}

// TestSettingsCutoff: the membership cut-off day is a day and a month
// chosen from lists (French month names), stored MM-DD as before; a day
// that is not in every year is refused next to the field in French and
// English, with the choice kept; scripts may still post MM-DD.
func TestSettingsCutoff(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	const key = central.SettingMembershipCutoff
	_, body := c.get("/settings")
	mustContain(t, body, "<legend>Adhésion à l’année\u00a0: date de bascule</legend>",
		`<input type="hidden" name="w.membership.cutoff" value="monthday">`,
		`<select id="s-membership.cutoff-day" name="w.membership.cutoff.day">`, `<option value="1" selected>1</option>`,
		`<select id="s-membership.cutoff-month" name="w.membership.cutoff.month">`, `<option value="11" selected>novembre</option>`,
		`<option value="">Jamais (pas de bascule)</option>`, `<option value="2">février</option>`)
	mustNotContain(t, body, `name="s.membership.cutoff"`, "MM-JJ")

	// The page saved unchanged: the default stays a default.
	resp, _ := c.post("/settings", url.Values{"w.membership.cutoff": {"monthday"}, "w.membership.cutoff.day": {"1"}, "w.membership.cutoff.month": {"11"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, ok := storedSetting(t, e, key); ok {
		t.Errorf("saving the page unchanged stored %q", v)
	}
	resp, _ = c.post("/settings", url.Values{"w.membership.cutoff": {"monthday"}, "w.membership.cutoff.day": {"15"}, "w.membership.cutoff.month": {"9"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, key); v != "09-15" {
		t.Fatalf("stored %q, want 09-15", v)
	}
	_, body = c.get("/settings")
	mustContain(t, body, `<option value="15" selected>15</option>`, `<option value="9" selected>septembre</option>`)

	// 30 February, 29 February: refused, next to the field, the choice kept.
	for _, day := range []string{"30", "29"} {
		resp, body = c.post("/settings", url.Values{"w.membership.cutoff": {"monthday"}, "w.membership.cutoff.day": {day}, "w.membership.cutoff.month": {"2"}})
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, "<p class=\"field-error\" id=\"e-membership.cutoff\" role=\"alert\">«\u00a0Adhésion à l’année\u00a0: date de bascule\u00a0»\u00a0: cette date n’existe pas tous les ans\u00a0; choisissez-en une autre.</p>",
			`<option value="`+day+`" selected>`+day+`</option>`, `<option value="2" selected>février</option>`)
	}
	c.get("/lang/en")
	_, body = c.post("/settings", url.Values{"w.membership.cutoff": {"monthday"}, "w.membership.cutoff.day": {"31"}, "w.membership.cutoff.month": {"4"}})
	mustContain(t, body, "“Calendar-year membership: cut-off day”: this day does not exist every year; choose another one.", `<option value="4" selected>April</option>`)
	if v, _ := storedSetting(t, e, key); v != "09-15" {
		t.Errorf("a refused day changed the cut-off to %q", v)
	}
	// Never.
	resp, _ = c.post("/settings", url.Values{"w.membership.cutoff": {"monthday"}, "w.membership.cutoff.day": {"1"}, "w.membership.cutoff.month": {""}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, ok := storedSetting(t, e, key); v != "" || !ok {
		t.Errorf("never stored %q (%v), want an empty value", v, ok)
	}
	_, body = c.get("/settings")
	mustContain(t, body, `<option value="" selected>Never (no cut-off)</option>`)
	// Scripts still post the stored form.
	resp, _ = c.post("/settings", url.Values{"s.membership.cutoff": {"10-01"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, key); v != "10-01" {
		t.Errorf("the text form stored %q", v)
	}
}

// joinProducts adds two products on sale and one no longer sold.
func joinProducts(t *testing.T, e *env) {
	t.Helper()
	card := &central.Product{Name: "Carnet 10 entrées", Kind: access.Pack, Entries: 10, Price: 8000}
	sub := &central.Product{Name: "Abonnement mensuel", Kind: access.Subscription, Days: 30, Price: 12000}
	old := &central.Product{Name: "Ancien carnet", Kind: access.Pack, Entries: 5, Price: 4000}
	for _, p := range []*central.Product{card, sub, old} {
		if err := e.products.CreateProduct(e.ctx(), p); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.products.SetProductActive(e.ctx(), old.ID, false); err != nil {
		t.Fatal(err)
	}
}

// TestSettingsJoinProducts: the products offered on the join page are
// ticked by name (boxes with 44 px rows), stored as ids "1,3" as before;
// a product no longer sold stays listed while it is offered.
func TestSettingsJoinProducts(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	const key = central.SettingJoinProducts
	_, body := c.get("/settings")
	mustContain(t, body, "Aucun produit en vente pour l’instant")

	joinProducts(t, e)
	_, body = c.get("/settings")
	mustContain(t, body, `<legend>Produits proposés</legend>`,
		`<label class="check" for="s-join.products-1"><input type="checkbox" id="s-join.products-1" name="w.join.products.id" value="1"><span>Carnet 10 entrées</span></label>`,
		`name="w.join.products.id" value="2"><span>Abonnement mensuel</span>`)
	mustNotContain(t, body, "Ancien carnet", `name="s.join.products"`, "(1,3)")

	resp, _ := c.post("/settings", url.Values{"w.join.products": {"products"}, "w.join.products.id": {"1", "2"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, key); v != "1,2" {
		t.Fatalf("stored %q, want 1,2", v)
	}
	// Set by a script with a product since withdrawn, and one that is gone.
	if err := e.settings.SetSetting(e.ctx(), key, "2,3,9"); err != nil {
		t.Fatal(err)
	}
	c.get("/lang/en")
	_, body = c.get("/settings")
	mustContain(t, body, `value="2" checked><span>Abonnement mensuel</span>`, `value="3" checked><span>Ancien carnet (no longer sold)</span>`,
		`value="9" checked><span>Product no. 9 (not found)</span>`, `value="1"><span>Carnet 10 entrées</span>`)
	// Nothing ticked: joining only.
	resp, _ = c.post("/settings", url.Values{"w.join.products": {"products"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, key); v != "" {
		t.Errorf("nothing ticked stored %q", v)
	}
	// Scripts still post the stored form.
	resp, _ = c.post("/settings", url.Values{"s.join.products": {"1,3"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, key); v != "1,3" {
		t.Errorf("the text form stored %q", v)
	}
}

// TestSettingsJoinForms: each product's payment form is an address in a
// field named after the product, stored as "ID=URL ID=URL" as before; an
// address that is not https is refused next to the field, in French and
// English, with what was typed kept.
func TestSettingsJoinForms(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	const key = central.SettingJoinForms
	joinProducts(t, e)
	_, body := c.get("/settings")
	mustContain(t, body, `<legend>Formulaires HelloAsso</legend>`, `<input type="hidden" name="w.join.forms" value="forms">`,
		`<label for="s-join.forms-1">Carnet 10 entrées</label>`, `name="w.join.forms.1" value=""`,
		`<label for="s-join.forms-2">Abonnement mensuel</label>`)
	mustNotContain(t, body, "NUMÉRO=ADRESSE", `name="s.join.forms"`, `name="w.join.forms.3"`)

	const form1 = "https://www.helloasso.com/associations/la-cantine/boutiques/carnet"
	resp, _ := c.post("/settings", url.Values{"w.join.forms": {"forms"}, "w.join.forms.1": {" " + form1 + " "}, "w.join.forms.2": {""}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, key); v != "1="+form1 {
		t.Fatalf("stored %q", v)
	}
	_, body = c.get("/settings")
	mustContain(t, body, `name="w.join.forms.1" value="`+form1+`"`)

	bad := url.Values{"w.join.forms": {"forms"}, "w.join.forms.1": {form1}, "w.join.forms.2": {"helloasso.com/abonnement"}}
	resp, body = c.post("/settings", bad)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "«\u00a0Formulaires HelloAsso\u00a0», Abonnement mensuel\u00a0: l’adresse du formulaire doit commencer par https://",
		`id="e-join.forms"`, `name="w.join.forms.2" value="helloasso.com/abonnement"`)
	if !regexp.MustCompile(`name="w.join.forms.2" value="helloasso.com/abonnement"[^>]*aria-invalid="true"`).MatchString(body) {
		t.Error("the refused address is not flagged")
	}
	if regexp.MustCompile(`name="w.join.forms.1" value="[^"]*"[^>]*aria-invalid`).MatchString(body) {
		t.Error("a good address is flagged")
	}
	c.get("/lang/en")
	_, body = c.post("/settings", bad)
	mustContain(t, body, "“HelloAsso forms”, Abonnement mensuel: the form&#39;s address must start with https://")
	if v, _ := storedSetting(t, e, key); v != "1="+form1 {
		t.Errorf("a refused form changed join.forms to %q", v)
	}
	// A withdrawn product's form, set by a script, stays listed (and kept
	// when the page is saved).
	if err := e.settings.SetSetting(e.ctx(), key, "3=https://pay.example.org/old 1="+form1); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/settings")
	mustContain(t, body, `name="w.join.forms.3" value="https://pay.example.org/old"`, "Ancien carnet")
	resp, _ = c.post("/settings", url.Values{"w.join.forms": {"forms"}, "w.join.forms.1": {form1}, "w.join.forms.2": {""},
		"w.join.forms.3": {"https://pay.example.org/old"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, key); v != "3=https://pay.example.org/old 1="+form1 && v != "1="+form1+" 3=https://pay.example.org/old" {
		t.Errorf("saving the page stored %q", v)
	}
	// Scripts still post the stored form.
	resp, _ = c.post("/settings", url.Values{"s.join.forms": {"2=https://pay.example.org/sub"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := storedSetting(t, e, key); v != "2=https://pay.example.org/sub" {
		t.Errorf("the text form stored %q", v)
	}
}
