package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin/adminstore"
)

// Links of events that work without logging in (issue 15): the
// cancellation link each event mail carries (central/email asks for one
// per mail through CancelURL), the public page of a public event.

// eventCancelPrefix starts the tokens of cancellation links.
const eventCancelPrefix = "bge1_"

// CancelURL returns a link that cancels a registration without logging
// in: a new one-time token each time, valid until the event ends; ""
// without a public address (Config.PublicURL): mails then say to reply.
// centrald gives it to central/email for the event mails.
func (s *Server) CancelURL(ctx context.Context, e *central.CalendarEvent, registration int64) (string, error) {
	if s.cfg.PublicURL == "" {
		return "", nil
	}
	valid := e.End.Sub(s.now())
	if valid <= 0 {
		return "", nil
	}
	token, err := s.newMailToken(ctx, eventCancelPrefix, adminstore.TokenEventCancel, registration,
		strconv.FormatInt(e.ID, 10), valid)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(s.cfg.PublicURL, "/") + "/e/cancel/" + token, nil
}

// EventURL returns a public event's page ("" for a members-only event, or
// without a public address).
func (s *Server) EventURL(e *central.CalendarEvent) string {
	if s.cfg.PublicURL == "" || !e.Public {
		return ""
	}
	return strings.TrimRight(s.cfg.PublicURL, "/") + "/e/" + i64(e.ID)
}

type eventCancelData struct {
	Token string
	Event *central.CalendarEvent
	Reg   *central.Registration
	// Ticket is her event ticket's QR code (someone registered who is not
	// a member, holding a place); Ticket.SVG is empty when none.
	Ticket qrImage
}

// Tickets signs event tickets (central.TicketText with central's key).
type Tickets interface {
	// TicketText returns the text of the ticket of registration reg of
	// event (EINVALID: it has none).
	TicketText(ctx context.Context, event, reg int64) (string, error)
}

// TicketPNG returns the QR code of the event ticket of r as a PNG image,
// nil when it has none (a member, no place, no Tickets). centrald gives it
// to central/email for the confirmations it attaches it to.
func (s *Server) TicketPNG(ctx context.Context, e *central.CalendarEvent, r *central.Registration) ([]byte, error) {
	text, err := s.ticketText(ctx, e, r)
	if text == "" || err != nil {
		return nil, err
	}
	return qrPNG(text, 512)
}

func (s *Server) ticketText(ctx context.Context, e *central.CalendarEvent, r *central.Registration) (string, error) {
	if s.cfg.Tickets == nil || !central.TicketFor(r) {
		return "", nil
	}
	text, err := s.cfg.Tickets.TicketText(ctx, e.ID, r.ID)
	if central.ErrorCode(err) == central.EINVALID {
		return "", nil // an event at no space of the network: no ticket
	}
	return text, err
}

// eventCancelToken reads a cancellation link: its token, event and
// registration; or writes 404 (unknown, used or expired link).
func (s *Server) eventCancelToken(w http.ResponseWriter, r *http.Request, use bool) (*eventCancelData, bool) {
	t, token, err := s.mailToken(r, eventCancelPrefix, adminstore.TokenEventCancel, use)
	var d *eventCancelData
	if err == nil {
		d, err = s.eventCancelData(r.Context(), t)
	}
	if err != nil {
		if central.ErrorCode(err) == central.EINTERNAL {
			s.failErr(w, r, err)
			return nil, false
		}
		p := s.newPage(r, "event_cancel.title", nil)
		p.Bare, p.Visitor, p.Error = true, true, translate(p.Lang, "event_cancel.unknown")
		s.renderStatus(w, r, http.StatusNotFound, "error", p)
		return nil, false
	}
	d.Token = token
	return d, true
}

func (s *Server) eventCancelData(ctx context.Context, t *adminstore.MailToken) (*eventCancelData, error) {
	id, err := strconv.ParseInt(t.Data, 10, 64)
	if err != nil {
		return nil, central.Errorf(central.ENOTFOUND, "Event %d not found.", 0)
	}
	e, err := s.cfg.Calendar.FindEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	rs, err := s.cfg.Calendar.Registrations(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	for _, reg := range rs {
		if reg.ID != t.Subject {
			continue
		}
		d := &eventCancelData{Event: e, Reg: reg}
		text, err := s.ticketText(ctx, e, reg)
		if err != nil {
			return nil, err
		}
		if text != "" && s.now().Before(e.End) {
			if d.Ticket, err = newQR(text, 512); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	return nil, central.Errorf(central.ENOTFOUND, "Registration %d not found.", t.Subject)
}

// eventCancelPage asks to confirm the cancellation (GET
// /e/cancel/{token}): opening the link changes nothing, since mail
// programs open links to scan them.
func (s *Server) eventCancelPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.eventCancelToken(w, r, false)
	if !ok {
		return
	}
	p := s.newPage(r, "event_cancel.title", d)
	p.Bare, p.CSRF = true, s.selfToken("event_cancel:"+central.HashToken(d.Token))
	s.render(w, r, "event_cancel", p)
}

// eventCancelConfirm uses the link (POST /e/cancel/{token}): the
// registration is cancelled and its place goes to the first on the
// waiting list (who is mailed), then 303 to /e/cancelled; the button
// pressed again within doubleTapFor (a double tap) goes there too.
func (s *Server) eventCancelConfirm(w http.ResponseWriter, r *http.Request) {
	token := mailTokenParam(r, eventCancelPrefix)
	if !validToken(formToken(r), s.selfToken("event_cancel:"+central.HashToken(token))) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	// Her button pressed twice: the browser shows the second answer. The
	// first cancelled; the second, within doubleTapFor, says so too, not
	// "this link does not work any more".
	if _, ok := s.recentView(tokenOwner(token), "event_cancelled", doubleTapFor); ok {
		redirect(w, r, "/e/cancelled", "")
		return
	}
	d, ok := s.eventCancelToken(w, r, true)
	if !ok {
		return
	}
	ctx := central.NewContextWithActor(r.Context(), "registration:"+i64(d.Reg.ID))
	if _, err := s.cfg.Calendar.CancelRegistration(ctx, d.Event.ID, d.Reg.ID); err != nil {
		s.failErr(w, r, err)
		return
	}
	if _, err := s.keepView(&secretView{owner: tokenOwner(token), view: "event_cancelled"}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/e/cancelled", "")
}

// eventCancelled says the registration is cancelled (GET /e/cancelled).
func (s *Server) eventCancelled(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "event_cancel.title", nil)
	p.Bare = true
	s.render(w, r, "event_cancelled", p)
}

// The public page of a public event (GET /e/{id}): what, when, where,
// places left, and a form to register with a name and an e-mail (POST
// /e/{id}), with a honeypot and throttled per client and per address as
// /join. Registration is the store's (central.CalendarService.Register):
// confirmed or waitlisted in its transaction, mailed by central/email.
// Members-only events have no public page (404, as an unknown one).

// eventPublicForm is what someone typed on a public event's page.
type eventPublicForm struct {
	Name, Email string
}

// parseEventPublicForm reads and checks the form. It returns a message key
// ("" when valid) and whether the honeypot was filled (a robot).
func parseEventPublicForm(v map[string][]string) (f eventPublicForm, errKey string, robot bool) {
	get := func(k string) string {
		if len(v[k]) == 0 || !utf8.ValidString(v[k][0]) {
			return ""
		}
		return v[k][0]
	}
	robot = strings.TrimSpace(get(honeypotField)) != ""
	f.Name = strings.Join(strings.Fields(get("name")), " ")
	f.Email = strings.TrimSpace(get("email"))
	switch {
	case f.Name == "":
		return f, "member.error.name", robot
	case len(f.Name) > maxJoinName || strings.ContainsFunc(f.Name, unicode.IsControl):
		return f, "member.error.name_long", robot
	case central.ValidateEmail(f.Email) != nil:
		return f, "member.error.email", robot
	}
	return f, "", robot
}

type eventPublicData struct {
	Event *central.CalendarEvent
	Open  bool
	Token string // the form's anti-forgery token
	Form  eventPublicForm
	URL   string                // the page's address, to share
	Mails bool                  // e-mail is set up: addresses are confirmed by a mailed link
	Pay   *central.EventPayment // a paid event's form; nil: free
	// Placed: the page shown after a registration (its flash), which is
	// mailed with its cancellation link.
	Placed bool
}

// publicEventOf returns the public event of the {id} path parameter, or
// writes 404.
func (s *Server) publicEventOf(w http.ResponseWriter, r *http.Request) (*central.CalendarEvent, bool) {
	id, ok := pathID(r, "id")
	var e *central.CalendarEvent
	var err error = central.Errorf(central.ENOTFOUND, "Event %d not found.", id)
	if ok {
		e, err = s.cfg.Calendar.FindEvent(r.Context(), id)
	}
	if err == nil && !e.Public {
		err = central.Errorf(central.ENOTFOUND, "Event %d not found.", id)
	}
	if err != nil {
		if central.ErrorCode(err) == central.EINTERNAL {
			s.failErr(w, r, err)
			return nil, false
		}
		p := s.newPage(r, "events.title", nil)
		p.Bare, p.Error = true, translate(p.Lang, "event_public.unknown") // a member may come from her agenda: her link's way (TestSellMistake)
		s.renderStatus(w, r, http.StatusNotFound, "error", p)
		return nil, false
	}
	return e, true
}

// eventPublic shows a public event's page (GET /e/{id}).
func (s *Server) eventPublic(w http.ResponseWriter, r *http.Request) {
	e, ok := s.publicEventOf(w, r)
	if !ok {
		return
	}
	s.renderEventPublic(w, r, http.StatusOK, e, eventPublicForm{}, "")
}

func (s *Server) renderEventPublic(w http.ResponseWriter, r *http.Request, status int, e *central.CalendarEvent,
	f eventPublicForm, errText string) {
	d := eventPublicData{Event: e, Open: e.Open(s.now()), Form: f, URL: s.publicURL(r) + "/e/" + i64(e.ID),
		Mails: s.mailsOn(r.Context())}
	switch r.URL.Query().Get("done") {
	case "event_registered", "event_waitlisted":
		d.Placed = true
	}
	paid, err := s.eventPayments(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d.Pay = paid[e.ID]
	if d.Token, err = s.formCookieToken(w, r); err != nil {
		s.failErr(w, r, err)
		return
	}
	p := s.newPage(r, "events.title", d)
	p.Bare, p.Error = true, errText
	s.renderStatus(w, r, status, "event_public", p)
}

// eventPublicRegister reads the form of a public event's page (POST
// /e/{id}). With e-mail set up it registers no one: it mails the address
// typed a link whose button registers her (eventRegisterConfirm), and
// answers 303 to the page, which says the mail is on its way. So an
// address typed by anyone registers no one, and the places left, which
// only a confirmed address changes, do not tell whether it was registered
// already. Without e-mail no address can be confirmed: the form registers
// at once, confirmed or waitlisted, and answers an address registered
// already as it would a new one. A robot (the honeypot filled) gets the
// same answer and nothing is kept; the form is throttled per client and
// per address typed.
func (s *Server) eventPublicRegister(w http.ResponseWriter, r *http.Request) {
	if !s.validFormCookie(r) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	e, ok := s.publicEventOf(w, r)
	if !ok {
		return
	}
	lang := requestLang(r)
	if paid, err := s.paidEvent(r.Context(), e); err != nil {
		s.failErr(w, r, err)
		return
	} else if paid { // registered by her payment: the page sends her to the form
		s.renderEventPublic(w, r, http.StatusBadRequest, e, eventPublicForm{}, translate(lang, "event.paid_only"))
		return
	}
	f, errKey, robot := parseEventPublicForm(r.PostForm)
	page := "/e/" + i64(e.ID)
	mails := s.mailsOn(r.Context())
	if robot {
		s.log.Warn("admin: event form with its honeypot filled: nothing kept")
		done := "event_registered"
		if mails {
			done = "event_mailed"
		}
		redirect(w, r, page, done)
		return
	}
	if errKey != "" {
		s.renderEventPublic(w, r, http.StatusBadRequest, e, f, translate(lang, errKey))
		return
	}
	if !e.Open(s.now()) {
		s.renderEventPublic(w, r, http.StatusBadRequest, e, f, translate(lang, "event_public.closed_now"))
		return
	}
	if !s.throttled(w, r, "event", f.Email, func(until time.Time) {
		s.renderEventPublic(w, r, http.StatusTooManyRequests, e, f,
			translate(lang, "form.throttled", s.newPage(r, "", nil).Clock(until)))
	}) {
		return
	}
	if mails {
		s.mailEventRegister(w, r, e, eventRegisterForm{Name: f.Name, Email: f.Email, Lang: lang})
		return
	}
	reg := &central.Registration{Event: e.ID, Name: f.Name, Email: f.Email, Lang: lang}
	err := s.cfg.Calendar.Register(central.NewContextWithActor(r.Context(), "public"), reg)
	if central.ErrorCode(err) == central.ECONFLICT {
		// What a new address would be answered now: the form does not
		// tell who comes.
		reg, err = &central.Registration{Status: central.Admit(e.Confirmed, e.Capacity)}, nil
	}
	if err != nil {
		if central.ErrorCode(err) == central.EINVALID {
			s.renderEventPublic(w, r, http.StatusBadRequest, e, f, errorText(lang, err))
			return
		}
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, page, placedDone(reg))
}

// placedDone is the flash of the event's page after a registration.
func placedDone(reg *central.Registration) string {
	if reg.Status == central.RegistrationWaitlisted {
		return "event_waitlisted"
	}
	return "event_registered"
}

// paidEvent reports whether e is a paid event: its pages send people to
// its HelloAsso form, whose payment registers them.
func (s *Server) paidEvent(ctx context.Context, e *central.CalendarEvent) (bool, error) {
	paid, err := s.eventPayments(ctx)
	return paid[e.ID] != nil, err
}

// eventRegisterForm is what the public event form keeps in the link it
// mails (adminstore.TokenEventRegister's Data), for 24 hours at most.
type eventRegisterForm struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Lang  string `json:"lang,omitempty"`
}

// mailEventRegister mails f's address the link that registers her for e,
// and answers 303 to the event's page, which says the mail is on its way.
func (s *Server) mailEventRegister(w http.ResponseWriter, r *http.Request, e *central.CalendarEvent, f eventRegisterForm) {
	ctx := r.Context()
	base, err := s.mailURL(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	data, err := json.Marshal(f)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	token, err := s.newMailToken(ctx, eventRegisterPrefix, adminstore.TokenEventRegister, e.ID, string(data), confirmFor)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if _, err := s.cfg.Mails.Queue(ctx, Mail{Kind: MailEventRegister, Key: central.HashToken(token)[:16], To: f.Email,
		Name: f.Name, Lang: f.Lang, Event: e.ID, Link: base + "/e/confirm/" + token}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/e/"+i64(e.ID), "event_mailed")
}

type eventConfirmData struct {
	Token string
	Event *central.CalendarEvent
	Form  eventRegisterForm
	Open  bool
}

// eventRegisterToken reads the link the public event form mailed: its
// event (still public) and the form; or writes 404 (unknown, used or
// expired link).
func (s *Server) eventRegisterToken(w http.ResponseWriter, r *http.Request, use bool) (*eventConfirmData, bool) {
	t, token, err := s.mailToken(r, eventRegisterPrefix, adminstore.TokenEventRegister, use)
	d := &eventConfirmData{Token: token}
	if err == nil {
		err = json.Unmarshal([]byte(t.Data), &d.Form)
	}
	if err == nil {
		d.Event, err = s.cfg.Calendar.FindEvent(r.Context(), t.Subject)
	}
	if err == nil && !d.Event.Public {
		err = central.Errorf(central.ENOTFOUND, "Event %d not found.", t.Subject)
	}
	if err != nil {
		if code := central.ErrorCode(err); code != central.ENOTFOUND && code != central.EUNAUTHORIZED {
			s.failErr(w, r, err)
			return nil, false
		}
		p := s.newPage(r, "events.title", nil)
		p.Bare, p.Visitor, p.Error = true, true, translate(p.Lang, "event_confirm.unknown")
		s.renderStatus(w, r, http.StatusNotFound, "error", p)
		return nil, false
	}
	d.Open = d.Event.Open(s.now())
	return d, true
}

// eventRegisterPage asks to confirm the registration (GET
// /e/confirm/{token}): opening the link changes nothing, since mail
// programs open links to scan them.
func (s *Server) eventRegisterPage(w http.ResponseWriter, r *http.Request) {
	d, ok := s.eventRegisterToken(w, r, false)
	if !ok {
		return
	}
	p := s.newPage(r, "events.title", d)
	p.Bare, p.CSRF = true, s.selfToken("event_register:"+central.HashToken(d.Token))
	s.render(w, r, "event_confirm", p)
}

// eventRegisterConfirm uses the link (POST /e/confirm/{token}): she is
// registered, confirmed while places are left, else waitlisted, and
// mailed so with her cancellation link (as a member registering); an
// address registered already registers nothing and is mailed where it
// stands. Then 303 to the event's page, which says which; the button
// pressed again within doubleTapFor (a double tap) goes there too.
func (s *Server) eventRegisterConfirm(w http.ResponseWriter, r *http.Request) {
	token := mailTokenParam(r, eventRegisterPrefix)
	if !validToken(formToken(r), s.selfToken("event_register:"+central.HashToken(token))) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
		return
	}
	if v, ok := s.recentView(tokenOwner(token), "event_register", doubleTapFor); ok {
		redirect(w, r, v.(string), "")
		return
	}
	d, ok := s.eventRegisterToken(w, r, true)
	if !ok {
		return
	}
	ctx, e, f := r.Context(), d.Event, d.Form
	form := eventPublicForm{Name: f.Name, Email: f.Email}
	if paid, err := s.paidEvent(ctx, e); err != nil {
		s.failErr(w, r, err)
		return
	} else if paid { // made a paid event since the mail
		s.renderEventPublic(w, r, http.StatusBadRequest, e, form, translate(requestLang(r), "event.paid_only"))
		return
	}
	reg := &central.Registration{Event: e.ID, Name: f.Name, Email: f.Email, Lang: f.Lang}
	err := s.cfg.Calendar.Register(central.NewContextWithActor(ctx, "public"), reg)
	done := placedDone(reg)
	if central.ErrorCode(err) == central.ECONFLICT {
		done, err = "event_already", s.mailRegistrationAgain(ctx, e, f.Email)
	}
	if central.ErrorCode(err) == central.EINVALID { // closed since the mail
		s.renderEventPublic(w, r, http.StatusBadRequest, e, form, errorText(requestLang(r), err))
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	to := "/e/" + i64(e.ID) + "?done=" + done
	if _, err := s.keepView(&secretView{owner: tokenOwner(token), view: "event_register", data: to}); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, to, "")
}

// mailRegistrationAgain mails the registration of addr for e again,
// saying she was registered already, with where she stands and her
// cancellation link: she confirmed the address, so it tells no one
// else. None when no registration of hers holds or waits for a place
// (she registered as a member, say, and her portal shows it).
func (s *Server) mailRegistrationAgain(ctx context.Context, e *central.CalendarEvent, addr string) error {
	rs, err := s.cfg.Calendar.Registrations(ctx, e.ID)
	if err != nil {
		return err
	}
	for _, x := range rs {
		if !strings.EqualFold(x.Email, addr) {
			continue
		}
		kind := MailEventConfirmed
		switch x.Status {
		case central.RegistrationConfirmed:
		case central.RegistrationWaitlisted:
			kind = MailEventWaitlisted
		default:
			continue
		}
		// One a second at most: each needs a link, and the form that
		// mails links is throttled per address.
		key := "registration:" + i64(x.ID) + ":again:" + i64(s.now().Unix())
		_, err := s.cfg.Mails.Queue(ctx, Mail{Kind: kind, Key: key, Member: x.Member, To: x.Email, Name: x.Name, Lang: x.Lang,
			Event: e.ID, Registration: x.ID, Again: true})
		return err
	}
	return nil
}
