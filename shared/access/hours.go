package access

import (
	"fmt"
	"strings"
	"time"
)

// Hours are a space's weekly opening hours. The zero value is "always open".
//
// The text form, set by the bureau, lists days and time ranges separated by
// semicolons: "mon-fri 08:00-20:00; sat 09:00-13:00". Days not listed are
// closed. A range may end at 24:00. Times are local to the space.
type Hours struct {
	// open[weekday] holds [from, to) ranges in minutes since midnight.
	open [7][][2]int
	set  bool
}

var dayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// ParseHours reads opening hours in the text form described on Hours.
// The empty string means always open.
func ParseHours(s string) (Hours, error) {
	var h Hours
	s = strings.TrimSpace(s)
	if s == "" {
		return h, nil
	}
	h.set = true
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		days, ranges, ok := strings.Cut(part, " ")
		if !ok {
			return Hours{}, fmt.Errorf("opening hours %q: want \"days HH:MM-HH:MM\"", part)
		}
		ds, err := parseDays(days)
		if err != nil {
			return Hours{}, err
		}
		for _, r := range strings.Split(strings.TrimSpace(ranges), ",") {
			from, to, ok := strings.Cut(strings.TrimSpace(r), "-")
			if !ok {
				return Hours{}, fmt.Errorf("opening hours: bad range %q (want HH:MM-HH:MM)", r)
			}
			a, err := parseClock(from)
			if err != nil {
				return Hours{}, err
			}
			b, err := parseClock(to)
			if err != nil {
				return Hours{}, err
			}
			if b <= a {
				return Hours{}, fmt.Errorf("opening hours: range %q ends before it starts", r)
			}
			for _, d := range ds {
				h.open[d] = append(h.open[d], [2]int{a, b})
			}
		}
	}
	return h, nil
}

func parseDays(s string) ([]time.Weekday, error) {
	idx := func(name string) (int, error) {
		for i, n := range dayNames {
			if strings.EqualFold(n, name) {
				return i, nil
			}
		}
		return 0, fmt.Errorf("opening hours: unknown day %q (use mon, tue, wed, thu, fri, sat, sun)", name)
	}
	var out []time.Weekday
	for _, item := range strings.Split(s, ",") {
		from, to, isRange := strings.Cut(item, "-")
		a, err := idx(from)
		if err != nil {
			return nil, err
		}
		b := a
		if isRange {
			if b, err = idx(to); err != nil {
				return nil, err
			}
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, time.Weekday(d))
			if d == b {
				break
			}
		}
	}
	return out, nil
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if strings.TrimSpace(s) == "24:00" {
		return 24 * 60, nil
	}
	if err != nil {
		return 0, fmt.Errorf("opening hours: bad time %q (want HH:MM)", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Open reports whether the space is open at t (read in loc).
func (h Hours) Open(t time.Time, loc *time.Location) bool {
	if !h.set {
		return true
	}
	t = t.In(loc)
	m := t.Hour()*60 + t.Minute()
	for _, r := range h.open[t.Weekday()] {
		if m >= r[0] && m < r[1] {
			return true
		}
	}
	return false
}

// String returns the hours in their text form ("" for always open).
func (h Hours) String() string {
	if !h.set {
		return ""
	}
	var parts []string
	for d := 1; d <= 7; d++ { // Monday first, as people write it.
		wd := d % 7
		if len(h.open[wd]) == 0 {
			continue
		}
		var rs []string
		for _, r := range h.open[wd] {
			rs = append(rs, fmt.Sprintf("%02d:%02d-%02d:%02d", r[0]/60, r[0]%60, r[1]/60, r[1]%60))
		}
		parts = append(parts, dayNames[wd]+" "+strings.Join(rs, ","))
	}
	return strings.Join(parts, "; ")
}
