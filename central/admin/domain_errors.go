package admin

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/french"
)

// The French of the messages of central's errors. central writes its
// messages in English and keeps Errorf's format and arguments in the
// *central.Error; the admin translates by format, so that the domain knows
// nothing of languages. A format missing here shows in English:
// TestDomainErrorsTranslated (domain_errors_internal_test.go) finds every
// Errorf(EINVALID|ECONFLICT|ENOTFOUND, "...") of central's packages and
// fails until its French is here, with the same verbs.
//
// The arguments are translated too: an *central.Error (a setting's reason)
// by this table, a setting's key by its label, a payment's status by its
// name.
var domainFrench = map[string]string{
	// central: amounts of money (money.go).
	"%q is not an amount in euros (write it like 80 or 80,50).":     "%q n’est pas un montant en euros (écrivez-le comme 80 ou 80,50).",
	"%q has more than two decimals: cents are the smallest amount.": "%q a plus de deux décimales : le centime est le plus petit montant.",
	"%q is too large: at most 999 999 999,99 €.":                    "%q est trop grand : au plus 999 999 999,99 €.",
	"%q is negative: an amount here is zero or more.":               "%q est négatif : le montant doit être positif ou nul.",
	// central: the ledger's sync use cases.
	"Entry id %q is not a UUID.": "L’identifiant d’entrée %q n’est pas un UUID.",
	// central/admin: a welcome outside a request (mail.go).
	"No public address to link to (CENTRALD_PUBLIC_URL).": "Pas d’adresse publique vers laquelle faire le lien (CENTRALD_PUBLIC_URL).",
	// central/billing: tax receipts (taxreceipt.go).
	"want an RNA number (W and 9 characters, as W751234567 or W2A1234567) or a SIREN (9 digits)": "attendu : un n° RNA (W et 9 caractères, comme W751234567 ou W2A1234567) ou un SIREN (9 chiffres)",
	"want articles among 200, 238 bis and 978, comma-separated":                                  "attendu : des articles parmi 200, 238 bis et 978, séparés par des virgules",
	"The association does not issue tax receipts (setting donations.tax_receipts).":              "L’association ne délivre pas de reçus fiscaux (réglage donations.tax_receipts).",
	"Tax receipts need the association's details: set %s.":                                       "Les reçus fiscaux demandent les coordonnées de l’association : renseignez %s.",
	"No payments: HelloAsso is not set up.":                                                      "Pas de paiements : HelloAsso n’est pas configuré.",
	"Confirm the year of the tax receipts.":                                                      "Confirmez l’année des reçus fiscaux.",
	"E-mail is not set up (smtp.host and smtp.from).":                                            "L’e-mail n’est pas configuré (smtp.host et smtp.from).",
	"No tax receipt of %d for this donor.":                                                       "Pas de reçu fiscal de %d pour ce donateur.",
	// A space's own association's tax receipts (taxreceipt.go, issue 14).
	"The association %s does not issue tax receipts (its setting donations.tax_receipts).":                                        "L’association %s ne délivre pas de reçus fiscaux (son réglage donations.tax_receipts).",
	"Tax receipts need the details of the association %s: set its %s.":                                                            "Les reçus fiscaux demandent les coordonnées de l’association %s : renseignez ses %s.",
	"The space %s keeps no books of its own: its gifts are the network's donations.":                                              "L’espace %s ne tient pas de comptes propres : ses dons sont ceux du réseau.",
	"The space %s has no association details of its own (association.*): its tax receipts cannot name the network's association.": "L’espace %s n’a pas les coordonnées de sa propre association (association.*) : ses reçus fiscaux ne peuvent pas nommer l’association du réseau.",
	// central/email: SMTP settings and outbox payloads.
	"want a host name such as smtp.example.org, without port": "attendu : un nom de serveur comme smtp.example.org, sans port",
	"want a port number from 1 to 65535":                      "attendu : un numéro de port de 1 à 65535",
	"want one of starttls, tls, none":                         "attendu : starttls, tls ou none",
	"want fr or en":                                           "attendu : fr ou en",
	"want a plain e-mail address such as bureau@example.org":  "attendu : une simple adresse e-mail comme bureau@example.org",
	"Unknown e-mail topic %q.":                                "Sujet d’e-mail inconnu : %q.",
	"E-mail payload too long (%d bytes).":                     "Contenu d’e-mail trop long (%d octets).",
	"E-mail payload: %s.":                                     "Contenu d’e-mail illisible : %s.",
	"E-mail %s: %s":                                           "E-mail %s : %s",
	"Payment notice without source or order.":                 "Notification de paiement sans source ni commande.",
	// central: members' profiles (community.go).
	"Profile text too long (%d characters at most).":                                 "Texte du profil trop long (%d caractères au plus).",
	"The link must be a web address starting with https:// (%d characters at most).": "Le lien doit être une adresse web commençant par https:// (%d caractères au plus).",
	"Unknown way to be reached %q (email, slack, phone or none).":                    "Moyen de contact inconnu %q (email, slack, phone ou aucun).",
	"Slack handle required, without spaces (%d characters at most).":                 "Identifiant Slack obligatoire, sans espace (%d caractères au plus).",
	"Phone number %q: digits, spaces and + . - ( ) only.":                            "Numéro de téléphone %q : des chiffres, des espaces et + . - ( ) seulement.",
	"Write your phone number, or choose another way to be reached.":                  "Écrivez votre numéro de téléphone, ou choisissez une autre façon de vous joindre.",
	"Skill %q too long (%d characters at most).":                                     "Compétence %q trop longue (%d caractères au plus).",
	"At most %d skills.": "%d compétences au plus.",
	// central: events with a capacity (calendar.go, sqlite/calendar.go).
	"Event title required.":                                                               "Le titre de l’événement est obligatoire.",
	"Event title too long (%d characters at most).":                                       "Titre de l’événement trop long (%d caractères au plus).",
	"Event description too long (%d characters at most).":                                 "Description de l’événement trop longue (%d caractères au plus).",
	"Space name too long (%d characters at most).":                                        "Nom d’espace trop long (%d caractères au plus).",
	"An event needs a start and an end.":                                                  "Un événement a un début et une fin.",
	"An event ends after it starts.":                                                      "Un événement finit après avoir commencé.",
	"An event lasts 14 days at most.":                                                     "Un événement dure 14 jours au plus.",
	"Capacity must be between 1 and %d places.":                                           "La capacité va de 1 à %d places.",
	"Registrations must close before the event ends.":                                     "Les inscriptions doivent fermer avant la fin de l’événement.",
	"Name required to register.":                                                          "Le nom est obligatoire pour s’inscrire.",
	"E-mail address required to register.":                                                "L’adresse e-mail est obligatoire pour s’inscrire.",
	"Event %d not found.":                                                                 "Événement %d introuvable.",
	"Registrations for this event are closed.":                                            "Les inscriptions à cet événement sont closes.",
	"This event is for members only.":                                                     "Cet événement est réservé aux membres.",
	"Only someone registered who is not a member and holds a place has an event ticket.":  "Seule une personne inscrite qui n’est pas membre et a une place a un billet.",
	"This event is at no space of the network: it has no tickets.":                        "Cet événement n’a lieu dans aucun espace du réseau : il n’a pas de billets.",
	"This event cannot have tickets.":                                                     "Cet événement ne peut pas avoir de billets.",
	"Already registered for this event.":                                                  "Déjà inscrit·e à cet événement.",
	"%d places are confirmed: the capacity cannot be lower (cancel registrations first).": "%d places sont confirmées : la capacité ne peut pas être plus basse (annulez d’abord des inscriptions).",
	"People are registered: the event's space cannot change.":                             "Des personnes sont inscrites : l’espace de l’événement ne peut plus changer.",
	"Registration %d not found.":                                                          "Inscription %d introuvable.",
	"She came: an attended registration cannot be cancelled.":                             "Cette personne est venue : sa présence ne s’annule pas.",
	"Only a confirmed registration can be marked as attended (this one is %s).":           "Seule une inscription confirmée peut être marquée présente (celle-ci : %s).",
	// central: booking rooms and equipment (booking.go, sqlite/booking.go).
	"Resource name required.":                                               "Le nom de la ressource est obligatoire.",
	"Resource name too long (%d characters at most).":                       "Nom de ressource trop long (%d caractères au plus).",
	"A slot lasts from 5 minutes to 24 hours, in whole minutes.":            "Un créneau dure de 5 minutes à 24 heures, en minutes entières.",
	"Bookable hours: the opening comes before the closing, within the day.": "Heures réservables : l’ouverture avant la fermeture, dans la journée.",
	"The bookable hours must hold a whole number of slots.":                 "Les heures réservables doivent contenir un nombre entier de créneaux.",
	"The weekly limit cannot be negative.":                                  "La limite par semaine ne peut pas être négative.",
	// A resource changed (central.CheckResourceChange).
	"Bookings to come (%d): the resource cannot move to another space until they are over or cancelled.":             "Réservations à venir (%d) : la ressource ne peut pas changer d’espace avant qu’elles soient passées ou annulées.",
	"A booking to come (%s) would not fit the new bookable hours or slots: keep them until it is over or cancelled.": "Une réservation à venir (%s) ne tiendrait pas dans les nouvelles heures réservables ou les nouveaux créneaux : gardez-les jusqu’à ce qu’elle soit passée ou annulée.",
	"A booking ends after it starts.":                             "Une réservation finit après avoir commencé.",
	"A booking holds within one day.":                             "Une réservation tient dans une journée.",
	"A booking is made of whole slots of %d minutes from %s.":     "Une réservation se fait par créneaux entiers de %d minutes à partir de %s.",
	"Bookable from %s to %s.":                                     "Réservable de %s à %s.",
	"Resource %d not found.":                                      "Ressource %d introuvable.",
	"This resource is not bookable any more.":                     "Cette ressource n’est plus réservable.",
	"This time is past.":                                          "Ce moment est passé.",
	"This slot is already booked.":                                "Ce créneau est déjà réservé.",
	"This time is blocked by the bureau.":                         "Ce moment est bloqué par le bureau.",
	"Weekly limit reached: %s a member a week for this resource.": "Limite atteinte : %s par membre et par semaine pour cette ressource.",
	"Booking %d not found.":                                       "Réservation %d introuvable.",
	// A resource withdrawn (central.WithdrawResource).
	"Bookings of members to come (%d): cancel them before withdrawing the resource.": "Réservations de membres à venir (%d) : annulez-les avant de retirer la ressource.",
	// central: members, products, sales, kiosks, admin users.
	"Member name required.":                                                                     "Le nom du membre est obligatoire.",
	"Member name too long (200 characters at most).":                                            "Nom du membre trop long (200 caractères au plus).",
	"Unknown member status %q (active, suspended or archived).":                                 "Statut de membre inconnu %q (active, suspended ou archived).",
	"Invalid e-mail address %q.":                                                                "Adresse e-mail invalide : %q.",
	"E-mail address longer than %d bytes.":                                                      "Adresse e-mail de plus de %d octets.",
	"Product name required.":                                                                    "Le nom du produit est obligatoire.",
	"Product name too long (200 characters at most).":                                           "Nom du produit trop long (200 caractères au plus).",
	"Unknown product kind %q (pack, subscription, unlimited or membership).":                    "Type de produit inconnu %q (pack, subscription, unlimited ou membership).",
	"A membership has no entries: it covers its period (--days) or the calendar year (--year).": "Une adhésion n’a pas de nombre d’entrées : elle couvre sa durée (--days) ou l’année civile (--year).",
	"A price cannot be negative.":                                                               "Un prix ne peut pas être négatif.",
	"Days must be between 0 and 36600.":                                                         "La validité doit être comprise entre 0 et 36\u00a0600 jours.",
	"A pack needs between 1 and 10000 entries.":                                                 "Un carnet compte de 1 à 10\u00a0000 entrées.",
	"A subscription needs a period of at least 1 day (--days).":                                 "Un abonnement dure au moins 1 jour (validité en jours).",
	"A subscription has no entries: it covers every day of its period.":                         "Un abonnement n’a pas de nombre d’entrées : il couvre chaque jour de sa période.",
	"An unlimited plan has no entries.":                                                         "Une formule illimitée n’a pas de nombre d’entrées.",
	"Member required.":                                                                          "Choisissez un membre.",
	"Product required.":                                                                         "Choisissez un produit.",
	"A sale amount cannot be negative.":                                                         "Le montant d’une vente ne peut pas être négatif.",
	"Sale source required (cli, admin, helloasso...).":                                          "Origine de la vente obligatoire (cli, admin, helloasso…).",
	"External reference too long.":                                                              "Référence externe trop longue.",
	"Space %d not found.":                                                                       "Espace %d introuvable.",
	"A space is already named %q.":                                                              "Un espace s’appelle déjà %q.",
	"Too many spaces (%d at most).":                                                             "Trop d’espaces (%d au plus).",
	"Invalid list of spaces %q.":                                                                "Liste d’espaces invalide : %q.",
	"There are several spaces: say which (--space ID or NAME).":                                 "Il y a plusieurs espaces : dites lequel (--space ID ou NOM).",
	"No space is named %q: the spaces are %s.":                                                  "Aucun espace ne s’appelle %q : les espaces sont %s.",
	"Space %q not found.":                                                                       "Espace %q introuvable.",
	"Too many spaces listed.":                                                                   "Trop d’espaces dans la liste.",
	"Invalid opening hours %q (e.g. mon-fri 08:00-20:00; sat 09:00-13:00).":                     "Horaires d’ouverture invalides %q (par exemple mon-fri 08:00-20:00; sat 09:00-13:00).",
	"Pennylane is not set up for this space (its own pennylane.token).":                         "Pennylane n’est pas configuré pour cet espace (son propre pennylane.token).",
	"Nothing is owed to invoice this month (no visits at a convention's rate).":                 "Rien n’est dû à facturer ce mois-ci (aucune visite au tarif d’une convention).",
	"The month's figures changed since the page was shown (now %d visits): check them and confirm again.":                           "Les chiffres du mois ont changé depuis l’affichage de la page (%d visites maintenant) : vérifiez-les et confirmez de nouveau.",
	"Invoice %s of space %d to space %d not found.":                                                                                 "Facture %s de l’espace %d à l’espace %d introuvable.",
	"The month %s is not over: invoice it once it is.":                                                                              "Le mois %s n’est pas terminé : facturez-le une fois fini.",
	"This space uses the network's account there: check it on the billing page.":                                                    "Cet espace y utilise le compte du réseau : vérifiez-le sur la page de facturation.",
	"A space cannot set %q for its books (see centrald settings list: association.*, pennylane.*, helloasso.*).":                    "Un espace ne peut pas régler %q pour sa comptabilité (voir centrald settings list : association.*, pennylane.*, helloasso.*).",
	"A space cannot set %q (only door.require_membership, door.show_names, kiosk.passback, kiosk.stale_after, kiosk.stale_policy).": "Un espace ne peut pas régler %q (seulement door.require_membership, door.show_names, kiosk.passback, kiosk.stale_after, kiosk.stale_policy).",
	"Invalid value %q for %s.": "Valeur %q invalide pour %s.",
	"Space name required.":     "Le nom de l’espace est obligatoire.",
	"A space name cannot be a number (spaces are named by id or name).":                                                                   "Un nom d’espace ne peut pas être un nombre (un espace se désigne par son numéro ou son nom).",
	"A space cannot be named \"all\" (--spaces all means every space).":                                                                   "Un espace ne peut pas s’appeler « all » (--spaces all veut dire tous les espaces).",
	"A space name cannot contain a comma: the members export and --spaces list spaces separated by commas (write \"La Cantine - Lyon\").": "Un nom d’espace ne peut pas contenir de virgule : l’export des membres sépare les espaces par des virgules (écrivez par exemple « La Cantine - Lyon »).",
	"Space hours too long (500 characters at most).":                                                                                      "Horaires de l’espace trop longs (500 caractères au plus).",
	"Address too long (%d characters at most).":                                                                                           "Adresse trop longue (%d caractères au plus).",
	"Unknown time zone %q (want an IANA name such as Europe/Paris).":                                                                      "Fuseau horaire inconnu %q (un nom IANA comme Europe/Paris).",
	"Invalid Slack channel %q (want a channel ID such as C0123456789).":                                                                   "Salon Slack invalide %q (indiquez l’ID du salon, comme C0123456789).",
	"Invalid sender name %q (100 characters at most, without < > \" @).":                                                                  "Nom d’expéditeur invalide %q (100 caractères au plus, sans < > \" @).",
	"A convention needs two spaces.":                                                                                                      "Une convention lie deux espaces.",
	"A convention is between two different spaces.":                                                                                       "Une convention lie deux espaces différents.",
	"A rate per visit is from 0 to 1000 euros.":                                                                                           "Un tarif par visite va de 0 à 1000 euros.",
	"Invalid month %q (want YYYY-MM).":                                                                                                    "Mois invalide %q (AAAA-MM attendu).",
	"Kiosk name required.":                                                                                                                "Le nom de la borne est obligatoire.",
	"Kiosk name too long (100 characters at most).":                                                                                       "Nom de borne trop long (100 caractères au plus).",
	"Space name too long (100 characters at most).":                                                                                       "Nom d’espace trop long (100 caractères au plus).",
	"Unknown role %q (admin, treasurer, door or readonly).":                                                                               "Rôle inconnu %q (admin, treasurer, door ou readonly).",
	"Password required.":                    "Mot de passe obligatoire.",
	"A password needs %d to %d characters.": "Un mot de passe compte de %d à %d caractères.",
	"e-mail %s already on line %d":          "e-mail %s déjà à la ligne %d",

	// Settings: "Setting %s: %s." holds a validator's reason.
	"Setting %s: the value must be one line of text.": "Réglage « %s » : la valeur doit tenir sur une seule ligne.",
	"Setting %s: %s.": "Réglage « %s » : %s.",
	"Unknown setting %q (see centrald settings list).": "Réglage inconnu %q (voir centrald settings list).",
	"must not be empty":                                                                     "ne doit pas être vide",
	"want a whole number from %d to %d":                                                     "indiquez un nombre entier de %d à %d",
	"want one of %s":                                                                        "indiquez l’une de ces valeurs : %s",
	"want a duration such as 72h or 30m, or nothing":                                        "indiquez une durée comme 72h (heures) ou 30m (minutes), ou rien",
	"want a duration from %s to %s such as 90s or 10m, or nothing":                          "indiquez une durée de %s à %s comme 90s (secondes) ou 10m (minutes), ou rien",
	"want an IANA time zone such as Europe/Paris":                                           "indiquez un fuseau horaire comme Europe/Paris",
	"unknown time zone %q":                                                                  "fuseau horaire inconnu %q",
	"want true or false":                                                                    "indiquez oui ou non",
	"want an http(s) URL such as https://api.example.com/v5":                                "indiquez une adresse http(s), par exemple https://api.example.com/v5",
	"want a Pennylane VAT code: exempt, FR_200, FR_100, FR_55 or FR_21":                     "indiquez un code de TVA Pennylane : exempt, FR_200, FR_100, FR_55 ou FR_21",
	"want 14 digits (or nothing)":                                                           "indiquez 14 chiffres (ou rien)",
	"unmatched } (write }} for a brace)":                                                    "accolade } sans { (écrivez }} pour une accolade)",
	"unclosed { (write {{ for a brace)":                                                     "accolade { non fermée (écrivez {{ pour une accolade)",
	"unknown placeholder {%s} (known: {%s})":                                                "variable inconnue {%s} (variables possibles : {%s})",
	"want a Slack token such as xoxb-..., or nothing":                                       "indiquez un jeton Slack comme xoxb-…, ou rien",
	"want an https:// address, or nothing":                                                  "indiquez une adresse https://, ou rien",
	"want an address such as %s":                                                            "indiquez une adresse comme %s",
	"Unknown payment method %q (cash, cheque, transfer, card, helloasso, other or unpaid).": "Moyen de paiement inconnu %q (cash, cheque, transfer, card, helloasso, other ou unpaid).",
	"Payer, bank or cheque number too long.":                                                "Payeur, banque ou numéro de chèque trop long.",
	"A bank and a cheque number are for a cheque.":                                          "Une banque et un numéro de chèque ne vont qu’avec un chèque.",
	"Sale %d was not paid by cheque.":                                                       "La vente n° %d n’a pas été payée par chèque.",
	"Give the cheque's bank or number.":                                                     "Indiquez la banque ou le numéro du chèque.",
	"Say how the sale was paid.":                                                            "Indiquez comment la vente a été payée.",
	"Sale %d was refunded.":                                                                 "La vente %d a été remboursée.",
	"Sale %d is paid already.":                                                              "La vente %d est déjà payée.",
	"A payment cannot be recorded for a day to come.":                                       "Un paiement ne peut pas être daté d’un jour à venir.",
	"want a day of the year such as 11-01 (1 November), or nothing":                         "indiquez un jour de l’année comme 11-01 (1er novembre), ou rien",
	"want a channel ID such as C0123456789 (Slack: open the channel's details; the ID is at the bottom), not its name": "indiquez l’ID du salon, comme C0123456789 (dans Slack, ouvrez les détails du salon : l’ID est tout en bas), pas son nom",
	"want a time such as 19:00, or nothing":     "indiquez une heure comme 19:00, ou rien",
	"want a duration from 0s to 1m, such as 1s": "indiquez une durée de 0s à 1m, par exemple 1s",

	// Slack.
	"Set slack.webhook_url first.":                                            "Renseignez d’abord l’URL du webhook entrant.",
	"Set slack.token first.":                                                  "Renseignez d’abord le jeton de bot Slack.",
	"Set slack.token and %s first.":                                           "Renseignez d’abord le jeton de bot Slack et « %s ».",
	"Slack asked to slow down: try again in a minute.":                        "Slack demande de ralentir : réessayez dans une minute.",
	"Unknown test target %q (channel, bureau, webhook or an e-mail address).": "Destination de test inconnue %q (channel, bureau, webhook ou une adresse e-mail).",

	// Billing: HelloAsso, Pennylane, payments, invoices.
	"Set helloasso.client_id and helloasso.client_secret first.":             "Renseignez d’abord l’identifiant et le secret de l’API HelloAsso (page Facturation).",
	"Set pennylane.token first.":                                             "Renseignez d’abord le jeton d’API Pennylane (page Facturation).",
	"Pennylane is not set up (setting pennylane.token).":                     "Pennylane n’est pas configuré : renseignez son jeton d’API (page Facturation).",
	"Sale %d already has its invoice (%s).":                                  "La vente n° %d a déjà sa facture (%s).",
	"Sale %d was cancelled before it was paid: there is nothing to invoice.": "La vente n° %d a été annulée avant d’être payée : il n’y a rien à facturer.",
	"%q is not a HelloAsso order id.":                                        "%q n’est pas un numéro de commande HelloAsso.",
	"HelloAsso refuses or has no order %d.":                                  "HelloAsso refuse ou n’a pas la commande n° %d.",
	"Pennylane customer id %q is not a number.":                              "L’identifiant de client Pennylane %q n’est pas un nombre.",
	"Payment source too long.":                                               "Origine du paiement trop longue.",
	"Form slug required (200 characters at most).":                           "Formulaire obligatoire (200 caractères au plus).",
	"Item name too long (250 characters at most).":                           "Nom d’article trop long (250 caractères au plus).",
	"Payment %d not found.":                                                  "Paiement n° %d introuvable.",
	"Payment order without source or id.":                                    "Commande de paiement sans origine ni identifiant.",
	"Order %s: item without id or with a negative amount.":                   "Commande %s : article sans identifiant ou de montant négatif.",
	"Payment %d paid no event's form: assign it a product.":                  "Le paiement n° %d n’a payé le formulaire d’aucun événement : attribuez-lui un produit.",
	"Payment %d is %s, not unmatched.":                                       "Le paiement n° %d n’est plus à attribuer (%s).",
	"Payment %d is %s: it cannot be set aside.":                              "Le paiement n° %d est « %s » : il ne peut pas être mis de côté.",
	"Mapping %d not found.":                                                  "Association n° %d introuvable.",
	"Invoice provider and id required.":                                      "Fournisseur et identifiant de la facture obligatoires.",
	"Sale %d already has invoice %s.":                                        "La vente n° %d a déjà la facture %s.",
	"Sale %d already has another invoice.":                                   "La vente n° %d a déjà une autre facture.",
	"Invoice %s is already recorded for another sale.":                       "La facture %s est déjà enregistrée pour une autre vente.",
	"Sale %d has no invoice.":                                                "La vente n° %d n’a pas de facture.",
	"Billing customer provider, key and id required.":                        "Fournisseur, clé et identifiant du client de facturation obligatoires.",
	"Invoice id required (200 characters at most).":                          "Identifiant de facture obligatoire (200 caractères au plus).",
	"Payment %s from %s is already recorded as sale %d.":                     "Le paiement %s (%s) est déjà enregistré : vente n° %d.",
	"Payment %s from %s is already recorded.":                                "Le paiement %s (%s) est déjà enregistré.",

	// The store.
	"Admin user not found.":                                                      "Utilisateur de l’admin introuvable.",
	"An admin user already has the e-mail %s.":                                   "Un utilisateur de l’admin a déjà l’adresse e-mail %s.",
	"Member %d not found.":                                                       "Membre n° %d introuvable.",
	"Another member has the e-mail %s.":                                          "Un autre membre a déjà l’adresse e-mail %s.",
	"Member %d already has the e-mail %s.":                                       "Le membre n° %d a déjà l’adresse e-mail %s.",
	"No such badge.":                                                             "Badge introuvable.",
	"A guest's name is one line of 1 to %d characters.":                          "Le nom d’un·e invité·e tient sur une ligne de 1 à %d caractères.",
	"A guest pass is for a day from today to a year ahead.":                      "Une invitation vaut pour un jour, d’aujourd’hui à dans un an.",
	"A guest pass needs a space.":                                                "Une invitation indique l’espace.",
	"Members cannot invite guests here: only the bureau can.":                    "Ici, seuls les membres du bureau peuvent inviter.",
	"You have invited %d guests this month already, the most allowed.":           "Vous avez déjà invité %d personnes ce mois-ci, le maximum.",
	"Badge %d not found.":                                                        "Badge n° %d introuvable.",
	"Badge %d is not a phone badge.":                                             "Le badge n° %d n’est pas un badge sur téléphone.",
	"Badge %d is revoked.":                                                       "Le badge n° %d est révoqué.",
	"Kiosk %d not found.":                                                        "Borne n° %d introuvable.",
	"Unknown language %q (fr or en).":                                            "Langue %q inconnue (fr ou en).",
	"Join request %d not found.":                                                 "Demande d’adhésion n° %d introuvable.",
	"Join request %d was already decided.":                                       "La demande d’adhésion n° %d a déjà été traitée.",
	"This enrollment token was already used: add the kiosk again for a new one.": "Ce code d’enrôlement a déjà servi : ajoutez la borne à nouveau pour en obtenir un autre.",
	"This enrollment token expired: add the kiosk again for a new one.":          "Ce code d’enrôlement a expiré : ajoutez la borne à nouveau pour en obtenir un autre.",
	"Product %d not found.":                                                      "Produit n° %d introuvable.",
	"Product %d (%s) is no longer sold.":                                         "Le produit n° %d (%s) n’est plus en vente.",
	"Sale %d not found.":                                                         "Vente n° %d introuvable.",
	"Sale %d was already refunded.":                                              "La vente n° %d a déjà été remboursée.",
	"Outbox message %d not found.":                                               "Message n° %d introuvable dans la file d’envoi.",
	"Unknown outbox outcome %q.":                                                 "Résultat d’envoi inconnu %q.",
	"Unknown outbox state %q.":                                                   "État d’envoi inconnu %q.",
	"Pull limit %d outside 1..%d.":                                               "Limite de synchronisation %d hors de 1..%d.",
	"Invalid pull page token.":                                                   "Jeton de page de synchronisation invalide.",
	"want product ids separated by commas, such as 1,3":                          "indiquez des numéros de produits séparés par des virgules, par exemple 1,3",
	"want ID=URL pairs separated by spaces, such as 1=https://pay.example.org/forms/card-10": "indiquez des paires NUMÉRO=ADRESSE séparées par des espaces, par exemple 1=https://pay.example.org/forms/card-10",

	// Paid events (central/event_payment.go), and the address of an
	// event's HelloAsso form (central/billing/helloasso).
	"Want the address of the event's HelloAsso form (https://www.helloasso.com/associations/.../evenements/...).": "L’adresse du formulaire HelloAsso de l’événement est attendue (https://www.helloasso.com/associations/…/evenements/…).",
	"Want the address of the event's payment form.":                                                               "L’adresse du formulaire de paiement de l’événement est attendue.",
	"Price out of range.":                       "Prix hors limites.",
	"This payment form already sells event %d.": "Ce formulaire de paiement vend déjà l’événement n° %d.",
}

// domainMessage returns the message of err's *central.Error in the
// language ("Internal error." in English for any other error, as
// central.ErrorMessage).
func domainMessage(lang string, err error) string {
	var e *central.Error
	if !errors.As(err, &e) {
		return central.ErrorMessage(err)
	}
	return translateError(lang, e)
}

func translateError(lang string, e *central.Error) string {
	if lang == langEN {
		return e.Message
	}
	fr, ok := domainFrench[e.Format]
	if !ok || e.Format == "" {
		return e.Message
	}
	fr = french.Spaces(fr)
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		args[i] = translateArg(lang, a)
		if s, ok := args[i].(string); ok {
			args[i] = frenchQuoted(s)
		}
		switch n := a.(type) {
		case int, int64:
			if domainCounts[e.Format] {
				args[i] = toCount(n)
			}
		}
	}
	return fmt.Sprintf(fr, inLang(lang, args)...)
}

// domainCounts are the formats of central's messages whose %d are numbers
// of things that can pass 9 999, written « 10 000 » in French (count).
var domainCounts = map[string]bool{
	"Capacity must be between 1 and %d places.":                                           true,
	"%d places are confirmed: the capacity cannot be lower (cancel registrations first).": true,
}

// frenchQuoted is a string argument of a French message: its %q shows it
// between French quotes, « quinze », instead of Go's "quinze" (control
// characters still escaped); its other verbs show it as a string.
type frenchQuoted string

func (s frenchQuoted) Format(f fmt.State, verb rune) {
	if verb != 'q' {
		fmt.Fprintf(f, fmt.FormatString(f, verb), string(s))
		return
	}
	text := string(s)
	if strings.ContainsFunc(text, unicode.IsControl) {
		q := strconv.Quote(text)
		text = q[1 : len(q)-1]
	}
	fmt.Fprintf(f, "«\u00a0%s\u00a0»", text) // no-break spaces, as french.Spaces
}

// translateArg translates an argument of a message: a nested error, a
// setting's key, a payment's status; others are data, shown as they are.
func translateArg(lang string, a any) any {
	switch v := a.(type) {
	case *central.Error:
		return translateError(lang, v)
	case string:
		if _, ok := central.LookupSetting(v); ok && catalogHas("setting."+v) {
			return translate(lang, "setting."+v)
		}
	case central.PaymentStatus:
		if catalogHas("paystatus." + string(v)) {
			return translate(lang, "paystatus."+string(v))
		}
	}
	return a
}

// memberConflicts says to a member what a conflict of central's she can
// meet means and what to do, by the error's format (the bureau's pages
// say "Conflit avec des données existantes : …", a database's word): an
// event she holds a place at with her address, her guests of the month,
// an address that is another member's. Args: the message takes the
// error's arguments. A booking refused (a slot taken, her week's hours
// used up) is said on her grid, not here (bookRefusals).
var memberConflicts = map[string]struct {
	key  string
	args bool
}{
	"Already registered for this event.":                               {"self.conflict.registered", false},
	"You have invited %d guests this month already, the most allowed.": {"self.conflict.guest_quota", true},
	"Another member has the e-mail %s.":                                {"self.conflict.email_taken", false},
	"Member %d already has the e-mail %s.":                             {"self.conflict.email_taken", false},
}

// memberConflictText is the sentence a member reads for a conflict: its
// memberConflicts message, or one that says the page was out of date and
// what to do.
func memberConflictText(lang string, err error) string {
	var e *central.Error
	if !errors.As(err, &e) {
		return translate(lang, "self.conflict.other")
	}
	m, ok := memberConflicts[e.Format]
	if !ok {
		return translate(lang, "self.conflict.other")
	}
	if !m.args {
		return translate(lang, m.key)
	}
	return translate(lang, m.key, e.Args...)
}

// hoursText writes a duration of hours and minutes as people do: "1 h",
// "1 h 30", "45 min" (Go's "1h30m0s" otherwise).
func hoursText(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return strconv.Itoa(m) + " min"
	case m == 0:
		return strconv.Itoa(h) + " h"
	}
	return fmt.Sprintf("%d h %02d", h, m)
}
