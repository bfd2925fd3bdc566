package email

import (
	"net"
	"strconv"
	"strings"

	"github.com/badgeuse/badgeuse/central"
)

// Setting keys (exact: `centrald settings set` and scripts use them).
const (
	SettingHost     = "smtp.host"
	SettingPort     = "smtp.port"
	SettingUsername = "smtp.username"
	SettingPassword = "smtp.password"
	SettingFrom     = "smtp.from"
	SettingTLS      = "smtp.tls"
	// SettingAlertsEmail is the bureau's address for kiosk health alerts
	// (alerts.go); empty: none by e-mail.
	SettingAlertsEmail = "alerts.email"
)

// Values of smtp.tls.
const (
	TLSStartTLS = "starttls" // plain connection upgraded by STARTTLS, which must be offered (port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
	TLSNone     = "none"     // no encryption: a relay on the same machine or network only
)

const defaultPort = "587"

// Settings are the e-mail settings, sorted by key; centrald adds them to
// the settings table that the admin and `centrald settings` show.
var Settings = []central.Setting{
	{Key: SettingAlertsEmail, Default: "", Validate: validateFrom,
		Doc: "the bureau's address for kiosk alerts (camera down, disk nearly full, kiosk silent), once per incident; empty: none by e-mail"},
	{Key: SettingFrom, Default: "", Validate: validateFrom,
		Doc: "address mails are sent from (alice@example.org); the association's name is shown beside it; empty: no e-mail"},
	{Key: SettingHost, Default: "", Validate: validateHost,
		Doc: "SMTP server (smtp.example.org) of the association's mail provider; empty: no e-mail"},
	{Key: SettingPassword, Default: "", Secret: true, Doc: "SMTP password (or the provider's application password)"},
	{Key: SettingPort, Default: defaultPort, Validate: validatePort,
		Doc: "SMTP port: 587 with starttls, 465 with tls, 25 for a local relay"},
	{Key: SettingTLS, Default: TLSStartTLS, Validate: validateTLS,
		Doc: "encryption: starttls (required, port 587), tls (port 465) or none (a relay on this machine only)"},
	{Key: SettingUsername, Default: "", Doc: "SMTP login (often the address itself); empty: no authentication"},
}

// Config is what the Sender needs, read from the settings.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string // TLSStartTLS, TLSImplicit or TLSNone
	// Association is the name shown beside From and in every mail.
	Association string
}

// ConfigFrom reads the e-mail settings, with their defaults.
func ConfigFrom(set central.Settings) Config {
	port, err := strconv.Atoi(get(set, SettingPort))
	if err != nil {
		port, _ = strconv.Atoi(defaultPort)
	}
	return Config{
		Host:        get(set, SettingHost),
		Port:        port,
		Username:    get(set, SettingUsername),
		Password:    get(set, SettingPassword),
		From:        get(set, SettingFrom),
		TLS:         get(set, SettingTLS),
		Association: set.AssociationName(),
	}
}

// Enabled reports whether e-mail is set up: a server and a sender.
func (c Config) Enabled() bool { return c.Host != "" && c.From != "" }

// get reads a key with this package's default: the table here is the
// defaults' one source, whatever table the central settings hold.
func get(set central.Settings, key string) string { return set.GetFrom(Settings, key) }

func validateHost(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if len(v) > 253 || strings.ContainsAny(v, " /:@") && net.ParseIP(v) == nil {
		return "", central.Errorf(central.EINVALID, "want a host name such as smtp.example.org, without port")
	}
	return strings.ToLower(v), nil
}

func validatePort(v string) (string, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > 65535 {
		return "", central.Errorf(central.EINVALID, "want a port number from 1 to 65535")
	}
	return strconv.Itoa(n), nil
}

func validateTLS(v string) (string, error) {
	v = strings.ToLower(strings.TrimSpace(v))
	switch v {
	case TLSStartTLS, TLSImplicit, TLSNone:
		return v, nil
	}
	return "", central.Errorf(central.EINVALID, "want one of starttls, tls, none")
}

func validateFrom(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if err := central.ValidateEmail(v); err != nil {
		return "", central.Errorf(central.EINVALID, "want a plain e-mail address such as bureau@example.org")
	}
	return v, nil
}

// CheckEnabled returns EINVALID when e-mail is not set up (smtp.host and
// smtp.from): what a command or a button that sends mail answers then.
func CheckEnabled(set central.Settings) error {
	if !ConfigFrom(set).Enabled() {
		return central.Errorf(central.EINVALID, "E-mail is not set up (smtp.host and smtp.from).")
	}
	return nil
}
