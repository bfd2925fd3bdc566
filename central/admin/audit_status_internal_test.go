package admin

import "testing"

// TestAuditStatusWords: a "status" detail is a member's status or an
// event registration's; the journal says both in words (a registration's
// "confirmed" once showed as the missing key "[status.confirmed]").
func TestAuditStatusWords(t *testing.T) {
	for _, tc := range []struct{ lang, value, want string }{
		{langFR, "active", "Actif"},
		{langFR, "suspended", "Suspendu"},
		{langFR, "confirmed", "confirmé·e"},
		{langFR, "waitlisted", "en liste d’attente"},
		{langEN, "cancelled", "cancelled"},
		{langEN, "attended", "came"},
	} {
		n := &auditNames{p: &page{Lang: tc.lang}}
		if got := n.value("status", tc.value); got != tc.want {
			t.Errorf("%s status=%s: %q, want %q", tc.lang, tc.value, got, tc.want)
		}
	}
}
