package admin

import "testing"

// TestAuditValueWords: the journal says a detail's value in words, in the
// page's language (a sale's "paid":"other" once showed as "paid : other"
// on the French journal).
func TestAuditValueWords(t *testing.T) {
	for _, tc := range []struct {
		lang, key string
		value     any
		want      string
	}{
		{langFR, "paid", "other", "Autre / non précisé"},
		{langFR, "paid", "cheque", "Chèque"},
		{langFR, "paid", "unpaid", "Pas encore payé"},
		{langEN, "paid", "cash", "Cash"},
		{langFR, "paid", "", ""},
		{langFR, "active", true, "oui"},
		// A setting's switch is stored as a string ("Nouvelle valeur : true"
		// on the French journal).
		{langFR, "value", "true", "oui"},
		{langFR, "value", "false", "non"},
		{langEN, "value", "true", "yes"},
		{langFR, "value", "Europe/Paris", "Europe/Paris"},
		// A space's own setting (space.books): its label, not its key.
		{langFR, "key", "pennylane.token", "«\u00a0" + translate(langFR, "setting.pennylane.token") + "\u00a0»"},
		{langFR, "key", "not.a.setting", "«\u00a0not.a.setting\u00a0»"},
		// English quotes on the English journal.
		{langEN, "key", "pennylane.token", "“" + translate(langEN, "setting.pennylane.token") + "”"},
	} {
		n := &auditNames{p: &page{Lang: tc.lang}}
		if got := n.value(tc.key, tc.value); got != tc.want {
			t.Errorf("%s %s=%v: %q, want %q", tc.lang, tc.key, tc.value, got, tc.want)
		}
	}
	// Who did it, in words: a kiosk enrolling itself is not yet known by
	// its number (its actor is "kiosk").
	for _, tc := range []struct{ lang, actor, want string }{
		{langFR, "kiosk", "La borne elle-même"},
		{langEN, "kiosk", "The kiosk itself"},
		{langFR, "cli", "La ligne de commande"},
		{langFR, "bureau@example.org", "bureau@example.org"},
	} {
		n := &auditNames{p: &page{Lang: tc.lang}}
		if got := n.who(tc.actor); got != tc.want {
			t.Errorf("%s who(%q) = %q, want %q", tc.lang, tc.actor, got, tc.want)
		}
	}
	if got := (&page{Lang: langFR}).T("audit.field.key"); got != "Réglage" {
		t.Errorf("the setting's label: %q", got)
	}
	if got := (&page{Lang: langFR}).T("audit.field.paid"); got != "Payé par" {
		t.Errorf("the field's label: %q", got)
	}
}
