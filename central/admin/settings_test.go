package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing"
	"github.com/badgeuse/badgeuse/central/slack"
)

// TestSettingsPage: the settings page shows its own settings in groups,
// labelled in the page's language, links to the pages of Slack and
// billing instead of repeating their keys, and never central's English
// descriptions.
func TestSettingsPage(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	for _, lang := range []string{"fr", "en"} {
		c.get("/lang/" + lang)
		resp, body := c.get("/settings")
		mustStatus(t, resp, 200)
		if m := regexp.MustCompile(`name="s\.(slack|helloasso|pennylane|billing|association)\.[a-z_]+"`).FindString(body); m != "" {
			t.Errorf("%s: /settings repeats a setting of another page: %s", lang, m)
		}
		for _, k := range []string{"space.name", "space.timezone", "kiosk.stale_after", "kiosk.stale_policy",
			"entries.retention_days", "sync.tombstone_days"} {
			mustContain(t, body, `name="s.`+k+`"`)
		}
		mustContain(t, body, `name="h.space.hours"`) // boxes and times (TestSettingsHours)
		for _, def := range central.SettingDefs() {  // central's English descriptions stay out
			if strings.Contains(body, def.Doc) {
				t.Errorf("%s: /settings shows the description of %s: %q", lang, def.Key, def.Doc)
			}
		}
		if strings.Contains(body, `class="mono">sync.tombstone_days`) || strings.Contains(body, "Autres réglages</h3>") {
			t.Errorf("%s: a raw key is shown as a label", lang)
		}
		mustContain(t, body, `href="/settings/slack"`)
	}
	c.get("/lang/fr")
	_, body := c.get("/settings")
	mustContain(t, body, "L’espace", "Les bornes", "Données personnelles", "Avancé", "Mémoire des membres effacés (jours)",
		"Slack ou Mattermost", "Paiements HelloAsso et factures Pennylane\u00a0: pas activés sur ce serveur.")
	if strings.Contains(body, `href="/billing"`) {
		t.Error("a link to the billing page, which this server does not have")
	}
}

// TestSettingsDuration: a duration is a number and a unit, stored as
// central's duration; what cannot be written so shows as text.
func TestSettingsDuration(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	ctx := e.ctx()
	stored := func() (string, bool) {
		t.Helper()
		set, err := e.settings.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		v, ok := set[central.SettingStaleAfter]
		return v, ok
	}
	_, body := c.get("/settings")
	mustContain(t, body, `name="s.kiosk.stale_after" value="7"`, `<option value="d" selected>jours</option>`)

	// The page as it is, saved: the default stays a default (nothing
	// stored, nothing in the audit log).
	_, before, _ := e.cfg.Audit.FindAuditEvents(ctx, central.AuditFilter{})
	resp, _ := c.post("/settings", url.Values{"s.kiosk.stale_after": {"7"}, "u.kiosk.stale_after": {"d"},
		"s.kiosk.stale_policy": {"warn"}, "s.space.name": {"Badgeuse"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, ok := stored(); ok {
		t.Fatalf("saving the page unchanged stored %q", v)
	}
	if _, after, _ := e.cfg.Audit.FindAuditEvents(ctx, central.AuditFilter{}); after != before {
		t.Fatalf("saving the page unchanged made %d audit events", after-before)
	}

	for _, tc := range []struct{ num, unit, want, showNum, showUnit string }{
		{"36", "h", "36h0m0s", "36", "h"},
		{"48", "h", "48h0m0s", "2", "d"},
		{"90", "m", "1h30m0s", "90", "m"},
		{" 3 ", "d", "72h0m0s", "3", "d"},
		{"", "d", "", "", "d"}, // empty: trusted forever
	} {
		resp, body := c.post("/settings", url.Values{"s.kiosk.stale_after": {tc.num}, "u.kiosk.stale_after": {tc.unit}})
		mustStatus(t, resp, http.StatusSeeOther)
		if v, _ := stored(); v != tc.want {
			t.Fatalf("%q %s stored as %q, want %q\n%s", tc.num, tc.unit, v, tc.want, body)
		}
		_, body = c.get("/settings")
		mustContain(t, body, `name="s.kiosk.stale_after" value="`+tc.showNum+`"`, `<option value="`+tc.showUnit+`" selected>`)
	}

	// Not a whole number: refused, in French, the field flagged.
	for _, bad := range []string{"1.5", "-2", "7d", "99999999999999999"} {
		resp, body := c.post("/settings", url.Values{"s.kiosk.stale_after": {bad}, "u.kiosk.stale_after": {"d"}})
		mustStatus(t, resp, http.StatusBadRequest)
		mustContain(t, body, "«\u00a0Une borne sans nouvelles du serveur reste fiable pendant\u00a0»\u00a0: indiquez un nombre entier (ou rien).",
			`aria-invalid="true"`)
	}
	resp, _ = c.post("/settings", url.Values{"s.kiosk.stale_after": {"2"}, "u.kiosk.stale_after": {"weeks"}})
	mustStatus(t, resp, http.StatusBadRequest)

	// A value typed as text (no unit), as before, still works.
	resp, _ = c.post("/settings", url.Values{"s.kiosk.stale_after": {"72h"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := stored(); v != "72h0m0s" {
		t.Fatalf("72h stored as %q", v)
	}
	// Seconds (set with centrald settings set): shown as the text itself,
	// with no unit, and saved back as it is.
	if err := e.settings.SetSetting(ctx, central.SettingStaleAfter, "90s"); err != nil {
		t.Fatal(err)
	}
	_, body = c.get("/settings")
	mustContain(t, body, `name="s.kiosk.stale_after" value="1m30s"`)
	if strings.Contains(body, `name="u.kiosk.stale_after"`) {
		t.Error("a unit for a duration in seconds")
	}
	resp, _ = c.post("/settings", url.Values{"s.kiosk.stale_after": {"1m30s"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if v, _ := stored(); v != "1m30s" {
		t.Fatalf("stored %q", v)
	}
}

// TestSettingsSave: a refused value says why in French, on its field;
// the page saves only its own keys.
func TestSettingsSave(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	resp, body := c.post("/settings", url.Values{"s.entries.retention_days": {"0"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Données incorrectes\u00a0: Réglage «\u00a0Conservation des entrées (jours)\u00a0»\u00a0: indiquez un nombre entier de 1 à 3650.")
	if !regexp.MustCompile(`name="s.entries.retention_days"[^>]*aria-invalid="true"`).MatchString(body) {
		t.Error("the refused field is not flagged")
	}
	resp, _ = c.post("/settings", url.Values{"s.sync.tombstone_days": {"400"}, "s.helloasso.client_id": {"sneaky"},
		"s.slack.channel": {"C0123456789"}})
	mustStatus(t, resp, http.StatusSeeOther)
	set, _ := e.settings.Settings(e.ctx())
	if set.TombstoneDays() != 400 {
		t.Fatalf("tombstone days %d", set.TombstoneDays())
	}
	if _, ok := set[billing.SettingHelloAssoClientID]; ok {
		t.Error("/settings stored a billing setting")
	}
	if _, ok := set[slack.SettingChannel]; ok {
		t.Error("/settings stored a Slack setting")
	}
	c.get("/lang/en")
	resp, body = c.post("/settings", url.Values{"s.space.hours": {"someday"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Invalid data: Setting space.hours: opening hours")
}

// TestBillingSettings: every billing key is editable on the billing page
// (by an administrator), with its label; secrets are write-only.
func TestBillingSettings(t *testing.T) {
	b := newBillingEnv(t)
	admin := b.as(central.RoleAdmin)
	ctx := b.ctx()
	for _, lang := range []string{"fr", "en"} {
		admin.get("/lang/" + lang)
		resp, body := admin.get("/billing")
		mustStatus(t, resp, 200)
		for _, def := range central.SettingDefs() {
			for _, p := range []string{"helloasso.", "pennylane.", "billing.", "association."} {
				if strings.HasPrefix(def.Key, p) {
					mustContain(t, body, `name="s.`+def.Key+`"`)
				}
			}
			if strings.Contains(body, def.Doc) {
				t.Errorf("%s: the billing page shows the description of %s", lang, def.Key)
			}
		}
		if m := regexp.MustCompile(`\[[a-z_]+\.[a-zA-Z0-9_.]+\]`).FindString(body); m != "" {
			t.Errorf("%s: untranslated message %s", lang, m)
		}
		if strings.Contains(body, b.ha.ClientSecret) || strings.Contains(body, b.pl.Token) {
			t.Fatal("the billing page shows a secret")
		}
	}
	admin.get("/lang/fr")
	_, body := admin.get("/settings")
	// The association's name and address, which receipts print, are on
	// that page: the link says so (it named HelloAsso and Pennylane only,
	// which an association without them never opened).
	mustContain(t, body, `href="/billing"`, "Reçus (nom et adresse de l’association), paiements HelloAsso et factures Pennylane →")
	_, body = admin.get("/billing")
	mustContain(t, body, "TVA\u00a0: pas de TVA (exonérée)", `<option value="exempt" selected>pas de TVA (exonérée)</option>`,
		`value="Mon Coworking"`, "Identifiant client de l’API HelloAsso")

	// A refused value: French, on its field; nothing of the form stored.
	resp, body := admin.post("/billing/settings", url.Values{"s.association.siret": {"123"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Réglage «\u00a0SIRET (facultatif)\u00a0»\u00a0: indiquez 14 chiffres (ou rien).")
	if !regexp.MustCompile(`name="s.association.siret"[^>]*aria-invalid="true"`).MatchString(body) {
		t.Error("the refused field is not flagged")
	}
	resp, _ = admin.post("/billing/settings", url.Values{"s.pennylane.finalize": {"true"}, "s.billing.vat_rate": {"FR_200"},
		"s.association.siret": {"732 829 320 00074"}, "s.helloasso.client_secret": {""}, "s.space.name": {"Not here"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/billing?done=billing_saved" {
		t.Fatalf("save: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	set, _ := b.settings.Settings(ctx)
	if !billing.PennylaneFrom(set).Finalize || billing.SellerFrom(set).VATCode != "FR_200" || billing.SellerFrom(set).SIRET != "73282932000074" {
		t.Fatalf("stored %v", set)
	}
	if billing.HelloAssoFrom(set).ClientSecret != b.ha.ClientSecret {
		t.Fatal("an empty secret field cleared the secret")
	}
	if set.SpaceName() == "Not here" {
		t.Fatal("the billing page stored a setting of another page")
	}
	_, body = admin.get("/billing?done=billing_saved")
	mustContain(t, body, "Réglages de facturation enregistrés.", "TVA\u00a0: 20 %", "finalisées")
	admin.post("/billing/settings", url.Values{"s.pennylane.token": {"-"}})
	if set, _ := b.settings.Settings(ctx); billing.PennylaneFrom(set).Token != "" {
		t.Fatal("“-” did not clear the token")
	}

	// The treasurer sees the page, not the settings' form.
	_, body = b.as(central.RoleTreasurer).get("/billing")
	mustContain(t, body, "Seul un administrateur peut modifier ces réglages")
	if strings.Contains(body, `action="/billing/settings"`) {
		t.Error("the treasurer gets the settings' form")
	}
}

// TestLoginFirstRun: the login page says how to make the first admin
// while there is none, and nothing about it after.
func TestLoginFirstRun(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	_, body := c.get("/login")
	mustContain(t, body, `id="first-run"`, "Aucun compte n’existe encore.", "centrald admin add --data DIR --email EMAIL")
	c.get("/lang/en")
	_, body = c.get("/login")
	mustContain(t, body, "No account exists yet.", "centrald admin add --data DIR --email EMAIL")

	e.addUser("bureau@example.org", central.RoleDoor, "correct horse battery")
	for _, lang := range []string{"en", "fr"} {
		c.get("/lang/" + lang)
		_, body = c.get("/login")
		if strings.Contains(body, "first-run") || strings.Contains(body, "centrald admin add") {
			t.Errorf("%s: the first-run hint shows though an admin user exists", lang)
		}
		resp, body := c.tryLogin("nobody@example.org", "wrong password")
		mustStatus(t, resp, http.StatusUnauthorized)
		if strings.Contains(body, "centrald admin add") {
			t.Errorf("%s: the first-run hint shows after a failed login", lang)
		}
	}
}

// TestSlackSettingsFields: the Slack page draws its settings like the
// others: labels without raw keys, the silent-kiosk alert as a number and
// a unit, the technical ones folded.
func TestSlackSettingsFields(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	_, body := c.get("/settings/slack")
	mustContain(t, body, `name="s.slack.kiosk_silent_after" value="30"`, `<option value="m" selected>minutes</option>`,
		`<details class="fold"><summary>Avancé</summary>`, `name="s.slack.api_url"`)
	if strings.Contains(body, `<span class="mono muted">slack.`) {
		t.Error("the Slack page shows raw keys")
	}
	resp, _ := c.post("/settings/slack", url.Values{"s.slack.kiosk_silent_after": {"2"}, "u.slack.kiosk_silent_after": {"h"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if set, _ := e.settings.Settings(e.ctx()); slack.ConfigFrom(set).KioskSilentAfter.String() != "2h0m0s" {
		t.Fatalf("kiosk_silent_after %v", slack.ConfigFrom(set).KioskSilentAfter)
	}
	resp, body = c.post("/settings/slack", url.Values{"s.slack.min_interval": {"5m"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Réglage «\u00a0Intervalle minimal entre deux messages d’un salon\u00a0»\u00a0: indiquez une durée de 0s à 1m, par exemple 1s.",
		`<details class="fold" open>`)
}

// TestSettingsHours: opening hours are set with a box per day and time
// inputs, stored in central's text form; a mistake is said in French
// next to the field, with what was typed kept (issue 18).
func TestSettingsHours(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	stored := func() string {
		t.Helper()
		set, err := e.settings.Settings(e.ctx())
		if err != nil {
			t.Fatal(err)
		}
		return set[central.SettingHours]
	}
	form := url.Values{"h.space.hours": {"1"}}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		form.Set("h.space.hours."+d, "1")
		form.Set("h.space.hours."+d+".from", "08:00")
		form.Set("h.space.hours."+d+".to", "20:00")
	}
	form.Set("h.space.hours.sat", "1")
	form.Set("h.space.hours.sat.from", "09:00")
	form.Set("h.space.hours.sat.to", "12:00")
	form.Set("h.space.hours.sat.from2", "14:00")
	form.Set("h.space.hours.sat.to2", "18:00")
	form.Set("h.space.hours.sun.from", "10:00") // not ticked: closed
	resp, body := c.post("/settings", form)
	mustStatus(t, resp, http.StatusSeeOther)
	want := "mon 08:00-20:00; tue 08:00-20:00; wed 08:00-20:00; thu 08:00-20:00; fri 08:00-20:00; sat 09:00-12:00,14:00-18:00"
	if got := stored(); got != want {
		t.Fatalf("stored %q, want %q\n%s", got, want, body)
	}
	_, body = c.get("/settings")
	mustContain(t, body, `id="s-space.hours-mon" name="h.space.hours.mon" value="1" checked`,
		`name="h.space.hours.sat.to2" value="18:00"`, `type="time"`, "samedi")
	if strings.Contains(body, `id="s-space.hours-sun" name="h.space.hours.sun" value="1" checked`) {
		t.Error("Sunday shown open")
	}

	// Closing before opening: refused in French, next to the field, with
	// every typed time kept; nothing stored.
	bad := url.Values{"h.space.hours": {"1"}, "h.space.hours.mon": {"1"}, "h.space.hours.mon.from": {"20:00"}, "h.space.hours.mon.to": {"08:00"},
		"h.space.hours.tue": {"1"}, "h.space.hours.tue.from": {"07:15"}, "h.space.hours.tue.to": {"19:45"}}
	resp, body = c.post("/settings", bad)
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "Horaires d’ouverture, lundi\u00a0: la fermeture (08:00) doit venir après l’ouverture (20:00).",
		`class="field-error"`, `name="h.space.hours.mon.from" value="20:00"`, `name="h.space.hours.tue.to" value="19:45"`)
	if strings.Contains(body, "unknown day") {
		t.Error("an English error")
	}
	if got := stored(); got != want {
		t.Errorf("a refused form changed the hours to %q", got)
	}
	// A ticked day without times, and no day at all.
	resp, body = c.post("/settings", url.Values{"h.space.hours": {"1"}, "h.space.hours.wed": {"1"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "mercredi\u00a0: indiquez l’heure d’ouverture et celle de fermeture")
	resp, body = c.post("/settings", url.Values{"h.space.hours": {"1"}})
	mustStatus(t, resp, http.StatusBadRequest)
	mustContain(t, body, "cochez au moins un jour")

	// Days ticked with "always open" still ticked (it starts ticked when
	// no hours are set): the days count.
	resp, _ = c.post("/settings", url.Values{"h.space.hours": {"1"}, "h.space.hours.always": {"1"},
		"h.space.hours.sun": {"1"}, "h.space.hours.sun.from": {"10:00"}, "h.space.hours.sun.to": {"12:00"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if got := stored(); got != "sun 10:00-12:00" {
		t.Errorf("a ticked day with always open ticked stored %q", got)
	}
	// Always open: nothing stored.
	resp, _ = c.post("/settings", url.Values{"h.space.hours": {"1"}, "h.space.hours.always": {"1"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if got := stored(); got != "" {
		t.Errorf("always open stored %q", got)
	}
	// Scripts may still post the text form.
	resp, _ = c.post("/settings", url.Values{"s.space.hours": {"mon-fri 09:00-17:00"}})
	mustStatus(t, resp, http.StatusSeeOther)
	if got := stored(); got != "mon-fri 09:00-17:00" && got != "mon 09:00-17:00; tue 09:00-17:00; wed 09:00-17:00; thu 09:00-17:00; fri 09:00-17:00" {
		t.Errorf("text form stored %q", got)
	}
}

// TestSettingsHoursSunday: Sunday has its name in the opening hours, in
// French and in English, not a missing message's key.
func TestSettingsHoursSunday(t *testing.T) {
	e := newEnv(t)
	c := e.as(central.RoleAdmin)
	for lang, sunday := range map[string]string{"fr": "dimanche", "en": "Sunday"} {
		c.get("/lang/" + lang)
		_, body := c.get("/settings")
		mustContain(t, body, `<label for="s-space.hours-sun">`+sunday+`</label>`)
		mustNotContain(t, body, "[weekday.")
	}
}
