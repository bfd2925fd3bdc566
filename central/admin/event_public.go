package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"

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
}

// eventCancelToken reads a cancellation link: its token, event and
// registration; or writes 404 (unknown, used or expired link).
func (s *Server) eventCancelToken(w http.ResponseWriter, r *http.Request, use bool) (*eventCancelData, bool) {
	token := mailTokenParam(r, eventCancelPrefix)
	var t *adminstore.MailToken
	var err error = central.Errorf(central.EUNAUTHORIZED, "Unknown, used or expired link.")
	if token != "" && use {
		t, err = s.cfg.Store.UseMailToken(r.Context(), adminstore.TokenEventCancel, token, s.now())
	} else if token != "" {
		t, err = s.cfg.Store.FindMailToken(r.Context(), adminstore.TokenEventCancel, token, s.now())
	}
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
		p.Bare, p.Error = true, translate(p.Lang, "event_cancel.unknown")
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
		if reg.ID == t.Subject {
			return &eventCancelData{Event: e, Reg: reg}, nil
		}
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
// waiting list (who is mailed), then 303 to /e/cancelled.
func (s *Server) eventCancelConfirm(w http.ResponseWriter, r *http.Request) {
	token := mailTokenParam(r, eventCancelPrefix)
	if !validToken(formToken(r), s.selfToken("event_cancel:"+central.HashToken(token))) {
		s.fail(w, r, http.StatusForbidden, "error.csrf")
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
	redirect(w, r, "/e/cancelled", "")
}

// eventCancelled says the registration is cancelled (GET /e/cancelled).
func (s *Server) eventCancelled(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "event_cancel.title", nil)
	p.Bare = true
	s.render(w, r, "event_cancelled", p)
}
