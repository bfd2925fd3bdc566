package email_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/central/email"
)

// TestRender checks what each mail says, in both languages: the subject,
// the text part and the HTML part.
func TestRender(t *testing.T) {
	base := email.Data{Association: "La Ruche", Name: "Alice Martin", Link: "https://c.example/m/tok?a=1&b=2"}
	for _, c := range []struct {
		name, kind, lang string
		edit             func(*email.Data)
		subject          string
		text, html       []string // must appear
		not              []string // must not appear (text or HTML)
	}{
		{name: "welcome fr", kind: email.KindWelcome, lang: "fr", edit: func(d *email.Data) { d.BadgeAttached = true },
			subject: "Bienvenue à La Ruche",
			text:    []string{"Bonjour Alice,", "https://c.example/m/tok?a=1&b=2", "badge.png", "caméra de la borne", "\n--\nLa Ruche"},
			html:    []string{`<html lang="fr">`, `href="https://c.example/m/tok?a=1&amp;b=2"`, "badge.png", "Pour entrer"},
			not:     []string{"Ne plus le recevoir", "ne plus le recevoir"}},
		{name: "welcome en without badge", kind: email.KindWelcome, lang: "en",
			subject: "Welcome to La Ruche",
			text:    []string{"Hello Alice,", "https://c.example/m/tok?a=1&b=2", "kiosk’s camera"},
			html:    []string{`<html lang="en">`, "To come in:"},
			not:     []string{"badge.png", "Bienvenue"}},
		{name: "link fr", kind: email.KindLink, lang: "fr", subject: "Votre lien personnel — La Ruche",
			text: []string{"Voici le lien de votre page personnelle à La Ruche\u00a0:", "https://c.example/m/tok?a=1&b=2", "ignorez ce message"},
			html: []string{"Ouvrir ma page"}},
		{name: "link en", kind: email.KindLink, lang: "en", subject: "Your personal link — La Ruche",
			text: []string{"Here is the link to your personal page at La Ruche:", "do not share it"},
			html: []string{"Open my page"}},
		{name: "link request fr", kind: email.KindLinkRequest, lang: "fr", subject: "Votre nouveau lien personnel — La Ruche",
			text: []string{"Un nouveau lien vers votre page personnelle à La Ruche a été demandé avec votre adresse.", "https://c.example/m/tok?a=1&b=2", "dans les 24 heures", "Votre lien actuel continue de marcher jusqu’à ce que vous receviez le nouveau."},
			html: []string{"Recevoir mon nouveau lien", "rien ne change"}},
		{name: "link request en", kind: email.KindLinkRequest, lang: "en", subject: "Your new personal link — La Ruche",
			text: []string{"A new link to your personal page at La Ruche was asked for with your address.", "within 24 hours", "Your current link keeps working until you get the new one."},
			html: []string{"Get my new link", "nothing changes"}},
		{name: "receipt fr", kind: email.KindReceipt, lang: "fr",
			edit:    func(d *email.Data) { d.Receipt, d.Product, d.Amount = "R-000042", "Carte 10 entrées", 123450 },
			subject: "Votre reçu R-000042 — La Ruche",
			text:    []string{"Merci pour votre achat\u00a0: Carte 10 entrées, 1\u00a0234,50\u00a0€.", "Votre reçu R-000042 est joint"},
			html:    []string{"<strong>1\u00a0234,50\u00a0€</strong>"}},
		{name: "receipt en", kind: email.KindReceipt, lang: "en",
			edit:    func(d *email.Data) { d.Receipt, d.Product, d.Amount = "R-000042", "10-entry card", 8000 },
			subject: "Your receipt R-000042 — La Ruche",
			text:    []string{"Thank you for your purchase: 10-entry card, €80.00."},
			html:    []string{"<strong>€80.00</strong>"}},
		{name: "low balance 2 fr", kind: email.KindLowBalance, lang: "fr",
			edit:    func(d *email.Data) { d.Left, d.Reminder, d.BuyURL = 2, true, "https://buy.example" },
			subject: "Il vous reste 2 entrées — La Ruche",
			text:    []string{"Il ne vous reste que 2 entrées", "Pour en racheter\u00a0: https://buy.example", "répondez à ce message"},
			html:    []string{`href="https://buy.example"`, "Racheter des entrées", "répondez à ce message"}},
		{name: "low balance 1 en", kind: email.KindLowBalance, lang: "en",
			edit:    func(d *email.Data) { d.Left, d.Reminder, d.Unsubscribe = 1, true, "https://c.example/m/tok#reminders" },
			subject: "1 entry left — La Ruche",
			text:    []string{"only one entry left", "To stop receiving it: https://c.example/m/tok#reminders"},
			html:    []string{`<a href="https://c.example/m/tok#reminders" style="color:#777">Stop receiving it</a>`},
			not:     []string{"To buy more"}},
		{name: "low balance 0 fr", kind: email.KindLowBalance, lang: "fr", edit: func(d *email.Data) { d.Left, d.Reminder = 0, true },
			subject: "Plus d’entrée sur votre carte — La Ruche",
			text:    []string{"Votre carte n’a plus d’entrée"}},
		{name: "low balance 0 en", kind: email.KindLowBalance, lang: "en", edit: func(d *email.Data) { d.Left, d.Reminder = 0, true },
			subject: "No entries left on your card — La Ruche",
			text:    []string{"Your card has no entries left"}},
		{name: "renewal 30 days fr", kind: email.KindRenewal, lang: "fr",
			edit: func(d *email.Data) {
				d.Until, d.DaysLeft, d.Reminder = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), 30, true
			},
			subject: "Votre adhésion se termine le 1er mars 2027 — La Ruche",
			text:    []string{"se termine le 1er mars 2027, dans 30 jours."}},
		{name: "renewal today en", kind: email.KindRenewal, lang: "en",
			edit: func(d *email.Data) {
				d.Until, d.DaysLeft, d.Reminder, d.BuyURL = time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), 0, true, "https://renew.example"
			},
			subject: "Your membership ends today — La Ruche",
			text:    []string{"ends today, 31 December 2027.", "To renew: https://renew.example"},
			html:    []string{"Renew</a>"}},
		{name: "password reset fr", kind: email.KindPasswordReset, lang: "fr", edit: func(d *email.Data) { d.Name = "" },
			subject: "Nouveau mot de passe — La Ruche",
			text:    []string{"Bonjour,\n", "pour l’administration de La Ruche", "dans l’heure\u00a0; il ne sert qu’une fois", "https://c.example/m/tok?a=1&b=2"},
			html:    []string{"Choisir un mot de passe"}},
		{name: "password reset fr elided", kind: email.KindPasswordReset, lang: "fr", edit: func(d *email.Data) { d.Name, d.Association = "", "Atelier Nord" },
			subject: "Nouveau mot de passe — Atelier Nord",
			text:    []string{"pour l’administration d’Atelier Nord avec votre adresse."},
			html:    []string{"pour l’administration d’Atelier Nord avec votre adresse."},
			not:     []string{"de Atelier"}},
		{name: "password reset en", kind: email.KindPasswordReset, lang: "en", edit: func(d *email.Data) { d.Name = "" },
			subject: "New password — La Ruche",
			text:    []string{"Hello,\n", "within the hour; it works only once"}},
		{name: "test unknown language is French", kind: email.KindTest, lang: "de",
			subject: "Message d’essai — La Ruche", text: []string{"peut envoyer des e-mails"}},
		{name: "test en-GB", kind: email.KindTest, lang: "en-GB",
			subject: "Test message — La Ruche", text: []string{"can send e-mails"}},
		// The public form given an address registered already: her
		// registration's mail again, which says so (and only then).
		{name: "event confirmed again fr", kind: email.KindEventConfirmed, lang: "fr",
			edit:    func(d *email.Data) { d.Again, d.Event = true, email.EventData{Title: "Atelier compta"} },
			subject: "Inscription confirmée\u00a0: Atelier compta — La Ruche",
			text:    []string{"Bonjour Alice,\n\nCette adresse a été donnée de nouveau pour «\u00a0Atelier compta\u00a0» sur sa page publique\u00a0: vous y étiez déjà inscrit·e, rien ne change.", "Votre inscription à «\u00a0Atelier compta\u00a0» est confirmée."},
			html:    []string{"<p>Cette adresse a été donnée de nouveau pour «\u00a0Atelier compta\u00a0»"}},
		{name: "event waitlisted again en", kind: email.KindEventWaitlisted, lang: "en",
			edit:    func(d *email.Data) { d.Again, d.Event = true, email.EventData{Title: "Atelier compta"} },
			subject: "Waiting list: Atelier compta — La Ruche",
			text:    []string{"you were registered already, nothing changes", "you are on the waiting list"},
			html:    []string{"<p>This address was given again for “Atelier compta” on its public page"}},
		{name: "event confirmed fr", kind: email.KindEventConfirmed, lang: "fr",
			edit:    func(d *email.Data) { d.Event = email.EventData{Title: "Atelier compta"} },
			subject: "Inscription confirmée\u00a0: Atelier compta — La Ruche",
			text:    []string{"Bonjour Alice,\n\nVotre inscription à «\u00a0Atelier compta\u00a0» est confirmée."},
			not:     []string{"déjà inscrit"}},
		// The event's space has an address: said under its date.
		{name: "event confirmed with an address fr", kind: email.KindEventConfirmed, lang: "fr",
			edit: func(d *email.Data) {
				d.Event = email.EventData{Title: "Atelier compta", Space: "La Cantine", Address: "12 rue des Lilas, 69001 Lyon"}
			},
			subject: "Inscription confirmée\u00a0: Atelier compta — La Ruche",
			text:    []string{"(La Cantine).\nAdresse\u00a0: 12 rue des Lilas, 69001 Lyon"},
			html:    []string{"(La Cantine).<br>Adresse\u00a0: 12 rue des Lilas, 69001 Lyon"}},
		{name: "event register with an address en", kind: email.KindEventRegister, lang: "en",
			edit: func(d *email.Data) {
				d.Event = email.EventData{Title: "Atelier compta", Address: "12 rue des Lilas, 69001 Lyon"}
			},
			subject: "Confirm your registration: Atelier compta — La Ruche",
			text:    []string{".\nAddress: 12 rue des Lilas, 69001 Lyon"},
			html:    []string{".<br>Address: 12 rue des Lilas, 69001 Lyon"}},
		// Registering on a public page: the place is taken when she
		// presses the button of the page the link opens (not at the time
		// of the event said just before).
		{name: "event register fr", kind: email.KindEventRegister, lang: "fr",
			edit:    func(d *email.Data) { d.Event = email.EventData{Title: "Atelier compta"} },
			subject: "Confirmez votre inscription\u00a0: Atelier compta — La Ruche",
			text:    []string{"Votre place n’est prise que lorsque vous appuyez sur ce bouton, s’il en reste\u00a0; sinon, vous êtes inscrit·e sur la liste d’attente."},
			not:     []string{"à ce moment-là"}},
		{name: "event register en", kind: email.KindEventRegister, lang: "en",
			edit:    func(d *email.Data) { d.Event = email.EventData{Title: "Atelier compta"} },
			subject: "Confirm your registration: Atelier compta — La Ruche",
			text:    []string{"Your place is only taken when you press that button, if any are left; otherwise you join the waiting list."},
			not:     []string{"only then"}},
		// New hours: who holds a place may free it; who waits for one is
		// told she still waits, and how to leave the list.
		{name: "event moved fr", kind: email.KindEventMoved, lang: "fr",
			edit:    func(d *email.Data) { d.Event = email.EventData{Title: "Atelier compta"} },
			subject: "Nouvel horaire\u00a0: Atelier compta — La Ruche",
			text:    []string{"L’horaire de l’événement «\u00a0Atelier compta\u00a0» a changé. Voici le nouveau\u00a0:", "libérez votre place"},
			html:    []string{"Annuler mon inscription"},
			not:     []string{"liste d’attente"}},
		{name: "event moved, waiting, fr", kind: email.KindEventMoved, lang: "fr",
			edit: func(d *email.Data) {
				d.Event, d.Waiting, d.Position = email.EventData{Title: "Atelier compta"}, true, 3
			},
			subject: "Nouvel horaire\u00a0: Atelier compta — La Ruche",
			text:    []string{"Vous êtes toujours sur la liste d’attente, en position 3.", "Pour quitter la liste d’attente (sans mot de passe)\u00a0:\nhttps://c.example/m/tok?a=1"},
			html:    []string{"<p>Vous êtes toujours sur la liste d’attente, en position 3.</p>", "Quitter la liste d’attente</a>"},
			not:     []string{"libérez votre place", "Annuler mon inscription"}},
		{name: "event moved, waiting, en, no link", kind: email.KindEventMoved, lang: "en",
			edit: func(d *email.Data) {
				d.Event, d.Waiting, d.Position, d.Link = email.EventData{Title: "Atelier compta"}, true, 1, ""
			},
			subject: "New time: Atelier compta — La Ruche",
			text:    []string{"The time of “Atelier compta” has changed. Here is the new one:", "You are still on the waiting list, in position 1.", "To leave the waiting list, reply to this message."},
			html:    []string{"<p>You are still on the waiting list, in position 1.</p>"},
			not:     []string{"free your place", "Cancel my registration"}},
		{name: "guest en", kind: email.KindGuest, lang: "en",
			edit: func(d *email.Data) {
				d.Name, d.Host, d.Space, d.Day = "Léa", "Alice Martin", "La Ruche", time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
			},
			subject: "Alice Martin invites you to La Ruche on 15 January 2027",
			text:    []string{"(on your phone with its screen bright, or printed) to the kiosk’s camera", "A green light welcomes you; red means the kiosk could not let you in: ask Alice Martin."}},
		{name: "guest fr", kind: email.KindGuest, lang: "fr",
			edit: func(d *email.Data) {
				d.Name, d.Host, d.Space, d.Day = "Léa", "Alice Martin", "La Ruche", time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
			},
			subject: "Alice Martin vous invite à La Ruche le 15 janvier 2027",
			text:    []string{"Il n’est valable que ce jour-là, à La Ruche."}},
		// « à » contracts with a place's article: au Square, aux Halles.
		{name: "guest fr at Le Square", kind: email.KindGuest, lang: "fr",
			edit: func(d *email.Data) {
				d.Association, d.Name, d.Host, d.Space, d.Day = "Les Halles", "Léa", "Alice Martin", "Le Square", time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
			},
			subject: "Alice Martin vous invite au Square le 15 janvier 2027",
			text:    []string{"Il n’est valable que ce jour-là, au Square."},
			not:     []string{"à Le Square"}},
		{name: "welcome fr to Les Halles", kind: email.KindWelcome, lang: "fr",
			edit:    func(d *email.Data) { d.Association = "Les Halles" },
			subject: "Bienvenue aux Halles",
			text:    []string{"Bienvenue aux Halles\u00a0!"},
			html:    []string{"Bienvenue aux Halles\u00a0!"},
			not:     []string{"à Les Halles"}},
		// The badge says how the door works as the welcome does.
		{name: "badge en", kind: email.KindBadge, lang: "en", subject: "Your badge — La Ruche",
			text: []string{"A green light welcomes you; red means the kiosk could not let you in: your page says why."}},
		// A kiosk's alert, to the bureau: where to run the command, and
		// the admin's page by its name.
		{name: "alert camera fr", kind: email.KindAlert, lang: "fr",
			edit: func(d *email.Data) {
				d.Alert, d.Kiosk, d.Since = "camera", "Porte", time.Date(2026, 12, 3, 14, 5, 0, 0, time.UTC)
			},
			subject: "Caméra de la borne «\u00a0Porte\u00a0» en panne — La Ruche",
			text:    []string{"Vérifiez le câble de la caméra, puis lancez «\u00a0sudo kioskd doctor\u00a0» sur la borne.", "L’état des bornes\u00a0: page «\u00a0Bornes\u00a0» de l’administration."},
			not:     []string{"de l’admin."}},
		{name: "alert disk en", kind: email.KindAlert, lang: "en",
			edit: func(d *email.Data) {
				d.Alert, d.Kiosk, d.Since, d.Free = "disk", "Porte", time.Date(2026, 12, 3, 14, 5, 0, 0, time.UTC), "100 MB"
			},
			subject: "Kiosk “Porte”: disk nearly full — La Ruche",
			text:    []string{"The disk of the kiosk “Porte” has been nearly full (100 MB free) since 3 December 2026 at 14:05", "Every kiosk’s state: the “Kiosks” page of the administration."}},
		// A claim goes to the other address, maybe a partner's: it
		// greets nobody by name and says who asks, and that nothing
		// happens without the click. Its subject says who asks what,
		// before the mail is opened.
		{name: "claim fr", kind: email.KindClaim, lang: "fr", edit: func(d *email.Data) { d.Email = "bob@example.net" },
			subject: "Alice Martin demande à rattacher les paiements de votre adresse — La Ruche",
			text: []string{"Bonjour,\n\nAlice Martin, membre de La Ruche, demande à rattacher à son compte de membre les paiements faits avec cette adresse e-mail (bob@example.net)",
				"https://c.example/m/tok?a=1&b=2", "Si vous ne vous y attendiez pas, ignorez ce message\u00a0: rien ne se fait sans ce clic."},
			html: []string{"<p>Bonjour,</p>", "<strong>Alice Martin</strong>, membre de La Ruche", "Voir la demande"},
			not:  []string{"Bonjour Alice", "vos paiements", "sont les vôtres"}},
		{name: "claim fr elided", kind: email.KindClaim, lang: "fr", edit: func(d *email.Data) { d.Email, d.Association = "bob@example.net", "Atelier Nord" },
			subject: "Alice Martin demande à rattacher les paiements de votre adresse — Atelier Nord",
			text:    []string{"Alice Martin, membre d’Atelier Nord, demande"},
			not:     []string{"de Atelier"}},
		{name: "claim en", kind: email.KindClaim, lang: "en", edit: func(d *email.Data) { d.Email = "bob@example.net" },
			subject: "Alice Martin asks to attach payments made with your address — La Ruche",
			text: []string{"Hello,\n\nAlice Martin, a member of La Ruche, asks to attach to their member account the payments made with this e-mail address (bob@example.net)",
				"If you did not expect this, ignore this message: nothing is done without that click."},
			html: []string{"<p>Hello,</p>", "<strong>Alice Martin</strong>, a member of La Ruche", "See the request"},
			not:  []string{"Hello Alice", "your payments", "are yours"}},
		{name: "booking cancelled fr", kind: email.KindBookingCancelled, lang: "fr",
			edit: func(d *email.Data) {
				d.Link = "https://c.example/m"
				d.Booking = email.BookingData{Resource: "Salle de réunion", Space: "L’Annexe",
					Start: time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 15, 30, 0, 0, time.UTC)}
			},
			subject: "Réservation annulée\u00a0: Salle de réunion, le 1er décembre 2026 — La Ruche",
			text: []string{"Bonjour Alice,\n\nLe bureau de La Ruche a annulé votre réservation de «\u00a0Salle de réunion\u00a0» (L’Annexe), le 1er décembre 2026, de 14:00 à 15:30.",
				"Le créneau est libéré.", "onglet «\u00a0Réserver\u00a0» de votre page personnelle", "Demandez-en un nouveau\u00a0: https://c.example/m"},
			html: []string{"<strong>le 1er décembre 2026, de 14:00 à 15:30</strong>", `<a href="https://c.example/m">Demandez-en un nouveau</a>`},
			not:  []string{"heure de"}},
		{name: "booking cancelled en, another clock, no link", kind: email.KindBookingCancelled, lang: "en",
			edit: func(d *email.Data) {
				d.Link = ""
				d.Booking = email.BookingData{Resource: "Projector", Zone: "America/Montreal",
					Start: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
			},
			subject: "Booking cancelled: Projector, 1 December 2026 — La Ruche",
			text: []string{"Hello Alice,\n\nThe board of La Ruche cancelled your booking of “Projector”: 1 December 2026, from 09:00 to 10:00, America/Montreal time.",
				"The slot is free again.", "the “Book” tab of your personal page"},
			html: []string{"<strong>1 December 2026, from 09:00 to 10:00, America/Montreal time</strong>"},
			not:  []string{"Ask for a new one", "()"}},
		{name: "HTML escapes names", kind: email.KindLink, lang: "fr",
			edit:    func(d *email.Data) { d.Name, d.Association = "<b>Eve</b>", "A & B" },
			subject: "Votre lien personnel — A & B",
			text:    []string{"Bonjour <b>Eve</b>,"},
			html:    []string{"Bonjour &lt;b&gt;Eve&lt;/b&gt;,", "A &amp; B"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := base
			if c.edit != nil {
				c.edit(&d)
			}
			r, err := email.Render(c.kind, c.lang, d)
			if err != nil {
				t.Fatal(err)
			}
			if r.Subject != c.subject {
				t.Errorf("subject %q, want %q", r.Subject, c.subject)
			}
			// A phone's list of mails shows the start of a subject: no
			// subject of these names is longer than a line.
			if n := utf8.RuneCountInString(r.Subject); n > 80 {
				t.Errorf("subject of %d characters: %q", n, r.Subject)
			}
			for _, s := range c.text {
				if !strings.Contains(r.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, r.Text)
				}
			}
			for _, s := range c.html {
				if !strings.Contains(r.HTML, s) {
					t.Errorf("HTML lacks %q:\n%s", s, r.HTML)
				}
			}
			for _, s := range c.not {
				if strings.Contains(r.Text, s) || strings.Contains(r.HTML, s) {
					t.Errorf("mail says %q", s)
				}
			}
			if !strings.Contains(r.Text, d.Association) || !strings.Contains(r.HTML, "La Ruche") && d.Association == "La Ruche" {
				t.Errorf("the association's name is missing")
			}
		})
	}
}

func TestRenderUnknownKind(t *testing.T) {
	if _, err := email.Render("nope", "fr", email.Data{}); err == nil {
		t.Error("want an error")
	}
}
