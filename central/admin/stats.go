package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// The statistics page (GET /stats): attendance for every role (counts
// only, no one's name), sales and what the cards still owe for the roles
// that read sales. Each chart is an SVG drawn here (chart.go) with its
// numbers as a table and as CSV (/stats/<name>.csv: for people by default,
// ?format=raw for scripts, as the other exports).

// How far back each chart looks.
const (
	statsDays        = 90  // visits per day
	statsWeeks       = 53  // visits per week: a year and the current week
	statsMonths      = 12  // members, sales per month
	statsMaxHeatDays = 365 // the heat map reads at most a year of entries
)

// statRow is a line of a chart's table.
type statRow struct {
	Label string
	Value string
}

// salesRow is a line of the sales table.
type salesRow struct {
	Month         string
	Cards         string
	Subscriptions string
	Amount        string
}

type statsData struct {
	DaysChart, WeeksChart, MembersChart, SalesChart barChart
	Days, Weeks, Members                            []statRow
	// Guests: the guests who came per month, apart from members (issue 12).
	GuestsChart   barChart
	Guests        []statRow
	Sales         []salesRow
	ShowSales     bool
	Owed          adminstore.EntriesOwed
	Heat          heatMap
	HeatDays      [7]string
	HeatRows      [7][24]int
	HeatSince     int // how many days the heat map covers
	RetentionDays int
	// The counts of one space (issue 14): a user of a space sees hers;
	// a network user picks one (Spaces, a select) or the whole network
	// (Space nil). Query keeps the pick in the CSV links.
	spacePick
}

// dayValue is a count for a day (or the week starting that day).
type dayValue struct {
	Day access.Day
	N   int
}

// monthsBack returns the first day of the month n-1 months before today's.
func monthsBack(today access.Day, n int) access.Day {
	t := time.Date(today.Year, today.Month-time.Month(n-1), 1, 0, 0, 0, 0, time.UTC)
	return access.Day{Year: t.Year(), Month: t.Month(), Day: 1}
}

// monday returns the Monday of d's week.
func monday(d access.Day) access.Day { return d.AddDays(-((int(d.Weekday()) + 6) % 7)) }

// month writes a day's month as "2026-11".
func month(d access.Day) string { return d.String()[:7] }

// visitSeries returns the visits of each of the last statsDays days and of
// each of the last statsWeeks weeks (Monday to Sunday), oldest first,
// zeros included.
func (s *Server) visitSeries(ctx context.Context, today access.Day) (days, weeks []dayValue, err error) {
	firstWeek := monday(today).AddDays(-7 * (statsWeeks - 1))
	firstDay := today.AddDays(-(statsDays - 1))
	since := firstWeek
	if firstDay.Before(since) {
		since = firstDay
	}
	counts, err := s.cfg.Store.VisitDays(ctx, since, today, scopeOf(ctx).place())
	if err != nil {
		return nil, nil, err
	}
	byDay := map[access.Day]int{}
	for _, c := range counts {
		byDay[c.Day] = c.Count
	}
	for d := firstDay; !today.Before(d); d = d.AddDays(1) {
		days = append(days, dayValue{d, byDay[d]})
	}
	for w := firstWeek; !today.Before(w); w = w.AddDays(7) {
		n := 0
		for i := 0; i < 7; i++ {
			n += byDay[w.AddDays(i)]
		}
		weeks = append(weeks, dayValue{w, n})
	}
	return days, weeks, nil
}

// memberSeries returns the distinct members of each of the last
// statsMonths months ("2026-11"), oldest first, zeros included.
func (s *Server) memberSeries(ctx context.Context, today access.Day) ([]adminstore.MonthCount, error) {
	first := monthsBack(today, statsMonths)
	counts, err := s.cfg.Store.MonthMembers(ctx, first, today, scopeOf(ctx).place())
	if err != nil {
		return nil, err
	}
	byMonth := map[string]int{}
	for _, c := range counts {
		byMonth[c.Month] = c.Count
	}
	var out []adminstore.MonthCount
	for i := statsMonths; i >= 1; i-- {
		m := month(monthsBack(today, i))
		out = append(out, adminstore.MonthCount{Month: m, Count: byMonth[m]})
	}
	return out, nil
}

// guestSeries returns the guests who came in each of the last statsMonths
// months ("2026-11"), oldest first, zeros included.
func (s *Server) guestSeries(ctx context.Context, today access.Day) ([]adminstore.MonthCount, error) {
	counts, err := s.cfg.Store.MonthGuests(ctx, monthsBack(today, statsMonths), today, scopeOf(ctx).place())
	if err != nil {
		return nil, err
	}
	byMonth := map[string]int{}
	for _, c := range counts {
		byMonth[c.Month] = c.Count
	}
	var out []adminstore.MonthCount
	for i := statsMonths; i >= 1; i-- {
		m := month(monthsBack(today, i))
		out = append(out, adminstore.MonthCount{Month: m, Count: byMonth[m]})
	}
	return out, nil
}

// monthChart lays out a series of month counts.
func (p *page) monthChart(ms []adminstore.MonthCount) (barChart, []statRow) {
	values, labels, shown := make([]int64, len(ms)), make([]string, len(ms)), make([]string, len(ms))
	rows := make([]statRow, len(ms))
	for i, m := range ms {
		values[i], labels[i], shown[i] = int64(m.Count), p.shortMonth(m.Month), p.Count(int64(m.Count))
		rows[i] = statRow{Label: p.Month(m.Month), Value: shown[i]}
	}
	c := newBarChart(values, labels, shown, p.Count)
	p.barTitles(&c, rows)
	return c, rows
}

// salesSeries returns the sales of each of the last statsMonths months,
// oldest first, zeros included: of the scope's space, the products it
// sells (its books).
func (s *Server) salesSeries(ctx context.Context, today access.Day, loc *time.Location) ([]adminstore.MonthSales, error) {
	first := monthsBack(today, statsMonths)
	sums, err := s.cfg.Store.MonthSales(ctx, first.Start(loc), today.AddDays(1).Start(loc), loc, scopeOf(ctx).place())
	if err != nil {
		return nil, err
	}
	byMonth := map[string]adminstore.MonthSales{}
	for _, m := range sums {
		byMonth[m.Month] = m
	}
	var out []adminstore.MonthSales
	for i := statsMonths; i >= 1; i-- {
		m := month(monthsBack(today, i))
		v := byMonth[m]
		v.Month = m
		out = append(out, v)
	}
	return out, nil
}

// hourCounts returns the accepted entries by weekday (0 is Monday) and
// hour of the day in loc, over the last days days. Hours are counted in
// UTC by the store and placed here in loc: exact for zones whose offset is
// whole hours (Europe/Paris).
func (s *Server) hourCounts(ctx context.Context, today access.Day, loc *time.Location, days int) ([7][24]int, error) {
	var out [7][24]int
	hours, err := s.cfg.Store.EntryHours(ctx, today.AddDays(-(days - 1)).Start(loc), today.AddDays(1).Start(loc), scopeOf(ctx).place())
	if err != nil {
		return out, err
	}
	for _, h := range hours {
		t := h.Hour.In(loc)
		out[(int(t.Weekday())+6)%7][t.Hour()] += h.Count
	}
	return out, nil
}

// heatDays is how many days the heat map covers: the retention period,
// at most a year.
func heatDays(retention int) int { return min(max(retention, 1), statsMaxHeatDays) }

// formatCount writes a count the way the language does ("1 234", "1,234").
func formatCount(lang string, n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + formatCount(lang, -n)
	}
	sep := nbsp
	if lang == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Count formats a count for a template.
func (p *page) Count(n int64) string { return formatCount(p.Lang, n) }

// shortDay writes a day for a chart's axis: "26/11" or "Nov 26".
func (p *page) shortDay(d access.Day) string {
	if p.Lang == "en" {
		return d.Start(time.UTC).Format("Jan 2")
	}
	return d.Start(time.UTC).Format("02/01")
}

// shortMonth writes "2026-11" for a chart's axis: "nov. 26" or "Nov 26".
func (p *page) shortMonth(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	if p.Lang == "en" {
		return t.Format("Jan 06")
	}
	return p.T("month_short."+strconv.Itoa(int(t.Month()))) + " " + t.Format("06")
}

// dayChart lays out a series of day counts; label names each bar.
func (p *page) dayChart(vs []dayValue, axis, label func(access.Day) string) (barChart, []statRow) {
	values, labels, shown := make([]int64, len(vs)), make([]string, len(vs)), make([]string, len(vs))
	rows := make([]statRow, len(vs))
	for i, v := range vs {
		values[i], labels[i], shown[i] = int64(v.N), axis(v.Day), p.Count(int64(v.N))
		rows[i] = statRow{Label: label(v.Day), Value: shown[i]}
	}
	c := newBarChart(values, labels, shown, p.Count)
	p.barTitles(&c, rows)
	return c, rows
}

// barTitles gives each bar of c the whole label and value of its row, for
// its <title> (shown on hover, read by screen readers).
func (p *page) barTitles(c *barChart, rows []statRow) {
	for i := range c.Bars {
		c.Bars[i].Label = p.T("stats.bar", rows[i].Label, rows[i].Value)
	}
}

// stats shows the statistics page (GET /stats, ?space=ID for a network
// user): attendance and, for the roles that read sales, the sales and the
// entries still owed on cards, of the user's space (the products it
// sells), or of the network or the space she picks.
func (s *Server) stats(w http.ResponseWriter, r *http.Request) {
	user := requestScope(r)
	r, err := s.pickSpace(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ctx := r.Context()
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	loc := requestScope(r).clock(settings) // the space's days, when narrowed to one
	today := access.DayOf(s.now(), loc)
	d := &statsData{RetentionDays: settings.RetentionDays(), HeatSince: heatDays(settings.RetentionDays())}
	p := s.newPage(r, "stats.title", d)
	if d.spacePick, err = s.spacePick(r, user); err != nil {
		s.failErr(w, r, err)
		return
	}

	days, weeks, err := s.visitSeries(ctx, today)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.DaysChart, d.Days = p.dayChart(days, p.shortDay, p.Day)
	d.DaysChart.ID, d.DaysChart.Title, d.DaysChart.Desc = "days", p.T("stats.days"), p.T("stats.days_desc")
	d.WeeksChart, d.Weeks = p.dayChart(weeks, p.shortDay, func(w access.Day) string { return p.T("stats.week_of", p.Day(w)) })
	d.WeeksChart.ID, d.WeeksChart.Title, d.WeeksChart.Desc = "weeks", p.T("stats.weeks"), p.T("stats.weeks_desc")

	members, err := s.memberSeries(ctx, today)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	values, labels, shown := make([]int64, len(members)), make([]string, len(members)), make([]string, len(members))
	for i, m := range members {
		values[i], labels[i], shown[i] = int64(m.Count), p.shortMonth(m.Month), p.Count(int64(m.Count))
		d.Members = append(d.Members, statRow{Label: p.Month(m.Month), Value: shown[i]})
	}
	d.MembersChart = newBarChart(values, labels, shown, p.Count)
	d.MembersChart.ID, d.MembersChart.Title, d.MembersChart.Desc = "members", p.T("stats.members"), p.T("stats.members_desc")
	p.barTitles(&d.MembersChart, d.Members)

	guests, err := s.guestSeries(ctx, today)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.GuestsChart, d.Guests = p.monthChart(guests)
	d.GuestsChart.ID, d.GuestsChart.Title, d.GuestsChart.Desc = "guests", p.T("stats.guests"), p.T("stats.guests_desc")

	if d.ShowSales = p.Can("GET /stats/sales.csv"); d.ShowSales {
		sales, err := s.salesSeries(ctx, today, loc)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		values, labels, shown := make([]int64, len(sales)), make([]string, len(sales)), make([]string, len(sales))
		for i, m := range sales {
			values[i], labels[i], shown[i] = m.Amount, p.shortMonth(m.Month), p.Money(m.Amount)
			d.Sales = append(d.Sales, salesRow{Month: p.Month(m.Month), Cards: p.Count(int64(m.Cards)),
				Subscriptions: p.Count(int64(m.Subscriptions)), Amount: shown[i]})
		}
		// The axis shows whole euros: the bars' titles and the table give cents.
		d.SalesChart = newBarChart(values, labels, shown, func(c int64) string { return p.Count(c/100) + nbsp + "€" })
		d.SalesChart.ID, d.SalesChart.Title, d.SalesChart.Desc = "sales", p.T("stats.sales"), p.T("stats.sales_desc")
		for i, m := range d.Sales {
			d.SalesChart.Bars[i].Label = p.T("stats.bar", m.Month, m.Amount)
		}
		if d.Owed, err = s.cfg.Store.EntriesOwed(ctx, today, scopeOf(ctx).place()); err != nil {
			s.failErr(w, r, err)
			return
		}
	}

	if d.HeatRows, err = s.hourCounts(ctx, today, loc, d.HeatSince); err != nil {
		s.failErr(w, r, err)
		return
	}
	var short [7]string
	for i := range d.HeatDays {
		n := strconv.Itoa((i + 1) % 7) // time.Weekday numbers: Sunday is 0
		d.HeatDays[i], short[i] = p.T("weekday."+n), p.T("weekday_short."+n)
	}
	d.Heat = newHeatMap(d.HeatRows, short, func(day, hour, n int) string {
		return p.T("stats.heat_cell", d.HeatDays[day], hour, p.Count(int64(n)))
	})
	d.Heat.ID, d.Heat.Title, d.Heat.Desc = "heat", p.T("stats.heat"), p.T("stats.heat_desc", d.HeatSince)
	s.render(w, r, "stats", p)
}

// statsPlace narrows an export (of the statistics, or of the exports
// page) to the space a network user picked (?space=ID, pickSpace); ok is
// false once an error is written.
func (s *Server) statsPlace(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	r2, err := s.pickSpace(r)
	if err != nil {
		s.failErr(w, r, err)
		return nil, false
	}
	return r2, true
}

// statsToday returns today in the time zone of the request's scope (its
// space's, when narrowed to one), and the zone.
func (s *Server) statsToday(w http.ResponseWriter, r *http.Request) (access.Day, *time.Location, int, bool) {
	settings, err := s.cfg.Settings.Settings(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return access.Day{}, nil, 0, false
	}
	loc := requestScope(r).clock(settings)
	return access.DayOf(s.now(), loc), loc, settings.RetentionDays(), true
}

// statsVisitsCSV exports the visits per day or per week
// (GET /stats/visits-days.csv, /stats/visits-weeks.csv).
func (s *Server) statsVisitsCSV(weekly bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r, ok := s.statsPlace(w, r)
		if !ok {
			return
		}
		today, _, _, ok := s.statsToday(w, r)
		if !ok {
			return
		}
		days, weeks, err := s.visitSeries(r.Context(), today)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		name, head, rows := "visits-days", "day", days
		if weekly {
			name, head, rows = "visits-weeks", "week_start", weeks
		}
		cw := s.newExport(w, r, name)
		cw.header(head, "visits")
		for _, v := range rows {
			cw.row(cw.day(v.Day), strconv.Itoa(v.N))
		}
		cw.flush(s)
	}
}

// statsMembersCSV exports the distinct members per month (GET /stats/members.csv).
func (s *Server) statsMembersCSV(w http.ResponseWriter, r *http.Request) {
	s.monthCountsCSV(w, r, "members-per-month", "members", s.memberSeries)
}

// statsGuestsCSV exports the guests who came per month (GET /stats/guests.csv).
func (s *Server) statsGuestsCSV(w http.ResponseWriter, r *http.Request) {
	s.monthCountsCSV(w, r, "guests-per-month", "guests", s.guestSeries)
}

// monthCountsCSV exports a count per month (the series up to today) as
// the file name with one column named column.
func (s *Server) monthCountsCSV(w http.ResponseWriter, r *http.Request, name, column string,
	series func(context.Context, access.Day) ([]adminstore.MonthCount, error)) {
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	today, _, _, ok := s.statsToday(w, r)
	if !ok {
		return
	}
	ms, err := series(r.Context(), today)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, name)
	cw.header("month", column)
	for _, m := range ms {
		cw.row(cw.month(m.Month), strconv.Itoa(m.Count))
	}
	cw.flush(s)
}

// statsSalesCSV exports the sales per month (GET /stats/sales.csv): of
// the user's space, or of the network or the space she picks.
func (s *Server) statsSalesCSV(w http.ResponseWriter, r *http.Request) {
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	today, loc, _, ok := s.statsToday(w, r)
	if !ok {
		return
	}
	ms, err := s.salesSeries(r.Context(), today, loc)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "sales-per-month")
	cw.header("month", "cards", "subscriptions", "amount")
	for _, m := range ms {
		cw.row(cw.month(m.Month), strconv.Itoa(m.Cards), strconv.Itoa(m.Subscriptions), cw.money(m.Amount))
	}
	cw.flush(s)
}

// statsHoursCSV exports the accepted entries by weekday and hour
// (GET /stats/hours.csv); weekday 1 is Monday (ISO 8601).
func (s *Server) statsHoursCSV(w http.ResponseWriter, r *http.Request) {
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	today, loc, retention, ok := s.statsToday(w, r)
	if !ok {
		return
	}
	counts, err := s.hourCounts(r.Context(), today, loc, heatDays(retention))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cw := s.newExport(w, r, "entries-per-hour")
	cw.header("weekday", "hour", "entries")
	for d, row := range counts {
		for h, n := range row {
			cw.row(strconv.Itoa(d+1), strconv.Itoa(h), strconv.Itoa(n))
		}
	}
	cw.flush(s)
}
