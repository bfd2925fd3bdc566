package access

import (
	"fmt"
	"time"
)

// Day is a calendar day in the space's time zone ("today" at the door), not
// an instant: a subscription ending on 2026-03-31 is valid all that day in
// Paris, whatever the UTC offset. The zero Day means "no day" (no end date,
// never visited).
type Day struct {
	Year  int
	Month time.Month
	Day   int
}

// DayOf returns the calendar day of t in loc.
func DayOf(t time.Time, loc *time.Location) Day {
	y, m, d := t.In(loc).Date()
	return Day{y, m, d}
}

// ParseDay reads a day written as YYYY-MM-DD. The empty string is the zero Day.
func ParseDay(s string) (Day, error) {
	if s == "" {
		return Day{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Day{}, fmt.Errorf("invalid day %q (want YYYY-MM-DD)", s)
	}
	return Day{t.Year(), t.Month(), t.Day()}, nil
}

// MustDay is ParseDay for literals in tests and examples; it panics on error.
func MustDay(s string) Day {
	d, err := ParseDay(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String returns YYYY-MM-DD, or "" for the zero Day.
func (d Day) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// IsZero reports whether d is the zero Day.
func (d Day) IsZero() bool { return d == Day{} }

// Before reports whether d is strictly before e.
func (d Day) Before(e Day) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// After reports whether d is strictly after e.
func (d Day) After(e Day) bool { return e.Before(d) }

// AddDays returns the day n days after d (before, for negative n).
func (d Day) AddDays(n int) Day {
	t := time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC)
	return Day{t.Year(), t.Month(), t.Day()}
}

// Start returns the first instant of d in loc (midnight, or the first
// existing instant on a day when the clocks jump at midnight).
func (d Day) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week of d.
func (d Day) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// MarshalText implements encoding.TextMarshaler (YYYY-MM-DD, empty for zero).
func (d Day) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Day) UnmarshalText(b []byte) error {
	v, err := ParseDay(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
