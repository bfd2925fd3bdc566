package admin

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Opening hours as a person sets them (issue 18): a box per day and time
// inputs, at most two ranges a day (a lunch break), instead of typing
// "mon-fri 08:00-20:00". The stored value keeps central's text form
// (access.ParseHours), which kiosks read; this file converts both ways.

// hoursDays are the days in the order people write them, with the
// names of the text form and of the catalog (weekday.N, 1 = Monday,
// 0 = Sunday as in stats_messages.go).
var hoursDays = []struct{ Key, Label string }{
	{"mon", "weekday.1"}, {"tue", "weekday.2"}, {"wed", "weekday.3"}, {"thu", "weekday.4"},
	{"fri", "weekday.5"}, {"sat", "weekday.6"}, {"sun", "weekday.0"},
}

// hoursDay is one day of the widget.
type hoursDay struct {
	Key, Label string
	Open       bool
	From, To   string // "08:00"
	From2, To2 string // a second range, optional
	Invalid    bool
}

// hoursWidget fills a field's days from the stored text form (through
// access.Hours, whose String writes one day per part: "mon 08:00-12:00,14:00-18:00").
func hoursWidget(f *settingField, text string) {
	f.Always = strings.TrimSpace(text) == ""
	ranges := map[string][][2]string{}
	if h, err := access.ParseHours(text); err == nil {
		for _, part := range strings.Split(h.String(), "; ") {
			day, rs, ok := strings.Cut(part, " ")
			if !ok {
				continue
			}
			for _, r := range strings.Split(rs, ",") {
				from, to, _ := strings.Cut(r, "-")
				ranges[day] = append(ranges[day], [2]string{from, to})
			}
		}
	}
	f.Days = nil
	for _, d := range hoursDays {
		day := hoursDay{Key: d.Key, Label: d.Label}
		if rs := ranges[d.Key]; len(rs) > 0 {
			day.Open, day.From, day.To = true, rs[0][0], rs[0][1]
			if len(rs) > 1 {
				day.From2, day.To2 = rs[1][0], rs[1][1]
			}
		}
		f.Days = append(f.Days, day)
	}
}

// hoursFromForm reads the widget of key from a posted form (h.KEY.always,
// h.KEY.mon, h.KEY.mon.from...): the text form, or the field as typed
// with the first mistake in words (the caller shows it next to it).
func hoursFromForm(form url.Values, key, lang string) (text string, f settingField, problem string) {
	// "Toujours ouvert" counts only without a ticked day: ticking days
	// after it (the box starts ticked when no hours are set) means them.
	always := form.Get("h."+key+".always") == "1"
	for _, d := range hoursDays {
		always = always && form.Get("h."+key+"."+d.Key) != "1"
	}
	f = settingField{Key: key, Kind: "hours", Always: always}
	var parts []string
	for _, d := range hoursDays {
		p := "h." + key + "." + d.Key
		day := hoursDay{Key: d.Key, Label: d.Label, Open: form.Get(p) == "1",
			From: strings.TrimSpace(form.Get(p + ".from")), To: strings.TrimSpace(form.Get(p + ".to")),
			From2: strings.TrimSpace(form.Get(p + ".from2")), To2: strings.TrimSpace(form.Get(p + ".to2"))}
		if day.Open && !f.Always {
			name := translate(lang, d.Label)
			var rs []string
			for i, r := range [][2]string{{day.From, day.To}, {day.From2, day.To2}} {
				if i == 1 && r[0] == "" && r[1] == "" {
					continue
				}
				if msg := checkRange(lang, name, r[0], r[1]); msg != "" {
					if problem == "" {
						problem = msg
					}
					day.Invalid = true
					break
				}
				rs = append(rs, r[0]+"-"+r[1])
			}
			parts = append(parts, d.Key+" "+strings.Join(rs, ","))
		}
		f.Days = append(f.Days, day)
	}
	if f.Always {
		return "", f, problem
	}
	if len(parts) == 0 && problem == "" {
		problem = translate(lang, "hours.error.none")
	}
	text = strings.Join(parts, "; ")
	if problem == "" {
		if _, err := access.ParseHours(text); err != nil {
			problem = translate(lang, "hours.error.none")
		}
	}
	return text, f, problem
}

func checkRange(lang, day, from, to string) string {
	if from == "" || to == "" {
		return translate(lang, "hours.error.missing", day)
	}
	if !clockRE(from) || !clockRE(to) {
		return translate(lang, "hours.error.time", day)
	}
	if to != "24:00" && to <= from {
		return translate(lang, "hours.error.order", day, to, from)
	}
	return ""
}

// clockRE: "HH:MM" from 00:00 to 24:00 (a time input sends that form).
func clockRE(s string) bool {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil {
		return false
	}
	return (h >= 0 && h < 24 && m >= 0 && m < 60) || s == "24:00"
}

// HoursWords says opening hours in the page's language ("lundi
// 08:00–20:00 ; samedi 09:00–13:00", "Monday 08:00–20:00; Saturday
// 09:00–13:00"); "toujours ouvert" when empty.
func (p *page) HoursWords(text string) string { return hoursWords(p.Lang, text) }

// hoursWords says opening hours in a language (HoursWords).
func hoursWords(lang, text string) string {
	if strings.TrimSpace(text) == "" {
		return translate(lang, "hours.always")
	}
	var f settingField
	hoursWidget(&f, text)
	var out []string
	for _, d := range f.Days {
		if !d.Open {
			continue
		}
		s := translate(lang, d.Label) + " " + d.From + "–" + d.To
		if d.From2 != "" {
			s += ", " + d.From2 + "–" + d.To2
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return text
	}
	return strings.Join(out, translate(lang, "hours.and"))
}

var _ = addMessages(map[string][2]string{
	"hours.always":        {"Toujours ouvert (aucun horaire)", "Always open (no hours)"},
	"hours.and":           {" ; ", "; "},
	"hours.from":          {"de", "from"},
	"hours.to":            {"à", "to"},
	"hours.then":          {"puis de (facultatif)", "then from (optional)"},
	"hours.error.none":    {"Horaires d’ouverture : cochez au moins un jour, ou « Toujours ouvert ».", "Opening hours: tick at least one day, or “Always open”."},
	"hours.error.missing": {"Horaires d’ouverture, %s : indiquez l’heure d’ouverture et celle de fermeture.", "Opening hours, %s: give the opening and the closing time."},
	"hours.error.time":    {"Horaires d’ouverture, %s : heure illisible (exemple : 08:30).", "Opening hours, %s: unreadable time (for example 08:30)."},
	"hours.error.order":   {"Horaires d’ouverture, %s : la fermeture (%s) doit venir après l’ouverture (%s).", "Opening hours, %s: closing (%s) must come after opening (%s)."},
})
