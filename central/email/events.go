package email

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/badgeuse/badgeuse/central"
)

// Mails of events with a capacity (issue 15): a registration confirmed,
// put on the waiting list, or promoted from it when a place freed up.
// They are enqueued in the registration's (or the cancellation's)
// transaction by RegistrationHook, whoever registers: the member portal,
// the public event page, `centrald event register`. The event, the
// registration's status and the cancellation link are read when the mail
// is sent: a registration cancelled meanwhile is not mailed about.

// Events gives event mails their event and registration (the store's
// central.CalendarService).
type Events interface {
	FindEvent(ctx context.Context, id int64) (*central.CalendarEvent, error)
	Registrations(ctx context.Context, event int64) ([]*central.Registration, error)
}

// EventLinks makes the links of event mails, served by the web admin
// (centrald provides it once mounted).
type EventLinks interface {
	// CancelURL returns a link that cancels a registration without
	// logging in, valid until the event ends; "" when central has no
	// public address (the mail then says to reply).
	CancelURL(ctx context.Context, e *central.CalendarEvent, registration int64) (string, error)
	// EventURL returns a public event's page; "" for none.
	EventURL(e *central.CalendarEvent) string
}

// EventTickets draws the event tickets of people registered who are not
// members (centrald provides it from the web admin, which signs them).
type EventTickets interface {
	// TicketPNG returns the QR code of the registration's ticket, as a
	// PNG image; nil when it has none.
	TicketPNG(ctx context.Context, e *central.CalendarEvent, r *central.Registration) ([]byte, error)
}

func eventKind(kind string) bool {
	return kind == KindEventConfirmed || kind == KindEventWaitlisted || kind == KindEventPromoted || kind == KindEventMoved
}

// EventMovedHook is e-mail's reaction to an event's new hours
// (central.EventMoved; centrald registers it): with e-mail set up, each
// registration holding or waiting for a place, with an address, is told,
// once per registration and change of hours (the key holds the event's
// revision).
func EventMovedHook(ev central.EventMoved, set central.Settings) []central.OutboxMessage {
	if ev.Event == nil || !ConfigFrom(set).Enabled() {
		return nil
	}
	var out []central.OutboxMessage
	for _, r := range ev.Registrations {
		p := Payload{Member: r.Member, Event: ev.Event.ID, Registration: r.ID, Revision: ev.Event.Revision}
		if r.Member == 0 {
			if r.Email == "" {
				continue
			}
			p.Email, p.Name = r.Email, r.Name
		}
		key := fmt.Sprintf("event:%d:revision:%d:registration:%d", ev.Event.ID, ev.Event.Revision, r.ID)
		if msg, err := NewMessage(KindEventMoved, key, p); err == nil {
			out = append(out, msg)
		}
	}
	return out
}

// RegistrationHook is e-mail's reaction to registrations
// (central.RegistrationMade, central.RegistrationPromoted; centrald
// registers it): with e-mail set up, a registration with an address is
// told it is confirmed or waitlisted, and a promotion that her place is
// confirmed. Once per registration and kind.
func RegistrationHook(ev central.Event, set central.Settings) []central.OutboxMessage {
	var kind string
	var r *central.Registration
	switch ev := ev.(type) {
	case central.RegistrationMade:
		r, kind = ev.Registration, KindEventConfirmed
		if r != nil && r.Status == central.RegistrationWaitlisted {
			kind = KindEventWaitlisted
		}
	case central.RegistrationPromoted:
		r, kind = ev.Registration, KindEventPromoted
	default:
		return nil
	}
	if r == nil || r.ID == 0 || !ConfigFrom(set).Enabled() {
		return nil
	}
	p := Payload{Member: r.Member, Event: r.Event, Registration: r.ID}
	if r.Member == 0 {
		if r.Email == "" {
			return nil
		}
		p.Email, p.Name = r.Email, r.Name
	}
	if r.Lang == French || r.Lang == English {
		p.Lang = r.Lang
	}
	msg, err := NewMessage(kind, "registration:"+strconv.FormatInt(r.ID, 10), p)
	if err != nil {
		return nil // an address the store took but mail cannot use: no mail
	}
	return []central.OutboxMessage{msg}
}

// eventMail fills d for an event mail, and returns the ticket to attach
// (nil: none); skip says why none is sent.
func (h *Handler) eventMail(ctx context.Context, kind string, p Payload, set central.Settings, d *Data) (skip string, ticket []byte, err error) {
	e, skip, err := h.mailedEvent(ctx, p.Event)
	if skip != "" || err != nil {
		return skip, nil, err
	}
	rs, err := h.Events.Registrations(ctx, e.ID)
	if err != nil {
		return "", nil, err
	}
	var r *central.Registration
	for _, x := range rs {
		if x.ID == p.Registration {
			r = x
		}
	}
	switch {
	case r == nil:
		return "the registration was deleted", nil, nil
	case r.Status == central.RegistrationCancelled:
		return "the registration was cancelled", nil, nil
	case kind == KindEventMoved && e.Revision > p.Revision:
		return "a later change of the event's hours is mailed", nil, nil
	case kind == KindEventMoved && r.Status != central.RegistrationConfirmed && r.Status != central.RegistrationWaitlisted:
		return "the registration holds no place", nil, nil
	case kind == KindEventWaitlisted && r.Status != central.RegistrationWaitlisted:
		return "the registration left the waiting list before this mail", nil, nil
	case kind != KindEventWaitlisted && kind != KindEventMoved && r.Status != central.RegistrationConfirmed:
		return "the registration is no longer confirmed", nil, nil
	}
	if skip := h.eventOver(e); skip != "" {
		return skip, nil, nil
	}
	if d.Event, err = h.eventData(ctx, e, set); err != nil {
		return "", nil, err
	}
	d.Position, d.Waiting = r.Position, r.Status == central.RegistrationWaitlisted
	// A ticket holds the event's hours: one moved needs the new ticket.
	if h.Tickets != nil && kind != KindEventWaitlisted && central.TicketFor(r) {
		png, err := h.Tickets.TicketPNG(ctx, e, r)
		if err != nil {
			return "", nil, err
		}
		d.TicketAttached, ticket = len(png) > 0, png
	}
	if h.Links != nil {
		if d.Link, err = h.Links.CancelURL(ctx, e, r.ID); err != nil {
			return "", nil, err
		}
		if e.Public {
			d.Event.Page = h.Links.EventURL(e)
		}
	}
	return "", ticket, nil
}

// registerMail fills d for the confirmation of an address given on a
// public event's page (event_register): the event as its other mails say
// it, and its page; skip says why none is sent (the event deleted or
// over: the link could register no one).
func (h *Handler) registerMail(ctx context.Context, p Payload, set central.Settings, d *Data) (skip string, err error) {
	e, skip, err := h.mailedEvent(ctx, p.Event)
	if skip != "" || err != nil {
		return skip, err
	}
	if skip := h.eventOver(e); skip != "" {
		return skip, nil
	}
	if d.Event, err = h.eventData(ctx, e, set); err != nil {
		return "", err
	}
	if h.Links != nil && e.Public {
		d.Event.Page = h.Links.EventURL(e)
	}
	return "", nil
}

// mailedEvent returns the event an event mail is about; skip says why no
// mail is sent.
func (h *Handler) mailedEvent(ctx context.Context, id int64) (e *central.CalendarEvent, skip string, err error) {
	if h.Events == nil {
		return nil, "event mails are not wired", nil
	}
	e, err = h.Events.FindEvent(ctx, id)
	if central.ErrorCode(err) == central.ENOTFOUND {
		return nil, "the event was deleted", nil
	}
	return e, "", err
}

// eventOver says why no mail is sent about an event that has ended ("":
// it has not).
func (h *Handler) eventOver(e *central.CalendarEvent) string {
	if !h.now().Before(e.End) {
		return "the event is over"
	}
	return ""
}

// eventData is the event as its mails say it: its times on the clock of
// the event's space, its place by its space's name now (central.PlaceName).
func (h *Handler) eventData(ctx context.Context, e *central.CalendarEvent, set central.Settings) (EventData, error) {
	var spaces []*central.Space
	if h.Spaces != nil {
		var err error
		if spaces, err = h.Spaces.FindSpaces(ctx); err != nil {
			return EventData{}, err
		}
	}
	loc := central.PlaceLocation(spaces, e.Space, set)
	place := "" // the main space's: not said
	if e.Space != "" {
		place = central.PlaceName(spaces, e.Space) // a renamed space's new name
	}
	return EventData{Title: e.Title, Space: place, Start: e.Start.In(loc), End: e.End.In(loc), Zone: zoneShown(loc, set),
		Address: central.PlaceAddress(spaces, e.Space)}, nil
}

// zoneShown names an event's clock in its mails when it is not the
// network's ("America/Montreal"), "" otherwise.
func zoneShown(loc *time.Location, set central.Settings) string {
	if loc.String() == set.Location().String() {
		return ""
	}
	return loc.String()
}
