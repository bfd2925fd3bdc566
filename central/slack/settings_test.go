package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
)

func TestRenderTemplate(t *testing.T) {
	vars := map[string]string{"name": "Alice Martin", "time": "9:12"}
	for tmpl, want := range map[string]string{
		"☕ {name} est arrivée ({time})": "☕ Alice Martin est arrivée (9:12)",
		"{{literal}} {name}":            "{literal} Alice Martin",
		"{unknown} {name":               "{unknown} {name",
		"}} ok":                         "} ok",
	} {
		if got := slack.RenderTemplate(tmpl, vars); got != want {
			t.Errorf("RenderTemplate(%q) = %q, want %q", tmpl, got, want)
		}
	}
}

func TestSlackSettings(t *testing.T) {
	check := func(key, value string) (string, error) {
		t.Helper()
		def, ok := central.LookupSetting(key)
		if !ok {
			t.Fatalf("no setting %s", key)
		}
		return def.Check(value)
	}
	for _, tc := range []struct{ key, in, want string }{
		{"slack.api_url", "http://127.0.0.1:8080", "http://127.0.0.1:8080/"},
		{"slack.api_url", "https://slack.com/api/", "https://slack.com/api/"},
		{"slack.channel", " c0123456789 ", "C0123456789"},
		{"slack.channel", "", ""},
		{"slack.digest_time", "9:05", "09:05"},
		{"slack.min_interval", "10ms", "10ms"},
		{"slack.arrival_template", "{first_name} est là ({time}, {space})", "{first_name} est là ({time}, {space})"},
		{"slack.token", "xoxb-1-2-abc", "xoxb-1-2-abc"},
		{"slack.webhook_url", "https://hooks.slack.com/services/T/B/x", "https://hooks.slack.com/services/T/B/x"},
	} {
		if got, err := check(tc.key, tc.in); err != nil || got != tc.want {
			t.Errorf("%s %q: %q, %v; want %q", tc.key, tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ key, in string }{
		{"slack.api_url", ""},
		{"slack.api_url", "slack.com/api"},
		{"slack.channel", "#general"},
		{"slack.bureau_channel", "U0123456789"},
		{"slack.digest_time", "7pm"},
		{"slack.min_interval", "2m"},
		{"slack.arrival_template", "{nom} est arrivé"},
		{"slack.arrival_template", "{name est arrivé"},
		{"slack.arrival_template", "   "},
		{"slack.balance_template", "{time}"},
		{"slack.token", "hunter2"},
		{"slack.webhook_url", "ftp://x"},
	} {
		if got, err := check(tc.key, tc.in); err == nil {
			t.Errorf("%s %q accepted as %q", tc.key, tc.in, got)
		}
	}
	def, _ := central.LookupSetting("slack.token")
	if !def.Secret || strings.Contains(def.Mask("xoxb-1234567890-abcdefgh"), "1234") {
		t.Error("slack.token is not a masked secret")
	}
	if def, _ := central.LookupSetting("slack.webhook_url"); !def.Secret {
		t.Error("slack.webhook_url is not secret")
	}
	s := slack.ConfigFrom(central.Settings{"slack.min_interval": "50ms"})
	if s.APIURL != slack.DefaultAPIURL || s.MinInterval != 50*time.Millisecond || s.KioskSilentAfter != 30*time.Minute ||
		s.RevokedAlertAfter != 3 || s.Configured() {
		t.Fatalf("typed settings %+v", s)
	}
}
