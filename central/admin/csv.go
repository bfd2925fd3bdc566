package admin

import (
	"encoding/csv"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// csvWriter writes a CSV download with one header line, in one of two
// formats (issue 18):
//
//   - for people, the default: what French Excel and LibreOffice open
//     correctly with a double click: UTF-8 with a byte order mark, ";"
//     between cells, headers in the admin's language, dates and times in
//     the space's time zone ("26/11/2026 09:12:00"), "oui"/"non", amounts
//     with a decimal comma ("80,00"; a point in English);
//   - raw (?format=raw), for scripts: UTF-8 without BOM, commas, English
//     headers, RFC 3339 times in UTC, 1/0, amounts with a point. This
//     format does not change.
//
// Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR at
// the start) get a leading apostrophe (OWASP CSV injection). For people,
// text a spreadsheet would turn into a number or a date, losing what it
// says (excelTurns: "01000", "12/26"), is written ="01000", which Excel
// shows as is.
//
// In a network, an export whose lines are of several spaces ends each
// line with its space's name (spaces, spaceRow), the members export with
// the names of her spaces (exportMembers); an association of one space's
// exports stay as they were.
type csvWriter struct {
	w      *csv.Writer
	err    error
	people bool
	lang   string
	loc    *time.Location
	// spaces are the network's (Server.networkSpaces, read before the
	// download starts), for an export by space; nil otherwise.
	spaces []*central.Space
}

// newCSV starts a raw CSV download (the statistics' tables).
func newCSV(w http.ResponseWriter, name string) *csvWriter {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+"-"+time.Now().Format("2006-01-02")+`.csv"`)
	h.Set("Cache-Control", "no-store")
	return &csvWriter{w: csv.NewWriter(w), lang: langEN, loc: time.UTC}
}

// newExport starts the download of an export: for people unless the query
// asks ?format=raw, in the language and time zone of the admin's pages.
func (s *Server) newExport(w http.ResponseWriter, r *http.Request, name string) *csvWriter {
	c := newCSV(w, name)
	if r.URL.Query().Get("format") == "raw" {
		return c
	}
	p := s.newPage(r, "", nil)
	c.people, c.lang, c.loc = true, p.Lang, p.loc
	c.w.Comma = ';'
	c.w.UseCRLF = true // what Windows spreadsheets write
	_, c.err = io.WriteString(w, "\ufeff")
	return c
}

// header writes the header line: the raw names, or for people their
// translations ("csv.<name>" in the catalog); "space" last when the
// export is by space.
func (c *csvWriter) header(names ...string) {
	if c.spaces != nil {
		names = append(names, "space")
	}
	if c.people {
		for i, n := range names {
			names[i] = translate(c.lang, "csv."+n)
		}
	}
	c.row(names...)
}

// time writes an instant: RFC 3339 in UTC, or for people the local date
// and time ("26/11/2026 09:12:00", "2026-11-26 09:12:00" in English).
func (c *csvWriter) time(t time.Time) string {
	if !c.people || t.IsZero() {
		return csvTime(t)
	}
	if c.lang == langEN {
		return t.In(c.loc).Format("2006-01-02 15:04:05")
	}
	return t.In(c.loc).Format("02/01/2006 15:04:05")
}

// day writes a calendar day: "2026-11-26", or "26/11/2026" for French
// people; "" for none.
func (c *csvWriter) day(d access.Day) string {
	if !c.people || d.IsZero() || c.lang == langEN {
		return d.String()
	}
	return d.Start(time.UTC).Format("02/01/2006")
}

// month writes a month ("2026-11"): as it is, or for people its name
// and year joined by a no-break space, "novembre 2026" ("November 2026").
// French Excel turns "2026-11", and "novembre 2026" with an ordinary
// space, into a date (shown "nov-26"); no date it knows has a no-break
// space, so the cell stays the text it says, as French typography
// writes it (not checked in Excel itself). LibreOffice 7.4 (checked
// headless, French locale) keeps it as text too, unless "Detect special
// numbers" is ticked on import: then it is the date 1 November 2026, as
// "26/11/2026" is; its import shows ="0612345678" as 0612345678.
func (c *csvWriter) month(m string) string {
	if !c.people {
		return m
	}
	return monthName(c.lang, m, "\u00a0")
}

// bool writes 1/0, or for people oui/non (yes/no).
func (c *csvWriter) bool(b bool) string {
	if !c.people {
		return csvBool(b)
	}
	if b {
		return translate(c.lang, "csv.yes")
	}
	return translate(c.lang, "csv.no")
}

// money writes cents as euros: "80.00", or "80,00" for French people.
func (c *csvWriter) money(cents int64) string {
	if c.people && c.lang != langEN {
		return central.Money(cents).DecimalComma()
	}
	return central.Money(cents).Decimal()
}

// word writes a code (a status, a kind, a reason): as it is, or for
// people its name in the catalog under prefix ("status.active" → "actif").
func (c *csvWriter) word(prefix, code string) string {
	if c.people && catalogHas(prefix+code) {
		return translate(c.lang, prefix+code)
	}
	return code
}

// spaceRow writes a line of the space whose id is space: its name last
// when the export is by space.
func (c *csvWriter) spaceRow(space int64, cells ...string) {
	if c.spaces != nil {
		name := ""
		if sp := central.SpaceByID(c.spaces, space); sp != nil {
			name = sp.Name
		}
		cells = append(cells, name)
	}
	c.row(cells...)
}

// excelTurns matches the text a spreadsheet opens as a number or a date,
// losing what it says: digits with a leading zero (a postcode, a phone
// number, a reference: "01000" becomes 1000), more digits than a number
// keeps, two numbers joined by "-" or "/" ("1-2", "12/26", "2026-12"
// become dates). The cells the exports write as numbers and dates on
// purpose (ids, counts, amounts, "26/11/2026") are none of these.
var excelTurns = regexp.MustCompile(`^(0[0-9]+|[0-9]{16,}|[0-9]{1,4}[-/][0-9]{1,4})$`)

func (c *csvWriter) row(cells ...string) {
	if c.err != nil {
		return
	}
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			if _, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64); err != nil { // keep negative numbers as numbers
				cells[i] = "'" + v
			}
		} else if c.people && excelTurns.MatchString(v) {
			cells[i] = `="` + v + `"` // digits, "-" and "/" only: a text, no formula of the sender's
		}
	}
	c.err = c.w.Write(cells)
}

func (c *csvWriter) flush(s *Server) {
	c.w.Flush()
	if err := c.w.Error(); err != nil || c.err != nil {
		s.log.Warn("admin: CSV export interrupted", "err", err)
	}
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func csvBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
