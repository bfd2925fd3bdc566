package admin

import (
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// nbsp keeps words together in French typography ("12 entrées").
const nbsp = "\u00a0"

// Money formats cents.
func (p *page) Money(cents int64) string { return central.Money(cents).In(p.Lang) }

// MoneyInput formats cents for a form field ("12,50" or "12.50").
func (p *page) MoneyInput(cents int64) string {
	if p.Lang == "en" {
		return central.Money(cents).Decimal()
	}
	return central.Money(cents).DecimalComma()
}

// DateTime formats an instant in the space's time zone: "26/11/2026 09:12"
// in French, "2026-11-26 09:12" in English; "" for the zero time.
func (p *page) DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if p.Lang == "en" {
		return t.In(p.loc).Format("2006-01-02 15:04")
	}
	return t.In(p.loc).Format("02/01/2006 15:04")
}

// Clock formats the time of day of an instant: "09:12".
func (p *page) Clock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(p.loc).Format("15:04")
}

// placeLoc returns the clock of an event's or a resource's place
// (central.PlaceLocation): its space's time zone, else the network's.
func (p *page) placeLoc(place string) (*time.Location, error) {
	if p.set == nil { // no settings: the page's clock
		return p.loc, nil
	}
	if err := p.readSpaces(); err != nil {
		return nil, err
	}
	return central.PlaceLocation(p.spaces, place, p.set), nil
}

// readSpaces reads the network's spaces once a page (none without a
// space service or a request).
func (p *page) readSpaces() error {
	if !p.read && p.s.cfg.Spaces != nil && p.ctx != nil {
		spaces, err := p.s.cfg.Spaces.FindSpaces(p.ctx)
		if err != nil {
			return err
		}
		p.spaces, p.read = spaces, true
	}
	return nil
}

// PlaceName names an event's, a room's, a visit's or a guest pass's
// place (central.PlaceName): its space's current name, a renamed space's
// new one; the place as stored when it names no space.
func (p *page) PlaceName(place string) (string, error) {
	if err := p.readSpaces(); err != nil {
		return "", err
	}
	return central.PlaceName(p.spaces, place), nil
}

// PlaceAddress is the postal address of an event's or a room's place
// (central.PlaceAddress): "" when its space has none.
func (p *page) PlaceAddress(place string) (string, error) {
	if err := p.readSpaces(); err != nil {
		return "", err
	}
	return central.PlaceAddress(p.spaces, place), nil
}

// UnknownPlace flags an event's or a resource's place that names no
// space of the network (central.EventSpace 0: a text an older `centrald
// event add --space` stored as given, "1"): « Espace inconnu : 1 ». ""
// for a space's place. Only the network's users see such rows (scope
// HasPlace); they move them to a real space.
func (p *page) UnknownPlace(place string) (string, error) {
	if strings.TrimSpace(place) == "" || p.s.cfg.Spaces == nil || p.ctx == nil {
		return "", nil
	}
	if err := p.readSpaces(); err != nil {
		return "", err
	}
	if central.EventSpace(p.spaces, place) != 0 {
		return "", nil
	}
	return p.T("place.unknown", place), nil
}

// PlaceDateTime formats an instant of an event or a booking on its
// place's clock (placeLoc), as DateTime.
func (p *page) PlaceDateTime(place string, t time.Time) (string, error) {
	loc, err := p.placeLoc(place)
	if err != nil || t.IsZero() {
		return "", err
	}
	q := *p
	q.loc = loc
	return q.DateTime(t), nil
}

// PlaceZone names the place's clock when it is not the network's
// ("America/Montreal"; "" otherwise): shown after its times, so that
// nobody reads another space's hour as hers.
func (p *page) PlaceZone(place string) (string, error) {
	loc, err := p.placeLoc(place)
	if err != nil || loc.String() == p.loc.String() {
		return "", err
	}
	return loc.String(), nil
}

// PlaceLongDay writes the day of an instant on its place's clock, with
// its weekday (LongDay: "ven. 04/12/2026").
func (p *page) PlaceLongDay(place string, t time.Time) (string, error) {
	loc, err := p.placeLoc(place)
	if err != nil || t.IsZero() {
		return "", err
	}
	return p.LongDay(t.In(loc)), nil
}

// PlaceClock formats the time of day of an instant on its place's clock.
func (p *page) PlaceClock(place string, t time.Time) (string, error) {
	loc, err := p.placeLoc(place)
	if err != nil || t.IsZero() {
		return "", err
	}
	return t.In(loc).Format("15:04"), nil
}

// ISO formats an instant for a <time datetime> attribute.
func (p *page) ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Day formats a calendar day: "26/11/2026" or "2026-11-26"; "" for none.
func (p *page) Day(d access.Day) string {
	if d.IsZero() {
		return ""
	}
	if p.Lang == "en" {
		return d.String()
	}
	return d.Start(time.UTC).Format("02/01/2006")
}

// Month formats "2026-11" as "novembre 2026" or "November 2026".
func (p *page) Month(m string) string { return monthName(p.Lang, m, " ") }

// monthName writes "2026-11" in lang, its month and year joined by space:
// "novembre 2026", "November 2026"; m as it is when it is no month.
func monthName(lang, m, space string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return translate(lang, "month."+strconv.Itoa(int(t.Month()))) + space + strconv.Itoa(t.Year())
}

// Reason translates an entry's reason.
func (p *page) Reason(r access.Reason) string { return p.T("reason." + string(r)) }

// Status translates a member's status.
func (p *page) Status(s access.MemberStatus) string { return p.T("status." + string(s)) }

// Kind translates a product kind.
func (p *page) Kind(k access.Kind) string { return p.T("kind." + string(k)) }

// Role translates a role.
func (p *page) Role(r central.Role) string { return p.T("role." + string(r)) }

// Plan sums up what a member holds: unlimited, subscription until a day,
// entries left, or nothing.
func (p *page) Plan(b central.Balance) string {
	switch {
	case b.Unlimited:
		return p.T("plan.unlimited")
	case !b.SubscriptionUntil.IsZero():
		return p.T("plan.subscription", p.Day(b.SubscriptionUntil))
	case b.EntriesLeft != 0:
		return p.T("plan.pack")
	}
	return p.T("plan.none")
}

// Dues says whether a member's dues (adhésion) are paid: until when, or
// not paid.
func (p *page) Dues(b central.Balance) string {
	switch {
	case b.MembershipValid:
		return p.T("dues.valid", p.Day(b.MembershipUntil))
	case !b.MembershipUntil.IsZero():
		return p.T("dues.later", p.Day(b.MembershipUntil))
	}
	return p.T("dues.none")
}

// Can reports whether the page's user may use a route ("POST /products"):
// templates show only the buttons that work.
func (p *page) Can(pattern string) bool {
	for _, rt := range p.s.routes {
		if rt.Pattern == pattern {
			return rt.Public || rt.allows(p.User)
		}
	}
	return false
}

// Roles lists the roles, for forms.
func (p *page) Roles() []central.Role { return central.Roles }

// Source names where a sale was recorded ("admin", "helloasso"...); an
// unknown source shows as is.
func (p *page) Source(src string) string {
	if catalogHas("source." + src) {
		return p.T("source." + src)
	}
	return src
}

// IDs writes numbers for a sentence: "3", "3, 5".
func (p *page) IDs(ids []int64) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(out, ", ")
}

// Standing says what a member's balance means for her plan (issue 18):
// unlimited; a subscription until a day; a card with N entries left;
// entries owed; or nothing. No bare "0" for a subscriber, no bare "-1".
func (p *page) Standing(b central.Balance) string {
	var parts []string
	switch {
	case b.Unlimited:
		parts = append(parts, p.T("standing.unlimited"))
	case !b.SubscriptionUntil.IsZero():
		parts = append(parts, p.T("standing.subscription", p.Day(b.SubscriptionUntil)))
	}
	switch {
	case b.EntriesLeft > 0:
		parts = append(parts, p.T("standing.pack", count(b.EntriesLeft)))
	case b.EntriesLeft < 0:
		parts = append(parts, p.T("standing.owed", count(-b.EntriesLeft)))
	}
	if len(parts) == 0 {
		return p.T("standing.none")
	}
	return strings.Join(parts, p.T("standing.and"))
}

var _ = addMessages(map[string][2]string{
	"standing.unlimited":    {"Illimité", "Unlimited"},
	"standing.subscription": {"Abonnée jusqu’au %s", "Subscribed until %s"},
	"standing.pack":         {"carnet : %d entrées restantes", "card: %d entries left"},
	"standing.pack.one":     {"carnet : %d entrée restante", "card: %d entry left"},
	"standing.owed":         {"%d entrées dues", "%d entries owed"},
	"standing.owed.one":     {"%d entrée due", "%d entry owed"},
	"standing.none":         {"Rien en cours", "Nothing running"},
	"standing.and":          {" ; ", "; "},
	"standing.owed_help":    {"Elle est entrée sans entrée payée (borne hors ligne, ou après un remboursement). Que faire : vendez-lui un carnet, qui paiera d’abord ces entrées ; ou, si c’est offert, n’en tenez pas compte.", "She came in without a paid entry (kiosk offline, or after a refund). What to do: sell her a card, which pays these entries first; or, if it is a gift, ignore it."},
	"standing.none_help":    {"Ses badges n’ouvriront pas la porte : vendez-lui un carnet ou un abonnement.", "Her badges will not open the door: sell her a card or a subscription."},
	"standing.title":        {"Formule", "Plan"},
	"standing.owed_self":    {"Vous êtes entré·e sans entrée payée (borne hors ligne, par exemple). Votre prochain carnet les paiera d’abord ; ou voyez avec le bureau.", "You came in without a paid entry (a kiosk offline, for example). Your next card pays them first; or see the bureau."},
})

// Software is a kiosk's version for people: "0.4.2", without what git
// adds for developers ("0.4.2-3-g1a2b3c4-dirty", a commit's hash).
func (p *page) Software(v string) string {
	if i := strings.Index(v, "-"); i > 0 {
		return v[:i]
	}
	return v
}
