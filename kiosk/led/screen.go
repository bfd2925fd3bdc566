package led

import (
	"fmt"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
	"github.com/badgeuse/badgeuse/shared/french"
)

// Texts for the door screen (kiosk/screen), kept here with the console's
// (Message) so that every reason the door knows has both: a reason without
// a sentence of its own is said with its short text.

// ScreenText is what the door screen says of a decision, French first then
// English: a title and a sentence. The French has French typography's
// no-break spaces (before « : », « ! »...).
type ScreenText struct {
	Title [2]string
	Text  [2]string
}

// screenSentences are the reasons said with more than their short text on
// the screen (French, English). MembershipExpired is central's reason for
// unpaid dues, known here by its code so that this kioskd says it before
// it decides it itself.
var screenSentences = map[access.Reason][2]string{
	access.RevokedBadge:        {"Badge révoqué : voyez le bureau", "Badge revoked: see the bureau"},
	access.NoEntriesLeft:       {"Plus d'entrées sur ta carte : voyez le bureau", "No entries left on your card: see the bureau"},
	access.SubscriptionExpired: {"Abonnement terminé : voyez le bureau", "Subscription over: see the bureau"},
	access.MemberIsSuspended:   {"Adhésion suspendue : voyez le bureau", "Membership suspended: see the bureau"},
	access.UnknownBadge:        {"Badge inconnu : voyez le bureau", "Unknown badge: see the bureau"},
	"membership_expired":       {"Cotisation à renouveler", "Membership dues to renew"},
	access.OKAlreadyToday:      {"Déjà venu·e aujourd'hui : rien de décompté", "Already in today: nothing used"},
	access.OKUnlimited:         {"Accès illimité", "Unlimited access"},
	access.NotValidHere:        {"Ta carte n'est pas valable dans cet espace : voyez le bureau", "Your pass is not valid at this space: see the bureau"},
}

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// Screen returns the door screen's text for decision d made at now: a
// greeting, by her first name when the kiosk holds it ("Bonjour Alice !",
// door.show_names), and what she has left when accepted ("Il te reste 7
// entrées", "Abonnement valable jusqu'au 31 mars"); why and what to do
// when refused (no name: whoever holds the badge up is not named).
func Screen(d kiosk.Decided, now time.Time) ScreenText {
	r := d.Entry.Decision.Reason
	var s ScreenText
	switch {
	case d.Entry.Decision.Accept && d.Name != "":
		s.Title = [2]string{"Bonjour " + d.Name + " !", "Hello " + d.Name + "!"}
	case d.Entry.Decision.Accept:
		s.Title = [2]string{"Bonjour !", "Hello!"}
	default:
		s.Title = [2]string{"Entrée refusée", "Entry refused"}
	}
	switch {
	case r == access.OKPack && d.Left == 0:
		s.Text = [2]string{"C'était ta dernière entrée : pense à recharger ta carte", "That was your last entry: top up your card"}
	case r == access.OKPack && d.Left == 1:
		s.Text = [2]string{"Il te reste 1 entrée", "1 entry left"}
	case r == access.OKPack && d.Left > 1:
		s.Text = [2]string{fmt.Sprintf("Il te reste %d entrées", d.Left), fmt.Sprintf("%d entries left", d.Left)}
	case r == access.OKSubscription && !d.Until.IsZero():
		end := d.Until.Start(time.UTC)
		fr, en := fmt.Sprintf("%d %s", end.Day(), frenchMonths[end.Month()-1]), end.Format("2 January")
		if end.Year() != now.Year() {
			fr, en = fmt.Sprintf("%s %d", fr, end.Year()), end.Format("2 January 2006")
		}
		if end.Day() == 1 {
			fr = "1er" + strings.TrimPrefix(fr, "1")
		}
		s.Text = [2]string{"Abonnement valable jusqu'au " + fr, "Subscription valid until " + en}
	default:
		if t, ok := screenSentences[r]; ok {
			s.Text = t
		} else {
			fr, en := Message(r)
			s.Text = [2]string{capitalize(fr), capitalize(en)}
		}
	}
	// The French are written with ordinary spaces: the screen's get the
	// no-break ones French typography wants ("Bonjour Alice !", "Badge
	// inconnu : voyez le bureau"), so that a line never starts with the
	// sign. The console's (Message) stay as they are.
	s.Title[0], s.Text[0] = french.Spaces(s.Title[0]), french.Spaces(s.Text[0])
	return s
}

func capitalize(s string) string {
	for i, c := range s {
		return strings.ToUpper(string(c)) + s[i+len(string(c)):]
	}
	return s
}

// LitFor is how long the LEDs show outcome o, with the green LED on for
// acceptTime (0: DefaultAcceptTime) when accepted: the door screen shows
// its message for as long.
func LitFor(o kiosk.Outcome, acceptTime time.Duration) time.Duration {
	if acceptTime <= 0 {
		acceptTime = DefaultAcceptTime
	}
	if o.Accept {
		return acceptTime
	}
	table, _ := patterns(acceptTime, DefaultRelayTime)
	var last time.Duration
	for _, c := range table[familyOf(false, o.Reason)].changes {
		if c.out == red {
			last = max(last, c.at)
		}
	}
	return last
}
