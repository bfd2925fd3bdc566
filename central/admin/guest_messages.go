package admin

// The guests' messages (issue 12): a member's guests on her page and on
// the admin's member page, the pass to forward, its e-mail.
var _ = addMessages(map[string][2]string{
	"done.guest_once":       {"Pass invité déjà créé : le formulaire a été envoyé deux fois, il n’en est fait qu’un.", "Guest pass already made: the form was sent twice, it is made once."},
	"guest.title":           {"Invité·es", "Guests"},
	"guest.name":            {"Invité·e", "Guest"},
	"guest.came":            {"Venu·e", "Came"},
	"guest.came_yes":        {"venu·e", "came"},
	"guest.came_no":         {"pas encore", "not yet"},
	"guest.took_entry":      {"(une entrée de la carte)", "(one entry of the card)"},
	"guest.took_your_entry": {"(une de vos entrées)", "(one of your entries)"},
	"guest.none":            {"Aucun·e invité·e pour l’instant.", "No guest yet."},
	"guest.invite_title":    {"Inviter quelqu’un", "Invite someone"},
	"guest.quota":           {"Il vous reste %d invitations ce mois-ci (sur %d).", "You have %d invitations left this month (of %d)."},
	"guest.quota.one":       {"Il vous reste %d invitation ce mois-ci (sur %d).", "You have %d invitation left this month (of %d)."},
	"guest.used_up":         {"Vous avez utilisé vos %d invitations de ce mois-ci. Vous pourrez de nouveau inviter à partir du %s ; d’ici là, le bureau peut inviter quelqu’un pour vous : demandez-lui.", "You have used your %d invitations this month. You can invite again from %s; until then, the bureau can invite someone for you: ask them."},
	"guest.used_up.one":     {"Vous avez utilisé votre invitation de ce mois-ci (%d par mois). Vous pourrez de nouveau inviter à partir du %s ; d’ici là, le bureau peut inviter quelqu’un pour vous : demandez-lui.", "You have used your invitation this month (%d a month). You can invite again from %s; until then, the bureau can invite someone for you: ask them."},
	"guest.closed":          {"Ici, seul le bureau invite : demandez-lui.", "Here, only the bureau invites: ask them."},
	"guest.mine":            {"Mes invité·es", "My guests"},
	"guest.name_label":      {"Nom de la personne invitée", "Guest's name"},
	"guest.day_label":       {"Jour de sa venue", "Day of the visit"},
	"guest.invite_submit":   {"Créer le pass invité", "Make the guest pass"},
	"guest.error.name":      {"Écrivez le nom de la personne invitée (100 caractères au plus).", "Write the guest's name (100 characters at most)."},
	"guest.error.day":       {"Choisissez un jour d’aujourd’hui à un an.", "Choose a day from today to a year ahead."},
	"guest.error.quota":     {"Vous avez utilisé toutes vos invitations de ce mois-ci.", "You have used all your invitations this month."},
	"guest.error.closed":    {"Ici, seul le bureau invite : demandez-lui.", "Here, only the bureau invites: ask them."},
	"guest.error.email":     {"Cette adresse e-mail n’est pas valide.", "This e-mail address is not valid."},
	"guest.pass_title":      {"Pass invité", "Guest pass"},
	"guest.pass_for":        {"%s, le %s", "%s, on %s"},
	"guest.invited_by":      {"invité·e de %s", "guest of %s"},
	"guest.past":            {"Ce jour est passé : le pass n’ouvre plus la porte.", "This day is over: the pass no longer opens the door."},
	"guest.download":        {"Télécharger l’image", "Download the image"},
	"guest.forward":         {"Transférez cette image à la personne invitée (message, e-mail) : c’est son pass, valable ce jour-là seulement, dans cet espace.", "Forward this image to your guest (message, e-mail): it is her pass, valid on that day only, at this space."},
	"guest.how":             {"À la porte : montrer le QR code (téléphone, écran lumineux, ou imprimé) à la caméra de la borne, à une vingtaine de centimètres. Lumière verte : bienvenue.", "At the door: show the QR code (phone, bright screen, or printed) to the kiosk's camera, about twenty centimetres away. Green light: welcome."},
	"guest.mail_title":      {"Envoyer par e-mail", "Send by e-mail"},
	"guest.email":           {"Adresse e-mail de la personne invitée", "Guest's e-mail address"},
	"guest.lang":            {"Langue de l’e-mail", "Language of the e-mail"},
	"guest.mail_submit":     {"Envoyer le pass", "Send the pass"},
	"guest.mail_sent":       {"E-mail en route : la personne invitée le reçoit dans quelques minutes, avec comment entrer.", "E-mail on its way: the guest gets it within minutes, with how to come in."},
	"guest.mail_off":        {"L’envoi d’e-mails n’est pas configuré : transférez l’image vous-même.", "E-mail is not set up: forward the image yourself."},
	"guest.back":            {"Retour", "Back"},

	// The journal's guest.issue (audit_words.go).
	"audit.field.guest":     {"Invitation", "Guest pass"},
	"audit.field.by_member": {"Par le membre (compte dans son quota)", "By the member (counts in her quota)"},
	"audit.field.day":       {"Jour", "Day"},

	// The kiosk alerts by e-mail (issue 18), in the e-mail settings.
	"setting.alerts.email":      {"Adresse du bureau pour les alertes des bornes", "The bureau's address for kiosk alerts"},
	"setting.alerts.email.help": {"Caméra qui ne voit plus rien, disque presque plein, borne muette : un e-mail par incident, comme dans Slack. Vide : pas d’alerte par e-mail.", "Camera seeing nothing, disk nearly full, silent kiosk: one e-mail per incident, as in Slack. Empty: no alert by e-mail."},
})
