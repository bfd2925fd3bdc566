package admin

import (
	"regexp"
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

// TestFrenchPunctuation: French puts a no-break space before « : », « ; »,
// « ? » and « ! », so that a phone never starts a line with the sign (« 2
// chèques sans banque ou sans numéro » then « : complétez-les » alone on
// the next line of the deposit slip). Every French message of the catalog
// and of the domain's errors has it; English keeps its own typography.
func TestFrenchPunctuation(t *testing.T) {
	bad := regexp.MustCompile(` [:;?!]`)
	for k, v := range catalog {
		if bad.MatchString(v[0]) {
			t.Errorf("%s: %q", k, v[0])
		}
		if strings.Contains(v[1], "\u00a0:") || strings.Contains(v[1], "\u00a0?") {
			t.Errorf("%s, English: %q", k, v[1])
		}
	}
	for format := range domainFrench {
		if got := domainMessage(langFR, central.Errorf(central.EINVALID, format)); bad.MatchString(got) {
			t.Errorf("%q: %q", format, got)
		}
	}
	for _, c := range []struct {
		lang, key string
		args      []any
		want      string
	}{
		{langFR, "deposit.incomplete", []any{2}, "2 chèques sans banque ou sans numéro\u00a0: complétez-les avant la remise («\u00a0Compléter\u00a0»)."},
		{langEN, "deposit.incomplete", []any{2}, "2 cheques without bank or number: complete them before the deposit (“Complete”)."},
		{langFR, "payments.who", nil, "Qui a payé\u00a0?"},
		{langEN, "payments.who", nil, "Who paid?"},
	} {
		if got := translate(c.lang, c.key, c.args...); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.key, got, c.want)
		}
	}
	err := central.Errorf(central.EINVALID, "No space is named %q: the spaces are %s.", "Hangar", "Atelier, Quai")
	if got, want := domainMessage(langFR, err), "Aucun espace ne s’appelle «\u00a0Hangar\u00a0»\u00a0: les espaces sont Atelier, Quai."; got != want {
		t.Errorf("domain error: %q, want %q", got, want)
	}
}

// TestHoursWordsPunctuation: opening hours said in words (the journal's
// value of door.hours) join their days with « ; » as each language writes
// it: a no-break space before it in French, none in English (it was
// « ; » with an ordinary space in both).
func TestHoursWordsPunctuation(t *testing.T) {
	hours := "mon 08:00-20:00; sat 09:00-13:00"
	for _, c := range []struct{ lang, want string }{
		{langFR, "lundi 08:00–20:00\u00a0; samedi 09:00–13:00"},
		{langEN, "Monday 08:00–20:00; Saturday 09:00–13:00"},
	} {
		if got := (&page{Lang: c.lang}).HoursWords(hours); got != c.want {
			t.Errorf("%s: %q, want %q", c.lang, got, c.want)
		}
	}
}

// TestCSVWordsUnchanged: the exports' headers and the words of their cells
// (a status, a kind, a reason...) are a contract of the CSV files, read by
// spreadsheets and scripts: French typography's no-break spaces never
// reach them (none of them has a sign that would get one).
func TestCSVWordsUnchanged(t *testing.T) {
	for k, v := range catalog {
		for _, prefix := range []string{"csv.", "donation.", "reason.", "registration.", "status.", "kind.", "paid.", "source."} {
			if strings.HasPrefix(k, prefix) && strings.Contains(v[0], "\u00a0") {
				t.Errorf("%s, a CSV word: %q", k, v[0])
			}
		}
	}
}
