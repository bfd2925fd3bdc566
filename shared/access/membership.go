package access

import (
	"fmt"
	"time"
)

// MembershipValid reports whether a Membership entitlement (the dues,
// adhésion) covers day: the member is "à jour de cotisation".
func MembershipValid(ents []Entitlement, day Day) bool {
	for _, e := range ents {
		if e.Kind == Membership && e.ValidOn(day) {
			return true
		}
	}
	return false
}

// MonthDay is a day of the year, such as the membership cut-off "11-01"
// (1 November). The zero MonthDay means none.
type MonthDay struct {
	Month time.Month
	Day   int
}

// ParseMonthDay reads a day of the year written MM-DD. The empty string is
// the zero MonthDay. 02-29 is refused: it would be no day three years in
// four.
func ParseMonthDay(s string) (MonthDay, error) {
	if s == "" {
		return MonthDay{}, nil
	}
	t, err := time.Parse("01-02", s)
	if err != nil || len(s) != 5 || (t.Month() == time.February && t.Day() == 29) {
		return MonthDay{}, fmt.Errorf("invalid day of the year %q (want MM-DD, e.g. 11-01)", s)
	}
	return MonthDay{t.Month(), t.Day()}, nil
}

// String returns MM-DD, or "" for the zero MonthDay.
func (m MonthDay) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d-%02d", m.Month, m.Day)
}

// IsZero reports whether m is the zero MonthDay.
func (m MonthDay) IsZero() bool { return m == MonthDay{} }

// In returns the day m of year y.
func (m MonthDay) In(y int) Day { return Day{y, m.Month, m.Day} }

// MembershipPeriod returns the first and last days that dues paid on day
// paid cover. currentEnd is the last day of the member's dues already paid
// (zero: none): dues renewed while they still run start the day after,
// so that renewing early loses no day. With days > 0 the dues last that
// many days, the last one included; with days 0 they last until the end
// of the calendar year they start in, or, when they start on or after the
// cut-off of that year (e.g. 1 November) and not on 1 January, until the
// end of the next year too: joining in November pays for the next year.
// A zero cutoff means none.
func MembershipPeriod(paid, currentEnd Day, days int, cutoff MonthDay) (start, end Day) {
	start = paid
	if !currentEnd.IsZero() && !currentEnd.Before(paid) {
		start = currentEnd.AddDays(1)
	}
	if days > 0 {
		return start, start.AddDays(days - 1)
	}
	year := start.Year
	if !cutoff.IsZero() && !start.Before(cutoff.In(year)) && start != (Day{year, time.January, 1}) {
		year++
	}
	return start, Day{year, time.December, 31}
}
