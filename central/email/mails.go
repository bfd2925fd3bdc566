package email

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/french"
)

// Kinds of mail. Each has a subject, a text part and an HTML part per
// language in templates/.
const (
	KindWelcome = "welcome" // personal link, badge QR attached, how the door works
	KindLink    = "link"    // the personal link again (the bureau's "send by e-mail")
	// KindLinkRequest: the lost-link form's one-time link (24 hours),
	// whose button gives the member a new personal link.
	KindLinkRequest   = "link_request"
	KindReceipt       = "receipt"        // a sale's receipt, its PDF attached
	KindLowBalance    = "low_balance"    // 2, 1 or 0 entries left
	KindRenewal       = "renewal"        // membership ends in 30 days, or today
	KindPasswordReset = "password_reset" // a bureau user's one-time link, valid 1 hour
	KindTest          = "test"           // the admin's "send me a test e-mail"
	KindBadge         = "badge"          // a badge's QR attached (the admin's "send by e-mail")
	KindJoin          = "join"           // confirm the address given on the join page
	KindClaim         = "claim"          // confirm another address whose payments are hers
	// KindEventRegister: confirm the address given on a public event's
	// page; her registration is made when she opens the link and presses
	// its button (24 hours).
	KindEventRegister = "event_register"
	// Events with a capacity (events.go): a registration confirmed or put
	// on the waiting list, and a place that freed up for her.
	KindEventConfirmed  = "event_confirmed"
	KindEventWaitlisted = "event_waitlisted"
	KindEventPromoted   = "event_promoted"
	// KindEventMoved: the bureau changed the hours of an event she holds
	// or waits for a place at (once per change: the event's revision).
	KindEventMoved = "event_moved"
	KindTaxReceipt = "tax_receipt" // a donor's tax receipt of a year (reçu fiscal), its PDF attached
	KindGuest      = "guest"       // a guest pass (QR attached) to the guest, with how to use it at the door
	KindAlert      = "alert"       // a kiosk's health incident, to the bureau's address (alerts.email)
	// KindBookingCancelled: the bureau cancelled her booking of a room
	// (booking.go), its day and times on the room's space's clock.
	KindBookingCancelled = "booking_cancelled"
)

// Kinds lists every kind of mail.
var Kinds = []string{KindWelcome, KindLink, KindLinkRequest, KindReceipt, KindLowBalance, KindRenewal, KindPasswordReset, KindTest,
	KindBadge, KindJoin, KindClaim, KindEventRegister, KindEventConfirmed, KindEventWaitlisted, KindEventPromoted,
	KindEventMoved, KindTaxReceipt, KindGuest, KindAlert, KindBookingCancelled}

// Languages of the mails; French is the default.
const (
	French  = "fr"
	English = "en"
)

// Lang returns a supported language for s ("en", "en-GB" → English),
// French otherwise.
func Lang(s string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), English) {
		return English
	}
	return French
}

// Data fills a mail's template. Fields a kind does not use stay zero.
type Data struct {
	Association string // the association's name
	Name        string // the recipient's full name
	Link        string // personal link, password reset, join, claim or registration confirmation link
	Email       string // the address to confirm (claim)
	Left        int    // entries left (low_balance)
	BuyURL      string // where to buy more (low_balance, renewal); may be empty
	Receipt     string // receipt number ("R-000042")
	Amount      int64  // cents paid (receipt)
	Product     string // what was bought (receipt)
	Year        int    // the year of the gifts (tax_receipt)
	Until       time.Time
	// DaysLeft is 30 for the first renewal reminder, 0 on the day it ends.
	DaysLeft int
	// BadgeAttached says the badge's QR is attached (welcome).
	BadgeAttached bool
	// TicketAttached says an event ticket's QR is attached (an event's
	// confirmation to someone who is not a member).
	TicketAttached bool
	// Reminder marks a mail that is not transactional (low balance,
	// renewal): its bottom says how to stop receiving it, through
	// Unsubscribe, the page that turns reminders off, or by replying.
	Reminder    bool
	Unsubscribe string
	// Host invites the guest (guest) to Space on Day; Address is the
	// space's, Hours its door's opening hours in words ("": none said).
	Host    string
	Space   string
	Day     time.Time
	Address string
	Hours   string
	// Alert is what a kiosk health alert is about ("camera", "disk",
	// "silent"), Kiosk the kiosk's name, Since when it began (in the
	// space's zone), Detail the camera's error, Free the bytes free.
	Alert  string
	Kiosk  string
	Since  time.Time
	Detail string
	Free   string
	// Event is what an event mail is about (its times in the space's
	// zone), and Position her place on its waiting list.
	Event    EventData
	Position int
	// Again: she was registered already when she confirmed the public
	// form's link for her address once more (event_confirmed,
	// event_waitlisted).
	Again bool
	// Waiting: she is on the event's waiting list, holding no place
	// (event_moved): the mail says so and how to leave the list.
	Waiting bool
	// Booking is the booking the bureau cancelled (booking_cancelled).
	Booking BookingData
}

// BookingData is a booking as its mail says it.
type BookingData struct {
	// Resource is the room's (or equipment's) name, Space its space's
	// ("" for the main space).
	Resource, Space string
	// Start and End on the clock of the resource's space.
	Start, End time.Time
	// Zone names that clock when it is not the network's.
	Zone string
}

// EventData is an event as its mails say it.
type EventData struct {
	Title, Space string
	Start, End   time.Time
	// Page is the event's public page ("" for a members-only event).
	Page string
	// Zone names the clock of its times when it is not the network's
	// (a space with its own time zone: "America/Montreal").
	Zone string
	// Address is its space's postal address ("" when it has none).
	Address string
}

// OneDay reports whether the event starts and ends on one day.
func (e EventData) OneDay() bool {
	return e.Start.YearDay() == e.End.YearDay() && e.Start.Year() == e.End.Year()
}

// FirstName is the first word of the name ("Bonjour Alice,").
func (d Data) FirstName() string {
	if f := strings.Fields(d.Name); len(f) > 0 {
		return f[0]
	}
	return ""
}

// Rendered is a mail's content.
type Rendered struct {
	Subject, Text, HTML string
}

//go:embed templates
var templateFS embed.FS

type langTemplates struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

var templates = map[string]langTemplates{}

func init() {
	for _, lang := range []string{French, English} {
		// de writes "de" before a name, elided in French (« l’administration
		// d’Atelier Nord »): {{de .Association}}; à writes "à" before a
		// place's name, contracted with its article (« au Square »): {{à
		// .Space}}.
		funcs := map[string]any{"date": dateFunc(lang), "euros": eurosFunc(lang), "clock": clockFunc, "de": central.FrenchDe, "à": central.FrenchA}
		t := texttemplate.Must(texttemplate.New("").Funcs(funcs).Parse(source(lang, ".txt")))
		h := htmltemplate.Must(htmltemplate.Must(htmltemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")).
			Parse(source(lang, ".html")))
		for _, k := range Kinds {
			for _, name := range []string{k + ".subject", k} {
				if t.Lookup(name) == nil {
					panic("email: templates/" + lang + ".txt lacks " + name)
				}
			}
			if h.Lookup(k) == nil {
				panic("email: templates/" + lang + ".html lacks " + k)
			}
		}
		templates[lang] = langTemplates{t, h}
	}
}

// source is the text of a language's templates (templates/fr.txt...).
// The French are written with ordinary spaces, easier to read and to
// type: their text gets the no-break spaces French typography wants
// (french.Spaces: before « : », « ; », « ? », « ! » and inside
// « guillemets »), their {{actions}} are left as they are, and so is the
// data inserted.
func source(lang, ext string) string {
	b, err := templateFS.ReadFile("templates/" + lang + ext)
	if err != nil {
		panic(err)
	}
	src := string(b)
	if lang != French {
		return src
	}
	var out strings.Builder
	for {
		start := strings.Index(src, "{{")
		if start < 0 {
			out.WriteString(french.Spaces(src))
			return out.String()
		}
		end := strings.Index(src[start:], "}}")
		if end < 0 { // the parser says what is wrong
			out.WriteString(french.Spaces(src[:start]) + src[start:])
			return out.String()
		}
		end += start + len("}}")
		out.WriteString(french.Spaces(src[:start]) + src[start:end])
		src = src[end:]
	}
}

// Render writes a mail of a kind in a language (French when unknown).
func Render(kind, lang string, d Data) (Rendered, error) {
	t := templates[Lang(lang)]
	if t.text.Lookup(kind) == nil {
		return Rendered{}, fmt.Errorf("email: unknown kind of mail %q", kind)
	}
	var subject, text, body, page bytes.Buffer
	if err := t.text.ExecuteTemplate(&subject, kind+".subject", d); err != nil {
		return Rendered{}, err
	}
	if err := t.text.ExecuteTemplate(&text, kind, d); err != nil {
		return Rendered{}, err
	}
	if err := t.html.ExecuteTemplate(&body, kind, d); err != nil {
		return Rendered{}, err
	}
	// body was escaped by html/template: it is safe HTML.
	layout := struct {
		Data
		Lang, Subject string
		Body          htmltemplate.HTML
	}{d, Lang(lang), subject.String(), htmltemplate.HTML(body.String())}
	if err := t.html.ExecuteTemplate(&page, "layout", layout); err != nil {
		return Rendered{}, err
	}
	return Rendered{
		Subject: strings.Join(strings.FieldsFunc(subject.String(), breakingSpace), " "),
		Text:    strings.TrimSpace(text.String()) + "\n",
		HTML:    page.String(),
	}, nil
}

// breakingSpace: a space a line may break at (a subject's runs of them
// become one space), not a no-break space, which stays.
func breakingSpace(r rune) bool { return unicode.IsSpace(r) && r != '\u00a0' && r != '\u202f' }

var months = map[string][]string{
	French:  {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	English: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// dateFunc writes a day in words: "31 janvier 2027", "31 January 2027".
func dateFunc(lang string) func(time.Time) string {
	return func(t time.Time) string {
		day := fmt.Sprint(t.Day())
		if lang == French && t.Day() == 1 {
			day = "1er"
		}
		return fmt.Sprintf("%s %s %d", day, months[lang][t.Month()-1], t.Year())
	}
}

// clockFunc writes a time of day: "18:30".
func clockFunc(t time.Time) string { return t.Format("15:04") }

// eurosFunc writes cents as people of the language read them: "1 234,50 €"
// (no-break spaces), "€1,234.50".
func eurosFunc(lang string) func(int64) string {
	return func(c int64) string {
		sign := ""
		if c < 0 {
			sign, c = "-", -c
		}
		whole := fmt.Sprint(c / 100)
		sep, dec := "\u00a0", ","
		if lang == English {
			sep, dec = ",", "."
		}
		var b strings.Builder
		for i, d := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteString(sep)
			}
			b.WriteRune(d)
		}
		if lang == English {
			return fmt.Sprintf("%s€%s%s%02d", sign, b.String(), dec, c%100)
		}
		return fmt.Sprintf("%s%s%s%02d\u00a0€", sign, b.String(), dec, c%100)
	}
}
