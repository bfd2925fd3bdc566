package admin

import (
	"net/http"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// The Slack page (GET /settings/slack): how Badgeuse posts (bot token or
// webhook), the slack.* settings with explanations, a "send a test
// message" button that shows Slack's own answer, the messages given up
// (with Slack's error, and a button to send them again once fixed), and
// the members who asked not to be announced. It needs Config.Notifier and
// Config.Outbox (central/slack's worker and the store); without them it
// shows the settings only.

func init() {
	addMessages(map[string][2]string{
		"slack.title":         {"Slack", "Slack"},
		"slack.link":          {"Slack ou Mattermost : annonces des arrivées, messages, alertes →", "Slack or Mattermost: arrival posts, messages, alerts →"},
		"slack.mode":          {"Connexion", "Connection"},
		"slack.mode.token":    {"Application Slack (jeton de bot) : arrivées, résumé du jour, messages aux membres, alertes du bureau.", "Slack app (bot token): arrivals, daily digest, messages to members, bureau alerts."},
		"slack.mode.webhook":  {"Webhook entrant (Slack ou Mattermost) : arrivées et résumé du jour seulement.", "Incoming webhook (Slack or Mattermost): arrivals and the daily digest only."},
		"slack.mode.none":     {"Rien n’est configuré : aucun message n’est envoyé. Renseignez un jeton de bot ou l’URL d’un webhook.", "Nothing is set up: no message is sent. Set a bot token or a webhook URL."},
		"slack.settings":      {"Réglages", "Settings"},
		"slack.test":          {"Envoyer un message de test", "Send a test message"},
		"slack.test.help":     {"Le message part avec les réglages enregistrés ; la réponse exacte de Slack s’affiche ici.", "The message is sent with the saved settings; Slack's exact answer shows here."},
		"slack.test.channel":  {"Salon des arrivées", "Arrivals channel"},
		"slack.test.bureau":   {"Salon du bureau", "Bureau channel"},
		"slack.test.webhook":  {"Webhook", "Webhook"},
		"slack.test.dm":       {"Message privé à (e-mail) :", "Direct message to (e-mail):"},
		"slack.test.send":     {"Envoyer", "Send"},
		"slack.test.answer":   {"Réponse de Slack :", "Slack's answer:"},
		"slack.test.ok":       {"Réussi", "Success"},
		"slack.test.failed":   {"Échec", "Failure"},
		"slack.unwired":       {"Le serveur n’a pas branché l’envoi Slack : les tests et la liste des échecs sont indisponibles.", "The server did not wire Slack sending: tests and the failure list are unavailable."},
		"slack.failed":        {"Messages abandonnés", "Messages given up"},
		"slack.failed.help":   {"Slack a refusé ces messages (réglage à corriger). Après correction, renvoyez-les.", "Slack refused these messages (a setting to fix). Once fixed, send them again."},
		"slack.failed.none":   {"Aucun message abandonné.", "No message given up."},
		"slack.failed.retry":  {"Renvoyer", "Send again"},
		"slack.pending":       {"%d messages en attente d’envoi.", "%d messages waiting to be sent."},
		"slack.pending.one":   {"%d message en attente d’envoi.", "%d message waiting to be sent."},
		"slack.col.created":   {"Créé", "Created"},
		"slack.col.kind":      {"Type", "Kind"},
		"slack.col.error":     {"Erreur de Slack", "Slack's error"},
		"slack.optouts":       {"Membres non annoncés", "Members not announced"},
		"slack.optouts.help":  {"Ils ont demandé que leurs arrivées ne soient pas annoncées (case à cocher sur la fiche du membre).", "They asked not to have their arrivals announced (a checkbox on the member's form)."},
		"slack.optouts.none":  {"Personne.", "Nobody."},
		"slack.topic.arrival": {"Arrivée", "Arrival"},
		"slack.topic.digest":  {"Résumé du jour", "Daily digest"},
		"slack.topic.morning": {"Programme du jour", "The day's programme"},
		"slack.topic.balance": {"Message au membre", "Message to the member"},
		"slack.topic.alert":   {"Alerte du bureau", "Bureau alert"},
		"done.slack_saved":    {"Réglages Slack enregistrés.", "Slack settings saved."},
		"done.slack_requeued": {"Message remis dans la file d’envoi.", "Message queued again."},
		"error.slack_target":  {"Choisissez où envoyer le message de test.", "Choose where to send the test message."},
		"setting.slack.token": {"Jeton de bot (xoxb-…)", "Bot token (xoxb-…)"},
		"setting.slack.token.help": {"Application Slack > OAuth & Permissions > Bot User OAuth Token. Permissions : chat:write, channels:history, groups:history, im:history, im:write, users:read, users:read.email.",
			"Slack app > OAuth & Permissions > Bot User OAuth Token. Scopes: chat:write, channels:history, groups:history, im:history, im:write, users:read, users:read.email."},
		"setting.slack.webhook_url":      {"URL du webhook entrant", "Incoming webhook URL"},
		"setting.slack.webhook_url.help": {"Sans jeton : Slack ou Mattermost, arrivées et résumé seulement. Un webhook ne peut pas relire le salon : après une coupure au mauvais moment, un message peut paraître deux fois.", "Without a token: Slack or Mattermost, arrivals and digest only. A webhook cannot read the channel back: after a cut at the wrong moment, a message may appear twice."},
		"setting.slack.channel":          {"ID du salon des arrivées", "Arrivals channel ID"},
		"setting.slack.channel.help":     {"L’ID (C0123…), en bas des détails du salon dans Slack. Invitez l’application dans le salon (/invite).", "The ID (C0123…), at the bottom of the channel's details in Slack. Invite the app to the channel (/invite)."},
		"setting.slack.bureau_channel":   {"ID du salon du bureau", "Bureau channel ID"},
		"setting.slack.bureau_channel.help": {"Alertes : badge révoqué présenté plusieurs fois, borne muette, découvert après un passage hors ligne, paiement sans membre. Vide : pas d’alertes.",
			"Alerts: revoked badge shown repeatedly, silent kiosk, overdraft after offline use, payment matching no member. Empty: no alerts."},
		"setting.slack.arrival_template":         {"Message d’arrivée", "Arrival message"},
		"setting.slack.arrival_template.help":    {"Variables : {name}, {first_name}, {time}, {space}.", "Placeholders: {name}, {first_name}, {time}, {space}."},
		"setting.slack.balance_template":         {"Message quand la carte s’épuise (2, 1, 0 entrées)", "Message when the card runs low (2, 1, 0 entries)"},
		"setting.slack.balance_template.help":    {"Envoyé en privé au membre (retrouvé par son e-mail). Variables : {name}, {first_name}, {left}, {space}, {url}.", "Sent privately to the member (found by e-mail). Placeholders: {name}, {first_name}, {left}, {space}, {url}."},
		"setting.slack.buy_url":                  {"Lien pour racheter des entrées", "Link to buy entries"},
		"setting.slack.buy_url.help":             {"Le formulaire HelloAsso, ajouté aux messages de carte épuisée.", "The HelloAsso form, added to low-balance messages."},
		"setting.slack.digest_time":              {"Heure du résumé du jour", "Time of the daily digest"},
		"setting.slack.digest_time.help":         {"Par ex. 19:00 : la liste de qui est venu aujourd’hui. Vide : pas de résumé.", "E.g. 19:00: the list of who came today. Empty: no digest."},
		"setting.slack.morning_time":             {"Heure du programme du jour", "Time of the day's programme"},
		"setting.slack.morning_time.help":        {"Par ex. 08:30 : les événements et réservations du jour, par espace. Une réservation n’est nommée que si son membre apparaît dans « qui est là » ou l’annuaire. Vide : pas de programme.", "E.g. 08:30: the day's events and bookings, per space. A booking is named only when its member appears in who's here or the directory. Empty: no programme."},
		"setting.slack.digest_template":          {"Message du résumé", "Digest message"},
		"setting.slack.digest_template.help":     {"Variables : {names}, {count}, {space}, {day}.", "Placeholders: {names}, {count}, {space}, {day}."},
		"setting.slack.kiosk_silent_after":       {"Alerte si une borne se tait depuis", "Alert when a kiosk is silent for"},
		"setting.slack.kiosk_silent_after.help":  {"Un nombre de minutes, d’heures ou de jours. Vide : jamais.", "A number of minutes, hours or days. Empty: never."},
		"setting.slack.revoked_alert_after":      {"Alerte après ce nombre de refus d’un badge révoqué (par jour)", "Alert after this many refusals of a revoked badge (a day)"},
		"setting.slack.revoked_alert_after.help": {"0 : jamais.", "0: never."},
		"setting.slack.language":                 {"Langue des mots ajoutés aux messages", "Language of the words added to posts"},
		"setting.slack.language.help":            {"Par ex. « Léa (invitée de Marc) » à l’arrivée d’une invitée. Les modèles de messages restent les vôtres.", "E.g. \u201cLéa (guest of Marc)\u201d when a guest arrives. The message templates stay yours."},
		"setting.slack.language.fr":              {"Français", "French"},
		"setting.slack.language.en":              {"Anglais", "English"},
		"setting.slack.min_interval":             {"Intervalle minimal entre deux messages d’un salon", "Least time between two posts to a channel"},
		"setting.slack.min_interval.help":        {"Une durée en secondes, comme 1s : Slack accepte environ un message par seconde et par salon.", "A duration in seconds, such as 1s: Slack takes about one post a second per channel."},
		"setting.slack.api_url":                  {"Adresse de l’API Slack", "Slack API address"},
		"setting.slack.api_url.help":             {"https://slack.com/api/ ; à changer seulement pour des essais.", "https://slack.com/api/; change it for tests only."},
	})
}

// slackSettingOrder is the order of the page's fields: central/slack's
// keys, known when centrald added them (the admin imports no adapter).
var slackSettingOrder = []string{
	"slack.token", "slack.channel", "slack.bureau_channel", "slack.webhook_url",
	"slack.arrival_template", "slack.balance_template", "slack.buy_url",
	"slack.digest_time", "slack.digest_template", "slack.morning_time", "slack.kiosk_silent_after",
	"slack.revoked_alert_after", "slack.language", "slack.min_interval", "slack.api_url",
}

type slackItem struct {
	*central.OutboxItem
	Kind string // message key
}

type slackData struct {
	Mode        string // "token", "webhook" or "none"
	Fields      []settingField
	Wired       bool
	Test        *central.NotifyTest
	TestHint    string // what Test's answer means (slackHint)
	TestTarget  string
	TestEmail   string
	Failed      []slackItem
	FailedTotal int
	Pending     int
	OptOuts     []*central.Member
	Invalid     string // the key of a refused value
}

// slackSettings shows the Slack page (GET /settings/slack), with the
// answer to the test message the session sent (?test=ID: slackTest).
func (s *Server) slackSettings(w http.ResponseWriter, r *http.Request) {
	var d slackData
	if v, ok := s.resultView(r, "test", "slack_test"); ok {
		d = v.(slackData)
	}
	s.renderSlack(w, r, http.StatusOK, d, "")
}

func (s *Server) renderSlack(w http.ResponseWriter, r *http.Request, status int, d slackData, errText string) {
	ctx := r.Context()
	values, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	switch d.Mode = "none"; {
	case values.Get("slack.token") != "":
		d.Mode = "token"
	case values.Get("slack.webhook_url") != "":
		d.Mode = "webhook"
	}
	for _, k := range slackSettingOrder {
		d.Fields = append(d.Fields, newSettingField(values, k))
	}
	markInvalid(d.Fields, d.Invalid)
	if d.Test != nil {
		d.TestHint = slackHint(requestLang(r), *d.Test)
	}
	d.Wired = s.cfg.Notifier != nil && s.cfg.Outbox != nil
	if s.cfg.Outbox != nil {
		items, n, err := s.cfg.Outbox.FindOutbox(ctx, central.OutboxFilter{TopicPrefix: "slack.", State: central.OutcomeFailed, Limit: 20})
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		d.FailedTotal = n
		for _, it := range items {
			d.Failed = append(d.Failed, slackItem{OutboxItem: it, Kind: "slack.topic." + strings.TrimPrefix(it.Topic, "slack.")})
		}
		if _, d.Pending, err = s.cfg.Outbox.FindOutbox(ctx, central.OutboxFilter{TopicPrefix: "slack.", State: "pending", Limit: 1}); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	members, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, m := range members {
		if m.SlackOptOut {
			d.OptOuts = append(d.OptOuts, m)
		}
	}
	p := s.newPage(r, "slack.title", d)
	p.Error = errText
	s.renderStatus(w, r, status, "slack_settings", p)
}

// slackSave stores the Slack settings that changed (POST /settings/slack).
// An empty secret keeps it; "-" clears it (saveSettings).
func (s *Server) slackSave(w http.ResponseWriter, r *http.Request) {
	badKey, badText, err := s.saveSettings(r, slackSettingOrder)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if badText != "" {
		s.renderSlack(w, r, http.StatusBadRequest, slackData{Invalid: badKey}, badText)
		return
	}
	redirect(w, r, "/settings/slack", "slack_saved")
}

// slackTest sends a test message and shows Slack's answer (POST
// /settings/slack/test): 303 to the page that shows it, so that reloading
// it does not send another.
func (s *Server) slackTest(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Notifier == nil {
		s.renderSlack(w, r, http.StatusNotFound, slackData{}, translate(requestLang(r), "slack.unwired")) // as the test e-mail without a mailer
		return
	}
	d := slackData{TestTarget: r.PostFormValue("target"), TestEmail: strings.TrimSpace(r.PostFormValue("email"))}
	target := d.TestTarget
	switch target {
	case "channel", "bureau", "webhook":
	case "dm":
		target = d.TestEmail
		if central.ValidateEmail(target) != nil {
			s.renderSlack(w, r, http.StatusBadRequest, d, translate(requestLang(r), "user.error.email"))
			return
		}
	default:
		s.renderSlack(w, r, http.StatusBadRequest, d, translate(requestLang(r), "error.slack_target"))
		return
	}
	res, err := s.cfg.Notifier.TestNotify(r.Context(), target)
	if err != nil {
		if code := central.ErrorCode(err); code == central.EINVALID || code == central.ECONFLICT {
			s.renderSlack(w, r, http.StatusBadRequest, d, errorText(requestLang(r), err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	d.Test = &res
	s.redirectToResult(w, r, "slack_test", d, "/settings/slack?test=", "#slack-test")
}

// slackRequeue sends a given-up message again (POST
// /settings/slack/outbox/{id}/retry).
func (s *Server) slackRequeue(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok || s.cfg.Outbox == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	items, _, err := s.cfg.Outbox.FindOutbox(r.Context(), central.OutboxFilter{TopicPrefix: "slack.", State: central.OutcomeFailed})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	found := false
	for _, it := range items {
		found = found || it.ID == id
	}
	if !found { // only Slack's failed messages, not another worker's
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.cfg.Outbox.RequeueOutbox(r.Context(), id); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/settings/slack", "slack_requeued")
}
