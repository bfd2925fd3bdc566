package admin

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// Calendar feeds (issue 15), iCalendar files calendar applications
// subscribe to (ical.go writes them):
//   - GET /e/calendar.ics: the public events, for anyone;
//   - GET /c/{token}/agenda.ics: a member's registrations and bookings,
//     by a secret link she makes on her Agenda tab (POST
//     /m/{token}/calendar: shown once, stored hashed; a new one revokes
//     the old ones) and revokes there (POST /m/{token}/calendar/revoke);
//   - GET /c/{token}/resources/{id}/availability.ics: when a resource is
//     taken (no names), for members only, by the same link.
// Feeds hold events that end within feedPast or later; ?lang=en writes
// their words in English.

const (
	calendarPrefix = "bgk1_"
	// feedFor is how long a calendar link works unless revoked.
	feedFor = 10 * 366 * 24 * time.Hour
	// feedPast is how far back feeds go.
	feedPast = 30 * 24 * time.Hour
	// feedAhead is how far ahead a resource's availability goes.
	feedAhead = 180 * 24 * time.Hour
)

// feedLang is a feed's language: calendar applications send no cookie.
func feedLang(r *http.Request) string {
	if r.URL.Query().Get("lang") == "en" {
		return "en"
	}
	return "fr"
}

// eventICal is an event in a feed, at its place's name (central.PlaceName
// among spaces: a renamed space's new name; none for the main space's "")
// and its space's address when it has one (a phone's calendar opens it in
// a map): "La Cantine, 12 rue des Lilas 69001 Lyon".
func (s *Server) eventICal(r *http.Request, spaces []*central.Space, e *central.CalendarEvent, status string) icalEvent {
	ie := icalEvent{UID: fmt.Sprintf("event-%d@%s", e.ID, s.feedHost(r)), Start: e.Start, End: e.End, Summary: e.Title,
		Description: e.Description, Status: status}
	var where []string
	if e.Space != "" {
		where = append(where, central.PlaceName(spaces, e.Space))
	}
	if a := central.PlaceAddress(spaces, e.Space); a != "" {
		where = append(where, a)
	}
	ie.Location = strings.Join(where, ", ")
	if e.Public {
		ie.URL = s.publicURL(r) + "/e/" + i64(e.ID)
	}
	return ie
}

// feedHost names this central in UIDs, which must be unique worldwide.
func (s *Server) feedHost(r *http.Request) string {
	u := s.publicURL(r)
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	return strings.TrimRight(u, "/")
}

// publicEventsFeed is the public events' feed (GET /e/calendar.ics).
func (s *Server) publicEventsFeed(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	public := true
	es, err := s.cfg.Calendar.FindEvents(r.Context(), central.EventFilter{EndsAfter: now.Add(-feedPast), Public: &public})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	// ?space=ID: one space's public events (the feed's name says which);
	// an unknown space is not found.
	name := ""
	spaces, err := s.feedSpaces(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	var only int64
	if v := r.URL.Query().Get("space"); v != "" {
		id, _ := strconv.ParseInt(v, 10, 64)
		sp := central.SpaceByID(spaces, id)
		if sp == nil {
			http.NotFound(w, r)
			return
		}
		only, name = sp.ID, sp.Name
	}
	var out []icalEvent
	for _, e := range es {
		if only != 0 && central.EventSpace(spaces, e.Space) != only {
			continue
		}
		out = append(out, s.eventICal(r, spaces, e, "CONFIRMED"))
	}
	lang := feedLang(r)
	title := s.feedName(r, translate(lang, "feed.public"))
	if name != "" {
		title = name + " — " + translate(lang, "feed.public")
	}
	writeICal(w, title, now, out)
}

// feedSpaces returns the network's spaces (none without a space
// service): what names an event's place in a feed (eventICal).
func (s *Server) feedSpaces(r *http.Request) ([]*central.Space, error) {
	if s.cfg.Spaces == nil {
		return nil, nil
	}
	return s.cfg.Spaces.FindSpaces(r.Context())
}

func (s *Server) feedName(r *http.Request, what string) string {
	p := s.newPage(r, "", nil)
	if p.Space != "" {
		return p.Space + " — " + what
	}
	return what
}

// feedMember returns the member of a calendar link, or writes 404.
func (s *Server) feedMember(w http.ResponseWriter, r *http.Request) (int64, bool) {
	token := mailTokenParam(r, calendarPrefix)
	var t *adminstore.MailToken
	var err error = central.Errorf(central.EUNAUTHORIZED, "Unknown, used or expired link.")
	if token != "" {
		t, err = s.cfg.Store.FindMailToken(r.Context(), adminstore.TokenCalendar, token, s.now())
	}
	if err != nil {
		if central.ErrorCode(err) == central.EINTERNAL {
			s.failErr(w, r, err)
		} else {
			http.NotFound(w, r)
		}
		return 0, false
	}
	return t.Subject, true
}

// memberFeed is a member's feed of her registrations and bookings (GET
// /c/{token}/agenda.ics).
func (s *Server) memberFeed(w http.ResponseWriter, r *http.Request) {
	member, ok := s.feedMember(w, r)
	if !ok {
		return
	}
	ctx, now, lang := r.Context(), s.now(), feedLang(r)
	mine, err := s.cfg.Calendar.MemberRegistrations(ctx, member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	spaces, err := s.feedSpaces(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	var out []icalEvent
	for id, reg := range mine {
		e, err := s.cfg.Calendar.FindEvent(ctx, id)
		if central.ErrorCode(err) == central.ENOTFOUND {
			continue
		} else if err != nil {
			s.failErr(w, r, err)
			return
		}
		if e.End.Before(now.Add(-feedPast)) {
			continue
		}
		status := "CONFIRMED"
		ie := s.eventICal(r, spaces, e, status)
		if reg.Status == central.RegistrationWaitlisted {
			ie.Status = "TENTATIVE"
			ie.Summary = translate(lang, "feed.waitlisted", e.Title, reg.Position)
		}
		ie.Busy = true
		out = append(out, ie)
	}
	bs, err := s.cfg.Bookings.FindBookings(ctx, central.BookingFilter{Member: &member, Since: now.Add(-feedPast)})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	names, err := s.resourceNames(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, b := range bs {
		out = append(out, icalEvent{UID: fmt.Sprintf("booking-%d@%s", b.ID, s.feedHost(r)), Start: b.Start, End: b.End,
			Summary: translate(lang, "feed.booking", names[b.Resource]), Status: "CONFIRMED", Busy: true})
	}
	sortICal(out)
	writeICal(w, s.feedName(r, translate(lang, "feed.mine")), now, out)
}

func (s *Server) resourceNames(r *http.Request) (map[int64]string, error) {
	rs, err := s.cfg.Bookings.FindResources(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, x := range rs {
		names[x.ID] = x.Name
	}
	return names, nil
}

// resourceFeed is when a resource is taken, without names (GET
// /c/{token}/resources/{id}/availability.ics).
func (s *Server) resourceFeed(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.feedMember(w, r); !ok {
		return
	}
	id, ok := pathID(r, "id")
	names, err := s.resourceNames(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if _, known := names[id]; !ok || !known {
		http.NotFound(w, r)
		return
	}
	now, lang := s.now(), feedLang(r)
	bs, err := s.cfg.Bookings.FindBookings(r.Context(), central.BookingFilter{Resource: &id, Since: now.Add(-feedPast),
		Until: now.Add(feedAhead)})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	var out []icalEvent
	for _, b := range bs {
		what := translate(lang, "feed.taken")
		if b.Blocked {
			what = translate(lang, "feed.blocked")
		}
		out = append(out, icalEvent{UID: fmt.Sprintf("booking-%d@%s", b.ID, s.feedHost(r)), Start: b.Start, End: b.End,
			Summary: what, Location: names[id], Status: "CONFIRMED", Busy: true})
	}
	writeICal(w, s.feedName(r, names[id]), now, out)
}

func sortICal(es []icalEvent) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && (es[j].Start.Before(es[j-1].Start) || es[j].Start.Equal(es[j-1].Start) && es[j].UID < es[j-1].UID); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// feedLinks are a member's calendar links, shown once when made.
type feedLinks struct {
	URL string // her agenda
	// Webcal is the same with the webcal scheme, which opens the
	// device's calendar (made here from URL: safe to put in a link).
	Webcal    template.URL
	Resources []feedResource
}

type feedResource struct {
	Name, URL string
}

// selfCalendar makes her a new calendar link, revoking the old ones (POST
// /m/{token}/calendar), and answers 303 to her Agenda tab, which shows it
// once.
func (s *Server) selfCalendar(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, ok := s.selfPost(w, r)
	if !ok || !s.selfThrottled(w, r, "calendar", l.Member, selfPolicy) {
		return
	}
	now := s.now()
	if _, err := s.cfg.Store.RevokeMailTokens(ctx, adminstore.TokenCalendar, l.Member, now); err != nil {
		s.failErr(w, r, err)
		return
	}
	feed, err := s.newMailToken(ctx, calendarPrefix, adminstore.TokenCalendar, l.Member, "", feedFor)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	base := s.publicURL(r) + "/c/" + feed
	links := feedLinks{URL: base + "/agenda.ics"}
	if _, rest, ok := strings.Cut(links.URL, "://"); ok {
		links.Webcal = template.URL("webcal://" + rest)
	}
	rs, err := s.cfg.Bookings.FindResources(ctx)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ps, err := s.portalScope(r, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	for _, x := range rs {
		if x.Active && ps.May(x.Space) { // her spaces' resources
			links.Resources = append(links.Resources, feedResource{Name: x.Name, URL: base + "/resources/" + i64(x.ID) + "/availability.ics"})
		}
	}
	id, err := s.keepView(&secretView{owner: "link:" + l.Hash, member: l.Member, view: "calendar", data: links})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	http.Redirect(w, r, "/m/"+token+"/agenda?calendar="+id+"#calendar", http.StatusSeeOther)
}

// selfCalendarRevoke revokes her calendar links (POST
// /m/{token}/calendar/revoke).
func (s *Server) selfCalendarRevoke(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, ok := s.selfPost(w, r)
	if !ok {
		return
	}
	if _, err := s.cfg.Store.RevokeMailTokens(ctx, adminstore.TokenCalendar, l.Member, s.now()); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/m/"+token+"/agenda", "calendar_revoked")
}

// selfCalendarData is the Agenda tab's calendar card.
type selfCalendarData struct {
	Active int        // links that work
	Shown  *feedLinks // the link just made, shown once
	Public string     // the public events' feed
	// SpaceFeeds are the public feeds of her spaces, in a network.
	SpaceFeeds []feedResource
}

// calendarCard reads the Agenda tab's calendar card for her link l.
func (s *Server) calendarCard(r *http.Request, l *central.MemberLink, ps *portalScope) (selfCalendarData, error) {
	d := selfCalendarData{Public: s.publicURL(r) + "/e/calendar.ics"}
	if ps.Network() {
		for _, sp := range ps.spaces {
			if ps.shown[sp.ID] {
				d.SpaceFeeds = append(d.SpaceFeeds, feedResource{Name: sp.Name, URL: d.Public + "?space=" + i64(sp.ID)})
			}
		}
	}
	if id := r.URL.Query().Get("calendar"); id != "" && len(id) < 100 {
		if v, show, ok := s.takeView(id, "link:"+l.Hash, false); ok && show && v.view == "calendar" {
			links := v.data.(feedLinks)
			d.Shown = &links
		}
	}
	n, err := s.cfg.Store.CountMailTokens(r.Context(), adminstore.TokenCalendar, l.Member, s.now())
	d.Active = n
	return d, err
}
