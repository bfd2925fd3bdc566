package slack_test

import (
	"strings"
	"testing"
	"time"

	"github.com/badgeuse/badgeuse/central"
	"github.com/badgeuse/badgeuse/central/slack"
	"github.com/badgeuse/badgeuse/central/sqlstore"
	"github.com/badgeuse/badgeuse/shared/access"
)

// agenda is the fixture's calendar, bookings, profiles and spaces, and a
// worker that reads them (the morning digest).
type agenda struct {
	*fixture
	calendar *sqlstore.CalendarService
	bookings *sqlstore.BookingService
	profiles *sqlstore.ProfileService
	spaces   *sqlstore.SpaceService
}

func newAgenda(t *testing.T) *agenda {
	f := newFixture(t)
	return &agenda{fixture: f, calendar: sqlstore.NewCalendarService(f.db.DB), bookings: sqlstore.NewBookingService(f.db.DB),
		profiles: sqlstore.NewProfileService(f.db.DB), spaces: sqlstore.NewSpaceService(f.db.DB)}
}

func (a *agenda) worker(now func() time.Time) *slack.Worker {
	w := a.fixture.worker()
	w.Calendar, w.Bookings, w.Profiles, w.Spaces, w.Now = a.calendar, a.bookings, a.profiles, a.spaces, now
	return w
}

func (a *agenda) resource(name, space string) int64 {
	a.t.Helper()
	r := &central.Resource{Name: name, Space: space, Opens: 8 * 60, Closes: 20 * 60, Slot: 30 * time.Minute}
	if err := a.bookings.CreateResource(a.ctx, r); err != nil {
		a.t.Fatal(err)
	}
	return r.ID
}

func (a *agenda) book(b *central.Booking) *central.Booking {
	a.t.Helper()
	if err := a.bookings.Book(a.ctx, b); err != nil {
		a.t.Fatal(err)
	}
	return b
}

// event adds an event of two hours with members registered.
func (a *agenda) event(title, space string, start time.Time, capacity int, members ...int64) {
	a.t.Helper()
	e := &central.CalendarEvent{Title: title, Space: space, Start: start, End: start.Add(2 * time.Hour), Capacity: capacity}
	if err := a.calendar.CreateEvent(a.ctx, e); err != nil {
		a.t.Fatal(err)
	}
	for _, m := range members {
		if err := a.calendar.Register(a.ctx, &central.Registration{Event: e.ID, Member: m}); err != nil {
			a.t.Fatal(err)
		}
	}
}

func (a *agenda) profile(p *central.Profile) {
	a.t.Helper()
	if err := a.profiles.SaveProfile(a.ctx, p); err != nil {
		a.t.Fatal(err)
	}
}

// mornings returns the morning digests the fake Slack received in a
// channel.
func (a *agenda) mornings(channel string) []string {
	var out []string
	for _, m := range a.fake.Messages(channel) {
		if strings.HasPrefix(m.Text, "🗓️") {
			out = append(out, m.Text)
		}
	}
	return out
}

func (a *agenda) morningItems() []*central.OutboxItem {
	var out []*central.OutboxItem
	for _, it := range a.items("") {
		if it.Topic == slack.TopicMorning {
			out = append(out, it)
		}
	}
	return out
}

// TestMorningDigest: at slack.morning_time (on a test clock), one post per
// space lists the day's events (time, title, places left) and bookings
// (time, resource, who), naming only the members who chose to be seen
// (who is here, or the directory and not hidden) and did not opt out of
// Slack; a block says "bloqué"; cancelled bookings, other days and other
// spaces are left out; a space with its own channel gets its post there.
// Monitor passes, a second worker (another centrald on the same database,
// or a restart) and a late pass enqueue nothing more: each space's post is
// made once.
func TestMorningDigest(t *testing.T) {
	a := newAgenda(t)
	day := access.DayOf(time.Now(), access.Paris).AddDays(1) // bookings must be ahead
	at := func(d access.Day, h, m int) time.Time {
		return d.Start(access.Paris).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	annexe := &central.Space{Name: "Annexe"}
	if err := a.spaces.CreateSpace(a.ctx, annexe); err != nil {
		t.Fatal(err)
	}
	// The Annexe has its own channel: its programme goes there.
	const chanAnnexe = "C0000ANNEXE1"
	a.fake.AddChannel(chanAnnexe, true)
	if err := a.spaces.SetSpaceMessaging(a.ctx, annexe.ID, chanAnnexe, ""); err != nil {
		t.Fatal(err)
	}
	alice := a.member("Alice Martin", "", 0)
	bob := a.member("Bob Durand", "", 0)
	chloe := a.member("Chloé Petit", "", 0)
	dan := a.member("Dan Leroy", "", 0)
	a.profile(&central.Profile{Member: alice, ShowPresence: true})
	a.profile(&central.Profile{Member: chloe, InDirectory: true})
	a.profile(&central.Profile{Member: dan, InDirectory: true})
	if _, err := a.members.UpdateMember(a.ctx, chloe, central.MemberUpdate{SlackOptOut: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if err := a.profiles.SetProfileHidden(a.ctx, dan, true); err != nil {
		t.Fatal(err)
	}
	room, booth := a.resource("Salle de réunion", ""), a.resource("Cabine", "")
	a.resource("Imprimante 3D", annexe.Key)
	a.book(&central.Booking{Resource: room, Member: alice, Start: at(day, 9, 0), End: at(day, 10, 0)})
	a.book(&central.Booking{Resource: room, Member: bob, Start: at(day, 14, 0), End: at(day, 15, 0)})
	a.book(&central.Booking{Resource: booth, Member: chloe, Start: at(day, 9, 0), End: at(day, 9, 30)})
	a.book(&central.Booking{Resource: booth, Member: dan, Start: at(day, 11, 0), End: at(day, 12, 0)})
	a.book(&central.Booking{Resource: room, Blocked: true, Note: "Ménage", Start: at(day, 12, 0), End: at(day, 13, 0)})
	gone := a.book(&central.Booking{Resource: booth, Member: alice, Start: at(day, 16, 0), End: at(day, 17, 0)})
	if err := a.bookings.CancelBooking(a.ctx, gone.ID, alice); err != nil {
		t.Fatal(err)
	}
	a.book(&central.Booking{Resource: room, Member: alice, Start: at(day.AddDays(1), 9, 0), End: at(day.AddDays(1), 10, 0)})
	a.event("Atelier compta", "", at(day, 18, 30), 2, alice)
	a.event("Apéro", "", at(day, 19, 0), 1, bob)
	a.event("Repair café", annexe.Key, at(day, 10, 0), 10)
	a.event("Demain", "", at(day.AddDays(1), 10, 0), 10)
	a.setting("slack.morning_time", "08:00")

	clock := at(day, 7, 59)
	now := func() time.Time { return clock }
	w := a.worker(now)
	if err := w.Monitor(a.ctx); err != nil {
		t.Fatal(err)
	}
	if its := a.morningItems(); len(its) != 0 {
		t.Fatalf("enqueued before 08:00: %d", len(its))
	}
	clock = at(day, 8, 0)
	for _, w := range []*slack.Worker{w, w, a.worker(now)} {
		if err := w.Monitor(a.ctx); err != nil {
			t.Fatal(err)
		}
	}
	its := a.morningItems()
	if len(its) != 2 {
		t.Fatalf("%d morning digests enqueued, want one per space (2)", len(its))
	}
	// The day after, the morning has passed when centrald comes back at
	// 12:30: nothing is enqueued for it.
	clock = at(day.AddDays(1), 12, 30)
	if err := w.Monitor(a.ctx); err != nil {
		t.Fatal(err)
	}
	if its := a.morningItems(); len(its) != 2 {
		t.Fatalf("%d morning digests after a late pass, want 2", len(its))
	}
	a.serve(w)
	a.drain(drainWait)
	date := day.Start(time.UTC).Format("02/01")
	want := []string{
		"🗓️ Aujourd'hui à Badgeuse (" + date + ") :" +
			"\nÉvénements :" +
			"\n• 18:30 Atelier compta — 1 place restante" +
			"\n• 19:00 Apéro — complet" +
			"\nRéservations :" +
			"\n• 9:00–9:30 Cabine : réservé" +
			"\n• 9:00–10:00 Salle de réunion : Alice Martin" +
			"\n• 11:00–12:00 Cabine : réservé" +
			"\n• 12:00–13:00 Salle de réunion : bloqué" +
			"\n• 14:00–15:00 Salle de réunion : réservé",
	}
	got := a.mornings(chanArrivals)
	if strings.Join(got, "\n---\n") != strings.Join(want, "\n---\n") {
		t.Fatalf("morning digests:\n%s\nwant\n%s", strings.Join(got, "\n---\n"), strings.Join(want, "\n---\n"))
	}
	wantAnnexe := "🗓️ Aujourd'hui à Annexe (" + date + ") :" +
		"\nÉvénements :" +
		"\n• 10:00 Repair café — 10 places restantes"
	if got := a.mornings(chanAnnexe); len(got) != 1 || got[0] != wantAnnexe {
		t.Fatalf("the Annexe's channel: %q\nwant %q", got, wantAnnexe)
	}
	for _, it := range a.morningItems() {
		if it.Key != slack.TopicMorning+":"+annexe.Key+":"+day.String() && it.Key != slack.TopicMorning+"::"+day.String() {
			t.Errorf("key %q", it.Key)
		}
	}
}

// TestMorningDigestEnglishAndEmpty: with slack.language en the digest is
// in English; a space with neither event nor booking posts nothing (the
// message is skipped with the reason).
func TestMorningDigestEnglishAndEmpty(t *testing.T) {
	a := newAgenda(t)
	day := access.DayOf(time.Now(), access.Paris).AddDays(1)
	at := func(h, m int) time.Time {
		return day.Start(access.Paris).Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
	}
	if err := a.spaces.CreateSpace(a.ctx, &central.Space{Name: "Annexe"}); err != nil {
		t.Fatal(err)
	}
	alice := a.member("Alice Martin", "", 0)
	bob := a.member("Bob Durand", "", 0)
	a.profile(&central.Profile{Member: alice, InDirectory: true})
	room := a.resource("Meeting room", "")
	a.book(&central.Booking{Resource: room, Member: alice, Start: at(9, 0), End: at(10, 0)})
	a.book(&central.Booking{Resource: room, Member: bob, Start: at(10, 0), End: at(11, 0)})
	a.book(&central.Booking{Resource: room, Blocked: true, Start: at(11, 0), End: at(11, 30)})
	a.event("Talk", "", at(18, 0), 1)
	a.setting("slack.language", "en")
	a.setting("slack.morning_time", "7:30")
	w := a.worker(func() time.Time { return at(9, 15) })
	if err := w.Monitor(a.ctx); err != nil {
		t.Fatal(err)
	}
	a.serve(w)
	a.drain(drainWait)
	want := "🗓️ Today at Badgeuse (" + day.Start(time.UTC).Format("02/01") + "):" +
		"\nEvents:" +
		"\n• 18:00 Talk — 1 place left" +
		"\nBookings:" +
		"\n• 9:00–10:00 Meeting room: Alice Martin" +
		"\n• 10:00–11:00 Meeting room: booked" +
		"\n• 11:00–11:30 Meeting room: blocked"
	if got := a.mornings(chanArrivals); len(got) != 1 || got[0] != want {
		t.Fatalf("morning digests %q\nwant %q", got, want)
	}
	skipped := 0
	for _, it := range a.morningItems() {
		if strings.HasPrefix(it.Key, slack.TopicMorning+":Annexe:") {
			skipped++
			if it.Outcome != central.OutcomeSkipped || !strings.Contains(it.Error, "no event nor booking") {
				t.Errorf("Annexe's digest: outcome %q, note %q", it.Outcome, it.Error)
			}
		}
	}
	if skipped != 1 {
		t.Fatalf("Annexe's digest: %d messages, want 1 skipped", skipped)
	}
}
