package admin

import (
	"strings"
	"testing"

	"github.com/badgeuse/badgeuse/central"
)

// TestEverySettingHasAPlace: each key of central's settings table is on
// exactly one page (settings, Slack or billing), the one its prefix
// says, with a label and a help text in both languages. A new key fails
// here until it has them.
func TestEverySettingHasAPlace(t *testing.T) {
	pages := map[string]map[string]bool{"settings": {}, "slack": {}, "billing": {}}
	for _, g := range settingsPageKeys() {
		for _, k := range g {
			pages["settings"][k] = true
		}
	}
	for _, k := range slackSettingOrder {
		pages["slack"][k] = true
	}
	for _, k := range billingSettingKeys() {
		pages["billing"][k] = true
	}
	for _, def := range central.SettingDefs() {
		k := def.Key
		var on []string
		for name, keys := range pages {
			if keys[k] {
				on = append(on, name)
			}
		}
		want := "settings"
		switch {
		case strings.HasPrefix(k, "slack."):
			want = "slack"
		case settingElsewhere(k):
			want = "billing"
		}
		if len(on) != 1 || on[0] != want {
			t.Errorf("%s is on the pages %v, want %s", k, on, want)
		}
		for _, m := range []string{"setting." + k, "setting." + k + ".help"} {
			if !catalogHas(m) {
				t.Errorf("%s: no message %s", k, m)
			}
		}
	}
	for k, w := range settingWidgets {
		if _, ok := central.LookupSetting(k); !ok {
			t.Errorf("a widget for the unknown setting %s", k)
		}
		for _, o := range w.Options {
			if def, _ := central.LookupSetting(k); def.Validate != nil {
				if _, err := def.Check(o.Value); err != nil {
					t.Errorf("%s: the option %q is refused: %v", k, o.Value, err)
				}
			}
			if o.Label != "" && !catalogHas(o.Label) {
				t.Errorf("%s: no message %s", k, o.Label)
			}
		}
	}
	for _, g := range settingsGroups {
		for _, m := range []string{"settings." + g.ID, "settings." + g.ID + ".help"} {
			if !catalogHas(m) {
				t.Errorf("group %s: no message %s", g.ID, m)
			}
		}
	}
}

// TestYesNoSettingsAreChoices: a setting that is true or false is a
// choice in words, never a field where a volunteer types "true" (the
// join page's switch was one, its help saying "true : ...").
func TestYesNoSettingsAreChoices(t *testing.T) {
	for _, def := range central.SettingDefs() {
		if def.Validate == nil {
			continue
		}
		_, errTrue := def.Check("true")
		_, errFalse := def.Check("false")
		_, errOther := def.Check("peut-être")
		if errTrue != nil || errFalse != nil || errOther == nil {
			continue // not a yes/no setting
		}
		if w := settingWidgets[def.Key]; w.Kind != "select" || len(w.Options) != 2 {
			t.Errorf("%s is true or false but shown as %q: make it a select of two words", def.Key, w.Kind)
		}
		for _, m := range []string{"setting." + def.Key, "setting." + def.Key + ".help"} {
			if fr := translate(langFR, m); strings.Contains(fr, "true") || strings.Contains(fr, "false") {
				t.Errorf("%s: %q asks for a program's word", m, fr)
			}
		}
	}
}

func TestDurationFields(t *testing.T) {
	for _, tc := range []struct{ stored, num, unit string }{
		{"", "", "d"},
		{"168h", "7", "d"},
		{"168h0m0s", "7", "d"},
		{"36h0m0s", "36", "h"},
		{"1h30m0s", "90", "m"},
		{"0s", "0", "d"},
		{"90s", "90s", ""},
		{"1.5s", "1.5s", ""},
		{"garbage", "garbage", ""},
	} {
		num, unit := splitDuration(tc.stored)
		if num != tc.num || unit != tc.unit {
			t.Errorf("splitDuration(%q) = %q %q, want %q %q", tc.stored, num, unit, tc.num, tc.unit)
			continue
		}
		if unit == "" || tc.stored == "" {
			continue
		}
		back, ok := joinDuration(num, unit)
		def, _ := central.LookupSetting(central.SettingStaleAfter)
		want, _ := def.Check(tc.stored)
		if !ok || back != want {
			t.Errorf("joinDuration(%q, %q) = %q %v, want %q", num, unit, back, ok, want)
		}
	}
	for _, bad := range [][2]string{{"x", "d"}, {"-1", "h"}, {"1", "w"}, {"1.5", "h"}, {"106752", "d"}} {
		if v, ok := joinDuration(bad[0], bad[1]); ok {
			t.Errorf("joinDuration(%q, %q) = %q, want refused", bad[0], bad[1], v)
		}
	}
	if v, ok := joinDuration("106751", "d"); !ok || v == "" {
		t.Errorf("the largest number of days: %q %v", v, ok)
	}
}
