package admin

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// iCalendar feeds (RFC 5545) that calendar applications subscribe to
// (calendar.go): the lines a VCALENDAR needs, written by hand (the format
// is small; tests parse the feeds with github.com/arran4/golang-ical).

// icalWriter writes an iCalendar object: CRLF line ends, lines folded at
// 75 octets (never inside a UTF-8 character), text values escaped.
type icalWriter struct {
	b strings.Builder
}

// prop writes a property whose value is already in its iCalendar form.
func (w *icalWriter) prop(name, value string) {
	line := name + ":" + value
	limit := 75 // octets of the first line; the next ones begin with a space
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.b.WriteString(line[:cut])
		w.b.WriteString("\r\n ")
		line, limit = line[cut:], 74
	}
	w.b.WriteString(line)
	w.b.WriteString("\r\n")
}

// text writes a TEXT property, escaped.
func (w *icalWriter) text(name, value string) { w.prop(name, icalText(value)) }

// time writes a DATE-TIME property in UTC.
func (w *icalWriter) time(name string, t time.Time) { w.prop(name, t.UTC().Format("20060102T150405Z")) }

// icalText escapes a TEXT value: backslash, semicolon, comma, newlines;
// other control characters are dropped.
func icalText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			// CR, tabs and other controls have no place in a value
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// icalEvent is one VEVENT.
type icalEvent struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	// Status is CONFIRMED, TENTATIVE (a waiting list) or "".
	Status string
	// Busy only: the event marks time taken (TRANSP:OPAQUE), as
	// bookings do; others are TRANSPARENT.
	Busy bool
}

// writeICal answers a feed: its name, the events, generated at now.
func writeICal(w http.ResponseWriter, name string, now time.Time, events []icalEvent) {
	var c icalWriter
	c.prop("BEGIN", "VCALENDAR")
	c.prop("VERSION", "2.0")
	c.prop("PRODID", "-//Badgeuse//Central//FR")
	c.prop("CALSCALE", "GREGORIAN")
	c.prop("METHOD", "PUBLISH")
	c.text("X-WR-CALNAME", name)
	// Applications that honour it refresh the feed every hour.
	c.prop("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
	c.prop("X-PUBLISHED-TTL", "PT1H")
	for _, e := range events {
		c.prop("BEGIN", "VEVENT")
		c.text("UID", e.UID)
		c.time("DTSTAMP", now)
		c.time("DTSTART", e.Start)
		c.time("DTEND", e.End)
		c.text("SUMMARY", e.Summary)
		if e.Description != "" {
			c.text("DESCRIPTION", e.Description)
		}
		if e.Location != "" {
			c.text("LOCATION", e.Location)
		}
		if e.URL != "" {
			c.prop("URL", e.URL)
		}
		if e.Status != "" {
			c.prop("STATUS", e.Status)
		}
		if e.Busy {
			c.prop("TRANSP", "OPAQUE")
		} else {
			c.prop("TRANSP", "TRANSPARENT")
		}
		c.prop("END", "VEVENT")
	}
	c.prop("END", "VCALENDAR")
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write([]byte(c.b.String()))
}
