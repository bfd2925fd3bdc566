package main

import (
	"context"
	"fmt"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/billing/helloasso"
)

// The events commands (issue 15). Their command lines and outputs are
// exact: scripts and tests rely on them.

func cmdEventAdd(e *env, args []string) error {
	title := e.fs.String("title", "", "title")
	start := e.fs.String("start", "", "start, RFC 3339 (2026-12-03T18:00:00+01:00)")
	end := e.fs.String("end", "", "end, RFC 3339")
	capacity := e.fs.Int("capacity", 0, "number of places")
	space := e.fs.String("space", "", "its space: id or name (default: the main space)")
	public := e.fs.Bool("public", false, "open to non-members (name and e-mail)")
	consumes := e.fs.Bool("consumes", false, "a member's entry at the door for it costs her a day (default: free)")
	past := e.fs.Bool("past", false, "record an event whose start is past (refused otherwise: a mistyped year)")
	if err := e.flags(args, "title", "start", "end", "capacity"); err != nil {
		return err
	}
	ev := &central.CalendarEvent{Title: *title, Space: *space, Capacity: *capacity, Public: *public, Consumes: *consumes}
	var err error
	if ev.Start, err = time.Parse(time.RFC3339, *start); err != nil {
		return usagef("--start %q: want an RFC 3339 time such as 2026-12-03T18:00:00+01:00", *start)
	}
	if ev.End, err = time.Parse(time.RFC3339, *end); err != nil {
		return usagef("--end %q: want an RFC 3339 time such as 2026-12-03T20:00:00+01:00", *end)
	}
	// A start in the past is most often a mistyped year: nobody could
	// register. Recording one that took place is said with --past (the
	// web admin's box « Oui, cette date est passée »).
	if now := time.Now(); ev.Start.Before(now) && !*past {
		return central.Errorf(central.EINVALID, "--start %s is in the past (it is now %s): check the date, the year above all. To record an event that already took place, add --past.",
			*start, now.In(ev.Start.Location()).Format(time.RFC3339))
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	if ev.Space, err = findPlace(e, db, *space); err != nil {
		return err
	}
	if err := db.Calendar.CreateEvent(e.ctx, ev); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, ev.ID)
	return nil
}

func cmdEventRegister(e *env, args []string) error {
	event := e.fs.Int64("event", 0, "event id")
	member := e.fs.Int64("member", 0, "member id")
	name := e.fs.String("name", "", "name of someone who is not a member")
	email := e.fs.String("email", "", "her e-mail")
	if err := e.flags(args, "event"); err != nil {
		return err
	}
	if (*member != 0) == (*name != "" || *email != "") {
		return usagef("%s: give --member ID, or --name NAME and --email EMAIL", e.fs.Name())
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	r := &central.Registration{Event: *event, Member: *member, Name: *name, Email: *email}
	if err := db.Calendar.Register(e.ctx, r); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, r.Status)
	return nil
}

// cmdEventPrice makes an event paid through its HelloAsso form
// (central/event_payment.go), or free again.
func cmdEventPrice(e *env, args []string) error {
	event := e.fs.Int64("event", 0, "event id")
	form := e.fs.String("form", "", "the address of the event's HelloAsso form")
	price := e.fs.String("price", "", "its price in euros, for the pages (15 or 15,50)")
	free := e.fs.Bool("free", false, "make the event free again")
	if err := e.flags(args, "event"); err != nil {
		return err
	}
	if *free == (*form != "" || *price != "") {
		return usagef("%s: give --form URL and --price EUROS, or --free", e.fs.Name())
	}
	var p *central.EventPayment
	if !*free {
		cents, err := central.ParseMoney(*price)
		if err != nil {
			return usagef("--price %q: want an amount of euros such as 15 or 15,50", *price)
		}
		f, err := helloasso.ParseEventForm(*form)
		if err != nil {
			return err
		}
		if p, err = central.NewEventPayment(*event, f, int64(cents)); err != nil {
			return err
		}
	}
	db, err := e.open()
	if err != nil {
		return err
	}
	if *free {
		return db.Calendar.RemoveEventPayment(e.ctx, *event)
	}
	return db.Calendar.SetEventPayment(e.ctx, p)
}

func cmdEventCancel(e *env, args []string) error {
	event := e.fs.Int64("event", 0, "event id")
	reg := e.fs.Int64("registration", 0, "registration id")
	db, err := e.start(args, "event", "registration")
	if err != nil {
		return err
	}
	promoted, err := db.Calendar.CancelRegistration(e.ctx, *event, *reg)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, central.RegistrationCancelled)
	if promoted != nil {
		fmt.Fprintf(e.stdout, "%s %d\n", central.RegistrationConfirmed, promoted.ID)
	}
	return nil
}

// cmdEventTicket prints the event ticket of a registration of someone who
// is not a member: the text of the QR code her kiosks accept during the
// event's hours (what her confirmation mail carries).
func cmdEventTicket(e *env, args []string) error {
	event := e.fs.Int64("event", 0, "event id")
	reg := e.fs.Int64("registration", 0, "registration id")
	db, err := e.start(args, "event", "registration")
	if err != nil {
		return err
	}
	key, err := db.SigningKey()
	if err != nil {
		return err
	}
	text, err := central.TicketText(e.ctx, db.Calendar, db.Space, key, *event, *reg)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, text)
	return nil
}

// tickets signs event tickets for the web admin and the mails.
type tickets struct{ db *database }

func (t tickets) TicketText(ctx context.Context, event, reg int64) (string, error) {
	key, err := t.db.SigningKey()
	if err != nil {
		return "", err
	}
	return central.TicketText(ctx, t.db.Calendar, t.db.Space, key, event, reg)
}

// registrationJSON is a line of `centrald event registrations --json`.
type registrationJSON struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Member int64  `json:"member"`
	Status string `json:"status"`
}

func cmdEventRegistrations(e *env, args []string) error {
	event := e.fs.Int64("event", 0, "event id")
	asJSON := e.fs.Bool("json", false, "one JSON object per line")
	db, err := e.start(args, "event")
	if err != nil {
		return err
	}
	rs, err := db.Calendar.Registrations(e.ctx, *event)
	if err != nil {
		return err
	}
	w := newListWriter(e.stdout, *asJSON, "ID\tSTATUS\tMEMBER\tNAME\tEMAIL")
	for _, r := range rs {
		member := ""
		if r.Member != 0 {
			member = fmt.Sprint(r.Member)
		}
		if err := w.line(registrationJSON{ID: r.ID, Name: r.Name, Email: r.Email, Member: r.Member, Status: string(r.Status)},
			"%d\t%s\t%s\t%s\t%s\n", r.ID, r.Status, member, r.Name, r.Email); err != nil {
			return err
		}
	}
	return w.flush()
}

// cmdRoomSpace moves a room (or equipment) to a space: one stored at a
// place that names no space (the bureau's list flags « Espace inconnu »,
// centrald doctor counts them), which an older version took as typed.
func cmdRoomSpace(e *env, args []string) error {
	room := e.fs.Int64("room", 0, "the room's id (centrald doctor names them)")
	space := e.fs.String("space", "", "its space: id or name")
	db, err := e.start(args, "room", "space")
	if err != nil {
		return err
	}
	place, err := findPlace(e, db, *space)
	if err != nil {
		return err
	}
	return db.Booking.SetResourcePlace(e.ctx, *room, place)
}
