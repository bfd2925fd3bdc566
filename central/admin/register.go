package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The register of members for the general assembly (GET /register?year=,
// /register.csv): the members whose dues (adhésion) cover part of the
// year, with the day they joined (first dues paid) and what the year's
// dues came to; their count is the number of voting members. Printable.

type registerData struct {
	Year   int
	Prev   int
	Next   int
	Rows   []*adminstore.RegisterRow
	Voters int
	Sum    int64
	CSV    string
}

// registerYear reads ?year=, this year by default.
func (s *Server) registerYear(r *http.Request, p *page) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2200 {
		return y
	}
	return access.DayOf(s.now(), p.loc).Year
}

// register shows the register of a year (GET /register).
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	d := &registerData{}
	p := s.newPage(r, "register.title", d)
	d.Year = s.registerYear(r, p)
	d.Prev, d.Next = d.Year-1, d.Year+1
	d.CSV = "/register.csv?year=" + strconv.Itoa(d.Year)
	var err error
	if d.Rows, err = s.cfg.Store.MembershipRegister(r.Context(), d.Year); err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Voters = len(d.Rows)
	for _, row := range d.Rows {
		d.Sum += row.Amount
	}
	s.render(w, r, "register", p)
}

// registerCSV exports the register of a year (GET /register.csv?year=).
func (s *Server) registerCSV(w http.ResponseWriter, r *http.Request) {
	year := s.registerYear(r, s.newPage(r, "", nil))
	rows, err := s.cfg.Store.MembershipRegister(r.Context(), year)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "register-"+strconv.Itoa(year))
	cw.header("id", "name", "email", "status", "joined", "dues_eur", "dues_until")
	for _, row := range rows {
		cw.row(i64(row.Member), row.Name, row.Email, cw.word("status.", string(row.Status)), cw.time(row.Joined),
			cw.money(row.Amount), cw.day(row.Until))
	}
	cw.flush(s)
}

// Date writes the space's calendar day of an instant.
func (p *page) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return p.Day(access.DayOf(t, p.loc))
}
