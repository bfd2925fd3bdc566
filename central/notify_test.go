package central_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

func TestSlackArrivalHook(t *testing.T) {
	at := time.Date(2026, 11, 26, 9, 12, 0, 0, access.Paris)
	arrival := func(edit func(*central.Member, *central.Entry)) central.Arrival {
		m := &central.Member{ID: 7, Name: "Alice Martin", Balance: central.Balance{EntriesLeft: 5}}
		e := &central.Entry{ID: "0193-ABC", Kiosk: 1, Member: 7, Time: at, Received: at.Add(time.Second),
			Accept: true, Reason: access.OKPack}
		if edit != nil {
			edit(m, e)
		}
		return central.Arrival{Member: m, Entry: e, Kiosk: &central.Kiosk{ID: 1, Name: "porte"},
			Visit: &central.Visit{ID: 3, Member: 7, Day: access.DayOf(at, access.Paris)}}
	}
	topics := func(msgs []central.OutboxMessage) string {
		var s []string
		for _, m := range msgs {
			s = append(s, m.Topic)
		}
		return strings.Join(s, ",")
	}
	for _, tc := range []struct {
		name string
		edit func(*central.Member, *central.Entry)
		want string
	}{
		{"Arrival", nil, "slack.arrival"},
		{"OptOut", func(m *central.Member, e *central.Entry) { m.SlackOptOut = true }, ""},
		{"LateKiosk", func(m *central.Member, e *central.Entry) { e.Received = at.Add(3 * time.Hour) }, ""},
		{"ClockUnsure", func(m *central.Member, e *central.Entry) { e.ClockUnsure = true }, ""},
		{"TwoLeft", func(m *central.Member, e *central.Entry) { m.Balance.EntriesLeft = 2 }, "slack.arrival,slack.balance"},
		{"NoneLeft", func(m *central.Member, e *central.Entry) { m.Balance.EntriesLeft = 0 }, "slack.arrival,slack.balance"},
		{"ThreeLeft", func(m *central.Member, e *central.Entry) { m.Balance.EntriesLeft = 3 }, "slack.arrival"},
		{"SubscriptionCovers", func(m *central.Member, e *central.Entry) {
			m.Balance.EntriesLeft, m.Balance.SubscriptionUntil = 1, access.MustDay("2026-12-31")
		}, "slack.arrival"},
		{"SubscriptionEnded", func(m *central.Member, e *central.Entry) {
			m.Balance.EntriesLeft, m.Balance.SubscriptionUntil = 1, access.MustDay("2026-11-25")
		}, "slack.arrival,slack.balance"},
		{"Unlimited", func(m *central.Member, e *central.Entry) { m.Balance.EntriesLeft, m.Balance.Unlimited = 0, true }, "slack.arrival"},
		{"OfflineOverdraft", func(m *central.Member, e *central.Entry) {
			m.Balance.EntriesLeft, m.Balance.Overdraft = -1, 1
		}, "slack.arrival,slack.alert"},
		{"OptOutOverdraftStillAlertsTheBureau", func(m *central.Member, e *central.Entry) {
			m.SlackOptOut, m.Balance.EntriesLeft, m.Balance.Overdraft = true, -1, 1
		}, "slack.alert"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs := central.SlackArrivalHook(arrival(tc.edit))
			if got := topics(msgs); got != tc.want {
				t.Fatalf("topics %q, want %q", got, tc.want)
			}
			for _, m := range msgs {
				if !strings.HasPrefix(m.Key, m.Topic+":") {
					t.Errorf("key %q does not start with its topic", m.Key)
				}
				p, err := central.ParseSlackPost(m.Payload)
				if err != nil {
					t.Fatal(err)
				}
				if m.Topic == central.TopicSlackAlert && strings.Contains(p.Text, "Alice") == arrival(tc.edit).Member.SlackOptOut {
					t.Errorf("alert %q: named %v, opted out %v", p.Text, strings.Contains(p.Text, "Alice"), arrival(tc.edit).Member.SlackOptOut)
				}
				if m.Topic == central.TopicSlackArrival && (p.Member != 7 || !p.Time.Equal(at)) {
					t.Errorf("arrival payload %+v", p)
				}
			}
		})
	}
	// Keys depend on the entry only: the same arrival twice makes the same keys.
	a, b := central.SlackArrivalHook(arrival(nil)), central.SlackArrivalHook(arrival(nil))
	if a[0].Key != b[0].Key || a[0].Key != "slack.arrival:0193-abc" {
		t.Fatalf("keys %q %q", a[0].Key, b[0].Key)
	}
}

func TestRenderTemplate(t *testing.T) {
	vars := map[string]string{"name": "Alice Martin", "time": "9:12"}
	for tmpl, want := range map[string]string{
		"☕ {name} est arrivée ({time})": "☕ Alice Martin est arrivée (9:12)",
		"{{literal}} {name}":            "{literal} Alice Martin",
		"{unknown} {name":               "{unknown} {name",
		"}} ok":                         "} ok",
	} {
		if got := central.RenderTemplate(tmpl, vars); got != want {
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
	s := central.Settings{"slack.min_interval": "50ms"}.Slack()
	if s.APIURL != central.DefaultSlackAPIURL || s.MinInterval != 50*time.Millisecond || s.KioskSilentAfter != 30*time.Minute ||
		s.RevokedAlertAfter != 3 || s.Configured() {
		t.Fatalf("typed settings %+v", s)
	}
}

func TestUnmatchedPaymentAlert(t *testing.T) {
	p := &central.Payment{Source: "helloasso", ExternalRef: "42", PayerName: "Bob Durand", Amount: 9050,
		ItemName: "Carte 10 entrées", Reason: central.ReasonNoMember}
	m := central.UnmatchedPaymentAlert(p)
	post, _ := central.ParseSlackPost(m.Payload)
	if m.Topic != central.TopicSlackAlert || m.Key != "slack.alert:payment:helloasso:42" ||
		!strings.Contains(post.Text, "90,50 €") || !strings.Contains(post.Text, "aucun membre") {
		t.Fatalf("alert %+v, text %q", m, post.Text)
	}
}
