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
	} {
		n := &auditNames{p: &page{Lang: tc.lang}}
		if got := n.value(tc.key, tc.value); got != tc.want {
			t.Errorf("%s %s=%v: %q, want %q", tc.lang, tc.key, tc.value, got, tc.want)
		}
	}
	if got := (&page{Lang: langFR}).T("audit.field.paid"); got != "Payé par" {
		t.Errorf("the field's label: %q", got)
	}
}
