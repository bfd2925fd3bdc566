package email_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central/email"
)

// TestFrenchPunctuation: the French mails put a no-break space before
// « : », « ; », « ? », « ! » and inside « guillemets » (subject, text and
// HTML), so that a phone never starts a line with the sign; the English
// mails keep theirs without space. The data inserted (an event's title)
// is as the bureau wrote it.
func TestFrenchPunctuation(t *testing.T) {
	day := time.Date(2027, 3, 4, 18, 30, 0, 0, time.UTC)
	full := email.Data{Association: "La Ruche", Name: "Alice Martin", Link: "https://c.example/m/tok?a=1", Email: "a@example.org",
		Left: 0, BuyURL: "https://buy.example", Receipt: "R-000042", Amount: 8000, Product: "Carte", Year: 2026, Until: day,
		DaysLeft: 30, BadgeAttached: true, TicketAttached: true, Reminder: true, Host: "Bob", Space: "Atelier", Day: day,
		Kiosk: "Porte", Since: day, Detail: "no such device", Free: "120 Mo", Position: 2, Again: true,
		Event:   email.EventData{Title: "Apéro", Space: "Atelier", Start: day, End: day.Add(time.Hour), Page: "https://c.example/e/1"},
		Booking: email.BookingData{Resource: "Salle", Space: "Atelier", Start: day, End: day.Add(time.Hour), Zone: "America/Montreal"}}
	bad := regexp.MustCompile(` [:;?!]|« | »`)
	tag := regexp.MustCompile(`<[^>]*>`)
	for _, kind := range email.Kinds {
		for _, alert := range []string{"camera", "disk", "silent"} {
			d := full
			d.Alert = alert
			fr, err := email.Render(kind, "fr", d)
			if err != nil {
				t.Fatal(err)
			}
			for part, s := range map[string]string{"subject": fr.Subject, "text": fr.Text, "html": tag.ReplaceAllString(fr.HTML, "")} {
				if m := bad.FindStringIndex(s); m != nil {
					t.Errorf("%s (%s) fr %s: ordinary space at %q", kind, alert, part, s[max(0, m[0]-40):m[1]])
				}
			}
			en, err := email.Render(kind, "en", d)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(en.Subject+en.Text+en.HTML, "\u00a0:") {
				t.Errorf("%s en: a no-break space before a colon", kind)
			}
			if kind != email.KindAlert {
				break
			}
		}
	}
	d := full
	d.Event.Title = "Atelier : compta"
	r, err := email.Render(email.KindEventConfirmed, "fr", d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Inscription confirmée\u00a0: Atelier : compta — La Ruche"; r.Subject != want {
		t.Errorf("subject %q, want %q", r.Subject, want)
	}
	r, err = email.Render(email.KindReceipt, "fr", full)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Merci pour votre achat\u00a0: Carte, 80,00\u00a0€."} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, r.Text)
		}
	}
	if want := "<p>Merci pour votre achat\u00a0: Carte, <strong>80,00\u00a0€</strong>.</p>"; !strings.Contains(r.HTML, want) {
		t.Errorf("HTML lacks %q:\n%s", want, r.HTML)
	}
}
