package email_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// eventLinks stands for the web admin's event links.
type eventLinks struct{}

func (eventLinks) CancelURL(_ context.Context, e *central.CalendarEvent, reg int64) (string, error) {
	return "https://b.example/e/cancel/tok-" + strconv.FormatInt(reg, 10), nil
}

func (eventLinks) EventURL(e *central.CalendarEvent) string {
	return "https://b.example/e/" + strconv.FormatInt(e.ID, 10)
}

// fakeTickets draws a ticket for anyone asked: the handler decides who
// gets one.
type fakeTickets struct{}

func (fakeTickets) TicketPNG(_ context.Context, e *central.CalendarEvent, r *central.Registration) ([]byte, error) {
	return append([]byte("\x89PNG\r\n\x1a\nticket-"), strconv.FormatInt(r.ID, 10)...), nil
}

// ticketOf returns the name of p's ticket attachment and its data, "" when none.
func ticketOf(p *smtptest.Parsed) (string, string) {
	for _, a := range p.Attachments {
		if a.ContentType == "image/png" {
			return a.Name, string(a.Data)
		}
	}
	return "", ""
}

// TestEventMails: registrations made through the real store enqueue
// their mails in their own transaction (RegistrationHook as a store
// reaction): a member is told her place is confirmed, in her language,
// with a link that cancels it without logging in; someone who is not a
// member, registered on the English public page, that she is on the
// waiting list and her position; when the member cancels, the waitlisted
// one is promoted and told so. A waitlisted mail not yet sent when its
// registration was promoted is skipped (the promotion mail says it all),
// and so is the confirmation of a registration cancelled before its mail
// left.
func TestEventMails(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	set, _ := f.settings.Settings(f.ctx)
	f.db.Reactions = append(f.db.Reactions, func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		return email.RegistrationHook(ev, set)
	})
	cal := sqlstore.NewCalendarService(f.db.DB)
	f.worker.Handler.Events, f.worker.Handler.Links, f.worker.Handler.Tickets = cal, eventLinks{}, fakeTickets{}
	alice := f.member("Alice Martin", "alice@example.org")

	// Times are the space's (Europe/Paris by default), whatever the season.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	in3 := time.Now().In(paris).AddDate(0, 0, 3)
	at := func(h int) time.Time { return time.Date(in3.Year(), in3.Month(), in3.Day(), h, 0, 0, 0, paris) }
	ev := &central.CalendarEvent{Title: "Atelier compta", Space: "La Ruche", Start: at(18), End: at(20), Capacity: 1, Public: true}
	if err := cal.CreateEvent(f.ctx, ev); err != nil {
		t.Fatal(err)
	}
	ra := &central.Registration{Event: ev.ID, Member: alice}
	rb := &central.Registration{Event: ev.ID, Name: "Bob Durand", Email: "bob@example.net", Lang: "en"}
	for _, r := range []*central.Registration{ra, rb} {
		if err := cal.Register(f.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if ra.Status != central.RegistrationConfirmed || rb.Status != central.RegistrationWaitlisted {
		t.Fatalf("statuses %s %s", ra.Status, rb.Status)
	}
	f.run(func() bool { return len(f.srv.Messages()) == 2 })
	byTo := func() map[string][]*smtptest.Parsed {
		out := map[string][]*smtptest.Parsed{}
		for _, m := range f.srv.Messages() {
			p, err := m.Parse()
			if err != nil {
				t.Fatal(err)
			}
			out[m.To[0]] = append(out[m.To[0]], p)
		}
		return out
	}
	got := byTo()
	cancelA := "https://b.example/e/cancel/tok-" + strconv.FormatInt(ra.ID, 10)
	if ps := got["alice@example.org"]; len(ps) != 1 || ps[0].Subject != "Inscription confirmée\u00a0: Atelier compta — La Ruche" ||
		!strings.HasPrefix(ps[0].Text, "Bonjour Alice,") || !strings.Contains(ps[0].Text, cancelA) ||
		!strings.Contains(ps[0].Text, "de 18:00 à 20:00 (La Ruche).") || !strings.Contains(ps[0].HTML, "Annuler mon inscription") ||
		!strings.Contains(ps[0].Text, "https://b.example/e/"+strconv.FormatInt(ev.ID, 10)) {
		t.Errorf("alice's mails %+v", ps)
	}
	if ps := got["bob@example.net"]; len(ps) != 1 || ps[0].Subject != "Waiting list: Atelier compta — La Ruche" ||
		!strings.HasPrefix(ps[0].Text, "Hello Bob,") || !strings.Contains(ps[0].Text, "in position 1") ||
		!strings.Contains(ps[0].Text, "https://b.example/e/cancel/tok-"+strconv.FormatInt(rb.ID, 10)) {
		t.Errorf("bob's mails %+v", ps)
	}

	// A member's confirmation carries no ticket (her badge lets her in),
	// nor a waiting list's notice.
	if name, _ := ticketOf(got["alice@example.org"][0]); name != "" || strings.Contains(got["alice@example.org"][0].Text, "billet") {
		t.Errorf("a member's confirmation has a ticket %q", name)
	}
	if name, _ := ticketOf(got["bob@example.net"][0]); name != "" || strings.Contains(got["bob@example.net"][0].Text, "ticket") {
		t.Errorf("a waiting list's notice has a ticket %q", name)
	}

	promoted, err := cal.CancelRegistration(f.ctx, ev.ID, ra.ID)
	if err != nil || promoted == nil || promoted.ID != rb.ID {
		t.Fatalf("promoted %+v, %v", promoted, err)
	}
	f.run(func() bool { return len(f.srv.Messages()) == 3 })
	got = byTo()
	if ps := got["bob@example.net"]; len(ps) != 2 || ps[1].Subject != "Une place s’est libérée\u00a0: Atelier compta — La Ruche" ||
		!strings.Contains(ps[1].Text, "votre inscription à «\u00a0Atelier compta\u00a0» est confirmée") {
		t.Errorf("bob's promotion %+v", ps)
	}
	// Bob, not a member, gets his ticket with his place.
	if name, data := ticketOf(got["bob@example.net"][1]); name != "billet.png" || data != "\x89PNG\r\n\x1a\nticket-"+strconv.FormatInt(rb.ID, 10) ||
		!strings.Contains(got["bob@example.net"][1].Text, "Votre billet est joint (billet.png)") ||
		!strings.Contains(got["bob@example.net"][1].HTML, "Votre billet est joint") {
		t.Errorf("bob's promotion: ticket %q %q, text %q", name, data, got["bob@example.net"][1].Text)
	}

	// Carol waits, then is promoted before her waitlisted mail leaves:
	// only the promotion is sent. Dan's registration is cancelled before
	// its confirmation leaves: nothing is sent.
	rc := &central.Registration{Event: ev.ID, Name: "Carol", Email: "carol@example.net"}
	if err := cal.Register(f.ctx, rc); err != nil || rc.Status != central.RegistrationWaitlisted {
		t.Fatalf("carol %s %v", rc.Status, err)
	}
	if _, err := cal.CancelRegistration(f.ctx, ev.ID, rb.ID); err != nil {
		t.Fatal(err)
	}
	ev2 := &central.CalendarEvent{Title: "Apéro", Start: at(20), End: at(22), Capacity: 5, Public: true}
	if err := cal.CreateEvent(f.ctx, ev2); err != nil {
		t.Fatal(err)
	}
	rd := &central.Registration{Event: ev2.ID, Name: "Dan", Email: "dan@example.net"}
	if err := cal.Register(f.ctx, rd); err != nil {
		t.Fatal(err)
	}
	if _, err := cal.CancelRegistration(f.ctx, ev2.ID, rd.ID); err != nil {
		t.Fatal(err)
	}
	f.run(f.finished("email.event_confirmed:registration:" + strconv.FormatInt(rd.ID, 10)))
	f.run(f.finished("email.event_waitlisted:registration:" + strconv.FormatInt(rc.ID, 10)))
	f.run(func() bool { return len(f.srv.Messages()) == 4 })
	got = byTo()
	if ps := got["carol@example.net"]; len(ps) != 1 || !strings.HasPrefix(ps[0].Subject, "Une place s’est libérée") {
		t.Errorf("carol's mails %+v", ps)
	}
	if ps := got["dan@example.net"]; len(ps) != 0 {
		t.Errorf("dan's mails %+v", ps)
	}
	if it := f.item("email.event_confirmed:registration:" + strconv.FormatInt(rd.ID, 10)); it.Outcome != central.OutcomeSkipped {
		t.Errorf("dan's confirmation %+v", it)
	}
}

// TestRegistrationHook: one mail per registration and kind, to the member
// or the address; none without e-mail set up.
func TestRegistrationHook(t *testing.T) {
	on := central.Settings{email.SettingHost: "smtp.example.org", email.SettingFrom: "bureau@example.org"}
	e := &central.CalendarEvent{ID: 4}
	for _, c := range []struct {
		name    string
		ev      central.Event
		set     central.Settings
		wantKey string
	}{
		{"member confirmed", central.RegistrationMade{Event: e, Registration: &central.Registration{ID: 7, Event: 4, Member: 3,
			Status: central.RegistrationConfirmed}}, on, "email.event_confirmed:registration:7"},
		{"guest waitlisted", central.RegistrationMade{Event: e, Registration: &central.Registration{ID: 8, Event: 4, Name: "Bob",
			Email: "bob@example.net", Status: central.RegistrationWaitlisted}}, on, "email.event_waitlisted:registration:8"},
		{"promoted", central.RegistrationPromoted{Event: e, Registration: &central.Registration{ID: 8, Event: 4, Name: "Bob",
			Email: "bob@example.net", Status: central.RegistrationConfirmed}}, on, "email.event_promoted:registration:8"},
		{"guest without address", central.RegistrationMade{Event: e, Registration: &central.Registration{ID: 9, Event: 4,
			Name: "Eve", Status: central.RegistrationConfirmed}}, on, ""},
		{"e-mail not set up", central.RegistrationMade{Event: e, Registration: &central.Registration{ID: 7, Event: 4, Member: 3,
			Status: central.RegistrationConfirmed}}, central.Settings{}, ""},
		{"another event", central.SaleMade{Sale: &central.Sale{ID: 1}}, on, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := email.RegistrationHook(c.ev, c.set)
			if c.wantKey == "" {
				if len(got) != 0 {
					t.Fatalf("%+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Key != c.wantKey {
				t.Fatalf("%+v, want key %s", got, c.wantKey)
			}
			if _, p, err := email.ParsePayload(got[0].Topic, got[0].Payload); err != nil || p.Event != 4 || p.Registration == 0 {
				t.Errorf("%+v %v", p, err)
			}
		})
	}
}

// TestEventMovedMails: the bureau moves an event an hour later: each
// registration holding or waiting for a place is told once, with the new
// hours (someone who is not a member gets her new ticket: a ticket holds
// the hours); a cancelled one is not. Two changes before the worker runs
// send the last one only.
func TestEventMovedMails(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	set, _ := f.settings.Settings(f.ctx)
	f.db.Reactions = append(f.db.Reactions, func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		if mv, ok := ev.(central.EventMoved); ok {
			return email.EventMovedHook(mv, set)
		}
		return nil
	})
	cal := sqlstore.NewCalendarService(f.db.DB)
	f.worker.Handler.Events, f.worker.Handler.Links, f.worker.Handler.Tickets = cal, eventLinks{}, fakeTickets{}
	alice := f.member("Alice Martin", "alice@example.org")
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	in3 := time.Now().In(paris).AddDate(0, 0, 3)
	at := func(h int) time.Time { return time.Date(in3.Year(), in3.Month(), in3.Day(), h, 0, 0, 0, paris) }
	ev := &central.CalendarEvent{Title: "Atelier compta", Start: at(18), End: at(20), Capacity: 2, Public: true}
	if err := cal.CreateEvent(f.ctx, ev); err != nil {
		t.Fatal(err)
	}
	ra := &central.Registration{Event: ev.ID, Member: alice}
	rb := &central.Registration{Event: ev.ID, Name: "Bob Durand", Email: "bob@example.net"}
	rc := &central.Registration{Event: ev.ID, Name: "Carol", Email: "carol@example.net"}
	rd := &central.Registration{Event: ev.ID, Name: "Dan", Email: "dan@example.net"}
	for _, r := range []*central.Registration{ra, rb, rc, rd} {
		if err := cal.Register(f.ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := cal.CancelRegistration(f.ctx, ev.ID, rd.ID); err != nil { // Dan waited, then left
		t.Fatal(err)
	}
	move := func(start, end int) {
		e, err := cal.FindEvent(f.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		e.Start, e.End = at(start), at(end)
		if _, err := cal.UpdateEvent(f.ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	move(18, 21) // revision 1, made stale by revision 2 before the worker runs
	move(19, 21)
	f.run(f.finished("email.event_moved:event:" + strconv.FormatInt(ev.ID, 10) + ":revision:1:registration:" + strconv.FormatInt(ra.ID, 10)))
	f.run(func() bool {
		n := 0
		for _, m := range f.srv.Messages() {
			if p, _ := m.Parse(); p != nil && strings.HasPrefix(p.Subject, "Nouvel horaire") {
				n++
			}
		}
		return n == 3
	})
	moved := map[string]*smtptest.Parsed{}
	for _, m := range f.srv.Messages() {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(p.Subject, "Nouvel horaire") {
			if moved[m.To[0]] != nil {
				t.Errorf("%s told twice", m.To[0])
			}
			moved[m.To[0]] = p
		}
	}
	for _, to := range []string{"alice@example.org", "bob@example.net", "carol@example.net"} {
		p := moved[to]
		if p == nil || p.Subject != "Nouvel horaire\u00a0: Atelier compta — La Ruche" || !strings.Contains(p.Text, "de 19:00 à 21:00") {
			t.Errorf("%s: %+v", to, p)
		}
	}
	if moved["dan@example.net"] != nil {
		t.Error("a cancelled registration was told")
	}
	// Bob holds a place, which he may free; Carol waits for one: she is
	// told she still waits, and how to leave the list, not to free a
	// place she does not have.
	if p := moved["bob@example.net"]; p != nil && (!strings.Contains(p.Text, "libérez votre place") || strings.Contains(p.Text, "liste d’attente")) {
		t.Errorf("bob's new hours:\n%s", p.Text)
	}
	if p := moved["carol@example.net"]; p != nil && (!strings.Contains(p.Text, "Vous êtes toujours sur la liste d’attente, en position 1.") ||
		!strings.Contains(p.Text, "Pour quitter la liste d’attente") || strings.Contains(p.Text, "libérez votre place") ||
		!strings.Contains(p.HTML, "Quitter la liste d’attente")) {
		t.Errorf("carol's new hours:\n%s", p.Text)
	}
	if name, data := ticketOf(moved["bob@example.net"]); name != "billet.png" || data != "\x89PNG\r\n\x1a\nticket-"+strconv.FormatInt(rb.ID, 10) {
		t.Errorf("bob's new ticket %q %q", name, data)
	}
	if name, _ := ticketOf(moved["carol@example.net"]); name != "" {
		t.Errorf("a waiting list's mail has a ticket %q", name)
	}
	if it := f.item("email.event_moved:event:" + strconv.FormatInt(ev.ID, 10) + ":revision:1:registration:" + strconv.FormatInt(ra.ID, 10)); it.Outcome != central.OutcomeSkipped {
		t.Errorf("the first change's mail %+v", it)
	}
}

// TestEventRegisterMail: the confirmation of an address given on a public
// event's page goes to that address, greeted by the name typed, in the
// page's language, with the link, the event's hours and its page; nothing
// is sent once the event is deleted or over (the link could register no
// one).
func TestEventRegisterMail(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	cal := sqlstore.NewCalendarService(f.db.DB)
	f.worker.Handler.Events, f.worker.Handler.Links = cal, eventLinks{}
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	in3 := time.Now().In(paris).AddDate(0, 0, 3)
	at := func(h int) time.Time { return time.Date(in3.Year(), in3.Month(), in3.Day(), h, 0, 0, 0, paris) }
	ev := &central.CalendarEvent{Title: "Atelier compta", Space: "La Ruche", Start: at(18), End: at(20), Capacity: 10, Public: true}
	gone := &central.CalendarEvent{ID: 9999} // none such: events are not deleted, but a store may lose one
	past := &central.CalendarEvent{Title: "Passé", Start: time.Now().Add(-3 * time.Hour), End: time.Now().Add(-time.Hour), Capacity: 10, Public: true}
	for _, e := range []*central.CalendarEvent{ev, past} {
		if err := cal.CreateEvent(f.ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	msg := func(e *central.CalendarEvent, key, to, lang string) central.OutboxMessage {
		return mustMessage(t, email.KindEventRegister, key, email.Payload{Email: to, Name: "Chloé Petit", Lang: lang, Event: e.ID,
			Link: "https://b.example/e/confirm/" + key})
	}
	goneMsg, pastMsg := msg(gone, "gone", "chloe@example.org", ""), msg(past, "past", "chloe@example.org", "")
	for _, m := range []central.OutboxMessage{msg(ev, "fr", "chloe@example.net", ""), msg(ev, "en", "chloe@example.com", "en"), goneMsg, pastMsg} {
		f.enqueue(m)
	}
	f.run(func() bool {
		return len(f.srv.Messages()) == 2 && f.finished(goneMsg.Key)() && f.finished(pastMsg.Key)()
	})
	for key, why := range map[string]string{goneMsg.Key: "deleted", pastMsg.Key: "over"} {
		if it := f.item(key); it.Outcome != central.OutcomeSkipped || !strings.Contains(it.Error, why) {
			t.Errorf("%s: %q %q, want skipped (%s)", key, it.Outcome, it.Error, why)
		}
	}
	page := "https://b.example/e/" + strconv.FormatInt(ev.ID, 10)
	for _, m := range f.srv.Messages() {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		switch m.To[0] {
		case "chloe@example.net":
			if p.Subject != "Confirmez votre inscription\u00a0: Atelier compta — La Ruche" || !strings.HasPrefix(p.Text, "Bonjour Chloé,") ||
				!strings.Contains(p.Text, "https://b.example/e/confirm/fr") || !strings.Contains(p.Text, "de 18:00 à 20:00 (La Ruche).") ||
				!strings.Contains(p.Text, page) || !strings.Contains(p.HTML, "Confirmer mon inscription") ||
				!strings.Contains(p.Text, "rien ne sera enregistré") {
				t.Errorf("French mail %q\n%s", p.Subject, p.Text)
			}
		case "chloe@example.com":
			if p.Subject != "Confirm your registration: Atelier compta — La Ruche" || !strings.HasPrefix(p.Text, "Hello Chloé,") ||
				!strings.Contains(p.Text, "https://b.example/e/confirm/en") || !strings.Contains(p.HTML, "Confirm my registration") {
				t.Errorf("English mail %q\n%s", p.Subject, p.Text)
			}
		default:
			t.Errorf("mail to %v", m.To)
		}
	}
	// Without its event, or its link, it cannot be sent.
	for _, p := range []email.Payload{{Email: "a@example.org", Link: "https://b.example/e/confirm/x"}, {Email: "a@example.org", Event: ev.ID}} {
		if _, err := email.NewMessage(email.KindEventRegister, "k", p); central.ErrorCode(err) != central.EINVALID {
			t.Errorf("%+v: %v, want invalid", p, err)
		}
	}
}
