package central

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Slack (or Mattermost) posts go through the outbox like every side effect:
// the messages below are written in the transaction of the change they are
// about and sent later by central/slack's worker, one topic per kind.
//
// Payloads hold ids and facts, not rendered text, where the text depends
// on the member: the worker reads her when it sends (she may have opted out
// or been erased meanwhile) and renders with the templates set at that
// moment. Alerts for the bureau are rendered when enqueued.
const (
	TopicSlackArrival = "slack.arrival" // "☕ Alice est arrivée (9:12)" in the space's channel
	TopicSlackBalance = "slack.balance" // direct message to the member: 2, 1 and 0 entries left
	TopicSlackAlert   = "slack.alert"   // the bureau's channel: revoked badge, silent kiosk, overdraft, payment
	TopicSlackDigest  = "slack.digest"  // the daily "who came today" in the space's channel
)

// SlackTopics lists the Slack topics, in the order the worker serves them.
var SlackTopics = []string{TopicSlackArrival, TopicSlackDigest, TopicSlackBalance, TopicSlackAlert}

// SlackPost is the payload of a Slack outbox message.
type SlackPost struct {
	Member int64     `json:"member,omitempty"`
	Kiosk  int64     `json:"kiosk,omitempty"`
	Space  string    `json:"space,omitempty"` // "" is the main space (setting space.name)
	Time   time.Time `json:"time,omitzero"`   // arrival: the entry's time
	Left   int       `json:"left"`            // balance: the entries left
	Day    string    `json:"day,omitempty"`   // digest: YYYY-MM-DD
	Text   string    `json:"text,omitempty"`  // alert: the text to post
}

// Message returns the outbox message carrying p.
func (p SlackPost) Message(topic, key string) OutboxMessage {
	b, _ := json.Marshal(p) // plain fields: cannot fail
	return OutboxMessage{Topic: topic, Key: key, Payload: string(b)}
}

// ParseSlackPost decodes a Slack outbox payload.
func ParseSlackPost(payload string) (SlackPost, error) {
	var p SlackPost
	if err := json.Unmarshal([]byte(payload), &p); err != nil {
		return p, fmt.Errorf("slack payload: %w", err)
	}
	return p, nil
}

// ClockTime writes a time of day the French way, without a leading zero:
// "9:12", "14:05".
func ClockTime(t time.Time) string { return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute()) }

// FirstName returns the first word of a name.
func FirstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// Template placeholders, per template.
var (
	ArrivalPlaceholders = []string{"name", "first_name", "time", "space"}
	BalancePlaceholders = []string{"name", "first_name", "left", "space", "url"}
	DigestPlaceholders  = []string{"names", "count", "space", "day"}
)

// RenderTemplate replaces each {placeholder} of tmpl with its value in vars.
// Unknown placeholders stay as they are (the settings validator refuses
// them); "{{" and "}}" write a brace.
func RenderTemplate(tmpl string, vars map[string]string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		switch {
		case c == '{' && i+1 < len(tmpl) && tmpl[i+1] == '{':
			b.WriteByte('{')
			i++
		case c == '}' && i+1 < len(tmpl) && tmpl[i+1] == '}':
			b.WriteByte('}')
			i++
		case c == '{':
			end := strings.IndexByte(tmpl[i:], '}')
			if end < 0 {
				b.WriteString(tmpl[i:])
				return b.String()
			}
			name := tmpl[i+1 : i+end]
			if v, ok := vars[name]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(tmpl[i : i+end+1])
			}
			i += end
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// validateSlackTemplate checks a message template: not empty, braces balanced
// ("{{" and "}}" for a literal brace), only the given placeholders.
func validateSlackTemplate(known []string) func(string) (string, error) {
	return func(v string) (string, error) {
		v = strings.TrimSpace(v)
		if v == "" {
			return "", Errorf(EINVALID, "must not be empty")
		}
		for i := 0; i < len(v); i++ {
			switch {
			case v[i] == '{' && i+1 < len(v) && v[i+1] == '{', v[i] == '}' && i+1 < len(v) && v[i+1] == '}':
				i++
			case v[i] == '}':
				return "", Errorf(EINVALID, "unmatched } (write }} for a brace)")
			case v[i] == '{':
				end := strings.IndexByte(v[i:], '}')
				if end < 0 {
					return "", Errorf(EINVALID, "unclosed { (write {{ for a brace)")
				}
				name := v[i+1 : i+end]
				ok := false
				for _, k := range known {
					ok = ok || k == name
				}
				if !ok {
					return "", Errorf(EINVALID, "unknown placeholder {%s} (known: {%s})", name, strings.Join(known, "}, {"))
				}
				i += end
			}
		}
		return v, nil
	}
}

// NotifyTest is the outcome of a test message: what the bureau sees after
// pressing "send a test message".
type NotifyTest struct {
	OK bool
	// Answer is the service's own answer: "ok", "channel_not_found",
	// "invalid_auth", "HTTP 404: no_service"...
	Answer string
	// Detail says what was done or how to fix it, in French.
	Detail string
}

// Notifier sends test messages with the current settings (central/slack
// implements it; the admin's Slack page calls it).
type Notifier interface {
	// TestNotify posts a test message to target: "channel" (slack.channel),
	// "bureau" (slack.bureau_channel), "webhook" (slack.webhook_url) or an
	// e-mail address (a direct message to that Slack user). Failures of
	// the service come back in the result; the error is for EINVALID (an
	// unknown target, a setting missing) and internal failures.
	TestNotify(ctx context.Context, target string) (NotifyTest, error)
}

// Slack settings keys (the table is in settings.go).
const (
	SettingSlackAPIURL          = "slack.api_url"
	SettingSlackArrivalTemplate = "slack.arrival_template"
	SettingSlackBalanceTemplate = "slack.balance_template"
	SettingSlackBureauChannel   = "slack.bureau_channel"
	SettingSlackBuyURL          = "slack.buy_url"
	SettingSlackChannel         = "slack.channel"
	SettingSlackDigestTemplate  = "slack.digest_template"
	SettingSlackDigestTime      = "slack.digest_time"
	SettingSlackKioskSilent     = "slack.kiosk_silent_after"
	SettingSlackMinInterval     = "slack.min_interval"
	SettingSlackRevokedAlert    = "slack.revoked_alert_after"
	SettingSlackToken           = "slack.token"
	SettingSlackWebhookURL      = "slack.webhook_url"

	DefaultSlackAPIURL       = "https://slack.com/api/"
	DefaultArrivalTemplate   = "☕ {name} est arrivé·e ({time})"
	DefaultBalanceTemplate   = "Bonjour {first_name} ! Il te reste {left} entrée(s) sur ta carte à {space}."
	DefaultDigestTemplate    = "📋 Aujourd'hui à {space} : {names} ({count})"
	defaultSlackKioskSilent  = "30m0s"
	defaultSlackMinInterval  = "1s"
	defaultSlackRevokedAlert = "3"
)

// SlackSettings are the Slack settings in typed form.
type SlackSettings struct {
	Token, WebhookURL      string // secrets
	APIURL                 string // with a trailing /
	Channel, BureauChannel string
	ArrivalTemplate        string
	BalanceTemplate        string
	DigestTemplate         string
	BuyURL                 string
	DigestTime             string        // "HH:MM", "" for none
	KioskSilentAfter       time.Duration // 0: never
	MinInterval            time.Duration
	RevokedAlertAfter      int // 0: never
}

// Slack returns the Slack settings.
func (s Settings) Slack() SlackSettings {
	api, err := validateSlackAPIURL(s.Get(SettingSlackAPIURL))
	if err != nil {
		api = DefaultSlackAPIURL
	}
	silent, _ := time.ParseDuration(s.Get(SettingSlackKioskSilent))
	interval, err := time.ParseDuration(s.Get(SettingSlackMinInterval))
	if err != nil || interval < 0 {
		interval = time.Second
	}
	revoked, _ := strconv.Atoi(s.Get(SettingSlackRevokedAlert))
	return SlackSettings{
		Token: s.Get(SettingSlackToken), WebhookURL: s.Get(SettingSlackWebhookURL), APIURL: api,
		Channel: s.Get(SettingSlackChannel), BureauChannel: s.Get(SettingSlackBureauChannel),
		ArrivalTemplate: s.Get(SettingSlackArrivalTemplate), BalanceTemplate: s.Get(SettingSlackBalanceTemplate),
		DigestTemplate: s.Get(SettingSlackDigestTemplate), BuyURL: s.Get(SettingSlackBuyURL),
		DigestTime: s.Get(SettingSlackDigestTime), KioskSilentAfter: silent, MinInterval: interval,
		RevokedAlertAfter: revoked,
	}
}

// Configured says whether anything can be posted.
func (s SlackSettings) Configured() bool { return s.Token != "" || s.WebhookURL != "" }

func validateSlackToken(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && (!strings.HasPrefix(v, "xox") || strings.ContainsAny(v, " \t")) {
		return "", Errorf(EINVALID, "want a Slack token such as xoxb-..., or nothing")
	}
	return v, nil
}

func validateSlackURL(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", Errorf(EINVALID, "want an https:// address, or nothing")
	}
	return v, nil
}

// validateSlackAPIURL requires a URL and ends it with "/": slack-go appends the
// method name ("chat.postMessage") to it.
func validateSlackAPIURL(v string) (string, error) {
	v, err := validateSlackURL(v)
	if err != nil {
		return "", err
	} else if v == "" {
		return "", Errorf(EINVALID, "want an address such as %s", DefaultSlackAPIURL)
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	return v, nil
}

// validateSlackChannel accepts a channel ID (C0123456789, G... for old
// private channels), not a name: the history check that prevents double
// posts needs the ID (Slack: channel details, at the bottom).
func validateSlackChannel(v string) (string, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	if v == "" {
		return "", nil
	}
	ok := len(v) >= 9 && len(v) <= 20 && (v[0] == 'C' || v[0] == 'G')
	for _, c := range v {
		ok = ok && (c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')
	}
	if !ok {
		return "", Errorf(EINVALID, "want a channel ID such as C0123456789 (Slack: open the channel's details; the ID is at the bottom), not its name")
	}
	return v, nil
}

// validateSlackClock accepts "HH:MM" (or "H:MM"), or nothing.
func validateSlackClock(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		return "", Errorf(EINVALID, "want a time such as 19:00, or nothing")
	}
	return t.Format("15:04"), nil
}

func validateSlackInterval(v string) (string, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < 0 || d > time.Minute {
		return "", Errorf(EINVALID, "want a duration from 0s to 1m, such as 1s")
	}
	return d.String(), nil
}
