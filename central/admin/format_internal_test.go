package admin

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

func TestFormatMoney(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		cents int64
		want  string
	}{
		{"fr", 123450, "1\u00a0234,50\u00a0€"},
		{"fr", 5, "0,05\u00a0€"},
		{"fr", 100000000, "1\u00a0000\u00a0000,00\u00a0€"},
		{"fr", -8000, "-80,00\u00a0€"},
		{"en", 123450, "€1,234.50"},
	} {
		if got := (&page{Lang: tc.lang}).Money(tc.cents); got != tc.want {
			t.Errorf("Money(%s, %d) = %q, want %q", tc.lang, tc.cents, got, tc.want)
		}
	}
}

func TestFormatDates(t *testing.T) {
	at := time.Date(2026, 11, 26, 8, 12, 0, 0, time.UTC)
	fr := &page{Lang: "fr", loc: access.Paris}
	en := &page{Lang: "en", loc: access.Paris}
	if got := fr.DateTime(at); got != "26/11/2026 09:12" {
		t.Errorf("fr DateTime = %q", got)
	}
	if got := en.DateTime(at); got != "2026-11-26 09:12" {
		t.Errorf("en DateTime = %q", got)
	}
	if got := fr.Day(access.MustDay("2026-03-01")); got != "01/03/2026" {
		t.Errorf("fr Day = %q", got)
	}
	if got := fr.Month("2026-08"); got != "août 2026" {
		t.Errorf("fr Month = %q", got)
	}
}

// TestCatalog: every message has both languages, with the same verbs.
func TestCatalog(t *testing.T) {
	for k, v := range catalog {
		if v[0] == "" || v[1] == "" {
			t.Errorf("message %s lacks a language", k)
		}
		if countVerbs(v[0]) != countVerbs(v[1]) {
			t.Errorf("message %s: %q and %q take different arguments", k, v[0], v[1])
		}
		if pluralRE.MatchString(v[0]) {
			t.Errorf("message %s: %q: write the singular under %s.one (see isOne), not \"(s)\"", k, v[0], k)
		}
		if base, ok := strings.CutSuffix(k, ".one"); ok {
			if b, ok := catalog[base]; !ok {
				t.Errorf("message %s: the singular of %s, which does not exist", k, base)
			} else if countVerbs(b[0]) != countVerbs(v[0]) {
				t.Errorf("message %s: %q and its plural %q take different arguments", k, v[0], b[0])
			}
		}
	}
}

// pluralRE finds a French plural left to the reader: "entrée(s)".
var pluralRE = regexp.MustCompile(`\pL\(s\)`)

// TestPlural: a count takes its singular form, in French 0 and 1, in
// English 1 only; a message without a singular form is unchanged.
func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    any
		want string
	}{
		{langFR, 0, "carnet\u00a0: 0 entrée restante"},
		{langFR, 1, "carnet\u00a0: 1 entrée restante"},
		{langFR, 2, "carnet\u00a0: 2 entrées restantes"},
		{langFR, int64(1), "carnet\u00a0: 1 entrée restante"},
		{langEN, 0, "card: 0 entries left"},
		{langEN, 1, "card: 1 entry left"},
		{langEN, 12, "card: 12 entries left"},
	} {
		if got := translate(tt.lang, "standing.pack", tt.n); got != tt.want {
			t.Errorf("%s %v: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	// The count first, said later in the sentence.
	if got := translate(langFR, "settlement.invoiced", 1, 7, "3,50 €", "02/12/2026"); got != "Facture 7\u00a0: 1 visite, 3,50 €, demandée le 02/12/2026" {
		t.Errorf("settlement.invoiced: %q", got)
	}
	if got := translate(langFR, "settlement.invoiced", 3, 7, "10,50 €", "02/12/2026"); got != "Facture 7\u00a0: 3 visites, 10,50 €, demandée le 02/12/2026" {
		t.Errorf("settlement.invoiced: %q", got)
	}
}

func countVerbs(s string) int {
	n := 0
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			if s[i+1] == '%' {
				i++
				continue
			}
			n++
		}
	}
	return n
}

// TestParseLocalOnSpaceClock: a datetime-local field read on a space's
// clock, the days Paris changes its clock included (2026-03-29: 02:00 to
// 03:00 does not exist; 2026-10-25: 02:00 to 03:00 happens twice).
func TestParseLocalOnSpaceClock(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	mtl, _ := time.LoadLocation("America/Montreal")
	for _, tt := range []struct {
		v   string
		loc *time.Location
		utc string
	}{
		{"2026-03-29T01:30", paris, "2026-03-29T00:30:00Z"},
		{"2026-03-29T02:30", paris, "2026-03-29T01:30:00Z"}, // in the gap: moved forward by it (03:30 CEST)
		{"2026-03-29T03:30", paris, "2026-03-29T01:30:00Z"},
		{"2026-10-25T03:30", paris, "2026-10-25T02:30:00Z"},
		{"2026-03-29T18:00", mtl, "2026-03-29T22:00:00Z"},
		{"2026-10-25T18:00", mtl, "2026-10-25T22:00:00Z"},
		{"2026-12-10 18:00", mtl, "2026-12-10T23:00:00Z"},
	} {
		got, ok := parseLocal(tt.v, tt.loc)
		if !ok || got.UTC().Format(time.RFC3339) != tt.utc {
			t.Errorf("parseLocal(%q, %s) = %v %v, want %s", tt.v, tt.loc, got.UTC(), ok, tt.utc)
		}
	}
	// The repeated hour: one of its two passes (Go does not say which).
	got, ok := parseLocal("2026-10-25T02:30", paris)
	if u := got.UTC().Format(time.RFC3339); !ok || u != "2026-10-25T00:30:00Z" && u != "2026-10-25T01:30:00Z" {
		t.Errorf("parseLocal in the repeated hour = %s %v", u, ok)
	}
}
