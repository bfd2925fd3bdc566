package admin_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"net/http"
	"net/url"
	"testing"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/admin"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/badge"
)

// realTickets signs tickets as centrald does (central.TicketText), with a
// test key.
type realTickets struct {
	e   *env
	key ed25519.PrivateKey
}

func (t *realTickets) TicketText(ctx context.Context, event, reg int64) (string, error) {
	return central.TicketText(ctx, t.e.cfg.Calendar, sqlstore.NewSpaceService(t.e.db.DB), t.key, event, reg)
}

// TestEventTicketPage (issue 15): the page of a registration (its mail's
// link) shows the event ticket of someone who is not a member, a QR code
// of a ticket signed for the event's hours at the main space; a member's
// registration shows none (her badge is her ticket). TicketPNG, which the
// confirmation mail attaches, draws the same ticket, and nothing for a
// member.
func TestEventTicketPage(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	tk := &realTickets{key: key} // it needs the env it is part of
	e := newEnv(t, func(c *admin.Config) { c.PublicURL = "https://badges.example.org"; c.Tickets = tk })
	tk.e = e
	ev := newEvent(t, e, "Atelier compta", 5, true) // at "La Ruche", no space of the network
	ev2 := &central.CalendarEvent{Title: "Soirée", Start: ev.Start, End: ev.End, Capacity: 5, Public: true}
	if err := e.cfg.Calendar.CreateEvent(e.ctx(), ev2); err != nil {
		t.Fatal(err)
	}
	m := &central.Member{Name: "Alice Martin", Email: "alice@example.org"}
	if err := e.members.CreateMember(e.ctx(), m); err != nil {
		t.Fatal(err)
	}
	lea := &central.Registration{Event: ev2.ID, Name: "Léa Invitée", Email: "lea@example.net"}
	alice := &central.Registration{Event: ev2.ID, Member: m.ID}
	for _, r := range []*central.Registration{lea, alice} {
		if err := e.cfg.Calendar.Register(e.ctx(), r); err != nil {
			t.Fatal(err)
		}
	}
	link, err := e.srv.CancelURL(e.ctx(), ev2, lea.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := e.client().get(linkPath(t, link))
	mustStatus(t, resp, http.StatusOK)
	mustContain(t, body, "Votre billet", `download="billet.png"`, "Léa Invitée", "30 minutes avant le début")
	png, err := e.srv.TicketPNG(e.ctx(), ev2, lea)
	if err != nil || !bytes.HasPrefix(png, pngMagic) {
		t.Fatalf("TicketPNG = %d bytes, %v", len(png), err)
	}
	text, err := tk.TicketText(e.ctx(), ev2.ID, lea.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := badge.ParseCode(text)
	if err != nil || c.Kind != badge.KindEvent || int64(c.ID) != lea.ID || c.Space != uint16(central.MainSpace) ||
		!c.Verify(key.Public().(ed25519.PublicKey), "") {
		t.Fatalf("ticket %+v, %v", c, err)
	}
	if from, until := c.Valid(nil); !from.Equal(ev2.Start) || !until.Equal(ev2.End) {
		t.Fatalf("ticket valid %v–%v, want the event's hours %v–%v", from, until, ev2.Start, ev2.End)
	}

	link, _ = e.srv.CancelURL(e.ctx(), ev2, alice.ID)
	_, body = e.client().get(linkPath(t, link))
	if bytes.Contains([]byte(body), []byte("Votre billet")) {
		t.Fatal("a member's registration shows a ticket")
	}
	if png, err := e.srv.TicketPNG(e.ctx(), ev2, alice); png != nil || err != nil {
		t.Fatalf("TicketPNG of a member: %d bytes, %v", len(png), err)
	}
	if _, err := tk.TicketText(e.ctx(), ev2.ID, alice.ID); central.ErrorCode(err) != central.EINVALID {
		t.Fatalf("a member's ticket: %v, want EINVALID", err)
	}
	// An event at a place that is no space of the network has no tickets.
	lr := &central.Registration{Event: ev.ID, Name: "Léa Invitée", Email: "lea@example.net"}
	if err := e.cfg.Calendar.Register(e.ctx(), lr); err != nil {
		t.Fatal(err)
	}
	if png, err := e.srv.TicketPNG(e.ctx(), ev, lr); png != nil || err != nil {
		t.Fatalf("TicketPNG at no space: %d bytes, %v", len(png), err)
	}
}

// TestEventConsumesForm: the bureau's form sets whether members' entries
// for the event use an entry; the event's page says it.
func TestEventConsumesForm(t *testing.T) {
	e := newEnv(t)
	door := e.as(D)
	for i, consumes := range []string{"1", ""} {
		resp, _ := door.post("/events", url.Values{"title": {"Atelier"}, "start": {"2026-12-03T18:00"},
			"end": {"2026-12-03T20:00"}, "capacity": {"10"}, "consumes": {consumes}})
		mustStatus(t, resp, http.StatusSeeOther)
		ev, err := e.cfg.Calendar.FindEvent(e.ctx(), int64(i+1))
		if err != nil || ev.Consumes != (consumes == "1") {
			t.Fatalf("event %d: %+v, %v", i+1, ev, err)
		}
		_, body := door.get("/events/" + string(rune('1'+i)))
		want := "entrée libre pour les inscrits"
		if ev.Consumes {
			want = "une entrée décomptée (comme une journée)"
		}
		mustContain(t, body, want)
	}
}
