package slack

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

var _ central.Notifier = (*Worker)(nil)

const testText = "✅ Message de test de Badgeuse : les réglages Slack fonctionnent."

// hints explain Slack's usual answers to the bureau.
var hints = map[string]string{
	"ok":                  "Le message est parti.",
	"not_authed":          "Aucun jeton envoyé : renseignez slack.token.",
	"invalid_auth":        "Jeton refusé : recopiez le « Bot User OAuth Token » (xoxb-…) de l'application Slack.",
	"token_revoked":       "Ce jeton a été révoqué : réinstallez l'application Slack et recopiez le nouveau jeton.",
	"account_inactive":    "Le compte du jeton est désactivé : réinstallez l'application Slack.",
	"missing_scope":       "Il manque une permission à l'application Slack (voir le détail) : ajoutez-la puis réinstallez l'application.",
	"channel_not_found":   "Salon introuvable : indiquez l'ID du salon (C0123…, en bas des détails du salon), pas son nom.",
	"not_in_channel":      "L'application n'est pas dans le salon : tapez /invite @VotreApplication dans le salon.",
	"is_archived":         "Ce salon est archivé : choisissez-en un autre.",
	"users_not_found":     "Aucun compte Slack n'a cette adresse e-mail.",
	"no_service":          "Webhook inconnu : il a été supprimé ou l'URL est mal recopiée.",
	"invalid_token":       "Webhook refusé : recopiez son URL complète.",
	"channel_is_archived": "Le salon du webhook est archivé.",
	"action_prohibited":   "L'administrateur de l'espace Slack bloque ce webhook.",
	"rate_limited":        "Slack demande de ralentir : réessayez dans une minute.",
	"timeout":             "Slack n'a pas répondu à temps : vérifiez la connexion du serveur, ou slack.api_url.",
	"network":             "Slack injoignable : vérifiez la connexion du serveur, ou slack.api_url.",
}

func result(err error, detail string) central.NotifyTest {
	if err == nil {
		return central.NotifyTest{OK: true, Answer: "ok", Detail: strings.TrimSpace(hints["ok"] + " " + detail)}
	}
	e := classify(err)
	answer := e.Code
	if e.Status != 0 && !strings.HasPrefix(e.Code, "HTTP ") {
		answer = "HTTP " + strconv.Itoa(e.Status) + ": " + e.Code
	}
	hint := hints[e.Code]
	if hint == "" && e.Status >= 500 {
		hint = "Slack a une panne passagère : réessayez plus tard."
	}
	if e.Needed != "" {
		hint += " Permission manquante : " + e.Needed + "."
	}
	return central.NotifyTest{Answer: answer, Detail: strings.TrimSpace(hint + " " + detail)}
}

// TestNotify implements central.Notifier.
func (w *Worker) TestNotify(ctx context.Context, to string) (central.NotifyTest, error) {
	w.init()
	set, err := w.Settings.Settings(ctx)
	if err != nil {
		return central.NotifyTest{}, err
	}
	ss := ConfigFrom(set)
	switch to = strings.TrimSpace(to); {
	case to == "webhook":
		if ss.WebhookURL == "" {
			return central.NotifyTest{}, central.Errorf(central.EINVALID, "Set slack.webhook_url first.")
		}
		if _, ok := w.acquire(ctx, "webhook", ss.MinInterval, time.Minute); !ok {
			return central.NotifyTest{}, central.Errorf(central.ECONFLICT, "Slack asked to slow down: try again in a minute.")
		}
		return result(PostWebhook(ctx, w.HTTPClient, ss.WebhookURL, testText), ""), nil

	case to == "channel" || to == "bureau":
		channel, key := ss.Channel, SettingChannel
		if to == "bureau" {
			channel, key = ss.BureauChannel, SettingBureauChannel
		}
		if ss.Token == "" || channel == "" {
			return central.NotifyTest{}, central.Errorf(central.EINVALID, "Set slack.token and %s first.", key)
		}
		return w.testPost(ctx, ss, channel)

	case strings.Contains(to, "@"):
		if ss.Token == "" {
			return central.NotifyTest{}, central.Errorf(central.EINVALID, "Set slack.token first.")
		}
		c := w.client(ss)
		user, err := c.LookupUser(ctx, to)
		if err != nil {
			return result(err, ""), nil
		}
		im, err := c.OpenDM(ctx, user)
		if err != nil {
			return result(err, ""), nil
		}
		return w.testPost(ctx, ss, im)
	}
	return central.NotifyTest{}, central.Errorf(central.EINVALID, "Unknown test target %q (channel, bureau, webhook or an e-mail address).", to)
}

// testPost checks the token, posts the test message and checks that the
// channel's history can be read (what prevents double posts).
func (w *Worker) testPost(ctx context.Context, ss Config, channel string) (central.NotifyTest, error) {
	c := w.client(ss)
	id, err := c.AuthTest(ctx)
	if err != nil {
		return result(err, ""), nil
	}
	if _, ok := w.acquire(ctx, channel, ss.MinInterval, time.Minute); !ok {
		return central.NotifyTest{}, central.Errorf(central.ECONFLICT, "Slack asked to slow down: try again in a minute.")
	}
	key := fmt.Sprintf("test:%d", time.Now().UnixNano())
	if _, err := c.Post(ctx, channel, testText, key); err != nil {
		return result(err, ""), nil
	}
	detail := fmt.Sprintf("Publié par %s dans l'espace %s.", id.User, id.Team)
	if _, err := c.Posted(ctx, channel, key, time.Now().Add(-historySlack)); err != nil {
		detail += " Attention : l'historique du salon n'est pas lisible (" + classify(err).Code +
			") ; après une coupure, un message pourrait être publié deux fois. Ajoutez les permissions channels:history, groups:history et im:history."
	}
	return result(nil, detail), nil
}
