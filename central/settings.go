package central

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Setting describes one key of central's settings. Adding a key is one
// line in the settings table below: name, default, validator, secret flag.
type Setting struct {
	Key     string
	Default string
	// Secret settings (API tokens) are never printed in full by lists nor
	// written to the audit log.
	Secret bool
	Doc    string
	// Books is the group of a key a space may set for its own books (a
	// space that is a separate association: Space.Books), "association",
	// "pennylane" or "helloasso"; "" when only the network sets it. A
	// space that sets one key of a group has the whole group of its own
	// (Space.Apply): the keys it leaves unset have their defaults, never
	// the network's values (another association's SIRET or token).
	Books string
	// Validate checks a value and returns it normalized; nil accepts any
	// single line of text.
	Validate func(string) (string, error)
}

// Setting keys read by the typed accessors.
const (
	SettingAssociationName = "association.name"
	SettingSpaceName       = "space.name"
	SettingTimezone        = "space.timezone"
	SettingHours           = "space.hours"
	SettingStaleAfter      = "kiosk.stale_after"
	SettingStalePolicy     = "kiosk.stale_policy"
	SettingRetentionDays   = "entries.retention_days"
	SettingTombstoneDays   = "sync.tombstone_days"
	SettingCodeTolerance   = "kiosk.code_tolerance"
	SettingPassback        = "kiosk.passback"
	SettingGuestQuota      = "guests.monthly_quota"
	// SettingGuestConsumes: a guest's entry takes one of her host's
	// (kiosks refuse a guest whose host has none left; the ledger debits
	// the host when the entry is synced).
	SettingGuestConsumes = "guests.consumes_host_entry"
	// SettingRequireMembership: kiosks refuse members without current
	// dues (reason membership_expired), staff aside.
	SettingRequireMembership = "door.require_membership"
	// SettingShowNames: kiosks receive the first name of the members of
	// their space, and their door screens greet them by it.
	SettingShowNames = "door.show_names"
	// SettingMembershipCutoff: a calendar-year membership paid on or after
	// this day of the year (MM-DD) covers the next year too.
	SettingMembershipCutoff = "membership.cutoff"
	DefaultMembershipCutoff = "11-01"
	DefaultTimezone         = "Europe/Paris"
	DefaultRetentionDays    = 90  // CNIL: movement logs kept 3 months at most
	DefaultTombstoneDays    = 365 // a kiosk offline longer gets a full snapshot
	defaultStaleAfter       = "168h"
	defaultStalePolicy      = "warn"
	defaultSpaceName        = "Badgeuse"
	maxSettingValueLength   = 4096
)

// settings is the table of known keys, sorted by key.
var settings = []Setting{
	{Key: SettingAssociationName, Default: "", Books: BooksAssociation,
		Doc: "the association's legal name, printed on receipts (empty: space.name)"},
	{Key: SettingRequireMembership, Default: "false", Validate: ValidateBool,
		Doc: "kiosks refuse members whose dues (adhésion) do not cover today, with reason membership_expired; staff exempt"},
	{Key: SettingShowNames, Default: "true", Validate: ValidateBool,
		Doc: "door screens greet members by their first name (kiosks receive the first names of their space's members only); false: kiosks hold no names and drop those they hold"},
	{Key: SettingRetentionDays, Default: strconv.Itoa(DefaultRetentionDays), Validate: IntBetween(1, 3650),
		Doc: "days entries (personal movement data) are kept; the ledger (visits, sales) stays"},
	{Key: SettingGuestConsumes, Default: "false", Validate: ValidateBool,
		Doc: "a guest's entry takes one of her host's entries (an unlimited plan covers it, a subscription does not); applied to entries synced after the change"},
	{Key: SettingGuestQuota, Default: "2", Validate: IntBetween(0, 100),
		Doc: "guest passes a member may issue herself per month; 0: members cannot invite (the bureau always can)"},
	{Key: SettingCodeTolerance, Default: DefaultCodeTolerance.String(), Validate: durationBetween(0, 10*time.Minute),
		Doc: "how far a kiosk's clock may be from a phone code's 30-second window (or a guest pass's day) and still accept it, e.g. 90s"},
	{Key: SettingPassback, Default: "", Validate: durationBetween(0, 24*time.Hour),
		Doc: "anti-passback: a badge accepted again this soon at the space is refused (already_inside), e.g. 10m; empty: off"},
	{Key: SettingStaleAfter, Default: defaultStaleAfter, Validate: ValidateDuration,
		Doc: "how long a kiosk trusts its copy of the members without a pull (Go duration, e.g. 168h; empty: forever)"},
	{Key: SettingStalePolicy, Default: defaultStalePolicy, Validate: oneOf("warn", "refuse"),
		Doc: "what a kiosk does past kiosk.stale_after: warn (keep deciding) or refuse (everyone but staff)"},
	{Key: SettingMembershipCutoff, Default: DefaultMembershipCutoff, Validate: validateMonthDay,
		Doc: "a calendar-year membership (product add --year) paid on or after this day (MM-DD) also covers the next year; empty: never"},
	{Key: SettingHours, Default: "", Validate: validateHours,
		Doc: `opening hours, e.g. "mon-fri 08:00-20:00; sat 09:00-13:00"; empty: always open`},
	{Key: SettingSpaceName, Default: defaultSpaceName, Validate: nonEmpty,
		Doc: "the space's name, shown by kiosks"},
	{Key: SettingTimezone, Default: DefaultTimezone, Validate: validateTimezone,
		Doc: "the space's IANA time zone: days (visits, subscriptions) are counted in it"},
	{Key: SettingTombstoneDays, Default: strconv.Itoa(DefaultTombstoneDays), Validate: IntBetween(1, 36500),
		Doc: "days erased members' tombstones are kept for kiosk sync; older cursors get a full snapshot"},
}

// SettingDefs returns the known settings, sorted by key.
func SettingDefs() []Setting { return append([]Setting(nil), settings...) }

// AddSettings adds an adapter's own settings to the table (centrald adds
// central/email's smtp.* when it starts, before anything reads settings):
// an adapter declares its keys, defaults and validators in its package,
// and the domain does not know them. A key already known panics: two
// packages would disagree on it.
func AddSettings(defs ...Setting) {
	for _, d := range defs {
		if _, ok := LookupSetting(d.Key); ok {
			panic("central: setting " + d.Key + " declared twice")
		}
		settings = append(settings, d)
	}
	slices.SortFunc(settings, func(a, b Setting) int { return strings.Compare(a.Key, b.Key) })
}

// LookupSetting returns the definition of a key.
func LookupSetting(key string) (Setting, bool) {
	for _, s := range settings {
		if s.Key == key {
			return s, true
		}
	}
	return Setting{}, false
}

// Check validates a value for the setting and returns it normalized.
// It returns EINVALID.
func (s Setting) Check(value string) (string, error) {
	if len(value) > maxSettingValueLength || !utf8.ValidString(value) || strings.ContainsAny(value, "\r\n\x00") {
		return "", Errorf(EINVALID, "Setting %s: the value must be one line of text.", s.Key)
	}
	if s.Validate == nil {
		return value, nil
	}
	v, err := s.Validate(value)
	if err != nil {
		return "", Errorf(EINVALID, "Setting %s: %s.", s.Key, err) // the same text; Args keep the reason
	}
	return v, nil
}

// Mask returns the value as lists may print it: secrets show only their
// last 4 characters when they are long enough to keep the rest secret.
func (s Setting) Mask(value string) string {
	if !s.Secret || value == "" {
		return value
	}
	if len(value) >= 16 {
		return "****" + value[len(value)-4:]
	}
	return "****"
}

// Settings holds the values set, by key; keys not set have their default.
type Settings map[string]string

// Get returns the value of a key, or its default when not set.
func (s Settings) Get(key string) string {
	if v, ok := s[key]; ok {
		return v
	}
	def, _ := LookupSetting(key)
	return def.Default
}

// GetFrom returns the value of a key, or its default in defs (an adapter's
// table) when not set: an adapter reads its keys with its own defaults,
// whether or not its table was added (AddSettings).
func (s Settings) GetFrom(defs []Setting, key string) string {
	if v, ok := s[key]; ok {
		return v
	}
	for _, d := range defs {
		if d.Key == key {
			return d.Default
		}
	}
	return ""
}

// SpaceName returns the name of the main space.
func (s Settings) SpaceName() string { return s.Get(SettingSpaceName) }

// AssociationName returns the association's legal name, or the space's
// when it is not set: receipts, invoices and e-mails say it.
func (s Settings) AssociationName() string {
	if n := s.Get(SettingAssociationName); n != "" {
		return n
	}
	return s.SpaceName()
}

// Timezone returns the IANA name of the space's time zone.
func (s Settings) Timezone() string { return s.Get(SettingTimezone) }

// Location returns the space's time zone (Europe/Paris if the stored value
// can no longer be loaded).
func (s Settings) Location() *time.Location {
	loc, err := time.LoadLocation(s.Timezone())
	if err != nil {
		return access.Paris
	}
	return loc
}

// Hours returns the opening hours (always open when unset or unreadable).
func (s Settings) Hours() access.Hours {
	h, _ := access.ParseHours(s.Get(SettingHours))
	return h
}

// StaleAfter returns how long a kiosk trusts its state (0: forever).
func (s Settings) StaleAfter() time.Duration {
	d, _ := time.ParseDuration(s.Get(SettingStaleAfter))
	return d
}

// CodeTolerance returns the kiosks' clock tolerance on signed codes.
func (s Settings) CodeTolerance() time.Duration {
	d, err := time.ParseDuration(s.Get(SettingCodeTolerance))
	if err != nil || d < 0 {
		return DefaultCodeTolerance
	}
	return d
}

// Passback returns the anti-passback time (0: off).
func (s Settings) Passback() time.Duration {
	d, _ := time.ParseDuration(s.Get(SettingPassback))
	return max(d, 0)
}

// GuestQuota returns how many guest passes a member may issue herself in
// a month (0: none).
func (s Settings) GuestQuota() int {
	n, err := strconv.Atoi(s.Get(SettingGuestQuota))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// GuestConsumesHostEntry reports whether a guest's entry takes one of her
// host's entries.
func (s Settings) GuestConsumesHostEntry() bool { return s.Get(SettingGuestConsumes) == "true" }

// StalePolicy returns "warn" or "refuse".
func (s Settings) StalePolicy() string { return s.Get(SettingStalePolicy) }

// RequireMembership reports whether kiosks refuse members without current
// dues.
func (s Settings) RequireMembership() bool { return s.Get(SettingRequireMembership) == "true" }

// ShowNames reports whether kiosks receive members' first names, for the
// door screen's greeting.
func (s Settings) ShowNames() bool { return s.Get(SettingShowNames) != "false" }

// MembershipCutoff returns the day of the year from which a calendar-year
// membership also covers the next year (zero: never).
func (s Settings) MembershipCutoff() access.MonthDay {
	m, err := access.ParseMonthDay(s.Get(SettingMembershipCutoff))
	if err != nil {
		m, _ = access.ParseMonthDay(DefaultMembershipCutoff)
	}
	return m
}

// RetentionDays returns how many days entries are kept.
func (s Settings) RetentionDays() int { return s.intValue(SettingRetentionDays, DefaultRetentionDays) }

// TombstoneDays returns how many days tombstones are kept.
func (s Settings) TombstoneDays() int { return s.intValue(SettingTombstoneDays, DefaultTombstoneDays) }

func (s Settings) intValue(key string, def int) int {
	n, err := strconv.Atoi(s.Get(key))
	if err != nil || n <= 0 {
		return def
	}
	return n
}

// SettingsService stores central's settings.
type SettingsService interface {
	// Settings returns every value set.
	Settings(ctx context.Context) (Settings, error)

	// SetSetting validates and stores a value (audited, secrets masked).
	// Returns EINVALID for an unknown key or an invalid value.
	SetSetting(ctx context.Context, key, value string) error
}

// Validators.

func nonEmpty(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", Errorf(EINVALID, "must not be empty")
	}
	return v, nil
}

func IntBetween(lo, hi int) func(string) (string, error) {
	return func(v string) (string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < lo || n > hi {
			return "", Errorf(EINVALID, "want a whole number from %d to %d", lo, hi)
		}
		return strconv.Itoa(n), nil
	}
}

func oneOf(values ...string) func(string) (string, error) {
	return func(v string) (string, error) {
		v = strings.ToLower(strings.TrimSpace(v))
		for _, ok := range values {
			if v == ok {
				return v, nil
			}
		}
		return "", Errorf(EINVALID, "want one of %s", strings.Join(values, ", "))
	}
}

// ValidateDuration accepts a Go duration (72h, 30m), or nothing (adapters'
// settings use it too).
func ValidateDuration(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return "", Errorf(EINVALID, "want a duration such as 72h or 30m, or nothing")
	}
	return d.String(), nil
}

func durationBetween(lo, hi time.Duration) func(string) (string, error) {
	return func(v string) (string, error) {
		v = strings.TrimSpace(v)
		if v == "" {
			return "", nil
		}
		d, err := time.ParseDuration(v)
		if err != nil || d < lo || d > hi {
			return "", Errorf(EINVALID, "want a duration from %s to %s such as 90s or 10m, or nothing", lo, hi)
		}
		return d.String(), nil
	}
}

func validateHours(v string) (string, error) {
	h, err := access.ParseHours(v)
	if err != nil {
		return "", err
	}
	return h.String(), nil
}

func validateTimezone(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "Local" {
		return "", Errorf(EINVALID, "want an IANA time zone such as Europe/Paris")
	}
	if _, err := time.LoadLocation(v); err != nil {
		return "", Errorf(EINVALID, "unknown time zone %q", v)
	}
	return v, nil
}

func validateMonthDay(v string) (string, error) {
	m, err := access.ParseMonthDay(strings.TrimSpace(v))
	if err != nil {
		return "", Errorf(EINVALID, "want a day of the year such as 11-01 (1 November), or nothing")
	}
	return m.String(), nil
}

// ValidateBool accepts true or false (and yes/no, on/off, 1/0, oui/non,
// nothing for false): the domain's and adapters' switches.
func ValidateBool(v string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on", "1", "oui":
		return "true", nil
	case "false", "no", "off", "0", "non", "":
		return "false", nil
	}
	return "", Errorf(EINVALID, "want true or false")
}
