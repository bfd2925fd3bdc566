package admin

import (
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestFrenchQuotes: French « guillemets » hold their words with no-break
// spaces, so that a phone never breaks a line between a quote and its
// word (a lone » at the start of a line): in every French message, and
// in the domain's errors said in French (their own quotes and a %q).
func TestFrenchQuotes(t *testing.T) {
	bad := func(s string) bool { return strings.Contains(s, "« ") || strings.Contains(s, " »") }
	for k, v := range catalog {
		if bad(v[0]) {
			t.Errorf("%s: %q", k, v[0])
		}
	}
	for _, err := range []error{
		central.Errorf(central.ECONFLICT, "Payment %d is %s: it cannot be set aside.", 7, central.PaymentCredited),
		central.Errorf(central.EINVALID, "%q is not an amount in euros (write it like 80 or 80,50).", "quinze"),
	} {
		if got := domainMessage(langFR, err); bad(got) || !strings.Contains(got, "«\u00a0") {
			t.Errorf("%v: %q", err, got)
		}
	}
	if got := translate(langFR, "audit.quoted", "Hangar"); got != "«\u00a0Hangar\u00a0»" {
		t.Errorf("audit.quoted: %q", got)
	}
	if got := translate(langEN, "audit.quoted", "Hangar"); got != "“Hangar”" {
		t.Errorf("English: %q", got)
	}
}
