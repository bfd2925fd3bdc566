package email_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/email"
	"github.com/badgeuse/badgeuse/central/email/smtptest"
	"github.com/badgeuse/badgeuse/central/sqlstore"
)

// TestMailFromSpaceEntered (issue 14): a member's low-balance mail, which
// a visit caused, comes from the sender name of the space she entered
// (Space.MailName), in its From header and its text; a visit at a space
// without a name of its own, and a mail no visit caused, come from the
// association. The hook records the space of the visit.
func TestMailFromSpaceEntered(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	spaces := sqlstore.NewSpaceService(f.db.DB)
	cantine := &central.Space{Name: "La Cantine"}
	if err := spaces.CreateSpace(f.ctx, cantine); err != nil {
		t.Fatal(err)
	}
	if err := spaces.SetSpaceMessaging(f.ctx, cantine.ID, "", "La Cantine (Lyon)"); err != nil {
		t.Fatal(err)
	}
	f.worker.Handler.Spaces = spaces
	ana, ben, cleo := f.member("Ana A", "ana@example.org"), f.member("Ben B", "ben@example.org"), f.member("Cléo C", "cleo@example.org")
	low := func(m int64, space, entry string) central.OutboxMessage {
		mem, err := f.members.FindMemberByID(f.ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		msgs := email.LowBalanceHook(central.LowBalance{Arrival: central.Arrival{Member: mem, Entry: &central.Entry{ID: entry},
			Visit: &central.Visit{Space: space}}, Left: 1}, f.settings.set, false, "")
		if len(msgs) != 1 {
			t.Fatalf("low balance of %d: %d messages", m, len(msgs))
		}
		return msgs[0]
	}
	f.enqueue(low(ana, cantine.Key, "E-1"))
	f.enqueue(low(ben, "", "E-2"))
	f.enqueue(mustMessage(t, email.KindLink, "l", email.Payload{Member: cleo, Link: "https://b.example/m/t"}))
	f.run(func() bool { return len(f.srv.Messages()) == 3 })
	for _, m := range f.srv.Messages() {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		from := p.Header.Get("From")
		want := "La Ruche"
		if m.To[0] == "ana@example.org" {
			want = "La Cantine (Lyon)"
		}
		if !strings.Contains(from, want) || !strings.Contains(p.Text, want) {
			t.Errorf("mail to %s from %q, text %q: want %q", m.To[0], from, p.Text, want)
		}
		if want == "La Ruche" && strings.Contains(from+p.Text, "Cantine") {
			t.Errorf("mail to %s names La Cantine: %q", m.To[0], from)
		}
	}
}

// TestEventMailOnSpaceClock: the mail of an event at a space with its own
// time zone says its hours on that space's clock, and names that clock;
// an event at the main space (the network's clock) names none. The
// space's postal address follows.
func TestEventMailOnSpaceClock(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	set, _ := f.settings.Settings(f.ctx)
	f.db.Reactions = append(f.db.Reactions, func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		return email.RegistrationHook(ev, set)
	})
	spaces := sqlstore.NewSpaceService(f.db.DB)
	mtl := &central.Space{Name: "Montréal", Timezone: "America/Montreal", Address: "5445 avenue de Gaspé, Montréal"}
	if err := spaces.CreateSpace(f.ctx, mtl); err != nil {
		t.Fatal(err)
	}
	cal := sqlstore.NewCalendarService(f.db.DB)
	f.worker.Handler.Spaces, f.worker.Handler.Events = spaces, cal
	loc, err := time.LoadLocation("America/Montreal")
	if err != nil {
		t.Fatal(err)
	}
	in3 := time.Now().In(loc).AddDate(0, 0, 3)
	start := time.Date(in3.Year(), in3.Month(), in3.Day(), 18, 0, 0, 0, loc)
	ev := &central.CalendarEvent{Title: "Atelier", Space: mtl.Key, Start: start, End: start.Add(2 * time.Hour), Capacity: 5}
	if err := cal.CreateEvent(f.ctx, ev); err != nil {
		t.Fatal(err)
	}
	alice := f.member("Alice Martin", "alice@example.org")
	if err := cal.Register(f.ctx, &central.Registration{Event: ev.ID, Member: alice}); err != nil {
		t.Fatal(err)
	}
	f.run(func() bool { return len(f.srv.Messages()) == 1 })
	p, err := f.srv.Messages()[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Text, "de 18:00 à 20:00, fuseau horaire America/Montreal") ||
		!strings.Contains(p.HTML, "de 18:00 à 20:00, fuseau horaire America/Montreal") {
		t.Errorf("the mail of an event in Montreal: %q", p.Text)
	}
	if !strings.Contains(p.Text, "Adresse\u00a0: 5445 avenue de Gaspé, Montréal") || !strings.Contains(p.HTML, "Adresse\u00a0: 5445 avenue de Gaspé, Montréal") {
		t.Errorf("the mail of an event in Montreal does not give its space's address: %q", p.Text)
	}
}

// TestEventMailSpaceRenamed: an event at La Cantine, renamed « La
// Cantine Croix-Rousse » (the event keeps its key, the first name): its
// registration mail names the new name, in text and HTML, never the old
// one (central.PlaceName).
func TestEventMailSpaceRenamed(t *testing.T) {
	f := newFixture(t, smtptest.Options{})
	set, _ := f.settings.Settings(f.ctx)
	f.db.Reactions = append(f.db.Reactions, func(ev central.Event, _ central.Settings) []central.OutboxMessage {
		return email.RegistrationHook(ev, set)
	})
	spaces := sqlstore.NewSpaceService(f.db.DB)
	cantine := &central.Space{Name: "La Cantine"}
	if err := spaces.CreateSpace(f.ctx, cantine); err != nil {
		t.Fatal(err)
	}
	cal := sqlstore.NewCalendarService(f.db.DB)
	f.worker.Handler.Spaces, f.worker.Handler.Events = spaces, cal
	start := time.Now().AddDate(0, 0, 3).Truncate(time.Hour)
	ev := &central.CalendarEvent{Title: "Atelier", Space: cantine.Key, Start: start, End: start.Add(2 * time.Hour), Capacity: 5}
	if err := cal.CreateEvent(f.ctx, ev); err != nil {
		t.Fatal(err)
	}
	if err := spaces.RenameSpace(f.ctx, cantine.ID, "La Cantine Croix-Rousse"); err != nil {
		t.Fatal(err)
	}
	alice := f.member("Alice Martin", "alice@example.org")
	if err := cal.Register(f.ctx, &central.Registration{Event: ev.ID, Member: alice}); err != nil {
		t.Fatal(err)
	}
	f.run(func() bool { return len(f.srv.Messages()) == 1 })
	p, err := f.srv.Messages()[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	const name = "La Cantine Croix-Rousse"
	for what, body := range map[string]string{"text": p.Text, "HTML": p.HTML} {
		if !strings.Contains(body, "("+name+").") {
			t.Errorf("the mail's %s does not name %s: %q", what, name, body)
		}
		if strings.Contains(strings.ReplaceAll(body, name, ""), "La Cantine") {
			t.Errorf("the mail's %s names the old name: %q", what, body)
		}
	}
}
