package admin

import (
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestSlackHint: a test message's answer is explained in the bureau's
// language (it was French only, and named settings by their keys).
func TestSlackHint(t *testing.T) {
	for _, tc := range []struct {
		lang string
		test central.NotifyTest
		want string
	}{
		{langFR, central.NotifyTest{OK: true, Answer: "ok", PostedBy: "badgeuse", Team: "La Ruche"},
			"Le message est parti. Publié par badgeuse dans l’espace Slack La Ruche."},
		{langEN, central.NotifyTest{OK: true, Answer: "ok", PostedBy: "badgeuse", Team: "La Ruche", History: "missing_scope"},
			"The message was sent. Posted by badgeuse in the Slack workspace La Ruche. Beware: the channel's history cannot be read (missing_scope); after an outage, a message could be posted twice. Give the app the channels:history, groups:history and im:history scopes."},
		{langEN, central.NotifyTest{Answer: "channel_not_found", Code: "channel_not_found"},
			"Channel not found: give the channel's ID (C0123…, at the bottom of its details), not its name."},
		{langFR, central.NotifyTest{Answer: "not_authed", Code: "not_authed"},
			"Aucun jeton envoyé\u00a0: renseignez le «\u00a0Jeton de bot\u00a0» ci-dessous."},
		{langFR, central.NotifyTest{Answer: "missing_scope", Code: "missing_scope", Needed: "chat:write"},
			"Il manque une permission à l’application Slack\u00a0: ajoutez-la, puis réinstallez l’application. Permission manquante\u00a0: chat:write."},
		{langFR, central.NotifyTest{Answer: "HTTP 503: service_unavailable", Code: "service_unavailable", Status: 503},
			"Slack a une panne passagère\u00a0: réessayez plus tard."},
		{langEN, central.NotifyTest{Answer: "HTTP 400: something_new", Code: "something_new", Status: 400}, ""},
	} {
		if got := slackHint(tc.lang, tc.test); got != tc.want {
			t.Errorf("%s %+v:\n got %q\nwant %q", tc.lang, tc.test, got, tc.want)
		}
	}
}
