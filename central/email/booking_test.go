package email_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestBookingCancelledHook: the bureau cancelling a member's booking
// queues her mail, once per booking (its key is the booking's), with the
// room, its times on its space's clock (named when not the network's),
// the space it is at and the lost-link page; none when e-mail is not set
// up, for a block, or without a booking.
func TestBookingCancelledHook(t *testing.T) {
	on := central.Settings{email.SettingHost: "smtp.example.org", email.SettingFrom: "bureau@example.org"}
	mtl, err := time.LoadLocation("America/Montreal")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC) // 10:00 in Montreal
	booking := &central.Booking{ID: 7, Resource: 2, Member: 3, Start: start, End: start.Add(time.Hour)}
	room := &central.Resource{ID: 2, Name: "Salle de réunion", Space: "montreal"}
	ev := central.BookingCancelled{Booking: booking, Resource: room, Location: mtl}
	block := *booking
	block.Member, block.Blocked = 0, true
	for _, c := range []struct {
		name string
		ev   central.BookingCancelled
		set  central.Settings
		want int
	}{
		{"a member's booking", ev, on, 1},
		{"e-mail not set up", ev, central.Settings{email.SettingHost: "smtp.example.org"}, 0},
		{"a block", central.BookingCancelled{Booking: &block, Resource: room, Location: mtl}, on, 0},
		{"no booking", central.BookingCancelled{Resource: room}, on, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := email.BookingCancelledHook(c.ev, c.set, "https://badges.example.org/")
			if len(got) != c.want {
				t.Fatalf("%d messages, want %d", len(got), c.want)
			}
			if c.want == 0 {
				return
			}
			kind, p, err := email.ParsePayload(got[0].Topic, got[0].Payload)
			if err != nil || kind != email.KindBookingCancelled || got[0].Key != "email.booking_cancelled:booking:7" {
				t.Fatalf("%+v %v", got[0], err)
			}
			if p.Member != 3 || p.Booking != 7 || p.Resource != "Salle de réunion" || p.Zone != "America/Montreal" ||
				p.Start.Format("2006-01-02 15:04") != "2026-11-27 10:00" || p.End.Format("15:04") != "11:00" ||
				p.Entered == nil || *p.Entered != "montreal" || p.Link != "https://badges.example.org/m" {
				t.Errorf("payload %+v", p)
			}
		})
	}
	// On the network's clock, no clock is named; without a public
	// address, no link.
	paris := central.BookingCancelled{Booking: booking, Resource: &central.Resource{ID: 2, Name: "Salle"},
		Location: on.Location()}
	got := email.BookingCancelledHook(paris, on, "")
	if _, p, err := email.ParsePayload(got[0].Topic, got[0].Payload); err != nil || p.Zone != "" || p.Link != "" ||
		p.Start.Format("15:04") != "16:00" {
		t.Errorf("on the network's clock: %+v %v", p, err)
	}
}

// TestBookingCancelledPayload: a booking_cancelled payload names its
// booking, its resource and its times.
func TestBookingCancelledPayload(t *testing.T) {
	for _, c := range []struct {
		name, payload string
		ok            bool
	}{
		{"whole", `{"member":1,"booking":2,"resource":"Salle","start":"2026-11-27T10:00:00-05:00","end":"2026-11-27T11:00:00-05:00"}`, true},
		{"no member", `{"booking":2,"resource":"Salle","start":"2026-11-27T10:00:00-05:00","end":"2026-11-27T11:00:00-05:00"}`, false},
		{"no booking", `{"member":1,"resource":"Salle","start":"2026-11-27T10:00:00-05:00","end":"2026-11-27T11:00:00-05:00"}`, false},
		{"no resource", `{"member":1,"booking":2,"start":"2026-11-27T10:00:00-05:00","end":"2026-11-27T11:00:00-05:00"}`, false},
		{"no times", `{"member":1,"booking":2,"resource":"Salle"}`, false},
		{"ends before", `{"member":1,"booking":2,"resource":"Salle","start":"2026-11-27T10:00:00-05:00","end":"2026-11-27T09:00:00-05:00"}`, false},
		{"link not web", `{"member":1,"booking":2,"resource":"Salle","start":"2026-11-27T10:00:00-05:00","end":"2026-11-27T11:00:00-05:00","link":"javascript:x"}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := email.ParsePayload("email.booking_cancelled", c.payload)
			if (err == nil) != c.ok {
				t.Errorf("error %v, want ok=%v", err, c.ok)
			}
			if err != nil && central.ErrorCode(err) != central.EINVALID {
				t.Errorf("code %s", central.ErrorCode(err))
			}
		})
	}
}

// TestBookingCancelledMail: end to end, through a real SQLite store and
// the SMTP fake. The bureau cancels Alice's booking of a room of a space
// with its own time zone: the cancel's transaction queues her mail (the
// reaction), which arrives from the space's sender name and says the
// room, its space, the day and times on the space's clock and that
// clock, and the lost-link page; cancelled twice, one mail. Her own
// cancel mails nothing; a member without an address is skipped.
func TestBookingCancelledMail(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	set, _ := f.settings.Settings(f.ctx)
	f.db.Reactions = append(f.db.Reactions, func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		if c, ok := ev.(central.BookingCancelled); ok {
			return email.BookingCancelledHook(c, set, "https://badges.example.org")
		}
		return nil
	})
	spaces := sqlstore.NewSpaceService(f.db.DB)
	mtl := &central.Space{Name: "Montréal", Timezone: "America/Montreal"}
	if err := spaces.CreateSpace(f.ctx, mtl); err != nil {
		t.Fatal(err)
	}
	f.worker.Handler.Spaces = spaces
	bookings := sqlstore.NewBookingService(f.db.DB)
	room := &central.Resource{Name: "Salle de réunion", Space: mtl.Key, Opens: 0, Closes: 24 * 60, Slot: time.Hour}
	if err := bookings.CreateResource(f.ctx, room); err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("America/Montreal")
	n := time.Now().In(loc).AddDate(0, 0, 2)
	at := time.Date(n.Year(), n.Month(), n.Day(), 10, 0, 0, 0, loc)
	alice, bob := f.member("Alice Martin", "alice@example.org"), f.member("Bob Durand", "")
	book := func(member int64, h int) *central.Booking {
		b := &central.Booking{Resource: room.ID, Member: member, Start: at.Add(time.Duration(h) * time.Hour),
			End: at.Add(time.Duration(h+1) * time.Hour)}
		if err := bookings.Book(f.ctx, b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	hers, herOwn, his := book(alice, 0), book(alice, 1), book(bob, 2)
	for _, c := range []struct{ id, by int64 }{{hers.ID, 0}, {hers.ID, 0}, {herOwn.ID, alice}, {his.ID, 0}} {
		if err := bookings.CancelBooking(f.ctx, c.id, c.by); err != nil {
			t.Fatal(err)
		}
	}
	bobKey := "email.booking_cancelled:booking:" + fmtID(his.ID)
	f.run(func() bool { return len(f.srv.Messages()) >= 1 && f.finished(bobKey)() })
	if it := f.item(bobKey); it.Outcome != central.OutcomeSkipped || !strings.Contains(it.Error, "no e-mail address") {
		t.Errorf("Bob's mail: %q %q, want skipped", it.Outcome, it.Error)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "alice@example.org" {
		t.Fatalf("%d mails, want Alice's one", len(msgs))
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	day := map[int]string{1: "1er"}[at.Day()]
	if day == "" {
		day = fmtID(int64(at.Day()))
	}
	months := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	date := day + " " + months[at.Month()-1] + " " + fmtID(int64(at.Year()))
	if want := "Réservation annulée\u00a0: Salle de réunion, le " + date + " — La Ruche"; p.Subject != want {
		t.Errorf("subject %q, want %q", p.Subject, want)
	}
	for _, want := range []string{"Bonjour Alice,", "a annulé votre réservation de «\u00a0Salle de réunion\u00a0» (Montréal), le " + date +
		", de 10:00 à 11:00, fuseau horaire America/Montreal.", "onglet «\u00a0Réserver\u00a0»", "https://badges.example.org/m"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, p.Text)
		}
	}
	if !strings.Contains(p.HTML, `<a href="https://badges.example.org/m">`) {
		t.Errorf("HTML lacks the lost-link page:\n%s", p.HTML)
	}
}

func fmtID(id int64) string { return strconv.FormatInt(id, 10) }
