package led

import (
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
)

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
		}
	}
	for _, tc := range []struct {
		d    kiosk.Decided
		want string
	}{
		{kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Accept: true, Reason: access.OKPack}}, Left: 7}, "Il te reste 7 entrées"},
		{kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Accept: true, Reason: access.OKSubscription}}, Left: -1,
			Until: access.MustDay("2027-03-31")}, "Abonnement valable jusqu'au 31 mars 2027"},
		{kiosk.Decided{Entry: kiosk.Entry{Decision: access.Decision{Reason: access.RevokedBadge}}, Left: -1}, "Badge révoqué : voyez le bureau"},
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
