package admin

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// csvWriter writes a CSV download: UTF-8, comma-separated, one header
// line. Cells that a spreadsheet would run as a formula (=, +, -, @, tab,
// CR at the start) get a leading apostrophe (OWASP CSV injection).
type csvWriter struct {
	w   *csv.Writer
	err error
}

func newCSV(w http.ResponseWriter, name string) *csvWriter {
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+"-"+time.Now().Format("2006-01-02")+`.csv"`)
	h.Set("Cache-Control", "no-store")
	return &csvWriter{w: csv.NewWriter(w)}
}

func (c *csvWriter) row(cells ...string) {
	if c.err != nil {
		return
	}
	for i, v := range cells {
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			if _, err := strconv.ParseFloat(v, 64); err != nil { // keep negative numbers as numbers
				cells[i] = "'" + v
			}
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

// csvMoney writes cents as euros with a dot ("12.50"): what spreadsheets
// and accounting tools read in any locale.
func csvMoney(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return sign + strconv.FormatInt(cents/100, 10) + "." + strconv.FormatInt(100+cents%100, 10)[1:]
}

func csvBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
