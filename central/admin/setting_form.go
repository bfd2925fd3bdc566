package admin

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Settings forms: central's settings as the pages show them (a label and
// a help text from the catalog, "setting.KEY" and "setting.KEY.help"; a
// widget fit for the value) and the saving of what a form posted. The
// settings page (settings_page.go) and the billing page
// (billing_settings.go) use them; templates write a field with
// {{template "setting" ($.Setting .)}} (partials.html).

// settingField is a setting as a form shows it.
type settingField struct {
	Key    string
	Label  string // message key; "" for a key without one (Doc is shown)
	Doc    string // central's (English) description
	Value  string // "" for secrets: write-only
	Secret bool
	IsSet  bool
	// Kind is the widget: "text", "secret", "select" (Options),
	// "number" (a whole number), "duration" (Num and Unit), "hours",
	// "monthday", "products" or "forms" (setting_widgets.go).
	Kind     string
	Options  []settingOption
	Num      string // duration: a whole number of Unit
	Unit     string // duration: "d", "h" or "m"
	Advanced bool   // shown folded, under "Avancé"
	Invalid  bool   // the value just refused
	Error    string // why, shown next to the field (translated)
	// Kind "hours": a box per day and time inputs (setting_hours.go).
	Days   []hoursDay
	Always bool
	// Kind "monthday": a day and a month select (setting_widgets.go);
	// Month "" is none.
	Day, Month string
	// Kinds "products" and "forms": a line per product
	// (setting_widgets.go); Typed are the addresses a refused form posted.
	Choices  []settingChoice
	Typed    []settingChoice
	typedSet bool
}

type settingOption struct {
	Value string
	Label string // message key, "" to show Value
}

// settingWidgets are the settings not shown as a line of text (the keys
// of adapters are written here as strings: the admin imports no adapter).
var settingWidgets = map[string]settingField{
	central.SettingHours:         {Kind: "hours"},
	central.SettingStaleAfter:    {Kind: "duration"},
	central.SettingRetentionDays: {Kind: "number"},
	central.SettingTombstoneDays: {Kind: "number"},
	central.SettingStalePolicy: {Kind: "select", Options: []settingOption{
		{"warn", "setting.policy.warn"}, {"refuse", "setting.policy.refuse"}}},
	central.SettingMembershipCutoff: {Kind: "monthday"},
	central.SettingJoinProducts:     {Kind: "products"},
	central.SettingJoinForms:        {Kind: "forms"},
	"smtp.tls": {Kind: "select", Options: []settingOption{
		{"starttls", "setting.smtp.tls.starttls"}, {"tls", "setting.smtp.tls.tls"}, {"none", "setting.smtp.tls.none"}}},
	central.SettingRequireMembership: {Kind: "select", Options: []settingOption{
		{"false", "setting.door.require_membership.false"}, {"true", "setting.door.require_membership.true"}}},
	central.SettingShowNames: {Kind: "select", Options: []settingOption{
		{"true", "setting.door.show_names.true"}, {"false", "setting.door.show_names.false"}}},
	"helloasso.create_members": {Kind: "select", Options: []settingOption{
		{"false", "setting.no"}, {"true", "setting.yes"}}},
	"pennylane.finalize": {Kind: "select", Options: []settingOption{
		{"false", "setting.pennylane.finalize.false"}, {"true", "setting.pennylane.finalize.true"}}},
	"billing.vat_rate": {Kind: "select", Options: []settingOption{
		{"exempt", "vat.exempt"}, {"FR_200", "vat.FR_200"}, {"FR_100", "vat.FR_100"}, {"FR_55", "vat.FR_55"}, {"FR_21", "vat.FR_21"}}},
	central.SettingPassback:   {Kind: "duration"},
	central.SettingGuestQuota: {Kind: "number"},
	central.SettingGuestConsumes: {Kind: "select", Options: []settingOption{
		{"false", "setting.no"}, {"true", "setting.yes"}}},
	"donations.tax_receipts": {Kind: "select", Options: []settingOption{
		{"false", "setting.no"}, {"true", "setting.yes"}}},
	central.SettingJoinEnabled: {Kind: "select", Options: []settingOption{
		{"false", "setting.join.enabled.false"}, {"true", "setting.join.enabled.true"}}},
	"slack.language": {Kind: "select", Options: []settingOption{
		{"fr", "setting.slack.language.fr"}, {"en", "setting.slack.language.en"}}},
	"helloasso.api_url":         {Advanced: true},
	"pennylane.api_url":         {Advanced: true},
	"slack.kiosk_silent_after":  {Kind: "duration"},
	"slack.revoked_alert_after": {Kind: "number"},
	"slack.min_interval":        {Advanced: true},
	"slack.api_url":             {Advanced: true},
}

// durationUnits are the units of a duration field, largest first.
var durationUnits = []struct {
	Unit string
	D    time.Duration
}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}}

// newSettingField returns the field of a key with its current value.
func newSettingField(values central.Settings, key string) settingField {
	def, _ := central.LookupSetting(key)
	w := settingWidgets[key]
	_, set := values[key]
	f := settingField{Key: key, Doc: def.Doc, Secret: def.Secret, IsSet: set && values[key] != "", Kind: "text",
		Options: w.Options, Advanced: w.Advanced}
	if catalogHas("setting." + key) {
		f.Label = "setting." + key
	}
	switch {
	case def.Secret:
		f.Kind = "secret"
		return f
	case w.Kind != "":
		f.Kind = w.Kind
	}
	f.Value = values.Get(key)
	switch f.Kind {
	case "select":
		known := false
		for _, o := range f.Options {
			known = known || o.Value == f.Value
		}
		if !known { // set by hand to a value the list lacks: keep it choosable
			f.Options = append([]settingOption{{Value: f.Value}}, f.Options...)
		}
	case "hours":
		hoursWidget(&f, f.Value)
	case "monthday":
		monthdayWidget(&f, f.Value)
	case "duration":
		f.Num, f.Unit = splitDuration(f.Value)
		if f.Unit == "" { // not a whole number of minutes: the text itself
			f.Kind = "text"
		}
	}
	return f
}

// splitDuration writes a Go duration as a whole number of days, hours or
// minutes ("168h0m0s" → 7, "d"); "" → "", "d"; unit "" when it is none of
// them (seconds...).
func splitDuration(v string) (num, unit string) {
	if strings.TrimSpace(v) == "" {
		return "", "d"
	}
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < 0 {
		return v, ""
	}
	for _, u := range durationUnits {
		if d%u.D == 0 {
			return strconv.FormatInt(int64(d/u.D), 10), u.Unit
		}
	}
	return v, ""
}

// joinDuration is splitDuration's inverse: "7", "d" → "168h0m0s"; "" →
// "" (none). ok is false for anything but a whole number of a unit.
func joinDuration(num, unit string) (string, bool) {
	num = strings.TrimSpace(num)
	if num == "" {
		return "", true
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 {
		return "", false
	}
	for _, u := range durationUnits {
		if u.Unit == unit {
			if n > math.MaxInt64/int64(u.D) {
				return "", false
			}
			return (time.Duration(n) * u.D).String(), true
		}
	}
	return "", false
}

// settingView is what the "setting" template gets: the page (for T) and
// the field.
type settingView struct {
	*page
	F settingField
}

// Setting gives the "setting" template its field.
func (p *page) Setting(f settingField) settingView { return settingView{page: p, F: f} }

// settingFormView is what the "settings-form" template (partials.html)
// gets: the page, the form's id and action, and its fields (the
// Advanced ones in a fold).
type settingFormView struct {
	*page
	ID, Action string
	Fields     []settingField
}

// SettingForm gives the "settings-form" template its fields.
func (p *page) SettingForm(id, action string, fields []settingField) settingFormView {
	return settingFormView{page: p, ID: id, Action: action, Fields: fields}
}

// saveSettings stores what a form posted for the keys, when it changed:
// s.KEY is the value, with u.KEY the unit of a duration field. An empty
// secret keeps it; "-" clears it. A refused value returns its key and
// the message to show (translated); err is for anything else.
func (s *Server) saveSettings(r *http.Request, keys []string) (badKey, badText string, err error) {
	ctx := r.Context()
	lang := requestLang(r)
	values, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		return "", "", err
	}
	for _, k := range keys {
		v, present := r.PostForm["s."+k]
		if _, widget := r.PostForm["h."+k]; widget { // opening hours' boxes
			text, _, problem := hoursFromForm(r.PostForm, k, lang)
			if problem != "" {
				return k, problem, nil
			}
			v, present = []string{text}, true
		}
		if _, widget := r.PostForm["w."+k]; widget { // a day and a month, a box per product...
			text, problem := s.widgetFromForm(ctx, r.PostForm, k, lang)
			if problem != "" {
				return k, problem, nil
			}
			v, present = []string{text}, true
		}
		if !present || len(v) != 1 {
			continue
		}
		def, _ := central.LookupSetting(k)
		val := strings.TrimSpace(v[0])
		if units, ok := r.PostForm["u."+k]; ok && len(units) == 1 {
			if val, ok = joinDuration(val, units[0]); !ok {
				return k, translate(lang, "settings.error.duration", settingLabel(lang, k)), nil
			}
		}
		switch {
		case def.Secret && val == "":
			continue
		case def.Secret && val == "-":
			val = ""
		}
		if sameSetting(def, val, values.Get(k)) {
			continue
		}
		if err := s.cfg.Settings.SetSetting(ctx, k, val); err != nil {
			if central.ErrorCode(err) == central.EINVALID {
				return k, errorText(lang, err), nil
			}
			return "", "", err
		}
	}
	return "", "", nil
}

// sameSetting: the new value is the current one, once normalized ("7d"
// typed as 168 hours is "168h", "168h0m0s" stored): nothing to store nor
// to audit.
func sameSetting(def central.Setting, val, current string) bool {
	if val == current {
		return true
	}
	a, errA := def.Check(val)
	b, errB := def.Check(current)
	return errA == nil && errB == nil && a == b
}

// settingLabel is a key's label in the language (the key itself without one).
func settingLabel(lang, key string) string {
	if catalogHas("setting." + key) {
		return translate(lang, "setting."+key)
	}
	return key
}

// markInvalid flags the field of a refused value.
func markInvalid(fields []settingField, key string) {
	for i := range fields {
		fields[i].Invalid = fields[i].Invalid || (key != "" && fields[i].Key == key)
	}
}

// keepTyped shows the values a refused form posted instead of the stored
// ones, so that nobody types them again (issue 18); the refused field
// gets its message. Secrets are never sent back.
func keepTyped(r *http.Request, fields []settingField, invalid, errText string) {
	if r.Method != http.MethodPost {
		return
	}
	lang := requestLang(r)
	for i := range fields {
		f := &fields[i]
		if f.Key == invalid {
			f.Error = errText
		}
		switch {
		case f.Kind == "secret":
		case f.Kind == "hours":
			if _, ok := r.PostForm["h."+f.Key]; ok {
				_, typed, _ := hoursFromForm(r.PostForm, f.Key, lang)
				f.Days, f.Always = typed.Days, typed.Always
			}
		case f.Kind == "monthday" || f.Kind == "products" || f.Kind == "forms":
			keepTypedWidget(r, f)
		default:
			if v, ok := r.PostForm["s."+f.Key]; ok && len(v) == 1 {
				f.Value = v[0]
				if f.Kind == "duration" {
					f.Num = v[0]
					if u, ok := r.PostForm["u."+f.Key]; ok && len(u) == 1 {
						f.Unit = u[0]
					}
				}
			}
		}
	}
}
