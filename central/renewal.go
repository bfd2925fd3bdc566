package central

import (
	"time"

	"github.com/badgeuse/badgeuse/shared/access"
)

// Renewing the dues (issue 11): a member is reminded by e-mail RenewalLead
// days before her dues (adhésion) end and on their last day, and her page
// offers to renew from RenewalLead days before they end until she has
// renewed, with the HelloAsso form of the membership product when there is
// one (join.forms).

// RenewalLead is how many days before her dues end a member is first
// reminded, and from when her page offers to renew.
const RenewalLead = 30

// RenewalCatchUp is how many days late the first reminder may still go
// out, when centrald was stopped on the day it was due: from RenewalLead
// to RenewalLead-RenewalCatchUp days left. Later, only the reminder of the
// last day remains.
const RenewalCatchUp = 6

// Reminders of the dues (the outbox key's last part, with the period's
// end: one of each per member and period).
const (
	RenewalBefore = "before" // RenewalLead days before the end (or a few days less, see RenewalCatchUp)
	RenewalLast   = "last"   // on the last day of the dues
)

// DaysBetween returns the number of days from a to b (negative when b is
// before a), counted on the calendar: days that a clock change makes 23
// or 25 hours long count as one.
func DaysBetween(a, b access.Day) int {
	ta := time.Date(a.Year, a.Month, a.Day, 12, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year, b.Month, b.Day, 12, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Round(24*time.Hour) / (24 * time.Hour))
}

// RenewalDue says which reminder, if any, is due on day today for dues
// whose last day is until: RenewalLast on until itself, RenewalBefore
// from RenewalLead days before until catchUp days later (catchUp at most
// RenewalCatchUp; 0: only on the day itself), else "". daysLeft is the
// number of days from today to until.
func RenewalDue(today, until access.Day, catchUp int) (reminder string, daysLeft int) {
	if today.IsZero() || until.IsZero() {
		return "", 0
	}
	catchUp = min(max(catchUp, 0), RenewalCatchUp)
	daysLeft = DaysBetween(today, until)
	switch {
	case daysLeft == 0:
		return RenewalLast, 0
	case daysLeft <= RenewalLead && daysLeft >= RenewalLead-catchUp:
		return RenewalBefore, daysLeft
	}
	return "", daysLeft
}

// DuesState is where a member stands with her dues for her page's
// "renew" link.
type DuesState int

// States of a member's dues.
const (
	DuesNone    DuesState = iota // she never paid dues (or only refunded ones)
	DuesCurrent                  // paid, ending in more than RenewalLead days
	DuesSoon                     // paid, ending within RenewalLead days
	DuesExpired                  // paid once, ended, not renewed
	DuesAhead                    // not covering today, paid for a later period
)

// DuesOf returns where a member stands on day today from her sales (all
// of them; refunded ones count for nothing), and the product of her
// latest dues (0 when none).
func DuesOf(sales []*Sale, today access.Day) (DuesState, int64) {
	var last *Sale
	valid, ahead := access.Day{}, false
	for _, s := range sales {
		if s.IsRefunded() || s.Kind != access.Membership {
			continue
		}
		if last == nil || last.End.Before(s.End) || (last.End == s.End && last.ID < s.ID) {
			last = s
		}
		switch e := s.Entitlement(); {
		case e.ValidOn(today):
			if valid.Before(s.End) {
				valid = s.End
			}
		case today.Before(s.Start):
			ahead = true
		}
	}
	switch {
	case last == nil:
		return DuesNone, 0
	case !valid.IsZero():
		// Dues renewed early follow each other without a gap: the
		// latest end is hers.
		if DaysBetween(today, last.End) <= RenewalLead {
			return DuesSoon, last.Product
		}
		return DuesCurrent, last.Product
	case ahead:
		return DuesAhead, last.Product
	}
	return DuesExpired, last.Product
}

// RenewURL returns where a member renews her dues: the payment form of
// forms (join.forms) for the product of her latest dues when it is still
// sold, else the form of the first membership product still sold that
// has one; "" when none. products are the catalogue, by id.
func RenewURL(forms map[int64]string, latest int64, products []*Product) string {
	for _, p := range products {
		if p.ID == latest && p.Active && forms[p.ID] != "" {
			return forms[p.ID]
		}
	}
	for _, p := range products {
		if p.Kind == access.Membership && p.Active && forms[p.ID] != "" {
			return forms[p.ID]
		}
	}
	return ""
}
