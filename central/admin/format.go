package admin

import (
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// nbsp separates thousands and the euro sign in French ("1 234,50 €").
const nbsp = "\u00a0"

// formatMoney writes cents the way the language does: "1 234,50 €" in
// French, "€1,234.50" in English.
func formatMoney(lang string, cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	units, frac := strconv.FormatInt(cents/100, 10), cents%100
	sep, dec := nbsp, ","
	if lang == "en" {
		sep, dec = ",", "."
	}
	var b strings.Builder
	for i, c := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	num := b.String() + dec + strconv.FormatInt(100+frac, 10)[1:]
	if lang == "en" {
		num = "€" + num
	} else {
		num += nbsp + "€"
	}
	if neg {
		num = "-" + num
	}
	return num
}

// parseMoney reads an amount typed by a person in euros ("12", "12,5",
// "1 234.50", "12 €") and returns cents.
func parseMoney(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", nbsp, "", "\u202f", "", "€", "").Replace(strings.TrimSpace(s))
	s = strings.Replace(s, ",", ".", 1)
	if s == "" || strings.Count(s, ".") > 1 {
		return 0, false
	}
	units, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	u, err1 := strconv.ParseInt(units, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || u < 0 || u > 1e9 {
		return 0, false
	}
	return u*100 + f, true
}

// Money formats cents.
func (p *page) Money(cents int64) string { return formatMoney(p.Lang, cents) }

// MoneyInput formats cents for a form field ("12,50" or "12.50").
func (p *page) MoneyInput(cents int64) string {
	s := strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(100+cents%100, 10)[1:]
	if p.Lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
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
func (p *page) Month(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return p.T("month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
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

// Can reports whether the page's user may use a route ("POST /products"):
// templates show only the buttons that work.
func (p *page) Can(pattern string) bool {
	for _, rt := range p.s.routes {
		if rt.Pattern == pattern {
			return rt.Public || rt.roles.can(p.User)
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
