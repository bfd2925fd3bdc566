package led

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
)

var frenchBreak = regexp.MustCompile(` [:;?!]|« | »`)

// TestScreenSaysEveryReason: the door screen has words, French and
// English, for every reason the LEDs know (a new reason added to messages
// is said on the screen too), and the sentences of issue 12.
func TestScreenSaysEveryReason(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for r := range messages {
		for _, accept := range []bool{true, false} {
			s := Screen(kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Accept: accept, Reason: r}}, Left: -1}, now)
			for i := range 2 {
				if s.Title[i] == "" || s.Text[i] == "" || s.Text[i] == string(r) {
					t.Errorf("reason %s: screen text %q", r, s)
				}
			}
			// French puts a no-break space before : ; ? ! (a narrow screen
			// never starts a line with the sign); English none.
			if frenchBreak.MatchString(s.Title[0] + "|" + s.Text[0]) {
				t.Errorf("reason %s: an ordinary space before a sign in %q", r, s)
			}
			if strings.Contains(s.Title[1]+s.Text[1], "\u00a0") {
				t.Errorf("reason %s: a no-break space in English %q", r, s)
			}
		}
	}
	for _, tc := range []struct {
		d    kiosk.Decided
		want string
	}{
		{kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Accept: true, Reason: access.OKPack}}, Left: 7}, "Il te reste 7 entrées"},
		{kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Accept: true, Reason: access.OKSubscription}}, Left: -1,
			Until: access.MustDay("2027-03-31")}, "Abonnement valable jusqu'au 31 mars 2027"},
		{kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Reason: access.RevokedBadge}}, Left: -1}, "Badge révoqué\u00a0: voyez le bureau"},
		{kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Reason: "membership_expired"}}, Left: -1}, "Cotisation à renouveler"},
	} {
		if got := Screen(tc.d, now).Text[0]; got != tc.want {
			t.Errorf("%s: %q, want %q", tc.d.Entry.Decision.Reason, got, tc.want)
		}
	}
	if LitFor(kiosk.Outcome{Accept: true}, 0) != DefaultAcceptTime || LitFor(kiosk.Outcome{Reason: access.UnknownBadge}, 0) <= 0 {
		t.Error("LitFor")
	}
}

// TestScreenGreetsByName (issue 12): an accepted member is greeted by the
// first name the kiosk holds, in French and English; without one (names
// off, a guest) nobody is named; a refusal never names the badge's holder.
func TestScreenGreetsByName(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	decided := func(accept bool, r access.Reason, name string, left int) kiosk.Decided {
		return kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Accept: accept, Reason: r}}, Left: left, Name: name}
	}
	for _, tc := range []struct {
		d            kiosk.Decided
		title, text  string
		titleEnglish string
	}{
		{decided(true, access.OKPack, "Alice", 7), "Bonjour Alice\u00a0!", "Il te reste 7 entrées", "Hello Alice!"},
		{decided(true, access.OKPack, "Jean-Pierre", 1), "Bonjour Jean-Pierre\u00a0!", "Il te reste 1 entrée", "Hello Jean-Pierre!"},
		{decided(true, access.OKUnlimited, "Léa", -1), "Bonjour Léa\u00a0!", "Accès illimité", "Hello Léa!"},
		{decided(true, access.OKPack, "", 7), "Bonjour\u00a0!", "Il te reste 7 entrées", "Hello!"},
		{decided(true, access.OKGuest, "", -1), "Bonjour\u00a0!", "Invité·e, bienvenue", "Hello!"},
		{decided(false, access.RevokedBadge, "Alice", -1), "Entrée refusée", "Badge révoqué\u00a0: voyez le bureau", "Entry refused"},
	} {
		s := Screen(tc.d, now)
		if s.Title[0] != tc.title || s.Text[0] != tc.text || s.Title[1] != tc.titleEnglish {
			t.Errorf("%s %q: %q / %q / %q, want %q / %q / %q", tc.d.Entry.Decision.Reason, tc.d.Name,
				s.Title[0], s.Text[0], s.Title[1], tc.title, tc.text, tc.titleEnglish)
		}
	}
}
