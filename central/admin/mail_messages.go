package admin

// Messages of the e-mail pages and buttons (mail.go, join.go).
var _ = addMessages(map[string][2]string{
	"link.email":           {"Envoyer ce lien par e-mail", "Send this link by e-mail"},
	"link.email_new":       {"Envoyer un nouveau lien par e-mail", "E-mail a new link"},
	"link.email_new_help":  {"Un nouveau lien est envoyé à %s ; l’ancien ne marche plus.", "A new link is sent to %s; the old one stops working."},
	"badge.email":          {"Envoyer ce badge par e-mail", "Send this badge by e-mail"},
	"done.link_mailed":     {"Le lien part par e-mail.", "The link is on its way by e-mail."},
	"done.badge_mailed":    {"Le badge part par e-mail.", "The badge is on its way by e-mail."},
	"done.mail_off":        {"Rien n’est parti : l’e-mail n’est pas réglé ou le membre n’a pas d’adresse.", "Nothing was sent: e-mail is not set up or the member has no address."},
	"done.member_welcomed": {"Membre ajouté. Son lien et son badge partent par e-mail.", "Member added. Her link and badge are on their way by e-mail."},
	"done.password_reset":  {"Mot de passe changé : connectez-vous.", "Password changed: log in."},
	"done.prefs_saved":     {"Préférences enregistrées.", "Preferences saved."},
	"form.throttled":       {"Trop de demandes : réessayez après %s.", "Too many requests: try again after %s."},

	"mail.failures":         {"E-mails non distribués", "E-mails not delivered"},
	"mail.failures_help":    {"Le serveur de messagerie a refusé ces e-mails : vérifiez l’adresse du membre.", "The mail server refused these e-mails: check the member's address."},
	"mail.kind.welcome":     {"Bienvenue", "Welcome"},
	"mail.kind.link":        {"Lien personnel", "Personal link"},
	"mail.kind.badge":       {"Badge", "Badge"},
	"mail.kind.receipt":     {"Reçu", "Receipt"},
	"mail.kind.low_balance": {"Carte presque vide", "Low balance"},
	"mail.kind.renewal":     {"Renouvellement", "Renewal"},
	"mail.kind.claim":       {"Confirmation d’adresse", "Address confirmation"},

	"lost.title":  {"Retrouver mon lien", "Find my link"},
	"lost.help":   {"Entrez l’adresse e-mail que vous avez donnée à l’association : nous y envoyons un nouveau lien vers votre page.", "Enter the e-mail address you gave the association: we send a new link to your page there."},
	"lost.email":  {"Votre adresse e-mail", "Your e-mail address"},
	"lost.submit": {"Recevoir mon lien", "Send me my link"},
	"lost.sent":   {"Si cette adresse est celle d’un membre, un nouveau lien vient d’y partir. Il remplace l’ancien. Pensez à regarder dans les indésirables.", "If this address is a member's, a new link is on its way to it. It replaces the old one. Check your spam folder too."},

	"reset.title":          {"Mot de passe oublié", "Forgotten password"},
	"reset.forgot":         {"Mot de passe oublié ?", "Forgot your password?"},
	"reset.help":           {"Entrez votre adresse : nous y envoyons un lien pour choisir un nouveau mot de passe, valable une heure.", "Enter your address: we send a link to choose a new password there, valid for one hour."},
	"reset.submit":         {"Recevoir le lien", "Send me the link"},
	"reset.sent":           {"Si cette adresse a un compte, un lien vient d’y partir. Il marche une fois, pendant une heure.", "If this address has an account, a link is on its way to it. It works once, for one hour."},
	"reset.back":           {"Retour à la connexion", "Back to login"},
	"reset.new_password":   {"Nouveau mot de passe", "New password"},
	"reset.save":           {"Enregistrer le mot de passe", "Save the password"},
	"reset.unknown":        {"Ce lien ne marche plus (déjà utilisé ou plus d’une heure). Demandez-en un autre.", "This link no longer works (used already, or older than an hour). Ask for another one."},
	"reset.password_rules": {"Le mot de passe doit avoir de %d à %d caractères.", "The password needs %d to %d characters."},

	"prefs.title":     {"Mes e-mails", "My e-mails"},
	"prefs.hello":     {"Bonjour %s, choisissez ce que vous recevez.", "Hello %s, choose what you receive."},
	"prefs.lang":      {"Langue des e-mails", "Language of the e-mails"},
	"prefs.reminders": {"Recevoir les rappels (carte presque vide, adhésion à renouveler)", "Receive reminders (card almost empty, membership to renew)"},
	"prefs.help":      {"Les reçus et les liens que vous demandez arrivent toujours.", "Receipts and the links you ask for always arrive."},
})
