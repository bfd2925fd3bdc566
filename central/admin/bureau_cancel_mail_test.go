package admin_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestBureauCancelMailsHer: with e-mail set up, the bureau cancelling a
// member's booking on /resources queues her mail (booking_cancelled) in
// the cancel's transaction, through the reaction centrald installs:
// exactly one, though the form is posted twice. The confirmation says
// she will be told by e-mail; for a member without an address it still
// says no e-mail tells her. With e-mail not set up: no mail, and the
// confirmation says so.
func TestBureauCancelMailsHer(t *testing.T) {
	for _, on := range []bool{true, false} {
		name := map[bool]string{true: "mails on", false: "mails off"}[on]
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, func(c *admin.Config) {
				if on {
					c.Mails, c.PublicURL = &mails{}, "https://badges.example.org"
				}
			})
			// As centrald registers it (installEmail).
			e.db.Reactions = append(e.db.Reactions, func(ev central.Event, set central.Settings) []central.OutboxMessage {
				if c, ok := ev.(central.BookingCancelled); ok {
					return email.BookingCancelledHook(c, set, "https://badges.example.org")
				}
				return nil
			})
			if on {
				for k, v := range map[string]string{email.SettingHost: "smtp.example.org", email.SettingFrom: "bureau@example.org"} {
					if err := e.settings.SetSetting(e.ctx(), k, v); err != nil {
						t.Fatal(err)
					}
				}
			}
			c := newCommunity(t, e)
			alice, _ := c.member("Alice Martin", "alice@example.org")
			carl, _ := c.member("Carl Petit", "")
			door := e.as(D)
			addRoom(t, door, "Salle de réunion", 60, 0)
			paris, _ := time.LoadLocation("Europe/Paris")
			at14 := time.Date(2026, 11, 27, 14, 0, 0, 0, paris)
			hers := &central.Booking{Resource: 1, Member: alice, Start: at14, End: at14.Add(time.Hour)}
			his := &central.Booking{Resource: 1, Member: carl, Start: at14.Add(time.Hour), End: at14.Add(2 * time.Hour)}
			for _, b := range []*central.Booking{hers, his} {
				if err := e.cfg.Bookings.Book(e.ctx(), b); err != nil {
					t.Fatal(err)
				}
			}
			_, body := door.get("/resources")
			mailed := "Annuler la réservation d’Alice Martin, le 27/11/2026 14:00 – 15:00\u00a0? Le créneau redeviendra libre. Elle en sera prévenue par e-mail."
			notMailed := "Annuler la réservation d’Alice Martin, le 27/11/2026 14:00 – 15:00\u00a0? Le créneau redeviendra libre. Aucun e-mail ne la prévient\u00a0: dites-le-lui."
			if on {
				mustContain(t, body, mailed, "Annuler la réservation de Carl Petit, le 27/11/2026 15:00 – 16:00\u00a0? Le créneau redeviendra libre. Aucun e-mail ne la prévient\u00a0: dites-le-lui.")
			} else {
				mustContain(t, body, notMailed)
				if strings.Contains(body, "prévenue par e-mail") {
					t.Error("mails off: the confirmation says she will be told by e-mail")
				}
			}
			if on { // and in English
				en := e.as(A)
				en.get("/lang/en")
				_, body := en.get("/resources")
				mustContain(t, body, "Cancel Alice Martin&#39;s booking, 2026-11-27 14:00 – 15:00? The slot will be free again. She will be told by e-mail.")
			}
			path := "/resources/1/bookings/" + fmtInt(hers.ID) + "/cancel"
			for range 2 { // a double tap
				resp, _ := door.post(path, nil)
				mustStatus(t, resp, http.StatusSeeOther)
			}
			items, _, err := sqlstore.NewOutboxService(e.db.DB).FindOutbox(e.ctx(), central.OutboxFilter{TopicPrefix: email.TopicPrefix})
			if err != nil {
				t.Fatal(err)
			}
			var got []*central.OutboxItem
			for _, it := range items {
				if it.Topic == email.Topic(email.KindBookingCancelled) {
					got = append(got, it)
				}
			}
			if !on {
				if len(got) != 0 {
					t.Fatalf("mails off: %d mails queued, want none", len(got))
				}
				return
			}
			if len(got) != 1 || got[0].Key != "email.booking_cancelled:booking:"+fmtInt(hers.ID) {
				t.Fatalf("queued %+v, want her one mail", got)
			}
			_, p, err := email.ParsePayload(got[0].Topic, got[0].Payload)
			if err != nil || p.Member != alice || p.Resource != "Salle de réunion" || !p.Start.Equal(at14) ||
				p.Start.Format("15:04") != "14:00" || p.Link != "https://badges.example.org/m" {
				t.Errorf("payload %+v %v", p, err)
			}
		})
	}
}
