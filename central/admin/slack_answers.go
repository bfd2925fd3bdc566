package admin

import (
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// What a Slack test's answer means and how to fix it, in the bureau's
// language: central/slack reports the facts (central.NotifyTest), the
// admin says them, naming settings by their labels on this page.

func init() {
	addMessages(map[string][2]string{
		"slack.hint.ok":                  {"Le message est parti.", "The message was sent."},
		"slack.hint.posted":              {"Publié par %s dans l’espace Slack %s.", "Posted by %s in the Slack workspace %s."},
		"slack.hint.history":             {"Attention : l’historique du salon n’est pas lisible (%s) ; après une coupure, un message pourrait être publié deux fois. Ajoutez à l’application les permissions channels:history, groups:history et im:history.", "Beware: the channel's history cannot be read (%s); after an outage, a message could be posted twice. Give the app the channels:history, groups:history and im:history scopes."},
		"slack.hint.not_authed":          {"Aucun jeton envoyé : renseignez le « Jeton de bot » ci-dessous.", "No token sent: fill in the “Bot token” below."},
		"slack.hint.invalid_auth":        {"Jeton refusé : recopiez le « Bot User OAuth Token » (xoxb-…) de l’application Slack.", "Token refused: copy the Slack app's “Bot User OAuth Token” (xoxb-…) again."},
		"slack.hint.token_revoked":       {"Ce jeton a été révoqué : réinstallez l’application Slack et recopiez le nouveau jeton.", "This token was revoked: reinstall the Slack app and copy the new token."},
		"slack.hint.account_inactive":    {"Le compte du jeton est désactivé : réinstallez l’application Slack.", "The token's account is deactivated: reinstall the Slack app."},
		"slack.hint.missing_scope":       {"Il manque une permission à l’application Slack : ajoutez-la, puis réinstallez l’application.", "The Slack app lacks a scope: add it, then reinstall the app."},
		"slack.hint.needed":              {"Permission manquante : %s.", "Missing scope: %s."},
		"slack.hint.channel_not_found":   {"Salon introuvable : indiquez l’ID du salon (C0123…, en bas des détails du salon), pas son nom.", "Channel not found: give the channel's ID (C0123…, at the bottom of its details), not its name."},
		"slack.hint.not_in_channel":      {"L’application n’est pas dans le salon : tapez /invite @VotreApplication dans le salon.", "The app is not in the channel: type /invite @YourApp in the channel."},
		"slack.hint.is_archived":         {"Ce salon est archivé : choisissez-en un autre.", "This channel is archived: choose another one."},
		"slack.hint.users_not_found":     {"Aucun compte Slack n’a cette adresse e-mail.", "No Slack account has this e-mail address."},
		"slack.hint.no_service":          {"Webhook inconnu : il a été supprimé ou son URL est mal recopiée.", "Unknown webhook: it was deleted or its URL was copied wrong."},
		"slack.hint.invalid_token":       {"Webhook refusé : recopiez son URL complète.", "Webhook refused: copy its whole URL again."},
		"slack.hint.channel_is_archived": {"Le salon du webhook est archivé.", "The webhook's channel is archived."},
		"slack.hint.action_prohibited":   {"L’administrateur de l’espace Slack bloque ce webhook.", "The Slack workspace's admin blocks this webhook."},
		"slack.hint.rate_limited":        {"Slack demande de ralentir : réessayez dans une minute.", "Slack asks to slow down: try again in a minute."},
		"slack.hint.timeout":             {"Slack n’a pas répondu à temps : vérifiez la connexion du serveur, ou l’adresse de l’API Slack ci-dessous.", "Slack did not answer in time: check the server's connection, or the Slack API address below."},
		"slack.hint.network":             {"Slack injoignable : vérifiez la connexion du serveur, ou l’adresse de l’API Slack ci-dessous.", "Slack cannot be reached: check the server's connection, or the Slack API address below."},
		"slack.hint.outage":              {"Slack a une panne passagère : réessayez plus tard.", "Slack has a passing outage: try again later."},
	})
}

// slackHint says what a test's answer means and what to do, in lang.
func slackHint(lang string, t central.NotifyTest) string {
	var says []string
	switch key := "slack.hint." + t.Code; {
	case t.OK:
		says = append(says, translate(lang, "slack.hint.ok"))
		if t.PostedBy != "" {
			says = append(says, translate(lang, "slack.hint.posted", t.PostedBy, t.Team))
		}
		if t.History != "" {
			says = append(says, translate(lang, "slack.hint.history", t.History))
		}
	case t.Code != "" && catalogHas(key):
		says = append(says, translate(lang, key))
	case t.Status >= 500:
		says = append(says, translate(lang, "slack.hint.outage"))
	}
	if t.Needed != "" {
		says = append(says, translate(lang, "slack.hint.needed", t.Needed))
	}
	return strings.Join(says, " ")
}
