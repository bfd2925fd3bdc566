package led

import (
	"github.com/badgeuse/badgeuse/kiosk"
	"github.com/badgeuse/badgeuse/shared/access"
)

// messages are the short texts said to a member for each reason, French
// first (the door's language) then English.
var messages = map[access.Reason][2]string{
	access.OKUnlimited:         {"accès illimité", "unlimited access"},
	access.OKAlreadyToday:      {"déjà venu·e aujourd'hui, rien de décompté", "already in today, nothing used"},
	access.OKSubscription:      {"abonnement en cours", "valid subscription"},
	access.OKPack:              {"une entrée décomptée", "one entry used"},
	access.NotABadge:           {"ce QR code n'est pas un badge", "this QR code is not a badge"},
	access.MalformedBadge:      {"badge abîmé ou illisible", "badge damaged or unreadable"},
	access.UnknownBadge:        {"badge inconnu", "unknown badge"},
	access.RevokedBadge:        {"badge désactivé (perdu ou remplacé)", "badge revoked (lost or replaced)"},
	access.MemberIsSuspended:   {"adhésion suspendue", "membership suspended"},
	access.MemberIsArchived:    {"adhésion archivée", "membership archived"},
	access.Closed:              {"fermé à cette heure", "closed at this time"},
	access.NoEntriesLeft:       {"plus d'entrées", "no entries left"},
	access.SubscriptionExpired: {"abonnement expiré", "subscription expired"},
	access.StaleState:          {"borne pas à jour depuis trop longtemps", "kiosk out of date for too long"},
	access.OKGuest:             {"invité·e, bienvenue", "guest, welcome"},
	access.OKEvent:             {"bienvenue à l'événement", "welcome to the event"},
	access.ExpiredCode:         {"code périmé : rouvrez la page du badge", "code out of date: open the badge page again"},
	access.AlreadyInside:       {"badge déjà entré il y a un instant", "badge already came in a moment ago"},
	access.MembershipExpired:   {"cotisation à renouveler (adhésion expirée)", "membership dues expired: renew them"},
	access.NotValidHere:        {"carte pas valable dans cet espace", "pass not valid at this space"},
	kiosk.ReasonStorageError:   {"la borne ne peut pas enregistrer (disque plein ?) : prévenez le bureau", "the kiosk cannot record (disk full?): tell the bureau"},
}

// Message returns the short text for reason r, in French and in English, as
// shown on the console and readable by people at the door. A reason this
// program does not know (from a newer central) comes back as its code.
func Message(r access.Reason) (fr, en string) {
	if m, ok := messages[r]; ok {
		return m[0], m[1]
	}
	return string(r), string(r)
}
