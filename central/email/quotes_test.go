package email_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/email"
)

// TestQuoteStyle: each language quotes one way in every mail (subject,
// text part and the HTML part's visible text), whatever branch a kind
// takes. English uses typographic quotes and apostrophes (“Atelier”,
// kiosk’s), never French guillemets nor straight ones; French uses
// « guillemets » and ’, never “…” nor straight quotes. The HTML's
// attributes (href="…") are not prose: tags are left out. The data
// inserted has no quote of its own, so that any quote seen is a
// template's.
func TestQuoteStyle(t *testing.T) {
	day := time.Date(2027, 3, 4, 18, 30, 0, 0, time.UTC)
	full := email.Data{Association: "La Ruche", Name: "Alice Martin", Link: "https://c.example/m/tok?a=1", Email: "bob@example.org",
		Left: 2, BuyURL: "https://buy.example", Receipt: "R-000042", Amount: 8000, Product: "Carte", Year: 2026, Until: day,
		DaysLeft: 30, BadgeAttached: true, TicketAttached: true, Reminder: true, Unsubscribe: "https://c.example/m/tok#reminders",
		Host: "Bob Durand", Space: "Atelier", Day: day, Address: "3 rue des Pentes", Hours: "lundi 09:00–18:00",
		Kiosk: "Porte", Since: day, Detail: "no such device", Free: "120 MB", Position: 2, Again: true,
		Event:   email.EventData{Title: "Apéro", Space: "Atelier", Start: day, End: day.Add(time.Hour), Page: "https://c.example/e/1", Zone: "America/Montreal"},
		Booking: email.BookingData{Resource: "Salle", Space: "Atelier", Start: day, End: day.Add(time.Hour), Zone: "America/Montreal"}}
	// Variants walk the templates' other branches.
	variants := map[string]func(*email.Data){
		"full": func(*email.Data) {},
		"bare": func(d *email.Data) {
			d.Link, d.BuyURL, d.Unsubscribe, d.Detail, d.Address, d.Hours, d.Position = "", "", "", "", "", "", 0
			d.BadgeAttached, d.TicketAttached, d.Again = false, false, false
			d.Event.Space, d.Event.Page, d.Event.Zone, d.Booking.Space, d.Booking.Zone = "", "", "", "", ""
		},
		"none left, last day, several days": func(d *email.Data) {
			d.Left, d.DaysLeft, d.Unsubscribe = 0, 0, ""
			d.Event.End = day.AddDate(0, 0, 2)
		},
		"one left, waiting": func(d *email.Data) { d.Left, d.Waiting, d.TicketAttached = 1, true, false },
	}
	forbidden := map[string]*regexp.Regexp{
		"en": regexp.MustCompile(`[«»"']`),
		"fr": regexp.MustCompile(`[“”"']`),
	}
	tag := regexp.MustCompile(`<[^>]*>`)
	for _, kind := range email.Kinds {
		for vname, edit := range variants {
			for _, alert := range []string{"camera", "disk", "silent"} {
				d := full
				edit(&d)
				d.Alert = alert
				for lang, bad := range forbidden {
					r, err := email.Render(kind, lang, d)
					if err != nil {
						t.Fatal(err)
					}
					visible := html.UnescapeString(tag.ReplaceAllString(r.HTML, ""))
					for part, s := range map[string]string{"subject": r.Subject, "text": r.Text, "html": visible} {
						for _, m := range bad.FindAllStringIndex(s, -1) {
							line := s[strings.LastIndex(s[:m[0]], "\n")+1:]
							if i := strings.IndexByte(line, '\n'); i >= 0 {
								line = line[:i]
							}
							t.Errorf("%s (%s, %s) %s %s: %q in %q", kind, vname, alert, lang, part, s[m[0]:m[1]], line)
						}
					}
				}
				if kind != email.KindAlert {
					break
				}
			}
		}
	}
}
