package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/shared/access"
)

// Events with a capacity (issue 15): the bureau's pages (/events) and the
// member portal's Agenda tab (/m/{token}/agenda). Admission is the
// store's (central.CalendarService): these pages only ask and show.

// eventForm is the new event form as typed.
type eventForm struct {
	Title, Description, Space, Start, End, Deadline, Capacity string
	Public, Consumes                                          bool
	Once                                                      string // a new event's form's one-time token (once.go)
	// Past: the box « Oui, cette date est passée » ticked, a start in
	// the past meant (pastStart).
	Past bool
	// ErrField ("start") and ErrText: a mistake said under its field,
	// the box to tick with it (the form as typed shown again, 400).
	ErrField, ErrText string
}

// pastStart reports whether the form's start is in the past and not meant
// so: a mistyped year makes an event nobody can register for. The form
// then comes back with the mistake under the start and the box that says
// it is meant (an event recorded afterwards, rare); changed is false for
// an event's edit that keeps its start, which may be past (its title
// changed afterwards). It sets the mistake on f.
func (s *Server) pastStart(p *page, f *eventForm, place string, start time.Time, changed bool) (bool, error) {
	if f.Past || !changed || !start.Before(s.now()) {
		return false, nil
	}
	when, err := p.PlaceDateTime(place, start)
	if err != nil {
		return false, err
	}
	f.ErrField, f.ErrText = "start", translate(p.Lang, "events.start_past", when)
	return true, nil
}

type eventListData struct {
	Upcoming, Past []*central.CalendarEvent
	Form           eventForm
	// Spaces are what a network user picks an event's space from (none
	// when the network has one space).
	Spaces []*central.Space
}

// placeChoices returns the spaces a network user picks a new event's or
// resource's space from: a select, not a free text a typo would turn into
// a place no door knows. None for a user of one space (hers is taken) or
// a network of one space.
func (s *Server) placeChoices(r *http.Request) ([]*central.Space, error) {
	if !requestScope(r).Network() {
		return nil, nil
	}
	return s.networkSpaces(r.Context())
}

// formPlace returns the place of a new or edited event or resource as
// its form names it (central.ResolvePlace: a space's key, name or id,
// stored as its key); EINVALID, which lists the spaces, for one that
// names no space of the network (a form made up or out of date), never
// stored. A user of a space's is hers, whatever the form says.
func (s *Server) formPlace(r *http.Request, typed string) (string, error) {
	sc := requestScope(r)
	if !sc.Network() || s.cfg.Spaces == nil {
		return sc.Place(typed), nil
	}
	spaces, err := s.cfg.Spaces.FindSpaces(r.Context())
	if err != nil {
		return "", err
	}
	return central.ResolvePlace(spaces, typed)
}

// networkSpaces returns the spaces of a network, by id; none for an
// association of one space.
func (s *Server) networkSpaces(ctx context.Context) ([]*central.Space, error) {
	if s.cfg.Spaces == nil {
		return nil, nil
	}
	spaces, err := s.cfg.Spaces.FindSpaces(ctx)
	if err != nil || len(spaces) < 2 {
		return nil, err
	}
	return spaces, nil
}

// pastEventsShown is how far back the events page lists past events.
const pastEventsShown = 90 * 24 * time.Hour

// eventList lists the events and, for the bureau, the form to add one
// (GET /events).
func (s *Server) eventList(w http.ResponseWriter, r *http.Request) {
	once, err := s.newOnce()
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.renderEventList(w, r, eventForm{Capacity: "20", Once: once}, "")
}

func (s *Server) renderEventList(w http.ResponseWriter, r *http.Request, f eventForm, errText string) {
	now := s.now()
	es, err := s.cfg.Calendar.FindEvents(r.Context(), central.EventFilter{EndsAfter: now.Add(-pastEventsShown)})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := eventListData{Form: f}
	if d.Spaces, err = s.placeChoices(r); err != nil {
		s.failErr(w, r, err)
		return
	}
	sc := requestScope(r)
	for _, e := range es {
		if !sc.HasPlace(e.Space) { // a user of a space: her space's events
			continue
		}
		if e.End.After(now) {
			d.Upcoming = append(d.Upcoming, e)
		} else {
			d.Past = append([]*central.CalendarEvent{e}, d.Past...)
		}
	}
	p := s.newPage(r, "events.title", d)
	status := http.StatusOK
	if errText != "" {
		p.Error, status = errText, http.StatusBadRequest
	}
	if f.ErrText != "" {
		status = http.StatusBadRequest
	}
	s.renderStatus(w, r, status, "events", p)
}

// eventCreate adds an event (POST /events); times are the space's.
func (s *Server) eventCreate(w http.ResponseWriter, r *http.Request) {
	f := eventForm{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Space: r.PostFormValue("space"), Start: r.PostFormValue("start"), End: r.PostFormValue("end"),
		Deadline: r.PostFormValue("deadline"), Capacity: r.PostFormValue("capacity"), Public: r.PostFormValue("public") == "1",
		Consumes: r.PostFormValue("consumes") == "1", Once: formOnce(r), Past: r.PostFormValue("past") == "1"}
	lang := requestLang(r)
	p := s.newPage(r, "", nil)
	// A user of a space adds her space's events, whatever the form says.
	place, err := s.formPlace(r, f.Space)
	if central.ErrorCode(err) == central.EINVALID {
		s.renderEventList(w, r, f, errorText(lang, err))
		return
	} else if err != nil {
		s.failErr(w, r, err)
		return
	}
	e := &central.CalendarEvent{Title: f.Title, Description: f.Description, Space: place,
		Public: f.Public, Consumes: f.Consumes}
	// Times are typed on the clock of the event's space.
	loc, err := p.placeLoc(e.Space)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	var ok bool
	if e.Start, ok = parseLocal(f.Start, loc); !ok {
		s.renderEventList(w, r, f, translate(lang, "events.bad_time", translate(lang, "events.start")))
		return
	}
	if e.End, ok = parseLocal(f.End, loc); !ok {
		s.renderEventList(w, r, f, translate(lang, "events.bad_time", translate(lang, "events.end")))
		return
	}
	if past, err := s.pastStart(p, &f, e.Space, e.Start, true); err != nil {
		s.failErr(w, r, err)
		return
	} else if past {
		s.renderEventList(w, r, f, "")
		return
	}
	if strings.TrimSpace(f.Deadline) != "" {
		if e.Deadline, ok = parseLocal(f.Deadline, loc); !ok {
			s.renderEventList(w, r, f, translate(lang, "events.bad_time", translate(lang, "events.deadline")))
			return
		}
	}
	n, err := strconv.Atoi(strings.TrimSpace(f.Capacity))
	if err != nil {
		n = 0 // Validate says what a capacity must be
	}
	e.Capacity = n
	// The form sent twice (a double tap) adds it once.
	s.actOnce(w, r, "/events", "event_once", func() string {
		if err := s.cfg.Calendar.CreateEvent(r.Context(), e); err != nil {
			if code := central.ErrorCode(err); code == central.EINVALID {
				s.renderEventList(w, r, f, errorText(lang, err))
				return ""
			}
			s.failErr(w, r, err)
			return ""
		}
		to := "/events/" + i64(e.ID)
		redirect(w, r, to, "event_created")
		return to
	})
}

// parseLocal reads a datetime-local field ("2026-12-03T18:00") in the
// time zone of the event's or resource's space (page.placeLoc). In a DST
// gap (an hour that does not exist) Go moves the time forward by the gap;
// in the repeated autumn hour it takes one of its two passes (Go does not
// say which).
func parseLocal(v string, loc *time.Location) (time.Time, bool) {
	v = strings.TrimSpace(v)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

type eventShowData struct {
	Event         *central.CalendarEvent
	Registrations []*central.Registration
	Over          bool // the event ended: confirmed registrations are no-shows
	// Begun: the door lets its people in (access.EventEarly before its
	// start). Before, "Venu·e" asks first: it cannot be undone, and a
	// registration marked so can no longer be cancelled.
	Begun  bool
	Counts map[string]int // by status
	// URL and QR are a public event's page, to share (event_public.go);
	// Mails: e-mail is set up, so that page confirms each address by a
	// mailed link before registering it.
	URL   string
	QR    qrImage
	Mails bool
	// Pay is a paid event's HelloAsso form (nil: free); Payments says
	// whether the server knows paid events at all.
	Pay      *central.EventPayment
	Payments bool
	Paid     map[int64]bool // registrations a payment holds
	// Who and Members: the bureau registers a member found by typing
	// her name (?who=), as it books a room for her (blocks.go).
	Who     string
	Members []*central.Member
	NoMatch bool
}

// eventOf returns the event of the {id} path parameter, or writes 404.
func (s *Server) eventOf(w http.ResponseWriter, r *http.Request) (*central.CalendarEvent, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return nil, false
	}
	e, err := s.cfg.Calendar.FindEvent(r.Context(), id)
	if err != nil {
		s.failErr(w, r, err)
		return nil, false
	}
	return e, true
}

// eventShow shows an event with its registrations, attendance and
// no-shows (GET /events/{id}).
func (s *Server) eventShow(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventOf(w, r)
	if !ok {
		return
	}
	rs, err := s.cfg.Calendar.Registrations(r.Context(), e.ID)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := eventShowData{Event: e, Registrations: rs, Over: !s.now().Before(e.End), Counts: map[string]int{},
		Payments: s.cfg.EventPayments != nil, Begun: !s.now().Before(e.Start.Add(-access.EventEarly)), Mails: s.mailsOn(r.Context())}
	paid, err := s.eventPayments(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Pay = paid[e.ID]
	if s.cfg.EventPayments != nil {
		if d.Paid, err = s.cfg.EventPayments.PaidRegistrations(r.Context(), e.ID); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	for _, reg := range rs {
		d.Counts[string(reg.Status)]++
	}
	if who := strings.TrimSpace(r.URL.Query().Get("who")); who != "" {
		if len(who) > 100 {
			who = who[:100]
		}
		if d.Members, err = s.bookForChoices(r, who); err != nil {
			s.failErr(w, r, err)
			return
		}
		d.Who, d.NoMatch = who, len(d.Members) == 0
	}
	if e.Public {
		d.URL = s.publicURL(r) + "/e/" + i64(e.ID)
		if d.QR, err = newQR(d.URL, 512); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	s.render(w, r, "event_show", s.newPage(r, "events.title", d))
}

// eventPayment sells an event through its HelloAsso form, or makes it
// free again (POST /events/{id}/payment: form, price; or free=1).
func (s *Server) eventPayment(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventOf(w, r)
	if !ok {
		return
	}
	if s.cfg.EventPayments == nil {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	page := "/events/" + i64(e.ID)
	if r.PostFormValue("free") != "" {
		if err := s.cfg.EventPayments.RemoveEventPayment(r.Context(), e.ID); err != nil {
			s.failErr(w, r, err)
			return
		}
		redirect(w, r, page, "event_free")
		return
	}
	price, err := central.ParseMoney(r.PostFormValue("price"))
	var p *central.EventPayment
	if err == nil {
		var form central.PaymentForm
		if form, err = s.cfg.EventForm(r.PostFormValue("form")); err == nil {
			p, err = central.NewEventPayment(e.ID, form, int64(price))
		}
	}
	if err == nil {
		err = s.cfg.EventPayments.SetEventPayment(r.Context(), p)
	}
	if err != nil { // what was typed, or a form selling another event: said, with a way back
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, page, "event_paid")
}

// regOf reads the {reg} path parameter.
func regOf(r *http.Request) (int64, bool) { return pathID(r, "reg") }

// eventAttended marks a registration as attended (POST
// /events/{id}/registrations/{reg}/attended).
func (s *Server) eventAttended(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventOf(w, r)
	if !ok {
		return
	}
	reg, ok := regOf(r)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if err := s.cfg.Calendar.MarkAttended(r.Context(), e.ID, reg); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/events/"+i64(e.ID), "attended")
}

// eventCancel cancels a registration for the bureau (POST
// /events/{id}/registrations/{reg}/cancel).
func (s *Server) eventCancel(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventOf(w, r)
	if !ok {
		return
	}
	reg, ok := regOf(r)
	if !ok {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if _, err := s.cfg.Calendar.CancelRegistration(r.Context(), e.ID, reg); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/events/"+i64(e.ID), "registration_cancelled")
}

// eventRegisterFor registers a member for the bureau (POST
// /events/{id}/registrations, member=): someone who asks at the desk or
// by phone. A user of a space registers her space's members.
func (s *Server) eventRegisterFor(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventOf(w, r)
	if !ok {
		return
	}
	member, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("member")), 10, 64)
	if err != nil || member <= 0 {
		s.fail(w, r, http.StatusBadRequest, "bookfor.pick_member")
		return
	}
	if sc := requestScope(r); !sc.Network() {
		ms, _, err := s.cfg.Members.FindMembers(r.Context(), central.MemberFilter{ID: &member, Space: sc.Space.ID, Limit: 1})
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		if len(ms) == 0 {
			s.fail(w, r, http.StatusNotFound, "error.not_found")
			return
		}
	}
	reg := &central.Registration{Event: e.ID, Member: member}
	if err := s.cfg.Calendar.Register(r.Context(), reg); err != nil {
		if central.ErrorCode(err) == central.ECONFLICT {
			// Registered already (twice at the desk, or by herself): the
			// event's page, saying where she stands.
			held, ferr := s.cfg.Calendar.MemberRegistrations(r.Context(), member)
			if ferr == nil && held[e.ID] != nil {
				done := "already_registered"
				if held[e.ID].Status == central.RegistrationWaitlisted {
					done = "already_waitlisted"
				}
				redirect(w, r, "/events/"+i64(e.ID), done)
				return
			}
		}
		s.failErr(w, r, err)
		return
	}
	done := "registered_for"
	if reg.Status == central.RegistrationWaitlisted {
		done = "waitlisted_for"
	}
	redirect(w, r, "/events/"+i64(e.ID), done)
}

// eventCSV exports an event's registrations (GET
// /events/{id}/registrations.csv): a confirmed registration of an event
// that ended is a no-show.
func (s *Server) eventCSV(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventOf(w, r)
	if !ok {
		return
	}
	rs, err := s.cfg.Calendar.Registrations(r.Context(), e.ID)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	over := !s.now().Before(e.End)
	cw := s.newExport(w, r, "event-"+i64(e.ID))
	cw.header("id", "name", "email", "member_id", "status", "no_show", "created")
	for _, reg := range rs {
		member := ""
		if reg.Member != 0 {
			member = i64(reg.Member)
		}
		cw.row(i64(reg.ID), reg.Name, reg.Email, member, cw.word("registration.", string(reg.Status)),
			cw.bool(over && reg.Status == central.RegistrationConfirmed), cw.time(reg.Created))
	}
	cw.flush(s)
}

// The member portal's Agenda tab.

type agendaItem struct {
	Event *central.CalendarEvent
	Mine  *central.Registration // nil: not registered
	Open  bool
	Pay   *central.EventPayment // a paid event's form; nil: free
	// Space names the event's space in a network ("" otherwise).
	Space string
}

// eventPayments returns the paid events' forms by event id (none when
// the server has no EventPayments).
func (s *Server) eventPayments(ctx context.Context) (map[int64]*central.EventPayment, error) {
	if s.cfg.EventPayments == nil {
		return nil, nil
	}
	return s.cfg.EventPayments.EventPayments(ctx)
}

type agendaData struct {
	Token    string
	Items    []agendaItem
	Calendar selfCalendarData // calendar.go
	Portal   *portalScope     // her spaces (portal_spaces.go)
}

// selfAgenda lists the coming events with her registrations (GET
// /m/{token}/agenda).
func (s *Server) selfAgenda(w http.ResponseWriter, r *http.Request) {
	l, token, ok := s.selfLink(w, r)
	if !ok {
		return
	}
	now := s.now()
	es, err := s.cfg.Calendar.FindEvents(r.Context(), central.EventFilter{EndsAfter: now})
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	mine, err := s.cfg.Calendar.MemberRegistrations(r.Context(), l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	paid, err := s.eventPayments(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ps, err := s.portalScope(r, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d := agendaData{Token: token, Portal: ps}
	for _, e := range es {
		// Her spaces' events, and hers wherever they are (unless she
		// picked a space).
		if !ps.Shows(e.Space) && (ps.Pick != 0 || mine[e.ID] == nil) {
			continue
		}
		d.Items = append(d.Items, agendaItem{Event: e, Mine: mine[e.ID], Open: e.Open(now), Pay: paid[e.ID], Space: ps.Name(e.Space)})
	}
	if d.Calendar, err = s.calendarCard(r, l, ps); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.selfView(w, r, l, token, "self_agenda", "/agenda", "self.agenda.title", d)
}

// selfRegister registers her for an event (POST
// /m/{token}/agenda/{id}/register).
func (s *Server) selfRegister(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, id, ok := s.selfPostOn(w, r)
	if !ok {
		return
	}
	// A paid event registers her when HelloAsso says she paid: its
	// page sends her to the form.
	if paid, err := s.eventPayments(ctx); err != nil {
		s.failErr(w, r, err)
		return
	} else if paid[id] != nil {
		s.fail(w, r, http.StatusBadRequest, "event.paid_only")
		return
	}
	// An event of a space her portal does not show her is not found.
	e, err := s.cfg.Calendar.FindEvent(ctx, id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ps, err := s.portalScope(r, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if !ps.May(e.Space) {
		s.fail(w, r, http.StatusNotFound, "error.not_found")
		return
	}
	if !s.selfThrottled(w, r, "register", l.Member, selfPlanPolicy) {
		return
	}
	reg := &central.Registration{Event: id, Member: l.Member}
	if err := s.cfg.Calendar.Register(ctx, reg); err != nil {
		// A double tap on "M’inscrire" posts twice: the second post finds
		// her registered and says where she stands, as the first did.
		mine, ferr := s.cfg.Calendar.MemberRegistrations(ctx, l.Member)
		if central.ErrorCode(err) != central.ECONFLICT || ferr != nil || mine[id] == nil {
			s.failErr(w, r, err)
			return
		}
		reg = mine[id]
	}
	done := "registered"
	if reg.Status == central.RegistrationWaitlisted {
		done = "waitlisted"
	}
	redirect(w, r, "/m/"+token+"/agenda", done)
}

// selfUnregister cancels her registration (POST
// /m/{token}/agenda/{id}/cancel).
func (s *Server) selfUnregister(w http.ResponseWriter, r *http.Request) {
	l, token, ctx, id, ok := s.selfPostOn(w, r)
	if !ok {
		return
	}
	mine, err := s.cfg.Calendar.MemberRegistrations(ctx, l.Member)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	reg := mine[id]
	if reg == nil { // nothing to cancel: already done
		redirect(w, r, "/m/"+token+"/agenda", "registration_cancelled")
		return
	}
	if _, err := s.cfg.Calendar.CancelRegistration(ctx, id, reg.ID); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/m/"+token+"/agenda", "registration_cancelled")
}

// eventItemArgs are the "event-item" partial's: an event in a list.
type eventItemArgs struct {
	P    *page
	E    *central.CalendarEvent
	Href string
}

// EventItem returns the arguments of the "event-item" partial.
func (p *page) EventItem(e *central.CalendarEvent) eventItemArgs {
	return eventItemArgs{P: p, E: e, Href: "/events/" + i64(e.ID)}
}

// Editing an event (GET /events/{id}/edit, POST /events/{id}/edit): its
// title, description, space, hours, places, deadline and door setting.
// What may change is the store's rule (central.CheckEventChange): not
// fewer places than confirmed, not another space once someone is
// registered. More places go to the waiting list at once; new hours are
// mailed to those registered (email.EventMovedHook) and reach the kiosks
// at their next pull.

type eventEditData struct {
	Event  *central.CalendarEvent
	Form   eventForm
	Spaces []*central.Space // placeChoices
	// Unknown flags a place that names no space (UnknownPlace): the form
	// says to pick one.
	Unknown string
}

// eventFormOf returns the form of an event, its times on its place's clock.
func eventFormOf(e *central.CalendarEvent, loc *time.Location) eventForm {
	local := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02T15:04")
	}
	return eventForm{Title: e.Title, Description: e.Description, Space: e.Space, Start: local(e.Start), End: local(e.End),
		Deadline: local(e.Deadline), Capacity: strconv.Itoa(e.Capacity), Public: e.Public, Consumes: e.Consumes}
}

// eventEdit shows the form that edits an event (GET /events/{id}/edit).
func (s *Server) eventEdit(w http.ResponseWriter, r *http.Request) {
	e, ok := s.eventOf(w, r)
	if !ok {
		return
	}
	loc, err := s.newPage(r, "", nil).placeLoc(e.Space)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.renderEventEdit(w, r, e, eventFormOf(e, loc), http.StatusOK, "")
}

func (s *Server) renderEventEdit(w http.ResponseWriter, r *http.Request, e *central.CalendarEvent, f eventForm, status int, errText string) {
	d := eventEditData{Event: e, Form: f}
	var err error
	if d.Spaces, err = s.placeChoices(r); err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "events.edit", nil)
	if d.Unknown, err = p.UnknownPlace(e.Space); err != nil {
		s.failErr(w, r, err)
		return
	}
	if d.Unknown != "" && d.Spaces == nil && requestScope(r).Network() {
		// A network of one space has no select: this event needs one.
		d.Spaces = p.spaces
	}
	p.D = d
	p.Error = errText
	s.renderStatus(w, r, status, "event_edit", p)
}

// eventUpdate saves an event's form (POST /events/{id}/edit); times are
// on the clock of the space it names.
func (s *Server) eventUpdate(w http.ResponseWriter, r *http.Request) {
	old, ok := s.eventOf(w, r)
	if !ok {
		return
	}
	f := eventForm{Title: r.PostFormValue("title"), Description: r.PostFormValue("description"),
		Space: r.PostFormValue("space"), Start: r.PostFormValue("start"), End: r.PostFormValue("end"),
		Deadline: r.PostFormValue("deadline"), Capacity: r.PostFormValue("capacity"), Public: old.Public,
		Consumes: r.PostFormValue("consumes") == "1", Past: r.PostFormValue("past") == "1"}
	if _, sent := r.PostForm["space"]; !sent { // a network of one space has no select
		f.Space = old.Space
	}
	lang := requestLang(r)
	bad := func(status int, text string) { s.renderEventEdit(w, r, old, f, status, text) }
	// A user of a space keeps her space's events at her space.
	place := requestScope(r).Place(f.Space)
	if _, sent := r.PostForm["space"]; sent {
		var err error
		if place, err = s.formPlace(r, f.Space); central.ErrorCode(err) == central.EINVALID {
			bad(http.StatusBadRequest, errorText(lang, err))
			return
		} else if err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	e := &central.CalendarEvent{ID: old.ID, Title: f.Title, Description: f.Description, Space: place,
		Consumes: f.Consumes}
	p := s.newPage(r, "", nil)
	loc, err := p.placeLoc(e.Space)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if e.Start, ok = parseLocal(f.Start, loc); !ok {
		bad(http.StatusBadRequest, translate(lang, "events.bad_time", translate(lang, "events.start")))
		return
	}
	if e.End, ok = parseLocal(f.End, loc); !ok {
		bad(http.StatusBadRequest, translate(lang, "events.bad_time", translate(lang, "events.end")))
		return
	}
	if past, err := s.pastStart(p, &f, e.Space, e.Start, !e.Start.Equal(old.Start)); err != nil {
		s.failErr(w, r, err)
		return
	} else if past {
		bad(http.StatusBadRequest, "")
		return
	}
	if strings.TrimSpace(f.Deadline) != "" {
		if e.Deadline, ok = parseLocal(f.Deadline, loc); !ok {
			bad(http.StatusBadRequest, translate(lang, "events.bad_time", translate(lang, "events.deadline")))
			return
		}
	}
	if e.Capacity, err = strconv.Atoi(strings.TrimSpace(f.Capacity)); err != nil {
		e.Capacity = 0 // Validate says what a capacity must be
	}
	if _, err := s.cfg.Calendar.UpdateEvent(r.Context(), e); err != nil {
		if code := central.ErrorCode(err); code == central.EINVALID || code == central.ECONFLICT {
			bad(central.HTTPStatus(code), errorText(lang, err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/events/"+i64(e.ID), "event_updated")
}

var _ = addMessages(map[string][2]string{
	// A place that names no space (UnknownPlace, renderEventEdit).
	"place.unknown":        {"Espace inconnu : %s", "Unknown space: %s"},
	"events.place_unknown": {"L’espace de cet événement, « %s », n’existe pas (une version plus ancienne l’acceptait) : choisissez ci-dessous l’espace où il a lieu, puis enregistrez.", "This event's space, “%s”, does not exist (an older version accepted it): pick below the space where it takes place, then save."},
	// eventRegisterFor, a member registered already.
	"done.already_registered": {"Elle est déjà inscrite : rien n’a changé.", "She is registered already: nothing changed."},
	"done.already_waitlisted": {"Elle est déjà sur la liste d’attente : rien n’a changé.", "She is on the waiting list already: nothing changed."},
})
