package slack

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Slack (or Mattermost) posts go through the outbox like every side effect:
// React writes the messages below in the transaction of the change they
// are about and the Worker sends them later, one topic per kind.
//
// Payloads hold ids and facts, not rendered text, where the text depends
// on the member: the worker reads her when it sends (she may have opted out
// or been erased meanwhile) and renders with the templates set at that
// moment. Alerts for the bureau are rendered when enqueued.
const (
	TopicArrival = "slack.arrival" // "☕ Alice est arrivée (9:12)" in the space's channel
	TopicBalance = "slack.balance" // direct message to the member: 2, 1 and 0 entries left
	TopicAlert   = "slack.alert"   // the bureau's channel: revoked badge, silent kiosk, overdraft, payment
	TopicDigest  = "slack.digest"  // the daily "who came today" in the space's channel
	TopicMorning = "slack.morning" // the day's events and bookings in the space's channel (morning.go)
)

// topics lists the Slack topics, in the order the worker serves them.
var topics = []string{TopicArrival, TopicDigest, TopicMorning, TopicBalance, TopicAlert}

// Post is the payload of a Slack outbox message.
type Post struct {
	Member int64     `json:"member,omitempty"`
	Kiosk  int64     `json:"kiosk,omitempty"`
	Space  string    `json:"space,omitempty"` // "" is the main space (setting space.name)
	Time   time.Time `json:"time,omitzero"`   // arrival: the entry's time
	Left   int       `json:"left"`            // balance: the entries left
	Day    string    `json:"day,omitempty"`   // digests: YYYY-MM-DD
	Text   string    `json:"text,omitempty"`  // alert: the text to post
	// Guest is the guest's name in a guest's arrival (Member is her
	// host): "Léa (invitée de Marc)".
	Guest string `json:"guest,omitempty"`
}

// Message returns the outbox message carrying p.
func (p Post) Message(topic, key string) central.OutboxMessage {
	b, _ := json.Marshal(p) // plain fields: cannot fail
	return central.OutboxMessage{Topic: topic, Key: key, Payload: string(b)}
}

// ParsePost decodes a Slack outbox payload.
func ParsePost(payload string) (Post, error) {
	var p Post
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

// Setting keys (exact: `centrald settings set`, the admin and scripts use
// them).
const (
	SettingAPIURL           = "slack.api_url"
	SettingArrivalTemplate  = "slack.arrival_template"
	SettingBalanceTemplate  = "slack.balance_template"
	SettingBureauChannel    = "slack.bureau_channel"
	SettingBuyURL           = "slack.buy_url"
	SettingChannel          = "slack.channel"
	SettingDigestTemplate   = "slack.digest_template"
	SettingDigestTime       = "slack.digest_time"
	SettingKioskSilentAfter = "slack.kiosk_silent_after"
	SettingLanguage         = "slack.language"
	SettingMinInterval      = "slack.min_interval"
	SettingMorningTime      = "slack.morning_time"
	SettingRevokedAlert     = "slack.revoked_alert_after"
	SettingToken            = "slack.token"
	SettingWebhookURL       = "slack.webhook_url"

	DefaultAPIURL           = "https://slack.com/api/"
	DefaultArrivalTemplate  = "☕ {name} est arrivé·e ({time})"
	DefaultBalanceTemplate  = "Bonjour {first_name} ! Il te reste {left} entrée(s) sur ta carte à {space}."
	DefaultDigestTemplate   = "📋 Aujourd'hui à {space} : {names} ({count})"
	defaultKioskSilentAfter = "30m0s"
	defaultMinInterval      = "1s"
	defaultRevokedAlert     = "3"
)

// Settings are the Slack settings, sorted by key; centrald adds them to the
// settings table that the admin and `centrald settings` show.
var Settings = []central.Setting{
	{Key: SettingAPIURL, Default: DefaultAPIURL, Validate: validateAPIURL,
		Doc: "Slack Web API base URL (a local fake in tests); a trailing / is added"},
	{Key: SettingArrivalTemplate, Default: DefaultArrivalTemplate, Validate: validateTemplate(ArrivalPlaceholders),
		Doc: "arrival post; placeholders {name} {first_name} {time} {space}"},
	{Key: SettingBalanceTemplate, Default: DefaultBalanceTemplate, Validate: validateTemplate(BalancePlaceholders),
		Doc: "direct message at 2, 1 and 0 entries left; placeholders {name} {first_name} {left} {space} {url} (the link is added when {url} is absent)"},
	{Key: SettingBureauChannel, Default: "", Validate: validateChannel,
		Doc: "channel ID (C...) of the bureau's alerts; bot token only; empty: no alerts"},
	{Key: SettingBuyURL, Default: "", Validate: validateURL,
		Doc: "link to buy entries sent with low-balance messages (the HelloAsso form); empty: none"},
	{Key: SettingChannel, Default: "", Validate: validateChannel,
		Doc: "channel ID (C...) of arrivals and the digest, with a bot token (a webhook posts to its own channel)"},
	{Key: SettingDigestTemplate, Default: DefaultDigestTemplate, Validate: validateTemplate(DigestPlaceholders),
		Doc: "daily digest; placeholders {names} {count} {space} {day}"},
	{Key: SettingDigestTime, Default: "", Validate: validateClock,
		Doc: "time of the daily digest of who came, e.g. 19:00 (space time zone); empty: no digest"},
	{Key: SettingKioskSilentAfter, Default: defaultKioskSilentAfter, Validate: central.ValidateDuration,
		Doc: "alert the bureau when a kiosk is not heard from for this long (Go duration); empty: never"},
	{Key: SettingLanguage, Default: "fr", Validate: validateLanguage,
		Doc: "language of the words Badgeuse adds to posts, such as a guest's \"(invitée de Marc)\": fr or en (the templates are yours)"},
	{Key: SettingMinInterval, Default: defaultMinInterval, Validate: validateInterval,
		Doc: "least time between two posts to one channel (Slack allows about one per second)"},
	{Key: SettingMorningTime, Default: "", Validate: validateClock,
		Doc: "time of the morning digest of the day's events and bookings, e.g. 08:30 (space time zone); empty: none"},
	{Key: SettingRevokedAlert, Default: defaultRevokedAlert, Validate: central.IntBetween(0, 1000),
		Doc: "alert the bureau when a revoked badge is refused this many times in a day; 0: never"},
	{Key: SettingToken, Default: "", Secret: true, Validate: validateToken,
		Doc: "Slack bot token (xoxb-...): arrivals, digest, direct messages, bureau alerts"},
	{Key: SettingWebhookURL, Default: "", Secret: true, Validate: validateURL,
		Doc: "incoming webhook URL (Slack or Mattermost), used when no token is set: arrivals and digest only"},
}

// Config is the Slack settings in typed form.
type Config struct {
	Token, WebhookURL      string // secrets
	APIURL                 string // with a trailing /
	Channel, BureauChannel string
	ArrivalTemplate        string
	BalanceTemplate        string
	DigestTemplate         string
	BuyURL                 string
	DigestTime             string        // "HH:MM", "" for none
	MorningTime            string        // "HH:MM", "" for none
	KioskSilentAfter       time.Duration // 0: never
	MinInterval            time.Duration
	RevokedAlertAfter      int    // 0: never
	Language               string // "fr" or "en"
}

// ConfigFrom reads the Slack settings, with their defaults.
func ConfigFrom(set central.Settings) Config {
	api, err := validateAPIURL(get(set, SettingAPIURL))
	if err != nil {
		api = DefaultAPIURL
	}
	silent, _ := time.ParseDuration(get(set, SettingKioskSilentAfter))
	interval, err := time.ParseDuration(get(set, SettingMinInterval))
	if err != nil || interval < 0 {
		interval = time.Second
	}
	revoked, _ := strconv.Atoi(get(set, SettingRevokedAlert))
	return Config{
		Token: get(set, SettingToken), WebhookURL: get(set, SettingWebhookURL), APIURL: api,
		Channel: get(set, SettingChannel), BureauChannel: get(set, SettingBureauChannel),
		ArrivalTemplate: get(set, SettingArrivalTemplate), BalanceTemplate: get(set, SettingBalanceTemplate),
		DigestTemplate: get(set, SettingDigestTemplate), BuyURL: get(set, SettingBuyURL),
		DigestTime: get(set, SettingDigestTime), MorningTime: get(set, SettingMorningTime), KioskSilentAfter: silent, MinInterval: interval,
		RevokedAlertAfter: revoked, Language: get(set, SettingLanguage),
	}
}

// Configured says whether anything can be posted.
func (c Config) Configured() bool { return c.Token != "" || c.WebhookURL != "" }

// get reads a key with this package's default: the table here is the
// defaults' one source, whatever table the central settings hold.
func get(set central.Settings, key string) string { return set.GetFrom(Settings, key) }

// validateTemplate checks a message template: not empty, braces balanced
// ("{{" and "}}" for a literal brace), only the given placeholders.
func validateTemplate(known []string) func(string) (string, error) {
	return func(v string) (string, error) {
		v = strings.TrimSpace(v)
		if v == "" {
			return "", central.Errorf(central.EINVALID, "must not be empty")
		}
		for i := 0; i < len(v); i++ {
			switch {
			case v[i] == '{' && i+1 < len(v) && v[i+1] == '{', v[i] == '}' && i+1 < len(v) && v[i+1] == '}':
				i++
			case v[i] == '}':
				return "", central.Errorf(central.EINVALID, "unmatched } (write }} for a brace)")
			case v[i] == '{':
				end := strings.IndexByte(v[i:], '}')
				if end < 0 {
					return "", central.Errorf(central.EINVALID, "unclosed { (write {{ for a brace)")
				}
				name := v[i+1 : i+end]
				ok := false
				for _, k := range known {
					ok = ok || k == name
				}
				if !ok {
					return "", central.Errorf(central.EINVALID, "unknown placeholder {%s} (known: {%s})", name, strings.Join(known, "}, {"))
				}
				i += end
			}
		}
		return v, nil
	}
}

func validateToken(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && (!strings.HasPrefix(v, "xox") || strings.ContainsAny(v, " \t")) {
		return "", central.Errorf(central.EINVALID, "want a Slack token such as xoxb-..., or nothing")
	}
	return v, nil
}

func validateURL(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", central.Errorf(central.EINVALID, "want an https:// address, or nothing")
	}
	return v, nil
}

// validateAPIURL requires a URL and ends it with "/": slack-go appends the
// method name ("chat.postMessage") to it.
func validateAPIURL(v string) (string, error) {
	v, err := validateURL(v)
	if err != nil {
		return "", err
	} else if v == "" {
		return "", central.Errorf(central.EINVALID, "want an address such as %s", DefaultAPIURL)
	}
	if !strings.HasSuffix(v, "/") {
		v += "/"
	}
	return v, nil
}

// validateChannel accepts a channel ID (central.ValidateChannelID: a
// space's own channel is checked the same way), not a name: the history
// check that prevents double posts needs the ID.
func validateChannel(v string) (string, error) { return central.ValidateChannelID(v) }

// validateClock accepts "HH:MM" (or "H:MM"), or nothing.
func validateClock(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		return "", central.Errorf(central.EINVALID, "want a time such as 19:00, or nothing")
	}
	return t.Format("15:04"), nil
}

func validateLanguage(v string) (string, error) {
	v = strings.ToLower(strings.TrimSpace(v))
	if v != "fr" && v != "en" {
		return "", central.Errorf(central.EINVALID, "want fr or en")
	}
	return v, nil
}

func validateInterval(v string) (string, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < 0 || d > time.Minute {
		return "", central.Errorf(central.EINVALID, "want a duration from 0s to 1m, such as 1s")
	}
	return d.String(), nil
}
