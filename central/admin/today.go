package admin

import (
	"net/http"
	"slices"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// todayRefusals is how many of the day's refusals Today lists: a door
// that refuses a badge again and again (a card left on the reader) would
// push the rest of the page, the silent doors, out of sight.
const todayRefusals = 10

type todayData struct {
	Day    access.Day
	Spaces []*dayArrivals
	Total  int
	// Refused are the day's latest refusals (todayRefusals at most), of
	// RefusedTotal: the others are on the entries page (RefusedLink).
	Refused      []*adminstore.EntryRow
	RefusedTotal int
	RefusedLink  string
	Silent       []*central.Kiosk
	// Kiosks counts the kiosks of the user's place: none says so, not
	// that every kiosk synced.
	Kiosks int
	// Guests are the guest passes of the day, with their hosts' names.
	Guests     []todayGuest
	ShowGuests bool
	// Events are the day's events (issue 15): who registered, who came.
	Events []*central.CalendarEvent
	// Pick: a network user's space select (that space's day).
	Pick spacePick
	// Links: the members named whose page the user may open.
	Links memberLinks
	// Unmatched counts the HelloAsso payments waiting for the bureau to
	// say whose they are (payments.html), for those who may assign them.
	Unmatched int
}

// todayGuest is a guest pass of the day, whether its guest came (an
// accepted entry with it), and its host.
type todayGuest struct {
	*adminstore.HostGuest
	HostName string
}

// today shows who is here (GET /today): arrivals of the day per space,
// refused entries with their reasons, kiosks that have not synced lately;
// for a user of a space, her space's only (its count of who is here), and
// likewise for the space a network user picks (?space=ID).
func (s *Server) today(w http.ResponseWriter, r *http.Request) {
	user := requestScope(r)
	r, ok := s.statsPlace(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	sc := requestScope(r)
	settings, err := s.cfg.Settings.Settings(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	loc, now := sc.clock(settings), s.now()
	day := access.DayOf(now, loc)
	d := todayData{Day: day}
	if d.Pick, err = s.spacePick(r, user); err != nil {
		s.failErr(w, r, err)
		return
	}
	arrivals, err := s.cfg.Store.Arrivals(ctx, day)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	arrivals = slices.DeleteFunc(arrivals, func(a *adminstore.ArrivalRow) bool { return !sc.HasKey(a.Space) })
	var spaces []*central.Space // to name each space as it is now (a renamed one's visits carry its first name)
	if s.cfg.Spaces != nil {
		if spaces, err = s.cfg.Spaces.FindSpaces(ctx); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	for _, a := range arrivals {
		space := central.PlaceName(spaces, a.Space)
		if a.Space == "" {
			space = settings.SpaceName()
		}
		if n := len(d.Spaces); n == 0 || d.Spaces[n-1].Space != space {
			d.Spaces = append(d.Spaces, &dayArrivals{Space: space, Day: day})
		}
		sp := d.Spaces[len(d.Spaces)-1]
		sp.Arrivals = append(sp.Arrivals, a)
	}
	d.Total = len(arrivals)
	refused := false
	d.Refused, d.RefusedTotal, err = s.cfg.Store.EntryRows(ctx, adminstore.EntryRowFilter{Accept: &refused, Kiosks: sc.Kiosks(),
		Since: day.Start(loc), Until: day.AddDays(1).Start(loc), Limit: todayRefusals})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.RefusedLink = "/entries?decision=refused&day=" + day.String()
	named := make([]int64, 0, len(arrivals)+len(d.Refused))
	for _, a := range arrivals {
		named = append(named, a.Member)
	}
	for _, e := range d.Refused {
		named = append(named, e.Member)
	}
	if d.Links, err = s.memberLinks(ctx, user, named...); err != nil {
		s.failErr(w, r, err)
		return
	}
	if s.cfg.Guests != nil {
		d.ShowGuests = true
		passes, err := s.cfg.Store.DayGuests(ctx, day, 100)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		for _, g := range passes {
			// A guest pass names the setting space.name, not a space of
			// the network: a user of a space sees the guests of her
			// space's members.
			tg := todayGuest{HostGuest: g}
			ms, _, err := s.cfg.Members.FindMembers(ctx, central.MemberFilter{ID: &g.Host, Space: sc.MemberSpace(), Limit: 1})
			if err != nil {
				s.failErr(w, r, err)
				return
			}
			if len(ms) == 0 {
				if !sc.Network() {
					continue
				}
			} else {
				tg.HostName = ms[0].Name
			}
			d.Guests = append(d.Guests, tg)
		}
	}
	// The day's events: today on the clock of each event's space (a
	// space in another zone has another today).
	events, err := s.cfg.Calendar.FindEvents(ctx, central.EventFilter{EndsAfter: now.Add(-48 * time.Hour)})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	clocks := s.newPage(r, "", nil)
	for _, e := range events {
		ploc, err := clocks.placeLoc(e.Space)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		pday := access.DayOf(now, ploc)
		if e.Start.Before(pday.AddDays(1).Start(ploc)) && e.End.After(pday.Start(ploc)) && sc.HasPlace(e.Space) {
			d.Events = append(d.Events, e)
		}
	}
	kiosks, _, err := s.cfg.Kiosks.FindKiosks(ctx, central.KioskFilter{})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, k := range kiosks {
		if !sc.HasKiosk(k.ID) {
			continue
		}
		d.Kiosks++
		if !k.Disabled && now.Sub(k.LastSeen) > s.cfg.KioskSilentAfter {
			d.Silent = append(d.Silent, k)
		}
	}
	if s.cfg.Payments != nil && s.cfg.Billing != nil && clocks.Can("POST /payments/{id}/assign") {
		unmatched := central.PaymentUnmatched
		if _, d.Unmatched, err = s.cfg.Payments.FindPayments(ctx, central.PaymentFilter{Status: &unmatched, Limit: 1}); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	s.render(w, r, "today", s.newPage(r, "today.title", d))
}

// dayArrivals is the arrivals of one space on one day, for the template.
type dayArrivals struct {
	Space    string
	Day      access.Day
	Arrivals []*adminstore.ArrivalRow
}
